"""What moderators and students do with records: look up, pardon, erase, contest, dismiss, export.

Every moderator action (pardon, erase, dismiss, uphold, shadow on/off) goes into the audit log in
the same transaction as the change it records. A contested finding is shown to the moderators,
who uphold or dismiss it; until then it still counts on the ladder, so contesting is no way off it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from bot.config import Config
from bot.decision import Decision, ModeratorAlert, Notice
from bot.engine import SHADOW_KEY, Engine
from bot.message import Message
from bot.notices import moderator_phrase
from bot.privacy import privacy_notice
from bot.store import AuditEntry, CaseRecord, CaseStatus, Store


@dataclass(frozen=True, slots=True)
class UserRecord:
    """What is held about one user in one community, and why (the right of access)."""

    platform: str
    community: str
    user: str
    cases: tuple[CaseRecord, ...]
    active_strikes: int
    window_days: int

    def render(self) -> str:
        """Return the record as plain text for the user or a moderator."""
        if not self.cases:
            return "No record is held about you here: nothing you posted has been flagged."
        lines = [
            f"{_cases(len(self.cases))} on record; {_counting(len(self.cases), self.active_strikes)} "
            f"on the warning ladder (a case stops counting after {self.window_days} days, or "
            "when a moderator pardons or dismisses it).",
        ]
        for c in self.cases:
            lines.append(
                f"- case {c.id}, {c.created_at:%d %b %Y %H:%M} UTC: {', '.join(c.labels)} "
                f"(clause {', '.join(c.clauses)}), {c.action} "
                f"({f'strike {c.step}' if c.strike else 'shadow mode, not counted'}), "
                f"status {c.status}"
            )
        lines.append("Stored: ids, labels, clauses, times and decisions; no message text.")
        return "\n".join(lines)


def _cases(n: int) -> str:
    return "1 case" if n == 1 else f"{n} cases"


def _counting(cases: int, strikes: int) -> str:
    """Return how many of the cases count, in words that agree with the numbers."""
    if strikes == 0:
        return "it no longer counts" if cases == 1 else "none of them counts"
    if cases == 1:
        return "it counts"
    if strikes == cases:
        return "both count" if cases == 2 else "all of them count"
    return f"{strikes} of them count" if strikes > 1 else "1 of them counts"


class Moderation:
    """Moderators' and students' actions on records, each one audited."""

    def __init__(self, engine: Engine, store: Store, config: Config) -> None:
        self.engine = engine
        self.store = store
        self.config = config

    def _audit(
        self, platform: str, community: str, actor: str, action: str, subject: str, detail: str
    ) -> AuditEntry:
        return AuditEntry(
            platform=platform,
            community=community,
            actor=actor,
            action=action,
            subject=subject,
            detail=detail,
            created_at=self.engine.clock(),
        )

    async def record(self, platform: str, community: str, user: str) -> UserRecord:
        """Return what is held about a user (``/mydata`` and ``/policybot strikes``)."""
        cases = await self.store.cases_for_user(platform, community, user)
        since = self.engine.ladder.window_start(self.engine.clock())
        strikes = await self.store.count_strikes(platform, community, user, since)
        return UserRecord(
            platform, community, user, tuple(cases), strikes, self.config.ladder.decay_days
        )

    async def pardon(self, platform: str, community: str, user: str, actor: str) -> int:
        """Pardon every live strike of a user; return how many."""
        audit = self._audit(platform, community, actor, "pardon", user, "all live strikes")
        return await self.store.pardon_user(platform, community, user, self.engine.clock(), audit)

    async def erase(self, platform: str, community: str, user: str, actor: str) -> int:
        """Erase every row about a user; return how many were removed."""
        audit = self._audit(platform, community, actor, "erase", user, "every record of the user")
        return await self.store.erase_user(platform, community, user, audit)

    async def set_shadow(self, platform: str, community: str, on: bool, actor: str) -> None:
        """Switch shadow mode (decisions to the moderators' log only) for a community."""
        value = "on" if on else "off"
        audit = self._audit(platform, community, actor, f"shadow-{value}", community, "")
        await self.store.set_setting(platform, community, SHADOW_KEY, value, audit)

    async def contest(self, case_id: int, user: str) -> ModeratorAlert | None:
        """Let the case's own author contest it; return the moderators' alert, None if refused.

        Refused: someone else's case, or one that is no longer active (already contested,
        reviewed, pardoned or withdrawn). The case keeps counting until a moderator dismisses it.
        """
        case = await self.store.get_case(case_id)
        if case is None or case.user != user or case.status is not CaseStatus.ACTIVE:
            return None
        audit = self._audit(
            case.platform, case.community, user, "contest", f"case:{case_id}", ",".join(case.labels)
        )
        if not await self.store.set_case_status(
            case_id, CaseStatus.CONTESTED, self.engine.clock(), audit, only_from=[CaseStatus.ACTIVE]
        ):
            return None
        return self._contest_alert(case)

    def _contest_alert(self, case: CaseRecord) -> ModeratorAlert:
        settings = self.config.settings_for(case.platform, case.community, case.channel or None)
        what = ", ".join(moderator_phrase(label) for label in case.labels)
        cited = self.engine.notices.clause_line(case.clauses)
        return ModeratorAlert(
            level="contest",
            summary=f"Contested by the author: {what}" + (f" ({cited})" if cited else ""),
            labels=case.labels,
            clauses=case.clauses,
            user=case.user,
            channel=case.channel,
            message_id=case.message_id,
            step=case.step,
            case_id=case.id,
            permalink=case.permalink,
            suggested_actions=("uphold", "dismiss as a false positive"),
            content=case.content if settings.show_content and case.content else None,
        )

    async def _resolve(
        self,
        case_id: int,
        actor: str,
        status: CaseStatus,
        action: str,
        only_from: CaseStatus | None = None,
    ) -> bool:
        case = await self.store.get_case(case_id)
        if case is None or (only_from is not None and case.status is not only_from):
            return False
        audit = self._audit(
            case.platform, case.community, actor, action, f"case:{case_id}", ",".join(case.rules)
        )
        return await self.store.set_case_status(
            case_id,
            status,
            self.engine.clock(),
            audit,
            only_from=None if only_from is None else [only_from],
        )

    async def dismiss(self, case_id: int, actor: str) -> bool:
        """Mark a case as a false positive: it stops counting and is tallied per label and rule."""
        return await self._resolve(case_id, actor, CaseStatus.DISMISSED, "dismiss")

    async def uphold(self, case_id: int, actor: str) -> bool:
        """Confirm a contested case: it keeps counting. False unless the case awaits review.

        Only a contested case: an old log entry's button must not bring back a case since
        pardoned, dismissed or withdrawn.
        """
        return await self._resolve(
            case_id, actor, CaseStatus.UPHELD, "uphold", only_from=CaseStatus.CONTESTED
        )

    async def contested(self, platform: str, community: str) -> list[CaseRecord]:
        """Return the cases awaiting a moderator's decision."""
        return await self.store.cases_by_status(platform, community, CaseStatus.CONTESTED)

    async def dry_run(self, text: str, platform: str, community: str, channel: str) -> Decision:
        """Show what the bot would do with a text, changing no state (``/policybot check``)."""
        message = Message(
            id="dry-run",
            text=text,
            author="dry-run",
            channel=channel,
            community=community,
            platform=platform,
        )
        return self.engine.preview(message, self.config.settings_for(platform, community, channel))

    def report_notice(self) -> Notice:
        """Return the private answer to ``/report``: the official routes."""
        return self.engine.notices.report()

    def privacy_notice(self) -> str:
        """Return the privacy notice."""
        return privacy_notice(self.config, self.engine.policy)

    async def export_case(
        self, platform: str, community: str, user: str, since: datetime | None = None
    ) -> dict[str, object]:
        """Return a user's cases in a form to hand to the Student Complaints Procedure."""
        cases = await self.store.cases_for_user(platform, community, user, since)
        audit = [
            a
            for a in await self.store.audit_log(platform, community, limit=10_000)
            if a.subject == user or any(a.subject == f"case:{c.id}" for c in cases)
        ]
        include_content = self.config.privacy.store_content
        return {
            "prepared_for": "Student Complaints Procedure",
            "policy": self.engine.policy.name,
            "platform": platform,
            "community": community,
            "user": user,
            "generated_at": self.engine.clock().isoformat(),
            "cases": [
                {
                    "case": c.id,
                    "time": c.created_at.isoformat(),
                    "channel": c.channel,
                    "message": c.message_id,
                    "link": c.permalink,
                    "labels": list(c.labels),
                    "clauses": list(c.clauses),
                    "severity": c.severity,
                    "action": c.action,
                    "step": c.step,
                    "status": str(c.status),
                    **({"content": c.content} if include_content and c.content else {}),
                }
                for c in cases
            ],
            "moderator_actions": [
                {
                    "time": a.created_at.isoformat(),
                    "by": a.actor,
                    "action": a.action,
                    "detail": a.detail,
                }
                for a in reversed(audit)
            ],
        }

    @staticmethod
    def export_markdown(export: dict[str, object]) -> str:
        """Render an export as markdown for people; the JSON form is for systems."""
        lines = [
            f"# Case export for the {export['prepared_for']}",
            "",
            f"Policy: {export['policy']}  ",
            f"Community: {export['platform']}:{export['community']}  ",
            f"User id: {export['user']}  ",
            f"Generated: {export['generated_at']}",
            "",
            "| case | time (UTC) | channel | message | clauses | labels | action | status | link |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for c in export["cases"]:  # type: ignore[attr-defined]
            lines.append(
                f"| {c['case']} | {c['time']} | {c['channel']} | {c['message']} | "
                f"{', '.join(c['clauses'])} | {', '.join(c['labels'])} | {c['action']} | "
                f"{c['status']} | {c['link'] or ''} |"
            )
        lines += ["", "## Moderator actions", ""]
        for a in export["moderator_actions"]:  # type: ignore[attr-defined]
            lines.append(f"- {a['time']}: {a['by']} {a['action']} {a['detail']}".rstrip())
        return "\n".join(lines) + "\n"

    @staticmethod
    def export_json(export: dict[str, object]) -> str:
        """Render an export as indented JSON."""
        return json.dumps(export, indent=2)
