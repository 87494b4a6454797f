"""What the engine decided about one message, for an adapter to render. Never platform-specific."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.finding import Finding
from bot.message import Message

if TYPE_CHECKING:
    from bot.store.records import CaseRecord


class Action(StrEnum):
    """The ladder's steps, ordered: none < remind < warn < escalate."""

    NONE = "none"
    REMIND = "remind"
    WARN = "warn"
    ESCALATE = "escalate"

    @property
    def rank(self) -> int:
        """Return the step's position so actions can be compared (harshest wins)."""
        return list(Action).index(self)


@dataclass(frozen=True, slots=True)
class RouteInfo:
    """An official route or support service, as the author is pointed to it."""

    id: str
    name: str
    contact: str  # one line: email / phone / url, as the policy or config gives it


@dataclass(frozen=True, slots=True)
class Notice:
    """A private message to the author: a reminder, a warning, or a pointer to routes/support.

    ``kind`` is ``remind`` | ``warn`` | ``report`` | ``wellbeing`` | ``privacy-tip``.
    ``case_id`` lets the author contest it ("this isn't a breach"); a button carries
    ``case_ref``, the case's unguessable reference, never the sequential id.
    """

    kind: str
    title: str
    body: str
    clauses: tuple[str, ...]
    routes: tuple[RouteInfo, ...]
    case_id: int | None = None
    case_ref: str | None = None

    @property
    def case_key(self) -> str | None:
        """Return what a button on this notice names its case by: the ref (an old case's id)."""
        return self.case_ref or (str(self.case_id) if self.case_id is not None else None)


@dataclass(frozen=True, slots=True)
class ModeratorAlert:
    """An entry for the moderators' log channel: never message content unless opted in."""

    # "log" (step 2 notice) | "alert" (step 3 / high severity / shadow observation) |
    # "contest" (the author contested the case: uphold or dismiss it)
    level: str
    summary: str
    labels: tuple[str, ...]
    clauses: tuple[str, ...]
    user: str
    channel: str
    message_id: str
    step: int
    case_id: int | None
    permalink: str | None
    suggested_actions: tuple[str, ...]
    shadow: bool = False
    content: str | None = None
    case_ref: str | None = None  # what buttons carry: unguessable, unlike ``case_id``

    @classmethod
    def about_case(
        cls,
        case: CaseRecord,
        *,
        level: str,
        summary: str,
        suggested_actions: tuple[str, ...],
        content: str | None = None,
    ) -> ModeratorAlert:
        """Return a log entry about a stored case (a repeat withdrawal, a contest)."""
        return cls(
            level=level,
            summary=summary,
            labels=case.labels,
            clauses=case.clauses,
            user=case.user,
            channel=case.channel,
            message_id=case.message_id,
            step=case.step,
            case_id=case.id,
            permalink=case.permalink,
            suggested_actions=suggested_actions,
            content=content,
            case_ref=case.ref,
        )

    @property
    def case_key(self) -> str | None:
        """Return what a button on this entry names its case by: the ref (an old case's id)."""
        return self.case_ref or (str(self.case_id) if self.case_id is not None else None)


@dataclass(frozen=True, slots=True)
class Decision:
    """One decision per message: the harshest of what every detector found.

    ``notice`` is None when nothing is to be said to the author (no finding, shadow mode, or
    the per-channel rate limit). ``auto_actions`` holds only what the config allows:
    ``delete`` and/or ``timeout``.
    """

    message: Message
    action: Action
    findings: tuple[Finding, ...] = ()
    routes: tuple[str, ...] = ()
    step: int = 0
    case_id: int | None = None
    notice: Notice | None = None
    moderator_alert: ModeratorAlert | None = None
    auto_actions: tuple[str, ...] = ()
    timeout_minutes: int = 0
    shadow: bool = False
    duplicate: bool = False
    exempt: bool = False

    @property
    def violations(self) -> tuple[Finding, ...]:
        """Return the findings that are breaches (not routes)."""
        return tuple(f for f in self.findings if not f.is_route)

    def to_dict(self) -> dict[str, object]:
        """Return the public ``check --jsonl`` output shape for this message."""
        return {
            "id": self.message.id,
            "findings": [f.to_dict() for f in self.violations],
            "routes": list(self.routes),
            "action": str(self.action),
        }
