"""Translate Bolt event payloads into core messages: the one place that reads Slack's event shape.

Slack sends a message event per new message, a ``message_changed`` event per edit and a
``message_deleted`` event per deletion, each inside an envelope whose ``event_id`` stays the
same when Slack redelivers it; that id is the core's idempotency key, so a retried event never
yields a second reminder. A message's id is ``<channel>:<ts>`` (``ts`` is unique only within a
channel), as the Slack export reader names it, so scans and live moderation share cases.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.exports.slack_markup import parse_slack_text, with_shared
from bot.message import Attachment, Message

PLATFORM = "slack"

#: Message subtypes a person wrote; every other subtype (joins, topic changes, bots) is ignored.
_AUTHORED_SUBTYPES = frozenset({None, "file_share", "thread_broadcast", "me_message"})
#: Conversations the bot moderates: public and private channels, never direct messages.
_MODERATED_CHANNEL_TYPES = frozenset({None, "channel", "group"})


@dataclass(frozen=True, slots=True)
class Deletion:
    """A message removed from a channel, so the core can withdraw cases about it."""

    community: str
    channel: str
    message_id: str


def translate(body: Mapping[str, Any], own_user: str | None = None) -> Message | Deletion | None:
    """Return the core message (or deletion) an ``event_callback`` body describes, or None.

    None means "nothing for the core": bots' messages (the bot's own included), system
    subtypes, direct messages, and ``message_changed`` events that are not a person's edit
    (Slack sends those when it unfurls a link).
    """
    event = body.get("event")
    if not isinstance(event, Mapping) or event.get("type") != "message":
        return None
    if event.get("channel_type") not in _MODERATED_CHANNEL_TYPES:
        return None
    community = str(body.get("team_id") or event.get("team") or "")
    channel = str(event.get("channel") or "")
    if not community or not channel:
        return None
    subtype = event.get("subtype")
    if subtype == "message_deleted":
        deleted = event.get("deleted_ts")
        return Deletion(community, channel, message_id(channel, deleted)) if deleted else None
    edited_at: datetime | None = None
    inner: Mapping[str, Any] = event
    if subtype == "message_changed":
        changed = event.get("message")
        if not isinstance(changed, Mapping):
            return None
        edit = changed.get("edited")
        previous = event.get("previous_message")
        unchanged = isinstance(previous, Mapping) and previous.get("text") == changed.get("text")
        if not isinstance(edit, Mapping) or not edit.get("ts") or unchanged:
            return None
        edited_at = _when(edit["ts"])
        inner = changed
        subtype = changed.get("subtype")
    if subtype not in _AUTHORED_SUBTYPES or _is_bot(inner, own_user):
        return None
    return _message(body, inner, community, channel, edited_at)


def _message(
    body: Mapping[str, Any],
    event: Mapping[str, Any],
    community: str,
    channel: str,
    edited_at: datetime | None,
) -> Message | None:
    author = event.get("user")
    ts = event.get("ts")
    if not author or not ts:
        return None
    # A shared or forwarded message's text sits in its attachments: checked as the sharer's.
    markup = with_shared(parse_slack_text(str(event.get("text") or "")), event.get("attachments"))
    thread_ts = event.get("thread_ts")
    # A thread's parent carries thread_ts == ts; only replies are "in" a thread.
    in_thread = message_id(channel, thread_ts) if thread_ts and thread_ts != ts else None
    event_id = body.get("event_id")
    return Message(
        id=message_id(channel, ts),
        text=markup.text,
        author=str(author),
        channel=channel,
        community=community,
        platform=PLATFORM,
        author_name=display_name(event.get("user_profile")),
        created_at=_when(ts),
        mentions=markup.mentions,
        reply_to=in_thread,
        reply_to_author=str(event["parent_user_id"])
        if in_thread and event.get("parent_user_id")
        else None,
        thread=in_thread,
        links=markup.links,
        attachments=_attachments(event.get("files")),
        edited_at=edited_at,
        idempotency_key=str(event_id) if event_id else None,
    )


def message_id(channel: str, ts: object) -> str:
    """Return the core's id for the message ``ts`` in ``channel``."""
    return f"{channel}:{ts}"


def slack_ts(core_id: str) -> str:
    """Return the Slack ``ts`` inside a core message id (the inverse of :func:`message_id`)."""
    return core_id.rpartition(":")[2]


def _is_bot(event: Mapping[str, Any], own_user: str | None) -> bool:
    # Subtype bot_message never gets here: it is not an authored subtype.
    return bool(event.get("bot_id") or (own_user is not None and event.get("user") == own_user))


def _when(ts: object) -> datetime:
    return datetime.fromtimestamp(float(str(ts)), UTC)


def display_name(profile: object) -> str | None:
    """Return the name Slack shows for a user profile: the display name, else the real name."""
    if not isinstance(profile, Mapping):
        return None
    name = profile.get("display_name") or profile.get("real_name")
    return str(name) if name else None


def _attachments(files: object) -> tuple[Attachment, ...]:
    if not isinstance(files, list):
        return ()
    out = []
    for file in files:
        # Files deleted before the event was handled arrive as tombstones without a name.
        if not isinstance(file, Mapping) or file.get("mode") == "tombstone" or not file.get("name"):
            continue
        out.append(
            Attachment(
                filename=str(file["name"]),
                content_type=file.get("mimetype"),
                url=file.get("url_private"),
            )
        )
    return tuple(out)
