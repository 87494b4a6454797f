"""The DiscordChatExporter reader on the bundled sample and on broken files."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.exports.discord_chat_exporter import DiscordChatExporterReader
from bot.exports.reader import ExportError
from bot.message import Message

SYSTEM = {"GuildMemberJoin", "ChannelPinnedMessage"}


@pytest.fixture
def document(discord_sample: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(discord_sample.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def sample(discord_sample: Path) -> list[Message]:
    reader = DiscordChatExporterReader.open(discord_sample)
    messages = list(reader.messages())
    assert reader.warnings == []
    return messages


def by_text(messages: list[Message], start: str) -> Message:
    (found,) = [m for m in messages if m.text.startswith(start)]
    return found


def test_sample_counts_ids_and_skips_system_notices(
    discord_sample: Path, document: dict[str, Any], sample: list[Message]
) -> None:
    reader = DiscordChatExporterReader.open(discord_sample)
    expected = [e["id"] for e in document["messages"] if e["type"] not in SYSTEM]
    assert [m.id for m in sample] == expected
    assert reader.count_hint() == len(sample) == 39
    assert (reader.platform, reader.community, reader.community_name) == (
        "discord",
        document["guild"]["id"],
        "DMU Gaming Society",
    )
    channel = document["channel"]["id"]
    assert {(m.channel, m.platform, m.community) for m in sample} == {
        (channel, "discord", document["guild"]["id"])
    }
    first = sample[0]
    assert first.permalink == (
        f"https://discord.com/channels/{document['guild']['id']}/{channel}/{first.id}"
    )
    assert first.created_at == datetime(2025, 2, 3, 10, 1, 3, tzinfo=UTC)


def test_sample_is_chronological_even_when_the_file_is_not(
    document: dict[str, Any], sample: list[Message]
) -> None:
    document["messages"].reverse()
    reversed_read = list(DiscordChatExporterReader("x.json", document).messages())
    assert reversed_read == sample
    assert [m.created_at for m in sample] == sorted(m.created_at for m in sample)


def test_authors_names_roles_and_bots(discord_sample: Path, sample: list[Message]) -> None:
    alex = by_text(sample, "Welcome @Ollie!")
    assert (alex.author_name, alex.author_roles) == ("Alex", ("Committee", "Member"))
    bots = [m for m in sample if m.is_bot]
    assert {m.author_name for m in bots} == {"Scorekeeper"} and len(bots) == 3
    names = DiscordChatExporterReader.open(discord_sample).names
    assert names[alex.author] == "Alex"
    assert names[alex.mentions[0]] == "Ollie"


def test_mentions_and_replies(sample: list[Message]) -> None:
    rhys = by_text(sample, "@Zara why are you ignoring me")
    zara = by_text(sample, "@Rhys stop messaging me")
    assert rhys.mentions == (zara.author,)
    assert zara.mentions == (rhys.author,)
    dreams = by_text(sample, "in your dreams")
    boast = by_text(sample, "I'm gonna destroy you all")
    assert (dreams.reply_to, dreams.reply_to_author) == (boast.id, boast.author)
    assert sum(1 for m in sample if m.reply_to) == 5


def test_edit_sets_edit_time_and_key(document: dict[str, Any], sample: list[Message]) -> None:
    (edited,) = [m for m in sample if m.edited_at]
    assert edited.text.startswith("yep booked it")
    assert edited.edited_at == datetime(2025, 2, 5, 20, 35, 2, tzinfo=UTC)
    assert edited.idempotency_key == f"{edited.id}:2025-02-05T20:35:02.000+00:00"
    assert sample[0].idempotency_key == f"{sample[0].id}:"


def test_attachments_get_guessed_types_and_lose_signed_query(sample: list[Message]) -> None:
    files = {a.filename: a for m in sample for a in m.attachments}
    assert {name: a.content_type for name, a in files.items()} == {
        "tournament_bracket.png": "image/png",
        "GD2010_coursework_final_SamK.docx": (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        ),
        "group_photo.jpg": "image/jpeg",
    }
    assert all(a.url and "?" not in a.url and a.url.endswith(n) for n, a in files.items())


def test_thread_start_maps_to_the_new_thread(
    document: dict[str, Any], sample: list[Message]
) -> None:
    (entry,) = [e for e in document["messages"] if e["type"] == "ThreadCreated"]
    (started,) = [m for m in sample if m.thread]
    assert (started.id, started.thread) == (entry["id"], entry["reference"]["channelId"])


def test_links_come_from_content(sample: list[Message]) -> None:
    assert [m.links for m in sample if m.links] == [
        ("https://store.example.com/games/starfall-trailer",)
    ]


def message(mid: str, when: str = "2025-02-03T10:00:00+00:00", **extra: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": mid,
        "type": "Default",
        "timestamp": when,
        "timestampEdited": None,
        "content": "hi",
        "author": {"id": "1", "name": "ana", "nickname": "Ana", "isBot": False, "roles": []},
        "attachments": [],
        "mentions": [],
    }
    entry.update(extra)
    return entry


def export(*messages: Any, channel: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "guild": {"id": "100", "name": "Test Guild", "iconUrl": None},
        "channel": channel or {"id": "200", "type": "GuildTextChat", "name": "general"},
        "messages": list(messages),
        "messageCount": len(messages),
    }


def test_thread_export_files_messages_under_the_parent_channel() -> None:
    channel = {"id": "300", "type": "GuildPublicThread", "categoryId": "200", "category": "general"}
    (read,) = DiscordChatExporterReader("t.json", export(message("1"), channel=channel)).messages()
    assert (read.channel, read.thread) == ("200", "300")
    assert read.permalink == "https://discord.com/channels/100/300/1"


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("see https://a.example.com/x.", ("https://a.example.com/x",)),
        ("[notes](https://a.example.com/wiki/A_(b)) ok", ("https://a.example.com/wiki/A_(b)",)),
        ("(https://a.example.com/p)", ("https://a.example.com/p",)),
        (
            "<https://a.example.com/quiet> and https://a.example.com/quiet",
            ("https://a.example.com/quiet",),
        ),
        ("no link at example.com", ()),
    ],
)
def test_link_extraction(text: str, links: tuple[str, ...]) -> None:
    (read,) = DiscordChatExporterReader("t.json", export(message("1", content=text))).messages()
    assert read.links == links


def test_reply_to_a_message_outside_the_file_has_no_author() -> None:
    reply = message("2", type="Reply", reference={"messageId": "999", "channelId": "200"})
    (read,) = DiscordChatExporterReader("t.json", export(reply)).messages()
    assert (read.reply_to, read.reply_to_author) == ("999", None)


@pytest.mark.parametrize(
    ("entry", "warning"),
    [
        ("text", r"t\.json: messages\[1\]: not a message object; skipped$"),
        ({"type": "Default", "content": "x"}, r"t\.json: messages\[1\]: no 'id'; skipped$"),
        (message("7", when="yesterday"), r"messages\[1\] \(id 7\): no valid 'timestamp'; skipped$"),
        (message("7", author=None), r"messages\[1\] \(id 7\): no 'author\.id'; skipped$"),
        (
            message("7", timestampEdited="soon"),
            r"messages\[1\] \(id 7\): 'timestampEdited' is not a timestamp; ignored$",
        ),
        (message("7", content=5), r"\(id 7\): 'content' is a number, not a string; skipped$"),
        (
            message("7", content=["I am going to kill you"]),
            r"\(id 7\): 'content' is a list, not a string; skipped$",
        ),
        (
            message("7", content={"text": "I am going to kill you"}),
            r"\(id 7\): 'content' is an object, not a string; skipped$",
        ),
        (message("7", content=True), r"\(id 7\): 'content' is true or false, not a string"),
    ],
    ids=[
        "not-object",
        "no-id",
        "bad-timestamp",
        "no-author",
        "bad-edit",
        "content-number",
        "content-list",
        "content-object",
        "content-bool",
    ],
)
def test_a_broken_message_is_a_warning_and_the_rest_is_read(entry: Any, warning: str) -> None:
    later = message("9", when="2025-02-04T10:00:00+00:00", content="later")
    reader = DiscordChatExporterReader("t.json", export(message("1"), entry, later))
    read = list(reader.messages())
    assert [m.id for m in read if m.id != "7"] == ["1", "9"]
    assert len(reader.warnings) == 1 and re.search(warning, reader.warnings[0])


@pytest.mark.parametrize("content", [None, ""], ids=["null", "empty"])
def test_a_message_without_content_is_read_as_empty(content: None | str) -> None:
    photo = [{"id": "3", "fileName": "group_photo.jpg", "url": "https://cdn.example.com/g.jpg"}]
    entry = message("1", content=content, attachments=photo)
    reader = DiscordChatExporterReader("t.json", export(entry))
    (read,) = reader.messages()
    assert reader.warnings == []
    assert (read.text, [a.filename for a in read.attachments]) == ("", ["group_photo.jpg"])


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (
            '{"guild": {"id": "1"},\n "messages": [\n  {"id": "1",}\n]}',
            r"not valid JSON \(line 3, column 14: .+\)$",
        ),
        ("\xff".encode("latin-1"), r"not UTF-8 text \(at byte 0\)$"),
        ('{"guild": {"id": "1"}, "messages": [], "channel": {}}', r"'channel' has no 'id'$"),
    ],
    ids=["bad-json", "not-utf8", "no-channel-id"],
)
def test_a_broken_file_is_a_one_line_error(
    tmp_path: Path, content: str | bytes, error: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ExportError, match=error) as raised:
        DiscordChatExporterReader.open(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert "\n" not in str(raised.value)
