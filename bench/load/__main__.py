"""Run the load test and print its report: ``python -m bench.load [options]``.

Without ``--database-url`` (or POLICYBOT_TEST_PG_URL) it runs itself again under
``scripts/with-postgres.sh``, which starts a throwaway PostgreSQL for the run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

from bench.load.database import PG_URL_ENV, server_version
from bench.load.fleet import REPO
from bench.load.report import figures, markdown, write_section
from bench.load.scenario import Plan, run

DOCS = REPO / "docs" / "scaling.md"


def build_parser() -> argparse.ArgumentParser:
    """Return the options, with the plan's defaults."""
    plan = Plan()
    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    p.add_argument("--processes", type=int, default=plan.processes)
    p.add_argument("--shards-per-process", type=int, default=plan.shards_per_process)
    p.add_argument("--servers", type=int, default=plan.servers, help="Discord servers")
    p.add_argument("--rate", type=float, default=plan.rate, help="messages a second, in all")
    p.add_argument("--seconds", type=float, default=plan.seconds, help="how long to send")
    p.add_argument("--breach-share", type=float, default=plan.breach_share)
    p.add_argument("--kills", type=int, default=None, help="processes to kill (default: all)")
    p.add_argument("--seed", type=int, default=plan.seed)
    p.add_argument("--database-url", help=f"PostgreSQL to use (default: ${PG_URL_ENV})")
    p.add_argument("--workdir", type=Path, help="keep configs, records and logs here")
    p.add_argument("--keep-schema", action="store_true", help="leave the run's tables in place")
    p.add_argument(
        "--write-docs", action="store_true", help=f"write the report into {DOCS.relative_to(REPO)}"
    )
    return p


async def main_async(args: argparse.Namespace, url: str) -> int:
    """Run the plan, print the report, optionally write it to the docs; 0 when it passed."""
    plan = Plan(
        processes=args.processes,
        shards_per_process=args.shards_per_process,
        servers=args.servers,
        rate=args.rate,
        seconds=args.seconds,
        breach_share=args.breach_share,
        kills=args.kills,
        seed=args.seed,
    )
    with tempfile.TemporaryDirectory(prefix="policybot-load-") as scratch:
        workdir = args.workdir or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        seen = await run(plan, url, workdir, keep_schema=args.keep_schema)
    result = figures(seen)
    report = markdown(seen, result, await server_version(url))
    sys.stdout.write(report)
    if args.write_docs:
        write_section(DOCS, report)
        sys.stdout.write(f"\nwritten to {DOCS}\n")
    return 0 if result.passed else 1


def main(argv: list[str] | None = None) -> int:
    """Parse the options; start a throwaway PostgreSQL first when none is given."""
    args = build_parser().parse_args(argv)
    url = args.database_url or os.environ.get(PG_URL_ENV)
    if not url:
        script = REPO / "scripts" / "with-postgres.sh"
        command = [str(script), sys.executable, "-m", "bench.load", *(argv or sys.argv[1:])]
        os.execv(script, command)
    return asyncio.run(main_async(args, url))


if __name__ == "__main__":
    raise SystemExit(main())
