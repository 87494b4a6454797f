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
from bot.store import AuditEntry, CaseRecord, CaseStatus, DesistRequest, Store


@dataclass(frozen=True, slots=True)
class UserRecord:
    """What is held about one user in one community, and why (the right of access)."""

    platform: str
    community: str
    user: str
    cases: tuple[CaseRecord, ...]
    active_strikes: int
    window_days: int
    desists: tuple[DesistRequest, ...] = ()

    def render(self) -> str:
        """Return the record as plain text for the user or a moderator."""
        if not self.cases and not self.desists:
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
        for d in self.desists:
            until = f"in force until {d.expires_at:%d %b %Y}"
            if d.target == self.user:
                lines.append(
                    f"- member {d.requester} asked this member to stop contacting them on "
                    f"{d.created_at:%d %b %Y} ({until})"
                )
            else:
                lines.append(
                    f"- this member asked member {d.target} to stop on "
                    f"{d.created_at:%d %b %Y} ({until})"
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
        now = self.engine.clock()
        since = self.engine.ladder.window_start(now)
        strikes = await self.store.count_strikes(platform, community, user, since)
        desists = await self.store.desists_involving(platform, community, user, now)
        return UserRecord(
            platform,
            community,
            user,
            tuple(cases),
            strikes,
            self.config.ladder.decay_days,
            tuple(desists),
        )

    async def pardon(self, platform: str, community: str, user: str, actor: str) -> int:
        """Pardon every live strike of a user; return how many."""
        audit = self._audit(platform, community, actor, "pardon", user, "all live strikes")
        return await self.store.pardon_user(platform, community, user, self.engine.clock(), audit)

    async def erase(self, platform: str, community: str, user: str, actor: str) -> int:
        """Erase every row about a user; return how many were removed."""
        audit = self._audit(platform, community, actor, "erase", user, "every record of the user")
        return await self.store.erase_user(platform, community, user, audit)

    async def clear_desists(self, platform: str, community: str, user: str, actor: str) -> int:
        """Clear every request to stop made by or to a user (a moderator's call); return how many.

        For a request that was not sincere, or that a harasser made to turn the rule against
        the person they target: that person's messages stop counting as unwanted contact.
        """
        audit = self._audit(
            platform, community, actor, "clear-desists", user, "requests to stop, either way"
        )
        return await self.store.clear_desists(platform, community, user, audit)

    async def set_shadow(self, platform: str, community: str, on: bool, actor: str) -> None:
        """Switch shadow mode (decisions to the moderators' log only) for a community."""
        value = "on" if on else "off"
        audit = self._audit(platform, community, actor, f"shadow-{value}", community, "")
        await self.store.set_setting(platform, community, SHADOW_KEY, value, audit)

    async def find_case(self, key: int | str) -> CaseRecord | None:
        """Return the case a caller names: by id (an int), or by what a button carries (a str).

        A button carries the case's unguessable ref. Buttons sent before refs existed carry
        the sequential id, accepted only for a case that has no ref: an id typed into a forged
        button finds nothing newer.
        """
        if isinstance(key, int):
            return await self.store.get_case(key)
        if key.isdigit():
            case = await self.store.get_case(int(key))
            return case if case is not None and case.ref is None else None
        return await self.store.get_case_by_ref(key) if key else None

    async def contest(self, case_key: int | str, user: str, platform: str) -> ModeratorAlert | None:
        """Let the case's own author contest it; return the moderators' alert, None if refused.

        Refused: a case that is not the user's (on this platform), or one that is no longer
        active (already contested, reviewed, pardoned or withdrawn). The case keeps counting
        until a moderator dismisses it.
        """
        case = await self.find_case(case_key)
        if (
            case is None
            or case.platform != platform
            or case.user != user
            or case.status is not CaseStatus.ACTIVE
        ):
            return None
        audit = self._audit(
            case.platform, case.community, user, "contest", f"case:{case.id}", ",".join(case.labels)
        )
        if not await self.store.set_case_status(
            case.id, CaseStatus.CONTESTED, self.engine.clock(), audit, only_from=[CaseStatus.ACTIVE]
        ):
            return None
        return self._contest_alert(case)

    def _contest_alert(self, case: CaseRecord) -> ModeratorAlert:
        settings = self.config.settings_for(case.platform, case.community, case.channel or None)
        what = ", ".join(moderator_phrase(label) for label in case.labels)
        cited = self.engine.notices.clause_line(case.clauses)
        return ModeratorAlert.about_case(
            case,
            level="contest",
            summary=f"Contested by the author: {what}" + (f" ({cited})" if cited else ""),
            suggested_actions=("uphold", "dismiss as a false positive"),
            content=case.content if settings.show_content and case.content else None,
        )

    async def _resolve(
        self,
        platform: str,
        community: str,
        case_key: int | str,
        actor: str,
        status: CaseStatus,
        action: str,
        only_from: CaseStatus | None = None,
    ) -> CaseRecord | None:
        case = await self.find_case(case_key)
        # A moderator acts on their own community's cases only: the presser's rights were
        # checked there, so a case from anywhere else is not found.
        if case is None or (case.platform, case.community) != (platform, community):
            return None
        if only_from is not None and case.status is not only_from:
            return None
        audit = self._audit(
            case.platform, case.community, actor, action, f"case:{case.id}", ",".join(case.rules)
        )
        changed = await self.store.set_case_status(
            case.id,
            status,
            self.engine.clock(),
            audit,
            only_from=None if only_from is None else [only_from],
        )
        return case if changed else None

    async def dismiss(
        self, platform: str, community: str, case_key: int | str, actor: str
    ) -> CaseRecord | None:
        """Mark a community's case as a false positive: it stops counting and is tallied per
        label and rule. Return the case, or None when there is no such case there."""
        return await self._resolve(
            platform, community, case_key, actor, CaseStatus.DISMISSED, "dismiss"
        )

    async def uphold(
        self, platform: str, community: str, case_key: int | str, actor: str
    ) -> CaseRecord | None:
        """Confirm a community's contested case: it keeps counting. None unless it awaits review.

        Only a contested case: an old log entry's button must not bring back a case since
        pardoned, dismissed or withdrawn.
        """
        return await self._resolve(
            platform,
            community,
            case_key,
            actor,
            CaseStatus.UPHELD,
            "uphold",
            only_from=CaseStatus.CONTESTED,
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
