"""The ``policybot`` command line: check, scan, policy, validate-config, privacy, export, run.

Every user mistake ends in one clear line per problem on stderr and exit code 2, never a
traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from bot.app import Core, build_core, load_policy_and_rules
from bot.config import Config, ConfigError, load_config
from bot.credentials import required_tokens
from bot.decision import Action, Decision
from bot.exports.reader import ExportReader, printable
from bot.message import Message
from bot.policy import PolicyError
from bot.policy_text import render_lookup
from bot.rules import RuleError
from bot.store.base import Store
from bot.store.errors import StoreError
from bot.store.factory import open_store
from bot.store.sqlite import SqliteStore
from bot.untrusted import UntrustedJSONError, load_json

EXIT_USAGE = 2


class UserError(Exception):
    """A mistake the user can fix; the message is printed as it is."""


class NothingFound(Exception):
    """The command worked but found nothing to show; the message says what was looked for."""


class ExactParser(argparse.ArgumentParser):
    """An argument parser that takes no abbreviations: ``--json`` is an error, not ``--jsonl``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)


def _config(args: argparse.Namespace) -> Config:
    path = args.config or os.environ.get("POLICYBOT_CONFIG")
    return load_config(path)


async def _memory_core(config: Config) -> Core:
    return await build_core(config, store=SqliteStore(":memory:"))


# -- check -----------------------------------------------------------------------------------
#: Where a finding came from, as ``check`` says it.
ORIGIN_WORDS = {
    "rule": "a rule (a list or pattern matched)",
    "model": "the policy model",
    "rule+model": "a rule and the policy model",
}


def _explain(decision: Decision, core: Core) -> str:
    lines = []
    if not decision.findings:
        return "Nothing fires: policybot would stay quiet.\n"
    for f in decision.findings:
        clause_text = core.engine.notices.clause_line(f.clauses) if f.clauses else "a route"
        kind = "route" if f.is_route else f"{f.severity} severity"
        lines.append(f"* {f.label}: {clause_text}")
        found_by = ORIGIN_WORDS.get(f.origin, f.origin)
        lines.append(
            f"    {kind}, score {f.score:.2f}, found by {found_by} (rule {f.rule or f.detector})"
        )
        lines.append(f"    why: {f.evidence}")
    lines.append("")
    if decision.action is Action.NONE:
        lines.append("Action: none (no breach); the author gets a private pointer only.")
    else:
        lines.append(f"Action: {decision.action} (step {decision.step} of the ladder).")
    if decision.notice:
        n = decision.notice
        lines.append("")
        lines.append(f"The author would see, privately: {n.title}")
        lines.append(f"  {n.body}")
        for r in n.routes:
            lines.append(f"  - {r.name}: {r.contact}")
    if decision.moderator_alert:
        lines.append("")
        lines.append(f"Moderators' log: {decision.moderator_alert.summary}")
    return "\n".join(lines) + "\n"


#: Keys that name something: a string or an integer when given (never true/false). An absent
#: or null ``id`` is answered with a null ``id``; an absent or null ``author`` makes the line its
#: own author (the ladder is per author, so lines without one never share strikes); an absent
#: or null ``channel``, ``community`` or ``reply_to`` means the default or none.
_ID_KEYS = ("id", "author", "channel", "community", "reply_to")
#: One line longer than this is refused rather than read (Slack's own limit is 40,000
#: characters of text; a JSON line of 1 MB is far past any real message).
MAX_JSONL_LINE_BYTES = 1_000_000


def _id_value(data: dict[str, Any], key: str, lineno: int) -> str | None:
    """Return an id-like value as a string (None when absent or null), or raise UserError."""
    value = data.get(key)
    if value is None:
        return None
    # bool is an int in Python; true/false are never ids.
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise UserError(f"line {lineno}: {key!r} must be a string or an integer")
    return str(value)


def _jsonl_message(
    raw: bytes, lineno: int, authors: dict[str, str]
) -> tuple[Message, str | int | None]:
    """Return the message one line describes, and its ``id`` as given (None when absent).

    The answer carries the id back as it came: an integer id stays an integer, so a client
    matching answers to its messages by id finds them.
    """
    if len(raw) > MAX_JSONL_LINE_BYTES:
        raise UserError(f"line {lineno}: longer than {MAX_JSONL_LINE_BYTES:,} bytes")
    try:
        # The line's own end is no part of it: a line cut short is short at its last column.
        data = load_json(raw.rstrip(b"\r\n"))
    except UntrustedJSONError as exc:
        if exc.reason is not None:
            # One line of JSON: the column is all the place there is to name. The parser's
            # own message may end in "at" ("Invalid control character at").
            reason = exc.reason.removesuffix(" at")
            raise UserError(
                f"line {lineno}: not valid JSON ({reason} at column {exc.column})"
            ) from None
        raise UserError(f"line {lineno}: {exc}") from None
    if not isinstance(data, dict):
        raise UserError(f"line {lineno}: expected a JSON object, got {_json_kind(data)}")
    if "text" not in data:
        raise UserError(f"line {lineno}: missing key 'text'")
    ids = {key: _id_value(data, key, lineno) for key in _ID_KEYS}
    if not isinstance(data["text"], str):
        raise UserError(f"line {lineno}: 'text' must be a string")
    mentions = data.get("mentions") or []
    if not isinstance(mentions, list) or not all(
        isinstance(m, str | int) and not isinstance(m, bool) for m in mentions
    ):
        raise UserError(f"line {lineno}: 'mentions' must be a list of user ids")
    reply_to = ids["reply_to"]
    message = Message(
        id=ids["id"] if ids["id"] is not None else f"line:{lineno}",
        text=data["text"],
        # "anonymous:" cannot clash with a given author: those are the platform's user ids.
        author=ids["author"] if ids["author"] is not None else f"anonymous:line:{lineno}",
        channel=ids["channel"] if ids["channel"] is not None else "default",
        community=ids["community"] or "default",
        platform="cli",
        author_name=data["author_name"] if isinstance(data.get("author_name"), str) else None,
        mentions=tuple(str(m) for m in mentions),
        reply_to=reply_to,
        reply_to_author=authors.get(reply_to) if reply_to else None,
        # Each line is its own event: two lines that share an id (different authors, or 1 and
        # "1") are two messages, never a redelivery to drop.
        idempotency_key=f"jsonl:{lineno}",
    )
    if ids["id"] is not None:
        authors[message.id] = message.author
    given = data.get("id")
    return message, given if ids["id"] is not None else None


def _json_kind(value: object) -> str:
    """Return the JSON name of a parsed value's type, for error lines."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    return {str: "a string", int: "a number", float: "a number", list: "an array"}.get(
        type(value), type(value).__name__
    )


def _lines(stream: BinaryIO) -> Iterator[bytes]:
    """Yield the stream's lines as bytes, each cut at ``MAX_JSONL_LINE_BYTES`` + 1.

    A longer line is read through to its end without being kept, so one enormous line costs
    no memory and the lines after it are still read.
    """
    while True:
        line = stream.readline(MAX_JSONL_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_JSONL_LINE_BYTES and not line.endswith(b"\n"):
            while True:
                rest = stream.readline(MAX_JSONL_LINE_BYTES)
                if not rest or rest.endswith(b"\n"):
                    break
        yield line


async def check_stream(core: Core, stream: BinaryIO, out: TextIO) -> int:
    """Run JSON lines from ``stream`` through the engine: one answer or error line each.

    The ``check --jsonl`` contract: every line that is not blank gets exactly one line on
    ``out``, a decision or ``{"line": N, "error": "line N: …"}``, and nothing a line holds
    stops the stream. Return 1 if any line was malformed, else 0.
    """
    authors: dict[str, str] = {}
    errors = 0
    for lineno, raw in enumerate(_lines(stream), start=1):
        if not raw.strip():
            continue
        try:
            message, given_id = _jsonl_message(raw, lineno, authors)
        except UserError as exc:
            errors += 1
            out.write(json.dumps({"line": lineno, "error": str(exc)}) + "\n")
            out.flush()
            continue
        decision = await core.engine.handle(message)
        answer = decision.to_dict()
        answer["id"] = given_id
        out.write(json.dumps(answer) + "\n")
        out.flush()
    return 1 if errors else 0


async def cmd_check(args: argparse.Namespace) -> int:
    """Explain what fires on a text, or stream JSON lines through the engine."""
    if args.jsonl and args.text:
        # The stream reads stdin only: a text given as well would be silently ignored.
        raise UserError("policybot check: --jsonl reads JSON lines on stdin, give no TEXT with it")
    config = _config(args)
    core = await _memory_core(config)
    try:
        if args.jsonl:
            return await check_stream(core, sys.stdin.buffer, sys.stdout)
        text = " ".join(args.text)
        if not text and not sys.stdin.isatty():
            text = sys.stdin.read().strip()  # echo "some text" | policybot check
        if not text:
            raise UserError(
                "policybot check: give a TEXT to check (or pipe it in), "
                "or --jsonl to read JSON lines on stdin"
            )
        message = Message(id="1", text=text, author="you", channel="cli")
        decision = await core.engine.handle(message)
        sys.stdout.write(_explain(decision, core))
        return 0
    finally:
        await core.close()


# -- scan ------------------------------------------------------------------------------------
async def cmd_scan(args: argparse.Namespace) -> int:
    """Run a chat export through the engine and report what would have been flagged."""
    from bot.exports import ExportError
    from bot.exports.detect import read_export

    config = _config(args)
    try:
        reader = read_export(Path(args.export))
    except ExportError as exc:
        raise UserError(str(exc)) from None
    with reader:
        core = await _memory_core(config)
        try:
            progress = None
            if sys.stderr.isatty() and args.format == "text":
                from tqdm import tqdm

                progress = tqdm(total=reader.count_hint(), unit="msg", file=sys.stderr, leave=False)
            try:
                report = await scan_export(core, reader, str(args.export), progress)
            except ExportError as exc:
                raise UserError(str(exc)) from None
            finally:
                if progress is not None:
                    progress.close()
        finally:
            await core.close()
    sys.stdout.write(render_scan(report, args.format))
    return 0


async def scan_export(
    core: Core, reader: ExportReader, export: str, progress: Any = None
) -> dict[str, Any]:
    """Run every message of an opened export through the engine; return the scan's report.

    ``progress``, when given, is updated once per message (a tqdm bar).
    """
    flagged: list[dict[str, Any]] = []
    by_label: Counter[str] = Counter()
    by_clause: Counter[str] = Counter()
    by_route: Counter[str] = Counter()
    by_action: Counter[str] = Counter()
    total = 0
    for message in reader.messages():
        total += 1
        decision = await core.engine.handle(message)
        if progress is not None:
            progress.update(1)
        for route in decision.routes:
            by_route[route] += 1
        violations = decision.violations
        if not violations or decision.duplicate:
            continue
        by_action[str(decision.action)] += 1
        for f in violations:
            by_label[f.label] += 1
            for c in f.clauses:
                by_clause[c] += 1
            flagged.append(
                {
                    "id": message.id,
                    "time": message.created_at.astimezone(UTC).isoformat(),
                    "channel": message.channel,
                    "channel_name": reader.channel_names.get(message.channel),
                    "author": message.author,
                    "author_name": message.author_name or reader.names.get(message.author),
                    "label": f.label,
                    "clauses": list(f.clauses),
                    "severity": str(f.severity),
                    "action": str(decision.action),
                    "evidence": f.evidence,
                }
            )
    return {
        "export": export,
        "platform": reader.platform,
        "community": reader.community,
        "community_name": reader.community_name,
        "messages": total,
        "flagged_messages": len({f["id"] for f in flagged}),
        "by_clause": dict(by_clause.most_common()),
        "by_label": dict(by_label.most_common()),
        "by_action": dict(by_action.most_common()),
        "routes": dict(by_route.most_common()),
        "flagged": flagged,
        "warnings": list(reader.warnings),
    }


def render_scan(report: dict[str, Any], fmt: str) -> str:
    """Render a scan's report as text, JSON or markdown.

    Names, ids and paths come from the export, so text and markdown show their control and
    bidi characters as escapes; markdown also escapes ``|`` and turns line breaks into spaces
    so that a value stays in its table cell. JSON escapes them itself.
    """
    if fmt == "json":
        return json.dumps(report, indent=2) + "\n"
    md = fmt == "md"

    def show(value: object) -> str:
        text = str(value)
        if md:
            text = " ".join(text.splitlines()).replace("|", "\\|")
        return printable(text)

    out = []
    name, community = report["community_name"], report["community"]
    where = f"{show(name)}, id {show(community)}" if name and name != community else show(community)
    head = f"{report['platform']} export {show(report['export'])} ({where})"
    out.append(f"# Scan of {head}" if md else f"Scan of {head}")
    out.append("")
    out.append(f"{report['messages']} messages checked, {report['flagged_messages']} flagged.")
    for title, key in (
        ("By clause", "by_clause"),
        ("By label", "by_label"),
        ("Routes offered", "routes"),
    ):
        if not report[key]:
            continue
        out.append("")
        out.append(f"## {title}" if md else f"{title}:")
        if md:
            out.append("")
            out.append("| | count |")
            out.append("|---|---|")
        for name, count in report[key].items():
            out.append(f"| {show(name)} | {count} |" if md else f"  {show(name):<28} {count}")
    if report["flagged"]:
        out.append("")
        out.append("## Flagged messages" if md else "Flagged messages:")
        if md:
            out.append("")
            out.append("| message | time (UTC) | channel | author | label | clause | action |")
            out.append("|---|---|---|---|---|---|---|")
        for f in report["flagged"]:
            clauses = ", ".join(f["clauses"])
            channel = f"#{show(f['channel_name'] or f['channel'])}"
            author = show(f["author_name"] or f["author"])
            message, author_id = show(f["id"]), show(f["author"])
            at = datetime.fromisoformat(f["time"]).strftime("%Y-%m-%d %H:%M")
            if md:
                out.append(
                    f"| {message} | {at} | {channel} | {author} ({author_id}) | {f['label']} | {clauses} | {f['action']} |"
                )
            else:
                out.append(
                    f"  {message:<30} {at}  {channel:<14} {author:<10} {f['label']:<26} {clauses:<4} {f['action']}"
                )
    if report["warnings"]:
        out.append("")
        out.append("Skipped:" if not md else "## Skipped")
        out.extend(f"  {show(w)}" for w in report["warnings"])
    return "\n".join(out) + "\n"


# -- the rest --------------------------------------------------------------------------------
def cmd_policy(args: argparse.Namespace) -> int:
    """Look up the policy by clause id or words (``/policy`` on the command line)."""
    policy, _ = load_policy_and_rules(_config(args))
    result = policy.lookup(" ".join(args.query))
    sys.stdout.write(render_lookup(result) + "\n")
    return 0


def cmd_validate_config(args: argparse.Namespace) -> int:
    """Validate a config file: its keys, its policy folder and the rules in it."""
    from bot.notices import route_warnings

    config = load_config(args.file)
    policy, _ = load_policy_and_rules(config)
    for warning in config.warnings() + route_warnings(config, policy):
        sys.stderr.write(f"warning: {warning}\n")
    sys.stdout.write(f"{args.file}: OK\n")
    return 0


def cmd_privacy(args: argparse.Namespace) -> int:
    """Print the privacy notice the adapters post and answer to ``/privacy``."""
    from bot.privacy import privacy_notice

    config = _config(args)
    policy, _ = load_policy_and_rules(config)
    sys.stdout.write(privacy_notice(config, policy) + "\n")
    return 0


def _existing_database(config: Config, command: str, db: str | None = None) -> Store | None:
    """Return the SQLite store to read (``db`` or the config's), refusing one that does not exist.

    None means the config names PostgreSQL, which build_core opens. Reading commands must not
    create an empty database where the user expected theirs.
    """
    url = f"sqlite:///{Path(db).resolve()}" if db else config.database_url()
    if not url.startswith("sqlite:///"):
        return None
    path = url.removeprefix("sqlite:///")
    if path != ":memory:" and not Path(path).exists():
        hint = (
            "" if db or config.source else " (no config given: --config FILE or POLICYBOT_CONFIG)"
        )
        raise UserError(f"policybot {command}: no database at {Path(path).resolve()}{hint}")
    # An operator command beside the running bot: it decides nothing, so it shares the file.
    return open_store(url, exclusive=False)


async def cmd_export(args: argparse.Namespace) -> int:
    """Export one user's cases for the Student Complaints Procedure."""
    from adapters.playground.cli import default_database
    from adapters.playground.session import COMMUNITY as PLAYGROUND_COMMUNITY
    from bot.moderation import Moderation

    config = _config(args)
    community, db = args.community, args.db
    if args.platform == "playground":
        # The playground keeps its own file and community: no need to know either.
        community = community or PLAYGROUND_COMMUNITY
        db = db or str(default_database())
    if not community:
        raise UserError(
            f"policybot export: --community is required for {args.platform} "
            "(the Discord server id or the Slack team id)"
        )
    core = await build_core(config, store=_existing_database(config, "export", db))
    try:
        export = await core.moderation.export_case(args.platform, community, args.user)
    finally:
        await core.close()
    if not export["cases"]:
        raise NothingFound(
            f"policybot export: no cases about user {args.user!r} in {args.platform}:{community}"
        )
    text = (
        Moderation.export_json(export)
        if args.format == "json"
        else Moderation.export_markdown(export)
    )
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


async def cmd_purge(args: argparse.Namespace) -> int:
    """Apply the retention purge and the purge of communities the bot left."""
    config = _config(args)
    core = await build_core(config, store=_existing_database(config, "purge"))
    try:
        removed, communities = await core.engine.housekeeping()
    finally:
        await core.close()
    sys.stdout.write(f"removed {removed} expired rows; purged {len(communities)} communities\n")
    return 0


def _missing_credentials(config: Config) -> list[str]:
    """Return each variable the enabled adapters need and the environment lacks, and where from."""
    missing = []
    for token in required_tokens(config):
        if not os.environ.get(token.env, "").strip():
            start = f"{token.prefix}…, " if token.prefix else ""
            missing.append(f"{token.env} ({start}from {token.where})")
    return missing


def _runnable(config: Config, args: argparse.Namespace) -> Any:
    """Return the Discord shards to serve (None: all); raise UserError saying what to set."""
    if not config.discord.enabled and not config.slack.enabled:
        raise UserError(
            "policybot run: no adapter is enabled: set discord.enabled or slack.enabled in the "
            "config, and DISCORD_TOKEN, or SLACK_BOT_TOKEN and SLACK_APP_TOKEN, in the environment"
        )
    missing = _missing_credentials(config)
    if missing:
        raise UserError("policybot run: set these environment variables: " + "; ".join(missing))
    from adapters.discord.shards import parse_shards

    try:
        shards = parse_shards(args.shard_ids, args.shard_count)
    except ValueError as exc:
        raise UserError(f"policybot run: {exc}") from None
    if shards is not None and not config.discord.enabled:
        raise UserError("policybot run: --shard-ids and --shard-count need discord.enabled")
    return shards


async def _stay_up(config: Config | None, problems: list[str]) -> int:
    """Say once what to set, then wait for SIGTERM, unhealthy, instead of exiting.

    A container's restart policy (compose's ``unless-stopped``) would start a process that
    exits at once again and again, repeating the same line. Staying up, the line is said
    once, ``/healthz`` (when ``ops.enabled``) answers 503 with it, so ``docker ps`` shows the
    container unhealthy and its health log says what to set. Exit 2 once stopped.
    """
    from bot.shutdown import StopSignals

    for line in problems:
        sys.stderr.write(f"{line}\n")
    sys.stderr.write(
        "policybot run --stay-up: waiting, unhealthy, until stopped: fix the above and start "
        "again\n"
    )
    sys.stderr.flush()
    core = ops = None
    try:
        if config is not None and config.ops.enabled:
            from bot.operations import Operations

            core = await build_core(config)
            ops = Operations(core)
            for line in problems:
                ops.health.report_problem(line)
            await ops.start_server(config.ops.host, config.ops.port)
        async with StopSignals() as stop:
            await stop.wait()
    finally:
        if ops is not None:
            await ops.close()
        if core is not None:
            await core.close()
    return EXIT_USAGE


async def cmd_run(args: argparse.Namespace) -> int:
    """Start the adapters the config enables."""
    config = None
    try:
        config = _config(args)
        shards = _runnable(config, args)
    except (ConfigError, UserError) as exc:
        if not args.stay_up:
            raise
        problems = exc.problems if isinstance(exc, ConfigError) else [str(exc)]
        return await _stay_up(config, problems)
    from bot.logging_setup import setup_logging
    from bot.operations import Operations

    setup_logging(config.ops.json_logs)
    core = await build_core(config)
    ops = Operations(core)
    try:
        if config.ops.enabled:
            await ops.start_server(config.ops.host, config.ops.port)
        jobs = {}
        if config.discord.enabled:
            from adapters.discord.cli import run as run_discord

            jobs["discord"] = run_discord(core, shards=shards)
        if config.slack.enabled:
            from adapters.slack.run import run as run_slack

            jobs["slack"] = run_slack(core)
        # SIGTERM: stop taking events, let decisions under way finish, then close the store.
        await ops.run(jobs)
    finally:
        await ops.close()
        await core.close()
    return 0


def cmd_invite_url(args: argparse.Namespace) -> int:
    """Print the Discord OAuth2 URL with the scopes and permissions the enabled features need."""
    from adapters.discord.cli import invite_url_command

    sys.stdout.write(invite_url_command(_config(args)) + "\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for every sub-command."""
    parser = ExactParser(
        prog="policybot",
        description="A moderation bot for student communities, grounded in the university's social media policy.",
    )
    config_help = "config file (default: $POLICYBOT_CONFIG, else built-in defaults)"
    parser.add_argument("--config", help=config_help)
    # The same option after the command ("policybot check --config FILE ..."); unset there, it
    # leaves the one given before the command alone.
    after = ExactParser(add_help=False)
    after.add_argument("--config", default=argparse.SUPPRESS, help=config_help)
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=ExactParser
    )

    p = sub.add_parser(
        "check", help="explain what fires on a text; --jsonl streams messages", parents=[after]
    )
    p.add_argument("text", nargs="*", help="the message text (else read from stdin)")
    p.add_argument(
        "--jsonl", action="store_true", help="read JSON lines on stdin, write one per message"
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "scan",
        help="scan a Slack export (folder or .zip) or DiscordChatExporter JSON",
        parents=[after],
    )
    p.add_argument("export")
    p.add_argument("--format", choices=("text", "json", "md"), default="text")
    p.set_defaults(func=cmd_scan)

    p = sub.add_parser("policy", help="look up the policy by clause id or words", parents=[after])
    p.add_argument("query", nargs="*")
    p.set_defaults(func=cmd_policy)

    p = sub.add_parser("validate-config", help="check a config file", parents=[after])
    p.add_argument("file")
    p.set_defaults(func=cmd_validate_config)

    p = sub.add_parser("privacy", help="print the privacy notice", parents=[after])
    p.set_defaults(func=cmd_privacy)

    p = sub.add_parser(
        "export", help="export a user's cases for the Student Complaints Procedure", parents=[after]
    )
    p.add_argument("--platform", required=True, choices=("discord", "slack", "playground", "cli"))
    p.add_argument(
        "--community", help="the Discord server id or Slack team id (the playground has its own)"
    )
    p.add_argument("--user", required=True)
    p.add_argument(
        "--db",
        metavar="FILE",
        help="read this SQLite file, not the config's database (with --platform playground, "
        "the playground's file is the default)",
    )
    p.add_argument("--format", choices=("json", "md"), default="md")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("purge", help="apply the retention purge now", parents=[after])
    p.set_defaults(func=cmd_purge)

    p = sub.add_parser("run", help="start the adapters the config enables", parents=[after])
    p.add_argument(
        "--shard-ids",
        metavar="0,1",
        help="serve only these Discord shards (several processes on one PostgreSQL database)",
    )
    p.add_argument("--shard-count", type=int, metavar="N", help="the bot's shards in all")
    p.add_argument(
        "--stay-up",
        action="store_true",
        help="with nothing to run (no adapter enabled, a token or the config missing): say what "
        "to set once and wait, /healthz unhealthy, rather than exit (the container image's "
        "default, so that a restart policy does not repeat it)",
    )
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("invite-url", help="print the Discord invite URL", parents=[after])
    p.set_defaults(func=cmd_invite_url)

    from adapters.playground.cli import add_command as add_playground_command
    from bot.ops_cli import add_commands as add_ops_commands

    add_playground_command(sub)
    add_ops_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        result = args.func(args)
        if asyncio.iscoroutine(result):
            result = asyncio.run(result)
        return int(result)
    except (ConfigError, PolicyError, RuleError) as exc:
        for line in exc.problems:
            sys.stderr.write(f"{line}\n")
        return EXIT_USAGE
    except (UserError, StoreError) as exc:
        # A database that cannot be opened (unreachable, corrupt, an unsupported URL, in use
        # by another process) is the operator's to fix: one line, like any other mistake.
        sys.stderr.write(f"{exc}\n")
        return EXIT_USAGE
    except NothingFound as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    # Run as ``python -m bot.cli`` this file is ``__main__``, a second copy beside the
    # ``bot.cli`` the other modules import: their UserError would not be this copy's, and a
    # one-line mistake would print as a traceback. Run the imported module's main instead.
    from bot.cli import main as imported_main

    raise SystemExit(imported_main())
