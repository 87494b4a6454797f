"""The Slack export reader on the bundled sample, its zip form and broken exports."""

from __future__ import annotations

import json
import re
import tracemalloc
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.exports.reader import ExportError
from bot.exports.slack_export import SlackExportReader
from bot.message import Message

GENERAL, EVENTS, STUDY = "C05HGENERAL", "C05HEVENTS0", "C05HSTUDY00"
AMARA, JESS, KIAN, PRIYA, TOM = (
    "U05HAMARA01",
    "U05HJESS003",
    "U05HKIAN004",
    "U05HPRIYA05",
    "U05HTOM0006",
)


def read_all(path: Path) -> tuple[list[Message], list[str]]:
    with SlackExportReader(path) as reader:
        return list(reader.messages()), reader.warnings


@pytest.fixture
def sample(slack_sample: Path) -> list[Message]:
    messages, warnings = read_all(slack_sample)
    assert warnings == []
    return messages


def by_text(messages: list[Message], start: str) -> Message:
    (found,) = [m for m in messages if m.text.startswith(start)]
    return found


def test_sample_counts_per_channel_and_skips_joins(sample: list[Message]) -> None:
    channels = [m.channel for m in sample]
    assert (channels.count(GENERAL), channels.count(EVENTS), channels.count(STUDY)) == (29, 17, 14)
    assert not [m for m in sample if "has joined the channel" in m.text]


def test_sample_identity_fields(slack_sample: Path, sample: list[Message]) -> None:
    with SlackExportReader(slack_sample) as reader:
        assert (reader.platform, reader.community, reader.count_hint()) == (
            "slack",
            "T05HDMUHIKE",
            60,
        )
        assert reader.names[JESS] == "Jess"
    first = sample[0]
    assert first.id == f"{GENERAL}:1736758931.007919"
    assert (first.author, first.author_name, first.platform) == (AMARA, "Amara", "slack")
    assert first.created_at == datetime(2025, 1, 13, 9, 2, 11, 7919, tzinfo=UTC)
    assert len({m.id for m in sample}) == len(sample)


def test_sample_is_chronological_across_channels(sample: list[Message]) -> None:
    times = [m.created_at for m in sample]
    assert times == sorted(times)
    assert len({m.channel for m in sample[:8]}) == 2  # general and events interleave on day one


def test_mentions_are_ids_and_render_as_display_names(sample: list[Message]) -> None:
    again = by_text(sample, "@Priya come on")
    assert (again.author, again.mentions) == (TOM, (PRIYA,))
    desist = by_text(sample, "@Tom please stop messaging me")
    assert desist.mentions == (TOM,)
    assert by_text(sample, "Morning all!").text.endswith("details in #events")
    assert by_text(sample, "@here Peak District walk").mentions == ()


def test_thread_replies_point_at_their_root(sample: list[Message]) -> None:
    root = by_text(sample, "honestly I can't cope anymore")
    replies = [m for m in sample if m.thread == root.id]
    assert [m.author_name for m in replies] == ["Amara", "Leah", "Jess"]
    assert {(m.reply_to, m.reply_to_author) for m in replies} == {(root.id, JESS)}
    assert (root.thread, root.reply_to) == (None, None)
    assert sum(1 for m in sample if m.thread) == 10


def test_edited_message_carries_edit_time_in_its_key(sample: list[Message]) -> None:
    edited = [m for m in sample if m.edited_at]
    assert [m.text[:25] for m in edited] == ["@here Peak District walk "]
    assert edited[0].edited_at == datetime(2025, 1, 13, 10, 5, 42, tzinfo=UTC)
    assert edited[0].idempotency_key == f"{edited[0].id}:1736762742.000000"
    plain = by_text(sample, "I'm in, starving")
    assert plain.idempotency_key == f"{plain.id}:"


def test_attachments_keep_name_and_type_but_no_query(sample: list[Message]) -> None:
    files = {a.filename: a for m in sample for a in m.attachments}
    assert set(files) == {
        "CS101_exam_paper_2025_answers.pdf",
        "lecture_week5_recording.mp4",
        "kit_list_peak_district.pdf",
    }
    assert files["lecture_week5_recording.mp4"].content_type == "video/mp4"
    exam = files["CS101_exam_paper_2025_answers.pdf"]
    assert exam.content_type == "application/pdf"
    assert exam.url is not None and exam.url.endswith("/CS101_exam_paper_2025_answers.pdf")


def test_bot_messages_are_marked(sample: list[Message]) -> None:
    bots = [m for m in sample if m.is_bot]
    assert [(m.author, m.author_name) for m in bots] == [("B05HTRAIL09", "Trail Reminders")] * 2


def test_links_come_from_markup_and_mailto_is_not_a_link(sample: list[Message]) -> None:
    essay = by_text(sample, "this essay site")
    assert essay.links == ("https://topgrade-essays.example.com/order",)
    assert essay.text.endswith("Turnitin topgrade-essays.example.com/order")
    doxx = by_text(sample, "If anyone needs a lift")
    assert doxx.links == ()
    assert "07700 900123 or email jess.patel@example.com," in doxx.text


@pytest.mark.parametrize("nested", [False, True], ids=["files-at-top", "folder-zipped"])
def test_zip_reads_like_the_folder(
    slack_sample: Path, sample: list[Message], tmp_path: Path, nested: bool
) -> None:
    archive = tmp_path / "DMU Hiking Society Slack export Jan 13 2025 - Jan 20 2025.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in sorted(slack_sample.rglob("*.json")):
            name = file.relative_to(slack_sample).as_posix()
            zf.write(file, f"slack-export/{name}" if nested else name)
    with SlackExportReader(archive) as reader:
        zipped = list(reader.messages())
        assert reader.community_name == "DMU Hiking Society"
        assert reader.count_hint() == 60
    assert zipped == sample


def test_day_files_are_read_only_when_their_turn_comes(
    make_slack_export: Callable[..., Path],
) -> None:
    root = make_slack_export(
        {
            "2025-01-01": [{"type": "message", "user": "U1", "text": "one", "ts": "1735725600.1"}],
            "2025-01-02": [{"type": "message", "user": "U1", "text": "two", "ts": "1735812000.1"}],
        }
    )
    with SlackExportReader(root) as reader:
        stream = reader.messages()
        assert next(stream).text == "one"
        (root / "general" / "2025-01-02.json").unlink()
        assert list(stream) == []


MESSAGE = {"type": "message", "user": "U1", "text": "fine", "ts": "1735725600.000100"}


@pytest.mark.parametrize(
    ("day", "warning"),
    [
        ("[{]", r"general/2025-01-01\.json: not valid JSON \(line 1, column 3: .+\); file skipped"),
        ({"messages": []}, r"general/2025-01-01\.json: expected a list of messages; file skipped"),
        (
            [MESSAGE, {"type": "message", "user": "U2", "text": "x"}],
            r"\.json\[1\]: no 'ts'; skipped",
        ),
        (
            [MESSAGE, {"type": "message", "user": "U2", "ts": "yesterday"}],
            r"\.json\[1\]: 'ts' is not a Slack timestamp: 'yesterday'; skipped",
        ),
        ([MESSAGE, "hello"], r"\.json\[1\]: not a message object; skipped"),
        (
            [MESSAGE, {"type": "message", "ts": "1735725601.0"}],
            r"\[1\]: no 'user' or 'bot_id'; skipped",
        ),
        (
            [MESSAGE, {"type": "message", "subtype": "message_changed", "ts": "1735725601.0"}],
            r"\[1\]: message_changed without 'message'; skipped",
        ),
        (
            [MESSAGE, {**MESSAGE, "ts": "1735725602.0", "edited": {"user": "U1", "ts": "later"}}],
            r"\[1\]: 'edited\.ts' is not a Slack timestamp; ignored",
        ),
        (
            [MESSAGE, {**MESSAGE, "ts": "1735725602.0", "text": 5}],
            r"\.json\[1\]: 'text' is a number, not a string; skipped$",
        ),
        (
            [MESSAGE, {**MESSAGE, "ts": "1735725602.0", "text": ["I am going to kill you"]}],
            r"\.json\[1\]: 'text' is a list, not a string; skipped$",
        ),
        (
            [MESSAGE, {**MESSAGE, "ts": "1735725602.0", "text": {"t": "x"}}],
            r"\.json\[1\]: 'text' is an object, not a string; skipped$",
        ),
        (
            [MESSAGE, {**MESSAGE, "ts": "1735725602.0", "text": None}],
            r"\.json\[1\]: no 'text'; skipped$",
        ),
        (
            [MESSAGE, {"type": "message", "user": "U1", "ts": "1735725602.0"}],
            r"\.json\[1\]: no 'text'; skipped$",
        ),
        (
            [
                MESSAGE,
                {
                    "type": "message",
                    "subtype": "message_changed",
                    "ts": "1735725700.0",
                    "message": {**MESSAGE, "ts": "1735725602.0", "text": 7},
                },
            ],
            r"\.json\[1\]: 'text' is a number, not a string; skipped$",
        ),
    ],
    ids=[
        "bad-json",
        "not-a-list",
        "no-ts",
        "bad-ts",
        "not-object",
        "no-user",
        "changed-empty",
        "bad-edit-ts",
        "text-number",
        "text-list",
        "text-object",
        "text-null",
        "text-missing",
        "changed-text-number",
    ],
)
def test_a_broken_day_or_message_is_a_warning_and_the_rest_is_read(
    make_slack_export: Callable[..., Path], day: object, warning: str
) -> None:
    other = [{"type": "message", "user": "U2", "text": "next day", "ts": "1735812000.000100"}]
    root = make_slack_export({"2025-01-01": day, "2025-01-02": other})
    messages, warnings = read_all(root)
    assert len(warnings) == 1
    assert "\n" not in warnings[0]
    assert str(root) in warnings[0]
    assert re.search(warning, warnings[0])
    assert "next day" in [m.text for m in messages]
    fine = "fine" in [m.text for m in messages]
    assert fine == isinstance(day, list)


def test_message_changed_is_read_as_the_edited_message(
    make_slack_export: Callable[..., Path],
) -> None:
    changed = {
        "type": "message",
        "subtype": "message_changed",
        "ts": "1735725700.000200",
        "message": {
            "type": "message",
            "user": "U1",
            "text": "fixed <@U2>",
            "ts": "1735725600.000100",
            "edited": {"user": "U1", "ts": "1735725700.000000"},
        },
    }
    messages, warnings = read_all(make_slack_export({"2025-01-01": [changed]}))
    assert warnings == []
    (message,) = messages
    assert (message.id, message.text, message.mentions) == (
        "C1:1735725600.000100",
        "fixed @Bo",
        ("U2",),
    )
    assert message.idempotency_key == "C1:1735725600.000100:1735725700.000000"


def test_reply_without_parent_user_id_finds_the_root_author(
    make_slack_export: Callable[..., Path],
) -> None:
    root = {**MESSAGE, "user": "U2", "thread_ts": MESSAGE["ts"], "reply_count": 1}
    reply = {"type": "message", "user": "U1", "text": "re", "ts": "1735725700.0"}
    reply["thread_ts"] = MESSAGE["ts"]
    messages, _ = read_all(make_slack_export({"2025-01-01": [reply, root]}))
    assert [m.text for m in messages] == ["fine", "re"]
    assert (messages[1].thread, messages[1].reply_to_author) == ("C1:1735725600.000100", "U2")


@pytest.mark.parametrize(
    ("channels", "error"),
    [
        ("[{", r"channels\.json: not valid JSON \(line 1, column 3: .+\)$"),
        ({"C1": "general"}, r"channels\.json: expected a JSON list$"),
    ],
    ids=["bad-json", "not-a-list"],
)
def test_broken_channels_json_is_a_one_line_error(
    make_slack_export: Callable[..., Path], channels: object, error: str
) -> None:
    root = make_slack_export({}, channels=channels)
    with pytest.raises(ExportError, match=error) as raised:
        SlackExportReader(root)
    assert str(raised.value).startswith(str(root))


def test_channel_without_id_is_skipped_with_a_warning(
    make_slack_export: Callable[..., Path],
) -> None:
    channels = [{"name": "lost"}, {"id": "C1", "name": "general"}]
    root = make_slack_export({"2025-01-01": [MESSAGE]}, channels=channels)
    messages, warnings = read_all(root)
    assert [m.text for m in messages] == ["fine"]
    assert warnings == [f"{root / 'channels.json'}[0]: no channel 'id'; channel skipped"]


@pytest.mark.parametrize(
    "extra",
    [
        {"files": [{"id": "F1", "name": "notes.pdf", "mimetype": "application/pdf"}]},
        {"attachments": [{"is_share": True, "author_id": "U2", "text": "shared words"}]},
    ],
    ids=["files", "share"],
)
def test_null_text_beside_files_or_a_share_is_read_as_empty(
    make_slack_export: Callable[..., Path], extra: dict[str, object]
) -> None:
    entry = {**MESSAGE, "text": None, **extra}
    messages, warnings = read_all(make_slack_export({"2025-01-01": [entry]}))
    assert warnings == []
    (message,) = messages
    assert message.text in ("", "shared words")
    assert message.attachments or message.text


#: An export's neighbour that a channel's name must never reach.
OUTSIDE = [{"type": "message", "user": "U1", "text": "outside", "ts": "1735725609.0"}]


@pytest.mark.parametrize(
    ("filename", "entry", "warning"),
    [
        ("channels.json", {"id": "C9"}, r"no channel 'name'"),
        ("channels.json", {"id": "C9", "name": ""}, r"no channel 'name'"),
        ("channels.json", {"id": "C9", "name": 5}, r"channel 'name' is a number, not a string"),
        ("groups.json", {"id": "G9", "name": ["x"]}, r"channel 'name' is a list, not a string"),
        ("channels.json", {"id": "C9", "name": "../outside"}, r"name '\.\./outside' is not a"),
        ("channels.json", {"id": "C9", "name": "{outside}"}, r"name '/.+/outside' is not a plain"),
        ("channels.json", {"id": "C9", "name": ".."}, r"channel name '\.\.' is not a plain"),
        ("channels.json", {"id": "C9", "name": "."}, r"channel name '\.' is not a plain"),
        ("channels.json", {"id": "C9", "name": "..\\outside"}, r"'\.\.\\\\outside' is not"),
        ("channels.json", {"id": "C9", "name": "gen\0eral"}, r"'gen\\x00eral' is not a plain"),
        ("mpims.json", {"id": "G9", "name": "C:outside"}, r"name 'C:outside' is not a plain"),
        ("dms.json", {"id": "../outside"}, r"channel id '\.\./outside' is not a plain"),
    ],
    ids=[
        "no-name",
        "empty-name",
        "name-number",
        "name-list",
        "dot-dot-slash",
        "absolute",
        "dot-dot",
        "dot",
        "backslash",
        "nul",
        "drive",
        "dm-id",
    ],
)
def test_a_channel_without_a_plain_folder_name_is_skipped_with_a_warning(
    make_slack_export: Callable[..., Path],
    tmp_path: Path,
    filename: str,
    entry: dict[str, object],
    warning: str,
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "2025-01-01.json").write_text(json.dumps(OUTSIDE))
    if entry.get("name") == "{outside}":
        entry = {**entry, "name": str(outside)}
    root = make_slack_export({"2025-01-01": [MESSAGE]})
    others = [{"id": "C1", "name": "general"}] if filename == "channels.json" else []
    (root / filename).write_text(json.dumps([entry, *others]))
    messages, warnings = read_all(root)
    assert [m.text for m in messages] == ["fine"]
    (found,) = warnings
    assert found.startswith(f"{root / filename}[0]: ") and found.endswith("; channel skipped")
    assert re.search(warning, found) and "\n" not in found


def test_a_dm_without_a_name_is_read_from_the_folder_named_by_its_id(
    make_slack_export: Callable[..., Path],
) -> None:
    root = make_slack_export({"2025-01-01": [MESSAGE]})
    (root / "dms.json").write_text(json.dumps([{"id": "D1", "members": ["U1", "U2"]}]))
    (root / "D1").mkdir()
    (root / "D1" / "2025-01-01.json").write_text(json.dumps([{**MESSAGE, "text": "in a dm"}]))
    messages, warnings = read_all(root)
    assert warnings == []
    assert sorted((m.channel, m.text) for m in messages) == [("C1", "fine"), ("D1", "in a dm")]


@pytest.mark.parametrize(
    ("arrange", "warning"),
    [
        (
            lambda root, outside: (root / "general" / "2025-01-02.json").mkdir(),
            r"general/2025-01-02\.json: not a file; file skipped$",
        ),
        (
            lambda root, outside: (root / "general" / "2025-01-02.json").symlink_to(
                outside / "2025-01-01.json"
            ),
            r"general/2025-01-02\.json: leads outside the export folder; file skipped$",
        ),
        (
            lambda root, outside: (
                (root / "general").rename(root / "old"),
                (root / "general").symlink_to(outside),
            ),
            r"/general: leads outside the export folder; channel skipped$",
        ),
    ],
    ids=["day-is-a-folder", "day-links-outside", "channel-links-outside"],
)
def test_a_day_that_is_not_a_file_in_the_export_is_skipped_with_a_warning(
    make_slack_export: Callable[..., Path],
    tmp_path: Path,
    arrange: Callable[[Path, Path], object],
    warning: str,
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "2025-01-01.json").write_text(json.dumps(OUTSIDE))
    root = make_slack_export({"2025-01-01": [MESSAGE]})
    arrange(root, outside)
    with SlackExportReader(root) as reader:
        assert reader.count_hint() in (0, 1)
        messages = list(reader.messages())
        (found,) = reader.warnings
    assert "outside" not in [m.text for m in messages]
    assert found.startswith(str(root)) and re.search(warning, found)


def test_unreadable_zip_is_a_one_line_error(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    archive.write_bytes(b"this is not a zip")
    with pytest.raises(ExportError, match=r"export\.zip: not a readable zip archive \(.+\)$"):
        SlackExportReader(archive)


def test_day_file_in_zip_is_named_with_its_entry(
    make_slack_export: Callable[..., Path], tmp_path: Path
) -> None:
    root = make_slack_export({"2025-01-01": [MESSAGE, {"type": "message", "user": "U1"}]})
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in root.rglob("*.json"):
            zf.writestr(file.relative_to(root).as_posix(), file.read_text())
    _, warnings = read_all(archive)
    assert warnings == [f"{archive}:general/2025-01-01.json[1]: no 'ts'; skipped"]


def test_a_zip_bomb_day_file_is_skipped_without_inflating_it(
    make_slack_export: Callable[..., Path], tmp_path: Path
) -> None:
    root = make_slack_export({"2025-01-01": [MESSAGE]})
    archive = tmp_path / "bomb.zip"
    inflated = 200 * 2**20  # 200 MiB of JSON whitespace deflates to about 200 KB
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for file in root.rglob("*.json"):
            zf.writestr(file.relative_to(root).as_posix(), file.read_text())
        zf.writestr("general/2025-01-02.json", b"[" + b" " * inflated + b"]")
    assert archive.stat().st_size < 2 * 2**20
    tracemalloc.start()
    try:
        messages, warnings = read_all(archive)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [m.text for m in messages] == ["fine"]
    assert warnings == [
        f"{archive}:general/2025-01-02.json: inflates to more than 32 MiB; file skipped"
    ]
    assert peak < 40 * 2**20


def test_lone_surrogates_in_an_export_become_replacement_characters(
    make_slack_export: Callable[..., Path],
) -> None:
    day = '[{"type": "message", "user": "U1", "text": "bad \\ud800 x", "ts": "1735725600.1"}]'
    users = '[{"id": "U1", "team_id": "T1", "profile": {"display_name": "An\\udc80a"}}]'
    root = make_slack_export({"2025-01-01": day}, users=users)
    with SlackExportReader(root) as reader:
        (message,) = reader.messages()
        assert reader.names["U1"] == "An\ufffda"
    assert message.text == "bad \ufffd x" and message.author_name == "An\ufffda"


def test_a_shared_message_is_read_as_the_sharers(make_slack_export: Callable[..., Path]) -> None:
    shared = {"is_share": True, "author_id": "U2", "text": "ring Jess on 07700 900123"}
    entry = {**MESSAGE, "text": "", "attachments": [shared, {"text": "a web page's words"}]}
    messages, _ = read_all(make_slack_export({"2025-01-01": [entry]}))
    assert [(m.author, m.text) for m in messages] == [("U1", "ring Jess on 07700 900123")]
