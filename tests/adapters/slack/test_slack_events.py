"""Bolt event payloads → core messages: what is read, what is ignored."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from adapters.slack.events import Deletion, message_id, slack_ts, translate
from bot.message import Attachment, Message
from tests.adapters.slack import payloads as p
from tests.adapters.slack.mock_web_api import BOT_USER, TEAM


def _message(body: dict[str, Any]) -> Message:
    item = translate(body, BOT_USER)
    assert isinstance(item, Message)
    return item


def test_a_message_becomes_a_core_message() -> None:
    msg = _message(p.envelope(p.message("ring Jess on 07700 900123"), event_id="Ev42"))
    assert msg.platform == "slack"
    assert msg.community == TEAM
    assert msg.channel == p.CHANNEL
    assert msg.author == p.AUTHOR
    assert msg.id == f"{p.CHANNEL}:1700000000.000100"
    assert msg.text == "ring Jess on 07700 900123"
    assert msg.idempotency_key == "Ev42"
    assert msg.event_key == "Ev42"
    assert msg.created_at == datetime.fromtimestamp(1700000000.0001, UTC)
    assert msg.edited_at is None and msg.thread is None and msg.reply_to is None


def test_mentions_links_and_escapes_are_read_as_people_saw_them() -> None:
    raw = "<@U0JESS> see <https://example.com/a?b=1&amp;c=2|the notes> &amp; <mailto:j@x.uk|j@x.uk>"
    msg = _message(p.envelope(p.message(raw)))
    assert msg.mentions == ("U0JESS",)
    assert msg.links == ("https://example.com/a?b=1&c=2",)
    assert msg.text == "@U0JESS see the notes & j@x.uk"


def test_a_thread_reply_names_its_thread_and_parent_author() -> None:
    event = p.message(
        "hi", ts="1700000050.000100", thread_ts="1700000000.000100", parent_user_id="U0PARENT"
    )
    msg = _message(p.envelope(event))
    assert msg.thread == msg.reply_to == f"{p.CHANNEL}:1700000000.000100"
    assert msg.reply_to_author == "U0PARENT"
    assert slack_ts(msg.thread) == "1700000000.000100"


def test_a_thread_parent_is_not_in_a_thread() -> None:
    msg = _message(p.envelope(p.message("parent", thread_ts="1700000000.000100")))
    assert msg.thread is None and msg.reply_to is None


def test_files_become_attachments_without_tombstones() -> None:
    files = [
        {"name": "exam.pdf", "mimetype": "application/pdf", "url_private": "https://files/x"},
        {"id": "F2", "mode": "tombstone"},
    ]
    msg = _message(p.envelope(p.message("here", subtype="file_share", files=files)))
    assert msg.attachments == (Attachment("exam.pdf", "application/pdf", "https://files/x"),)


def test_an_edit_is_the_same_message_with_its_edit_time() -> None:
    msg = _message(p.envelope(p.edited("call 07700 900123", before="call me"), event_id="Ev7"))
    assert msg.id == f"{p.CHANNEL}:1700000000.000100"
    assert msg.text == "call 07700 900123"
    assert msg.edited_at == datetime.fromtimestamp(1700000100, UTC)
    assert msg.idempotency_key == "Ev7"


def test_a_deletion_names_the_deleted_message() -> None:
    assert translate(p.envelope(p.deleted()), BOT_USER) == Deletion(
        TEAM, p.CHANNEL, message_id(p.CHANNEL, "1700000000.000100")
    )


def _unfurl() -> dict[str, Any]:
    event = p.edited("see https://x", before="see https://x")
    del event["message"]["edited"]
    return event


def _bot_edit() -> dict[str, Any]:
    event = p.edited("new", before="old")
    event["message"]["bot_id"] = "B0OTHER"
    return event


@pytest.mark.parametrize(
    ("why", "event"),
    [
        ("another app's message", p.bot_message("hello")),
        ("the bot's own message", p.own_message("A quick reminder")),
        ("own user without bot_id", p.message("x", user=BOT_USER)),
        ("a join", p.message("<@U0AUTHOR> has joined", subtype="channel_join")),
        ("a topic change", p.message("set the topic", subtype="channel_topic")),
        ("a direct message", p.message("07700 900123", channel_type="im")),
        ("a link unfurl", _unfurl()),
        ("an edit that changed nothing", p.edited("same", before="same")),
        ("a bot's edited message", _bot_edit()),
        ("another event type", {"type": "reaction_added", "user": p.AUTHOR}),
    ],
)
def test_ignored(why: str, event: dict[str, Any]) -> None:
    assert translate(p.envelope(event), BOT_USER) is None, why


SHARED = {
    "is_share": True,
    "is_msg_unfurl": True,
    "author_id": "U0JESS",
    "channel_id": "C0OTHER",
    "ts": "1699999000.000100",
    "fallback": "[November 14th, 2023 9:43 PM] jess: ring Jess on 07700 900123",
    "text": "ring Jess on 07700 900123 <https://example.com/x|x>",
}
PREVIEW = {"title": "A web page", "text": "ring Jess on 07700 900123", "from_url": "https://x"}


@pytest.mark.parametrize(
    ("own", "attachments", "text"),
    [
        ("", [SHARED], "ring Jess on 07700 900123 x"),
        ("look at this", [SHARED], "look at this\nring Jess on 07700 900123 x"),
        ("see the page", [PREVIEW], "see the page"),  # a link preview is not the sharer's text
    ],
)
def test_a_shared_or_forwarded_message_is_read_as_the_sharers(
    own: str, attachments: list[dict[str, Any]], text: str
) -> None:
    msg = _message(p.envelope(p.message(own, attachments=attachments)))
    assert msg.author == p.AUTHOR and msg.text == text
    assert msg.mentions == ()
    assert ("https://example.com/x" in msg.links) is (attachments == [SHARED])
