"""How records become the portable columns every engine stores, and how rows become records.

The migrations keep datetimes as fixed-width ISO-8601 UTC text and lists as JSON text, so one
schema serves SQLite and PostgreSQL; the engines share these conversions so that they read and
write exactly the same values.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from itertools import product
from typing import Any, Protocol

from bot.store.records import (
    AppInstallation,
    AuditEntry,
    CaseRecord,
    CaseStatus,
    DesistRequest,
    NewCase,
)

#: The actor written on audit lines the store itself writes.
SYSTEM_ACTOR = "policybot"

#: The statuses whose cases still count on the ladder, as stored.
COUNTING = tuple(str(status) for status in CaseStatus if status.counts_as_strike)

#: The columns of ``cases`` in the order ``case_record`` reads them.
CASE_COLUMNS = (
    "id, platform, community, channel, user_id, message_id, labels, clauses, rules, severity, "
    "action, step, strike, status, created_at, updated_at, permalink, content, ref"
)

#: The columns of ``installations`` in the order ``app_installation`` reads them.
INSTALLATION_COLUMNS = "platform, kind, enterprise, team, installer, data, installed_at"

#: The columns of ``audit_log`` (but its id) in the order ``audit_values`` gives them.
AUDIT_COLUMNS = "platform, community, actor, action, subject, detail, created_at"

#: The columns of ``desist_requests`` in the order ``desist_values`` gives them.
DESIST_COLUMNS = (
    "platform, community, requester, target, channel, message_id, created_at, expires_at"
)

#: Every table keyed by community, in the order a community purge empties them.
COMMUNITY_TABLES = (
    "cases",
    "processed_events",
    "reminders",
    "desist_requests",
    "settings",
    "audit_log",
    "community_purges",
)


class Row(Protocol):
    """A row of either engine: sqlite3.Row and asyncpg.Record both index by column name."""

    def __getitem__(self, key: str, /) -> Any: ...


def when(moment: datetime) -> str:
    """Return fixed-width ISO-8601 UTC text, so that text order is time order."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment.isoformat()}: the store needs aware UTC times")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_when(text: str) -> datetime:
    """Read back a moment written by ``when``."""
    return datetime.fromisoformat(text)


def tuple_text(items: Iterable[str]) -> str:
    """Encode a tuple of names as a JSON array."""
    return json.dumps(list(items))


def case_values(case: NewCase, status: CaseStatus) -> tuple[Any, ...]:
    """Return a NewCase's values in CASE_COLUMNS order, without the id."""
    return (
        case.platform,
        case.community,
        case.channel,
        case.user,
        case.message_id,
        tuple_text(case.labels),
        tuple_text(case.clauses),
        tuple_text(case.rules),
        case.severity,
        case.action,
        case.step,
        case.strike,
        str(status),
        when(case.created_at),
        when(case.created_at),
        case.permalink,
        case.content,
        case.ref,
    )


def case_record(row: Row) -> CaseRecord:
    """Build a CaseRecord from a row holding CASE_COLUMNS."""
    return CaseRecord(
        id=int(row["id"]),
        platform=row["platform"],
        community=row["community"],
        channel=row["channel"],
        user=row["user_id"],
        message_id=row["message_id"],
        labels=tuple(json.loads(row["labels"])),
        clauses=tuple(json.loads(row["clauses"])),
        rules=tuple(json.loads(row["rules"])),
        severity=row["severity"],
        action=row["action"],
        step=int(row["step"]),
        strike=bool(row["strike"]),
        created_at=parse_when(row["created_at"]),
        status=CaseStatus(row["status"]),
        updated_at=parse_when(row["updated_at"]),
        permalink=row["permalink"],
        content=row["content"],
        ref=row["ref"],
    )


def desist_values(request: DesistRequest) -> tuple[str, ...]:
    """Return a desist request's values in DESIST_COLUMNS order."""
    return (
        request.platform,
        request.community,
        request.requester,
        request.target,
        request.channel,
        request.message_id,
        when(request.created_at),
        when(request.expires_at),
    )


def desist_request(row: Row) -> DesistRequest:
    """Build a DesistRequest from a ``desist_requests`` row."""
    return DesistRequest(
        platform=row["platform"],
        community=row["community"],
        channel=row["channel"],
        requester=row["requester"],
        target=row["target"],
        message_id=row["message_id"],
        created_at=parse_when(row["created_at"]),
        expires_at=parse_when(row["expires_at"]),
    )


def audit_entry(row: Row) -> AuditEntry:
    """Build an AuditEntry from an ``audit_log`` row."""
    return AuditEntry(
        platform=row["platform"],
        community=row["community"],
        actor=row["actor"],
        action=row["action"],
        subject=row["subject"],
        detail=row["detail"],
        created_at=parse_when(row["created_at"]),
    )


def audit_values(entry: AuditEntry) -> tuple[str, ...]:
    """Return an audit entry's values in AUDIT_COLUMNS order."""
    return (
        entry.platform,
        entry.community,
        entry.actor,
        entry.action,
        entry.subject,
        entry.detail,
        when(entry.created_at),
    )


def installation_values(installation: AppInstallation) -> tuple[str, ...]:
    """Return an installation's values in INSTALLATION_COLUMNS order."""
    return (
        installation.platform,
        installation.kind,
        installation.enterprise,
        installation.team,
        installation.installer,
        installation.data,
        when(installation.installed_at),
    )


def app_installation(row: Row) -> AppInstallation:
    """Build an AppInstallation from a row holding INSTALLATION_COLUMNS."""
    return AppInstallation(
        platform=row["platform"],
        kind=row["kind"],
        enterprise=row["enterprise"],
        team=row["team"],
        installer=row["installer"],
        data=row["data"],
        installed_at=parse_when(row["installed_at"]),
    )


def community_purged(platform: str, community: str, now: datetime) -> AuditEntry:
    """Return the one audit line left behind when a community's data is deleted."""
    return AuditEntry(
        platform=platform,
        community=community,
        actor=SYSTEM_ACTOR,
        action="community-purged",
        subject=community,
        detail="the bot left this community; all its data was deleted",
        created_at=now,
    )


def count_dismissals(rows: Iterable[Row]) -> list[tuple[str, str, int]]:
    """Return (label, rule, count) over dismissed cases' ``labels`` and ``rules``, most first.

    A case stores its labels and rules as two lists, so each dismissed case counts once for
    every (label, rule) pair it holds; a case with no rule counts under rule "".
    """
    counts: Counter[tuple[str, str]] = Counter()
    for row in rows:
        labels = dict.fromkeys(json.loads(row["labels"]))
        rules = dict.fromkeys(json.loads(row["rules"]) or [""])
        counts.update(product(labels, rules))
    return sorted(
        ((label, rule, n) for (label, rule), n in counts.items()),
        key=lambda item: (-item[2], item[0], item[1]),
    )
