"""Rows the store keeps: cases (decisions), desist requests, the moderators' audit log, and app
installations.

Privacy by design: ids, labels, clauses, timestamps and decisions only. ``content`` is filled
only when the config opts in to storing message content.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class CaseStatus(StrEnum):
    """Where a case stands; only ``active``, ``contested`` and ``upheld`` cases count as strikes."""

    ACTIVE = "active"
    CONTESTED = "contested"
    UPHELD = "upheld"
    DISMISSED = "dismissed"
    PARDONED = "pardoned"
    WITHDRAWN = "withdrawn"  # the author deleted or fixed the message after the reminder

    @property
    def counts_as_strike(self) -> bool:
        """Return True when a case in this status still counts on the ladder."""
        return self in (CaseStatus.ACTIVE, CaseStatus.CONTESTED, CaseStatus.UPHELD)


@dataclass(frozen=True, slots=True)
class NewCase:
    """A decision about to be stored."""

    platform: str
    community: str
    channel: str
    user: str
    message_id: str
    labels: tuple[str, ...]
    clauses: tuple[str, ...]
    rules: tuple[str, ...]  # rule ids (and detector kinds) that fired: the false-positive signal
    severity: str
    action: str  # none | remind | warn | escalate
    step: int
    strike: bool  # counts on the ladder (False for routes and shadow-only observations)
    created_at: datetime
    permalink: str | None = None
    content: str | None = None
    #: What buttons carry to name the case: random, so no one can guess another's case.
    ref: str = field(default_factory=lambda: secrets.token_urlsafe(16))


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """A stored decision with its id and current status."""

    id: int
    platform: str
    community: str
    channel: str
    user: str
    message_id: str
    labels: tuple[str, ...]
    clauses: tuple[str, ...]
    rules: tuple[str, ...]
    severity: str
    action: str
    step: int
    strike: bool
    created_at: datetime
    status: CaseStatus
    updated_at: datetime
    permalink: str | None = None
    content: str | None = None
    ref: str | None = None  # None for a case stored before refs existed


@dataclass(frozen=True, slots=True)
class DesistRequest:
    """``requester`` asked ``target`` to stop, in ``channel``, at ``created_at``."""

    platform: str
    community: str
    channel: str
    requester: str
    target: str
    message_id: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One moderator (or system) action: pardon, erase, dismiss, uphold, shadow on/off, purge."""

    platform: str
    community: str
    actor: str
    action: str
    subject: str  # a user id or a case id, as text
    detail: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AppInstallation:
    """The app installed somewhere: where, by whom, and the platform's data (tokens included).

    The store keeps ``data`` exactly as given: the adapter serialises the installation and
    encrypts it when a key is configured, so the ids stay readable for lookups and the tokens
    are only what the adapter handed over.
    """

    platform: str
    kind: str  # what the row is, e.g. "installation" (per installing user) or "bot"
    enterprise: str  # "" outside an Enterprise Grid organisation
    team: str  # "" for an organisation-wide install
    installer: str  # the installing user's id; "" when the row is no person's
    data: str
    installed_at: datetime
