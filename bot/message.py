"""The frozen message an adapter builds from a platform event: the core's only input."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file attached to a message: its name and type only, never its bytes."""

    filename: str
    content_type: str | None = None
    url: str | None = None


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

    @property
    def event_key(self) -> str:
        """Return the key that identifies this platform event for de-duplication."""
        if self.idempotency_key:
            return self.idempotency_key
        edit = self.edited_at.isoformat() if self.edited_at else ""
        return f"{self.id}:{edit}"
