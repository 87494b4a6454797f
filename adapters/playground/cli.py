"""``policybot playground``: start the local page and stop cleanly on SIGTERM or Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
import errno
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from adapters.playground.session import Playground

log = logging.getLogger(__name__)

DEFAULT_PORT = 8765
MAX_PORT = 65535
#: The playground's own reminder rate limit, in minutes. Off, so that each message shows its
#: step of the ladder at once; the page states it beside the config's own value.
PLAYGROUND_RATE_LIMIT_MINUTES = 0
#: Seconds a request under way may take to finish once a stop was asked for.
SHUTDOWN_TIMEOUT = 10.0


def default_database() -> Path:
    """Return where the playground keeps its SQLite file: the user's state folder."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "policybot" / "playground.db"


def _prepare(db: Path, fresh: bool) -> None:
    """Create the database's folder (0700) and an empty database file (0600) if they are missing.

    The file says who was warned and why: owner-only, as SQLite's -wal and -shm files then are
    too (SQLite gives them the database file's mode). An existing folder or file is left as
    it is: ``--db`` may name a file in a shared folder the user chose.
    """
    db.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if fresh:
        _forget(db)
    if str(db) == ":memory:":
        return
    # A folder in its place, no write access: the store says so in its own words on opening.
    with contextlib.suppress(OSError):
        # An empty file is an empty SQLite database; O_CREAT alone leaves an existing one alone.
        os.close(os.open(db, os.O_WRONLY | os.O_CREAT, 0o600))


def _forget(db: Path) -> None:
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        path.unlink(missing_ok=True)


async def serve(playground: Playground, host: str, port: int) -> None:
    """Serve the playground until SIGTERM or SIGINT, then finish requests and close the store."""
    from aiohttp import web

    from adapters.playground.web import make_app
    from bot.cli import UserError
    from bot.shutdown import StopSignals

    runner = web.AppRunner(make_app(playground), access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT)
    await runner.setup()
    try:
        async with StopSignals() as stop:
            site = web.TCPSite(runner, host, port)
            try:
                await site.start()
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    raise UserError(
                        f"policybot playground: port {port} on {host} is already in use: is the "
                        "playground already running? Open it, stop it, or choose --port"
                    ) from None
                raise UserError(
                    f"policybot playground: cannot listen on {host}:{port}: {exc.strerror or exc}"
                ) from None
            bound = runner.addresses[0][1] if runner.addresses else port
            shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
            sys.stdout.write(
                f"policybot playground: http://{shown}:{bound}/  "
                f"(database {playground.store.path}; Ctrl-C to stop)\n"
            )
            sys.stdout.flush()
            await stop.wait()
    finally:
        # Stop listening and let requests under way finish, then close the database.
        await runner.cleanup()
        await playground.close()
    log.info("playground stopped cleanly")


async def cmd_playground(args: argparse.Namespace) -> int:
    """Start the playground on 127.0.0.1 with the config in force and its own SQLite file."""
    # Imported here so that building the command line stays quick for every other command.
    from adapters.playground.session import Playground
    from bot.cli import UserError
    from bot.config import load_config
    from bot.logging_setup import setup_logging
    from bot.store.errors import DatabaseInUse
    from bot.store.sqlite import SqliteStore

    if not 0 <= args.port <= MAX_PORT:
        raise UserError(
            f"policybot playground: --port must be 1 to {MAX_PORT} (0: any free port), "
            f"got {args.port}"
        )
    config = load_config(args.config or os.environ.get("POLICYBOT_CONFIG"))
    setup_logging(config.ops.json_logs)
    db = Path(args.db) if args.db else default_database()
    _prepare(db, args.fresh)
    playground = Playground(config, SqliteStore(db), rate_limit_minutes=args.rate_limit_minutes)
    try:
        await playground.start()
    except DatabaseInUse:
        raise UserError(
            f"policybot playground: {db} is in use by another policybot process: is the "
            "playground already running? Stop it, or give this one its own --db FILE"
        ) from None
    if config.ops.enabled and playground.ops is not None:
        # The container's HEALTHCHECK asks the ops port, whichever command the image runs.
        await playground.ops.start_server(config.ops.host, config.ops.port)
    await serve(playground, args.host, args.port)
    return 0


def _minutes(text: str) -> int:
    """Parse --rate-limit-minutes: a whole number of minutes, 0 to a week."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected whole minutes, got {text!r}") from None
    if not 0 <= value <= 10080:
        raise argparse.ArgumentTypeError(f"expected 0 to 10080 minutes, got {value}")
    return value


def add_command(sub: Any) -> None:
    """Add ``playground`` to the ``policybot`` sub-command parser."""
    p = sub.add_parser(
        "playground", help="try the bot in a local web page: a pretend society channel"
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    p.add_argument("--host", default="127.0.0.1", help="default 127.0.0.1 (this computer only)")
    # SUPPRESS: without the option here, `policybot --config FILE playground` keeps FILE.
    p.add_argument("--config", default=argparse.SUPPRESS, help="config file (as for run)")
    p.add_argument("--db", help=f"SQLite file (default {default_database()})")
    p.add_argument("--fresh", action="store_true", help="start with an empty database")
    p.add_argument(
        "--rate-limit-minutes",
        type=_minutes,
        default=PLAYGROUND_RATE_LIMIT_MINUTES,
        metavar="N",
        help="at most one reminder per person per N minutes, as ladder.rate_limit_minutes does "
        "on Discord and Slack (default 0: off, so every step of the ladder shows at once)",
    )
    p.set_defaults(func=cmd_playground)
