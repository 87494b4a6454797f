"""The operator's sub-commands: ``policybot doctor`` and ``policybot insights``."""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.config import load_config


def _config_path(args: argparse.Namespace) -> str | None:
    return args.config or os.environ.get("POLICYBOT_CONFIG")


async def cmd_doctor(args: argparse.Namespace) -> int:
    """Check the config, policy folder, database and tokens; print what to fix."""
    from bot.doctor import Doctor, render

    checks = await Doctor(_config_path(args)).run(online=args.online)
    sys.stdout.write(render(checks))
    return 1 if any(c.status == "fail" for c in checks) else 0


async def cmd_insights(args: argparse.Namespace) -> int:
    """Print counts by clause and label over time, ladder steps and disputes; no content."""
    from bot.cli import UserError
    from bot.insights import gather_insights, parse_since, render_text
    from bot.store import StoreError, open_store

    try:
        span = parse_since(args.since)
    except ValueError as exc:
        raise UserError(f"policybot insights: {exc}") from None
    url = load_config(_config_path(args)).database_url()
    path = url.removeprefix("sqlite:///")
    if url.startswith("sqlite:///") and path != ":memory:" and not Path(path).exists():
        raise UserError(f"policybot insights: no database at {path} yet: nothing to show")
    try:
        async with open_store(url, exclusive=False) as store:
            insights = await gather_insights(
                store,
                span,
                datetime.now(UTC),
                platform=args.platform,
                community=args.community,
                show_users=args.show_users,
            )
    except StoreError as exc:
        raise UserError(f"policybot insights: {exc}") from None
    if args.format == "json":
        sys.stdout.write(json.dumps(insights.to_dict(), indent=2) + "\n")
    else:
        sys.stdout.write(render_text(insights))
    return 0


def cmd_healthcheck(args: argparse.Namespace) -> int:
    """Ask the running bot's /healthz (the container's HEALTHCHECK); exit 0 only when healthy."""
    config = load_config(_config_path(args))
    if not config.ops.enabled:
        sys.stderr.write(
            "policybot healthcheck: ops.enabled is false in the config: /healthz is off\n"
        )
        return 1
    host = "127.0.0.1" if config.ops.host in ("0.0.0.0", "::", "") else config.ops.host
    url = f"http://{host}:{config.ops.port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=args.timeout) as response:
            sys.stdout.write(response.read().decode() + "\n")
            return 0
    except urllib.error.HTTPError as exc:
        sys.stdout.write(exc.read().decode() + "\n")
    except (urllib.error.URLError, TimeoutError) as exc:
        sys.stderr.write(f"policybot healthcheck: {url}: {getattr(exc, 'reason', exc)}\n")
    return 1


def add_commands(sub: Any) -> None:
    """Add ``doctor`` and ``insights`` to the ``policybot`` sub-command parser."""
    p = sub.add_parser("doctor", help="check config, policy folder, database and tokens")
    p.add_argument(
        "--online", action="store_true", help="also ask Discord and Slack to accept the tokens"
    )
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser(
        "insights", help="counts by clause and label over time, ladder steps, disputes"
    )
    p.add_argument("--since", default="30d", help="how far back: 30d, 12h, 4w (default 30d)")
    p.add_argument("--platform", choices=("discord", "slack", "playground", "cli"))
    p.add_argument("--community", help="one community (guild or team id) only")
    p.add_argument(
        "--show-users", action="store_true", help="also count cases per user id (off by default)"
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_insights)

    p = sub.add_parser("healthcheck", help="ask the running bot's /healthz; exit 0 when healthy")
    p.add_argument("--timeout", type=float, default=5.0, help="seconds (default 5)")
    p.set_defaults(func=cmd_healthcheck)
