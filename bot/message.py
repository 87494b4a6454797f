"""The frozen message an adapter builds from a platform event: the core's only input."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.untrusted import clean_text


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file attached to a message: its name and type only, never its bytes."""

    filename: str
    content_type: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        # Names come from outside: a lone surrogate must not reach a detector (see Message).
        object.__setattr__(self, "filename", clean_text(self.filename))


#: The Message fields that hold a string from outside (or None).
_CLEANED_FIELDS = (
    "id",
    "text",
    "author",
    "channel",
    "community",
    "author_name",
    "reply_to",
    "reply_to_author",
    "thread",
    "idempotency_key",
    "permalink",
)


@dataclass(frozen=True, slots=True)
class Message:
    """A chat message as the core sees it, whatever platform it came from.

    ``idempotency_key`` identifies the platform event (Discord: message id + edit time; Slack:
    event_id) so that an event delivered twice yields one decision.
    """

    id: str
    text: str
    author: str
    channel: str
    community: str = "default"
    platform: str = "cli"
    author_name: str | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    mentions: tuple[str, ...] = ()
    reply_to: str | None = None
    reply_to_author: str | None = None
    thread: str | None = None
    links: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    author_roles: tuple[str, ...] = ()
    edited_at: datetime | None = None
    idempotency_key: str | None = None
    permalink: str | None = None
    is_bot: bool = False

    def __post_init__(self) -> None:
        # Every adapter and reader builds a Message, so this is the one boundary every outside
        # string crosses: a lone surrogate (which cannot be encoded, and so crashes whatever
        # hashes or writes it) becomes U+FFFD here, and no detector ever sees one.
        for name in _CLEANED_FIELDS:
            value = getattr(self, name)
            if value is not None and not value.isascii():
                object.__setattr__(self, name, clean_text(value))
        if any(not link.isascii() for link in self.links):
            object.__setattr__(self, "links", tuple(clean_text(link) for link in self.links))
        for name in ("mentions", "author_roles"):
            values = getattr(self, name)
            if any(not v.isascii() for v in values):
                object.__setattr__(self, name, tuple(clean_text(v) for v in values))

    @property
    def event_key(self) -> str:
        """Return the key that identifies this platform event for de-duplication."""
        if self.idempotency_key:
            return self.idempotency_key
        edit = self.edited_at.isoformat() if self.edited_at else ""
        return f"{self.id}:{edit}"
