"""Speed: messages per second one at a time, latency and peak memory, policybot and its peers.

    python -m bench.speed [--eval-dir DIR] [--seconds 20] [--no-peers]

Every system reads the same corpus (the benign student chat, the OLID test tweets and the
synthetic PII sentences, in that order) one message per call, as a bot sees them. Each system
runs in its own fresh Python process pinned to one core, so its peak resident memory
(``ru_maxrss``: interpreter, imports, models and the run) is its own and no system warms
another's caches. policybot runs its full pipeline: ``await engine.handle(message)`` with every
detector, the engine, the ladder and an in-memory SQLite store. Each system gets the same time
budget; a slow one is measured on the messages it finished. Ratios are policybot / peer.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.datasets import (
    DatasetError,
    load_benign,
    load_olid_test,
    load_presidio_synth,
    resolve_eval_dir,
)

WARM_UP = 50
SYSTEMS = (
    "policybot",
    "policybot-rules-only",
    "alt-profanity-check",
    "better-profanity",
    "glin-profanity",
    "phonenumbers",
    "scrubadub",
    "presidio",
)


@dataclass(frozen=True, slots=True)
class Timing:
    """One system's run: how many messages, how fast, how much memory."""

    system: str
    messages: int
    per_second: float
    p50_ms: float
    p99_ms: float
    peak_rss_mb: float


def corpus(folder: Path) -> list[str]:
    """Return the speed corpus: benign chat, OLID test tweets, synthetic PII sentences."""
    texts = [s.text for s in load_benign().samples]
    texts += [s.text for s in load_olid_test(folder).samples]
    texts += [s.text for s in load_presidio_synth(folder)]
    return texts


def measure(call: Callable[[str], object], texts: Sequence[str], seconds: float) -> list[int]:
    """Call once per message within the budget; return each call's nanoseconds."""
    for text in texts[:WARM_UP]:
        call(text)
    times: list[int] = []
    clock = time.perf_counter_ns
    deadline = clock() + int(seconds * 1e9)
    for text in texts:
        start = clock()
        call(text)
        end = clock()
        times.append(end - start)
        if end > deadline:
            break
    return times


def _policybot_call(tmp: Path, model: bool = True) -> Callable[[str], object]:
    """Return a call that runs policybot's full pipeline on one message (``model``: classifier on)."""
    from bot.app import build_core_for_tests
    from bot.message import Message

    loop = asyncio.new_event_loop()
    core = loop.run_until_complete(
        build_core_for_tests(
            tmp, {"database": {"url": "sqlite://:memory:"}, "defaults": {"model": model}}
        )
    )
    handle = core.engine.handle
    counter = iter(range(10**9))

    def call(text: str) -> object:
        n = next(counter)
        # A handful of authors, so the ladder and the rate limit see repeat offenders.
        message = Message(
            id=str(n),
            text=text,
            author=f"user{n % 7}",
            channel="general",
            community="bench",
            platform="bench",
        )
        return loop.run_until_complete(handle(message))

    return call


def _peer_call(name: str) -> Callable[[str], object]:
    from bench import peers

    if name in peers.OFFENSIVE_PEERS:
        return peers.OFFENSIVE_PEERS[name]().flags
    return peers.PII_PEERS[name]().spans


def worker(system: str, folder: Path, seconds: float) -> Timing:
    """Measure one system in this process (the parent starts one process per system)."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    texts = corpus(folder)
    if system.startswith("policybot"):
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            call = _policybot_call(Path(tmp), model=system == "policybot")
            times = measure(call, texts, seconds)
    else:
        times = measure(_peer_call(system), texts, seconds)
    ms = sorted(t / 1e6 for t in times)
    return Timing(
        system=system,
        messages=len(ms),
        per_second=len(ms) / (sum(ms) / 1000) if ms else 0.0,
        p50_ms=statistics.median(ms) if ms else 0.0,
        p99_ms=ms[min(len(ms) - 1, int(0.99 * len(ms)))] if ms else 0.0,
        # Linux reports kilobytes, macOS bytes.
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        / (1024 * 1024 if sys.platform == "darwin" else 1024),
    )


def run_in_subprocess(system: str, folder: Path, seconds: float) -> Timing | str:
    """Run one system's worker in a fresh interpreter; return its timing or why it failed."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.speed",
            "--worker",
            system,
            "--eval-dir",
            str(folder),
            "--seconds",
            str(seconds),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        lines = (proc.stderr.strip() or proc.stdout.strip() or "failed").splitlines()
        if any("ModuleNotFoundError" in ln or "ImportError" in ln for ln in lines):
            return "not installed (pip install -e '.[bench]')"
        return lines[-1]
    return Timing(**json.loads(proc.stdout.strip().splitlines()[-1]))


def render(timings: Sequence[Timing], problems: dict[str, str], total: int) -> str:
    """Return the speed table, with policybot / peer ratios, as markdown."""
    bot = next((t for t in timings if t.system == "policybot"), None)
    out = [
        f"Corpus: {total} messages (benign student chat, OLID test, synthetic PII sentences), "
        "one call per message, each system in its own process on one core.",
        "",
        "| system | messages timed | messages/s | p50 ms | p99 ms | peak RSS MB | policybot speed-up |",
        "|---|---|---|---|---|---|---|",
    ]
    for t in timings:
        ratio = "" if bot is None or t is bot else f"{bot.per_second / t.per_second:.2g}x"
        name = {
            "policybot": "**policybot** (full pipeline, rules + model)",
            "policybot-rules-only": "policybot, model off (rules only)",
        }.get(t.system, t.system)
        out.append(
            f"| {name} | {t.messages} | {t.per_second:,.0f} | {t.p50_ms:.3f} | "
            f"{t.p99_ms:.3f} | {t.peak_rss_mb:.0f} | {ratio} |"
        )
    for system, why in problems.items():
        out.append(f"| {system} | — | — | — | — | — | {why} |")
    out.append("")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    """Run every system in its own process and print the speed table."""
    parser = argparse.ArgumentParser(prog="python -m bench.speed", description=__doc__)
    parser.add_argument("--eval-dir", help="labelled data folder (default ../shared/eval)")
    parser.add_argument("--seconds", type=float, default=20.0, help="time budget per system")
    parser.add_argument("--no-peers", action="store_true", help="measure policybot only")
    parser.add_argument("--worker", choices=SYSTEMS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        folder = resolve_eval_dir(args.eval_dir)
        if args.worker:
            print(json.dumps(asdict(worker(args.worker, folder, args.seconds))))
            return 0
        total = len(corpus(folder))
    except DatasetError as exc:
        print(exc, file=sys.stderr)
        return 2
    timings: list[Timing] = []
    problems: dict[str, str] = {}
    for system in SYSTEMS[:2] if args.no_peers else SYSTEMS:
        print(f"timing {system} …", file=sys.stderr, flush=True)
        result = run_in_subprocess(system, folder, args.seconds)
        if isinstance(result, Timing):
            timings.append(result)
        else:
            problems[system] = result
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"## Speed ({when})\n")
    print(render(timings, problems, total))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
