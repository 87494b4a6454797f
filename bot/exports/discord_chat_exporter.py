"""Read a DiscordChatExporter JSON export (one channel or thread) as a stream of messages.

The shape is that of DiscordChatExporter's JSON writer: ``guild``, ``channel``, ``dateRange``,
``exportedAt``, ``messages`` (each with ``id``, ``type``, ``timestamp``, ``timestampEdited``,
``content``, ``author``, ``attachments``, ``mentions``, ``reference``...) and ``messageCount``.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.exports.reader import (
    ExportError,
    ExportReader,
    json_kind,
    parse_json,
    shown,
    without_query,
)
from bot.message import Attachment, Message

#: Message kinds DiscordChatExporter writes as system notices ("joined the server", "pinned a
#: message"...) whose content is boilerplate nobody typed. ThreadCreated stays: it starts a thread.
_SYSTEM_KINDS = frozenset(
    {
        "RecipientAdd",
        "RecipientRemove",
        "Call",
        "ChannelNameChange",
        "ChannelIconChange",
        "ChannelPinnedMessage",
        "GuildMemberJoin",
    }
)
_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?*_~'\""


class NotADiscordChatExport(ExportError):
    """The JSON has no top-level ``guild`` and ``messages``."""


class DiscordChatExporterReader(ExportReader):
    """One DiscordChatExporter JSON file, opened for scanning.

    ``Message.id`` is the Discord message id. When the exported channel is a thread,
    ``channel`` is the thread's parent channel and ``thread`` the thread's id; a
    ``ThreadCreated`` notice in a channel carries the new thread's id in ``thread``.
    """

    platform = "discord"

    def __init__(self, source: str, document: Mapping[str, Any]) -> None:
        """Wrap an already-parsed export; ``source`` names it in errors and warnings."""
        self.source = source
        self.warnings: list[str] = []
        guild, channel, messages = (document.get(k) for k in ("guild", "channel", "messages"))
        if not isinstance(guild, dict) or not isinstance(messages, list):
            raise NotADiscordChatExport(
                f"{source}: not a DiscordChatExporter JSON (no 'guild'/'messages')"
            )
        if not isinstance(channel, dict) or not _id(channel.get("id")):
            raise ExportError(f"{source}: 'channel' has no 'id'")
        self._entries: list[Any] = messages
        self.community = _id(guild.get("id")) or str(guild.get("name") or "discord")
        self.community_name = str(guild.get("name") or self.community)
        self._guild_id = _id(guild.get("id")) or "@me"
        channel_id = _id(channel["id"])
        is_thread = str(channel.get("type", "")).endswith("Thread")
        parent = _id(channel.get("categoryId"))
        # The export's 'category' fields hold a thread's parent channel.
        self._channel = parent if is_thread and parent else channel_id
        self._thread = channel_id if is_thread else None
        self._channel_id = channel_id
        self._names = _names(messages)
        self._channel_names = {channel_id: str(channel.get("name") or channel_id)}
        if is_thread and parent:
            self._channel_names[parent] = str(channel.get("category") or parent)

    @classmethod
    def open(cls, path: Path) -> DiscordChatExporterReader:
        """Read and parse the export file at ``path``."""
        try:
            data = path.read_bytes()
        except OSError as err:
            raise ExportError(f"{path}: cannot be read ({err.strerror})") from None
        document = parse_json(data, str(path))
        if not isinstance(document, dict):
            raise NotADiscordChatExport(
                f"{path}: not a DiscordChatExporter JSON (no 'guild'/'messages')"
            )
        return cls(str(path), document)

    def close(self) -> None:
        """Do nothing: the file was read whole when opened."""

    @property
    def names(self) -> Mapping[str, str]:
        """Return the display name of every author and mentioned user by user id."""
        return self._names

    @property
    def channel_names(self) -> Mapping[str, str]:
        """Return the exported channel's name (and its parent's, for a thread) by id."""
        return self._channel_names

    def count_hint(self) -> int | None:
        """Return the number of entries that are not system notices."""
        return sum(
            1
            for e in self._entries
            if not (isinstance(e, dict) and str(e.get("type")) in _SYSTEM_KINDS)
        )

    def messages(self) -> Iterator[Message]:
        """Yield the file's messages in chronological order."""
        authors = {
            _id(e.get("id")): _id(e["author"].get("id"))
            for e in self._entries
            if isinstance(e, dict) and isinstance(e.get("author"), dict)
        }
        built = []
        for index, entry in enumerate(self._entries):
            message = self._message(entry, f"{self.source}: messages[{index}]", authors)
            if message is not None:
                built.append(message)
        built.sort(key=lambda m: m.created_at)
        yield from built

    def _message(self, entry: Any, item: str, authors: Mapping[str, str]) -> Message | None:
        """Return one entry as a Message, or None (with a warning when it is broken)."""
        if not isinstance(entry, dict):
            self.warnings.append(f"{item}: not a message object; skipped")
            return None
        message_id = _id(entry.get("id"))
        if not message_id:
            self.warnings.append(f"{item}: no 'id'; skipped")
            return None
        kind = str(entry.get("type") or "Default")
        if kind in _SYSTEM_KINDS:
            return None
        item = f"{item} (id {shown(message_id)})"
        created_at = _timestamp(entry.get("timestamp"))
        if created_at is None:
            self.warnings.append(f"{item}: no valid 'timestamp'; skipped")
            return None
        author = entry.get("author")
        author_id = _id(author.get("id")) if isinstance(author, dict) else ""
        if not isinstance(author, dict) or not author_id:
            self.warnings.append(f"{item}: no 'author.id'; skipped")
            return None
        content = entry.get("content")
        if content is not None and not isinstance(content, str):
            # Read as empty, a threat held in a list would pass as checked and clean: report it.
            self.warnings.append(
                f"{item}: 'content' is {json_kind(content)}, not a string; skipped"
            )
            return None
        edited_raw = entry.get("timestampEdited")
        edited_at = _timestamp(edited_raw)
        if edited_raw is not None and edited_at is None:
            self.warnings.append(f"{item}: 'timestampEdited' is not a timestamp; ignored")
            edited_raw = None
        reference = entry.get("reference")
        if not isinstance(reference, dict):
            reference = {}
        thread = self._thread
        reply_to = reply_to_author = None
        if kind == "ThreadCreated":
            thread = _id(reference.get("channelId")) or thread
        elif kind == "Reply" and _id(reference.get("messageId")):
            reply_to = _id(reference.get("messageId"))
            reply_to_author = authors.get(reply_to) or None
        # The exporter writes "" for a message that is only attachments; null reads the same.
        text = content or ""
        return Message(
            id=message_id,
            text=text,
            author=author_id,
            channel=self._channel,
            community=self.community,
            platform=self.platform,
            author_name=_display_name(author),
            created_at=created_at,
            mentions=tuple(
                dict.fromkeys(
                    _id(m.get("id"))
                    for m in _list(entry.get("mentions"))
                    if isinstance(m, dict) and _id(m.get("id"))
                )
            ),
            reply_to=reply_to,
            reply_to_author=reply_to_author,
            thread=thread,
            links=_links(text),
            attachments=_attachments(entry.get("attachments")),
            author_roles=tuple(
                str(r["name"])
                for r in _list(author.get("roles"))
                if isinstance(r, dict) and r.get("name")
            ),
            edited_at=edited_at,
            idempotency_key=f"{message_id}:{edited_raw or ''}",
            permalink=(
                f"https://discord.com/channels/{self._guild_id}/{self._channel_id}/{message_id}"
            ),
            is_bot=bool(author.get("isBot")),
        )


def _id(value: Any) -> str:
    """Return a snowflake as a string ("" when absent); exports write ids as strings."""
    if isinstance(value, bool) or value is None:
        return ""
    return str(value) if isinstance(value, str | int) else ""


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _display_name(user: Mapping[str, Any]) -> str | None:
    name = user.get("nickname") or user.get("name")
    return str(name) if name else None


def _names(entries: list[Any]) -> dict[str, str]:
    names: dict[str, str] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        users = [entry.get("author"), *_list(entry.get("mentions"))]
        for user in users:
            if isinstance(user, dict) and _id(user.get("id")):
                name = _display_name(user)
                if name:
                    names.setdefault(_id(user["id"]), name)
    return names


def _timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        return None
    # Exports normally carry an offset; a naive time is taken as UTC rather than local time.
    return stamp.astimezone(UTC) if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def _links(text: str) -> tuple[str, ...]:
    found = []
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        # Markdown links "[label](url)" and prose "(see url)" end in an unbalanced ")".
        while url.endswith(")") and url.count(")") > url.count("("):
            url = url[:-1].rstrip(_TRAILING)
        found.append(url)
    return tuple(dict.fromkeys(found))


def _attachments(items: Any) -> tuple[Attachment, ...]:
    found = []
    for item in _list(items):
        if not isinstance(item, dict):
            continue
        name = item.get("fileName")
        if not isinstance(name, str) or not name:
            continue
        found.append(
            Attachment(
                filename=name,
                content_type=mimetypes.guess_type(name, strict=False)[0],
                url=without_query(item.get("url")),
            )
        )
    return tuple(found)
