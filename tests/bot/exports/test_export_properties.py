"""The export readers over any input: a one-line error or a scan, never a crash.

Hypothesis draws Slack exports (a folder and its zip) and DiscordChatExporter files whose
entries have the right shape with wrong or hostile values, any JSON, or bytes that are not
JSON; every export either fails to open with one line naming it, or scans through the real
engine to a report that prints in every format, each skipped item a one-line warning. Printed,
no value from the export carries a control or bidi character through, or breaks a row; and a
channel named to reach outside the export ("../outside") reads nothing there.
"""

from __future__ import annotations

import asyncio
import json
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import build_core
from bot.cli import render_scan, scan_export
from bot.config import parse_config
from bot.exports import ExportError, read_export
from bot.store.sqlite import SqliteStore
from tests.conftest import Rules
from tests.strategies import ANY_JSON, ANY_TEXT, IDS, TEXT, json_bytes

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
#: Names as a hostile export's author would choose them: what a terminal acts on (a title, a
#: colour, a cursor move, a bidi override) or what forges a row (a line break, a pipe).
NAMES = st.one_of(
    TEXT,
    st.builds(
        lambda before, trick, after: f"{before}{trick}{after}",
        TEXT,
        st.sampled_from(
            [
                "\x1b]0;pwned\x07",
                "\x1b[31m",
                "\x9b2J",
                "\x7f",
                "\n| fake | row |",
                "\r\n",
                "\u2028",
                "|",
                "\\|",
                "\u202e",
                "\u2067",
            ]
        ),
        TEXT,
    ),
)
VALID_TS = st.builds(lambda s, us: f"{s}.{us:06d}", st.integers(0, 2**34), st.integers(0, 999_999))
TS = st.one_of(VALID_TS, VALID_TS, ANY_JSON)
SHARED = st.fixed_dictionaries(
    {"text": st.one_of(TEXT, ANY_JSON)},
    optional={"is_share": st.booleans(), "is_msg_unfurl": ANY_JSON},
)
SLACK_ENTRY = st.fixed_dictionaries(
    {"type": st.just("message"), "ts": TS, "user": IDS, "text": st.one_of(TEXT, ANY_JSON)},
    optional={
        "subtype": st.one_of(
            st.sampled_from(["bot_message", "message_changed", "channel_join", "file_share"]),
            ANY_JSON,
        ),
        "thread_ts": TS,
        "parent_user_id": IDS,
        "edited": st.one_of(st.fixed_dictionaries({"ts": TS}), ANY_JSON),
        "files": st.one_of(st.lists(st.dictionaries(ANY_TEXT, ANY_JSON, max_size=3)), ANY_JSON),
        "attachments": st.one_of(st.lists(SHARED, max_size=2), ANY_JSON),
        "message": st.one_of(
            st.fixed_dictionaries({"ts": TS, "user": IDS, "text": TEXT}), ANY_JSON
        ),
        "bot_id": IDS,
        "user_profile": ANY_JSON,
    },
)


def _file(shape: st.SearchStrategy[Any]) -> st.SearchStrategy[bytes]:
    """Return a file of an export: mostly JSON of the right shape (lone surrogates escaped
    or raw), sometimes any JSON, bytes that are not JSON, or nesting past the parser."""
    escaped = shape.map(lambda v: json_bytes(v, True))
    return st.one_of(
        escaped,
        escaped,
        escaped,
        escaped,
        shape.map(lambda v: json_bytes(v, False)),
        st.tuples(ANY_JSON, st.booleans()).map(lambda v: json_bytes(*v)),
        st.binary(max_size=40),
        st.integers(1, 3000).map(lambda depth: b"[" * depth),
    )


GENERAL = {"id": "C1", "name": "general"}
#: Channel names that lead out of the export, to the folder ``write_slack`` puts beside it.
ESCAPES = st.sampled_from(
    ["../outside", "..", ".", "general/../../outside", "..\\outside", "general\0", "C:outside"]
)
CHANNELS = st.one_of(
    st.lists(
        st.one_of(
            st.just(GENERAL),
            st.fixed_dictionaries(
                {"id": IDS}, optional={"name": st.one_of(NAMES, ANY_JSON, ESCAPES)}
            ),
        ),
        max_size=3,
    ).map(lambda found: json.dumps([GENERAL, *found]).encode()),
    _file(st.lists(st.fixed_dictionaries({"id": IDS}), max_size=2)),
)
USERS = _file(
    st.lists(
        st.fixed_dictionaries(
            {"id": IDS},
            optional={
                "team_id": IDS,
                "profile": st.one_of(st.fixed_dictionaries({"display_name": NAMES}), ANY_JSON),
                "is_bot": ANY_JSON,
                "name": TEXT,
            },
        ),
        max_size=3,
    )
)
DAY_ENTRIES = st.lists(SLACK_ENTRY, min_size=1, max_size=5)
DAYS = st.dictionaries(
    st.sampled_from(["2025-01-01", "2025-01-02"]),
    _file(DAY_ENTRIES),
    min_size=1,
)
DISCORD_ENTRY = st.fixed_dictionaries(
    {
        "id": IDS,
        "type": st.one_of(st.sampled_from(["Default", "Reply", "ThreadCreated"]), ANY_JSON),
        "timestamp": st.one_of(st.just("2025-01-01T10:00:00+00:00"), ANY_JSON),
        "content": st.one_of(TEXT, ANY_JSON),
        "author": st.one_of(
            st.fixed_dictionaries(
                {"id": IDS}, optional={"name": ANY_JSON, "nickname": NAMES, "roles": ANY_JSON}
            ),
            ANY_JSON,
        ),
    },
    optional={
        "timestampEdited": ANY_JSON,
        "mentions": ANY_JSON,
        "reference": ANY_JSON,
        "attachments": ANY_JSON,
    },
)
DISCORD = _file(
    st.fixed_dictionaries(
        {
            "guild": st.one_of(
                st.fixed_dictionaries({"id": IDS, "name": NAMES}),
                st.fixed_dictionaries({"id": IDS, "name": NAMES}),
                ANY_JSON,
            ),
            "channel": st.one_of(
                st.fixed_dictionaries(
                    {"id": st.sampled_from(["1", "2"])},
                    optional={"type": ANY_JSON, "categoryId": IDS, "name": NAMES},
                ),
                st.fixed_dictionaries({"id": IDS}),
                ANY_JSON,
            ),
            "messages": st.one_of(
                st.lists(DISCORD_ENTRY, min_size=1, max_size=5),
                st.lists(DISCORD_ENTRY, min_size=1, max_size=5),
                ANY_JSON,
            ),
        }
    )
)


#: What no printed report may carry from an export: C0 controls but its own line breaks, DEL,
#: C1, the line and paragraph separators, and the bidi overrides and isolates.
UNSHOWABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
#: What the one message beside a Slack export says: a scan that reads it went outside.
OUTSIDE_TEXT = "from outside the export"


def check_printed(report: dict[str, Any]) -> None:
    """Check that text and markdown show each value on its row, and nothing a terminal acts on."""
    text = render_scan(report, "text").splitlines()
    md = render_scan(report, "md").splitlines()
    for lines in (text, md):
        assert not [line for line in lines if UNSHOWABLE.search(line)]
    if report["flagged"]:
        start = text.index("Flagged messages:") + 1
        assert all(line.startswith("  ") for line in text[start : start + len(report["flagged"])])
        end = start + len(report["flagged"])
        assert end == len(text) or text[end] == ""
    for line in md:
        if line.startswith("| "):
            assert len(UNESCAPED_PIPE.findall(line)) in (3, 8), line


def scan(rules: Rules, path: Path) -> int:
    """Scan ``path`` as ``policybot scan`` does, checking what comes out on the way."""
    try:
        reader = read_export(path)
    except ExportError as exc:
        assert str(path) in str(exc) and "\n" not in str(exc)
        return 0

    async def run() -> dict[str, Any]:
        core = await build_core(
            parse_config({}), store=SqliteStore(":memory:"), loaded=rules.loaded
        )
        try:
            with reader:
                reader.count_hint()
                return await scan_export(core, reader, str(path))
        finally:
            await core.close()

    try:
        report = asyncio.run(run())
    except ExportError as exc:  # a member of a zip that cannot be read at all
        assert "\n" not in str(exc)
        return 0
    assert all(isinstance(w, str) and "\n" not in w for w in report["warnings"])
    for fmt in ("text", "md", "json"):
        render_scan(report, fmt).encode("utf-8")
    json.dumps(report, ensure_ascii=False).encode("utf-8")
    check_printed(report)
    return int(report["messages"])


def write_slack(root: Path, channels: bytes, users: bytes, days: dict[str, bytes]) -> None:
    outside = root.parent / "outside"
    outside.mkdir()
    beside = [{"type": "message", "user": "u1", "text": OUTSIDE_TEXT, "ts": "1735725600.0"}]
    (outside / "2025-01-01.json").write_text(json.dumps(beside))
    root.mkdir()
    (root / "channels.json").write_bytes(channels)
    (root / "users.json").write_bytes(users)
    # The day files go in the folder the one sure channel names; channels.json may name others.
    for folder in ("general", "C1"):
        (root / folder).mkdir()
        for day, data in days.items():
            (root / folder / f"{day}.json").write_bytes(data)


@SETTINGS
@given(channels=CHANNELS, users=USERS, days=DAYS)
def test_a_slack_export_scans_or_fails_in_one_line(
    rules: Rules, channels: bytes, users: bytes, days: dict[str, bytes]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "export"
        write_slack(root, channels, users, days)
        scan(rules, root)
        try:
            with read_export(root) as reader:
                assert OUTSIDE_TEXT not in [m.text for m in reader.messages()]
        except ExportError:
            pass
        archive = Path(tmp) / "export.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            for file in sorted(root.rglob("*.json")):
                zf.write(file, file.relative_to(root).as_posix())
        scan(rules, archive)


@SETTINGS
@given(data=st.binary(max_size=200))
def test_any_bytes_named_zip_fail_in_one_line(rules: Rules, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.zip"
        path.write_bytes(data)
        scan(rules, path)


@SETTINGS
@given(document=DISCORD)
def test_a_discord_export_scans_or_fails_in_one_line(rules: Rules, document: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.json"
        path.write_bytes(document)
        scan(rules, path)


@SETTINGS
@given(
    days=st.dictionaries(st.sampled_from(["2025-01-01", "2025-01-02"]), DAY_ENTRIES, min_size=1),
    name=st.one_of(st.just("Jess \ud800"), NAMES),
)
def test_any_slack_messages_in_a_sound_export_scan(
    rules: Rules, days: dict[str, list[dict[str, Any]]], name: str
) -> None:
    users = [{"id": "u1", "team_id": "T1", "profile": {"display_name": name}}]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "export"
        write_slack(
            root,
            json.dumps([GENERAL]).encode(),
            json.dumps(users).encode(),
            {day: json_bytes(entries, True) for day, entries in days.items()},
        )
        scan(rules, root)


@SETTINGS
@given(messages=st.lists(DISCORD_ENTRY, min_size=1, max_size=6), names=st.tuples(NAMES, NAMES))
def test_any_discord_messages_in_a_sound_export_scan(
    rules: Rules, messages: list[dict[str, Any]], names: tuple[str, str]
) -> None:
    guild, channel = names
    document = {
        "guild": {"id": "G1", "name": guild},
        "channel": {"id": "1", "name": channel},
        "messages": messages,
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.json"
        path.write_bytes(json_bytes(document, True))
        scan(rules, path)
