"""The Store as SQL every engine speaks, written once; each engine supplies the connection.

The statements use SQLite's ``?`` placeholders; the PostgreSQL engine numbers them as it sends
them. An engine implements three primitives (``_fetch``, ``_execute`` and ``_transaction``),
the decision lock and the health check, and overrides any method whose SQL it must spell its
own way.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Collection, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import Any, Protocol

from bot.store.base import Store
from bot.store.keyed_lock import KeyedLock
from bot.store.records import (
    AppInstallation,
    AuditEntry,
    CaseRecord,
    CaseStatus,
    DesistRequest,
    NewCase,
)
from bot.store.rows import (
    AUDIT_COLUMNS,
    CASE_COLUMNS,
    COMMUNITY_TABLES,
    COUNTING,
    DESIST_COLUMNS,
    INSTALLATION_COLUMNS,
    Row,
    app_installation,
    audit_entry,
    audit_values,
    case_record,
    case_values,
    community_purged,
    count_dismissals,
    desist_request,
    desist_values,
    installation_values,
    parse_when,
    when,
)
from bot.store.schema import Migration, packaged_migrations

Params = Sequence[Any]


def marks(columns: str) -> str:
    """Return one ``?`` per column of a comma-separated column list."""
    return ", ".join("?" for _ in columns.split(","))


_NEW_CASE_COLUMNS = CASE_COLUMNS.removeprefix("id, ")
_CASE_INSERT = f"INSERT INTO cases ({_NEW_CASE_COLUMNS}) VALUES ({marks(_NEW_CASE_COLUMNS)})"
_AUDIT_INSERT = f"INSERT INTO audit_log ({AUDIT_COLUMNS}) VALUES ({marks(AUDIT_COLUMNS)})"
_COUNTING_IN = f"({', '.join('?' for _ in COUNTING)})"
# An upsert that never moves back: a reminder committed late by another process leaves the
# later time in place.
_REMINDER_UPSERT = (
    "INSERT INTO reminders (platform, community, user_id, channel, reminded_at) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (platform, community, user_id, channel) "
    "DO UPDATE SET reminded_at = excluded.reminded_at "
    "WHERE excluded.reminded_at > reminders.reminded_at"
)


class Statements(Protocol):
    """The statements of one open transaction, with ``?`` placeholders."""

    async def run(self, sql: str, params: Params = ()) -> int:
        """Execute one statement; return how many rows it changed."""
        ...

    async def insert(self, sql: str, params: Params) -> int:
        """Execute one INSERT into a table with an ``id`` column; return the new row's id."""
        ...

    async def fetch(self, sql: str, params: Params = ()) -> list[Row]:
        """Read rows inside the transaction."""
        ...


class SqlStore(Store):
    """Implement the Store in portable SQL over an engine's fetch, execute and transactions."""

    def __init__(
        self,
        *,
        migrations: Sequence[Migration] | None,
        clock: Callable[[], datetime] | None,
    ) -> None:
        self._migrations = tuple(migrations) if migrations is not None else None
        self._clock = clock or (lambda: datetime.now(UTC))
        # Decisions about one user queue here, within the process, whatever the engine does
        # across processes.
        self._deciding = KeyedLock()

    def _migrations_to_apply(self) -> Sequence[Migration]:
        """Return the migrations given to the constructor, or else the packaged ones."""
        return self._migrations if self._migrations is not None else packaged_migrations()

    # -- what each engine supplies -------------------------------------------------------------
    @abc.abstractmethod
    async def _fetch(self, sql: str, params: Params = ()) -> list[Row]:
        """Read rows."""

    @abc.abstractmethod
    async def _execute(self, sql: str, params: Params = ()) -> int:
        """Change rows with one statement that commits on its own; return how many changed."""

    @abc.abstractmethod
    def _transaction(self) -> AbstractAsyncContextManager[Statements]:
        """Run the block as one transaction; roll back on any error."""

    # -- decisions ---------------------------------------------------------------------------
    async def seen_event(self, platform: str, event_key: str) -> bool:
        """Return True when this platform event was already decided."""
        rows = await self._fetch(
            "SELECT 1 FROM processed_events WHERE platform = ? AND event_key = ?",
            (platform, event_key),
        )
        return bool(rows)

    async def commit_decision(
        self,
        platform: str,
        event_key: str,
        case: NewCase | None,
        reminded_channel: str | None,
    ) -> int | None:
        """Claim the event, store the case and the reminder together; None if already claimed."""
        if reminded_channel is not None and case is None:
            raise ValueError("commit_decision: a reminder needs the case it belongs to")
        decided_at = case.created_at if case is not None else self._clock()
        async with self._transaction() as tx:
            # A concurrent claim of the same key waits here until the first transaction ends,
            # then finds the key taken (or takes it, if the first rolled back).
            claimed = await tx.run(
                "INSERT INTO processed_events (platform, event_key, community, decided_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (platform, event_key) DO NOTHING",
                (platform, event_key, case.community if case else None, when(decided_at)),
            )
            if not claimed:
                return None
            if case is None:
                return 0
            case_id = await tx.insert(_CASE_INSERT, case_values(case, CaseStatus.ACTIVE))
            if reminded_channel is not None:
                await tx.run(
                    _REMINDER_UPSERT,
                    (
                        case.platform,
                        case.community,
                        case.user,
                        reminded_channel,
                        when(case.created_at),
                    ),
                )
            return case_id

    async def count_strikes(self, platform: str, community: str, user: str, since: datetime) -> int:
        """Count cases with ``strike`` set, a status that counts, created at or after ``since``."""
        rows = await self._fetch(
            "SELECT COUNT(*) AS strikes FROM cases "
            "WHERE platform = ? AND community = ? AND user_id = ? "
            f"AND strike = TRUE AND status IN {_COUNTING_IN} AND created_at >= ?",
            (platform, community, user, *COUNTING, when(since)),
        )
        return int(rows[0]["strikes"])

    async def last_reminded(
        self, platform: str, community: str, user: str, channel: str
    ) -> datetime | None:
        """Return when this user was last reminded in this channel, if ever."""
        rows = await self._fetch(
            "SELECT reminded_at FROM reminders "
            "WHERE platform = ? AND community = ? AND user_id = ? AND channel = ?",
            (platform, community, user, channel),
        )
        return parse_when(rows[0]["reminded_at"]) if rows else None

    async def mark_reminded(
        self, platform: str, community: str, user: str, channel: str, at: datetime
    ) -> None:
        """Record that this user was reminded in this channel at ``at``, never moving back."""
        await self._execute(_REMINDER_UPSERT, (platform, community, user, channel, when(at)))

    # -- cases ---------------------------------------------------------------------------------
    async def get_case(self, case_id: int) -> CaseRecord | None:
        """Return one case by id."""
        rows = await self._fetch(f"SELECT {CASE_COLUMNS} FROM cases WHERE id = ?", (case_id,))
        return case_record(rows[0]) if rows else None

    async def get_case_by_ref(self, ref: str) -> CaseRecord | None:
        """Return the case a button names by its ref."""
        rows = await self._fetch(f"SELECT {CASE_COLUMNS} FROM cases WHERE ref = ?", (ref,))
        return case_record(rows[0]) if rows else None

    async def cases_for_message(
        self, platform: str, community: str, message_id: str
    ) -> list[CaseRecord]:
        """Return the cases about one message, oldest first."""
        rows = await self._fetch(
            f"SELECT {CASE_COLUMNS} FROM cases "
            "WHERE platform = ? AND community = ? AND message_id = ? ORDER BY created_at, id",
            (platform, community, message_id),
        )
        return [case_record(row) for row in rows]

    async def cases_for_user(
        self, platform: str, community: str, user: str, since: datetime | None = None
    ) -> list[CaseRecord]:
        """Return a user's cases (created at or after ``since`` if given), oldest first."""
        sql = (
            f"SELECT {CASE_COLUMNS} FROM cases WHERE platform = ? AND community = ? AND user_id = ?"
        )
        params: list[Any] = [platform, community, user]
        if since is not None:
            sql += " AND created_at >= ?"
            params.append(when(since))
        rows = await self._fetch(sql + " ORDER BY created_at, id", params)
        return [case_record(row) for row in rows]

    async def cases_by_status(
        self, platform: str, community: str, status: CaseStatus
    ) -> list[CaseRecord]:
        """Return the community's cases in one status, oldest first."""
        rows = await self._fetch(
            f"SELECT {CASE_COLUMNS} FROM cases "
            "WHERE platform = ? AND community = ? AND status = ? ORDER BY created_at, id",
            (platform, community, str(status)),
        )
        return [case_record(row) for row in rows]

    async def set_case_status(
        self,
        case_id: int,
        status: CaseStatus,
        at: datetime,
        audit: AuditEntry | None = None,
        only_from: Collection[CaseStatus] | None = None,
    ) -> bool:
        """Change a case's status and write ``audit`` with it; False (and no audit) if unchanged."""
        sql = "UPDATE cases SET status = ?, updated_at = ? WHERE id = ?"
        args: tuple[object, ...] = (str(status), when(at), case_id)
        if only_from is not None:
            allowed = sorted(str(s) for s in only_from)
            if not allowed:
                return False
            # The check and the change are one statement: concurrent presses change it once.
            sql += f" AND status IN ({', '.join('?' for _ in allowed)})"
            args += tuple(allowed)
        async with self._transaction() as tx:
            changed = await tx.run(sql, args)
            if not changed:
                return False
            if audit is not None:
                await tx.run(_AUDIT_INSERT, audit_values(audit))
            return True

    async def pardon_user(
        self, platform: str, community: str, user: str, at: datetime, audit: AuditEntry
    ) -> int:
        """Mark every case that counts as a strike as pardoned; the audit is written regardless."""
        async with self._transaction() as tx:
            changed = await tx.run(
                "UPDATE cases SET status = ?, updated_at = ? "
                "WHERE platform = ? AND community = ? AND user_id = ? "
                f"AND strike = TRUE AND status IN {_COUNTING_IN}",
                (str(CaseStatus.PARDONED), when(at), platform, community, user, *COUNTING),
            )
            await tx.run(_AUDIT_INSERT, audit_values(audit))
            return changed

    async def erase_user(self, platform: str, community: str, user: str, audit: AuditEntry) -> int:
        """Delete the user's cases, rate limits and desist requests either way; audit it.

        Idempotency keys stay: they hold no user id once the cases are gone, and keeping them
        stops a redelivered event from recreating an erased case. Earlier audit entries stay
        too: they are the moderators' record, and the erasure entry names the user anyway.
        """
        where = "platform = ? AND community = ?"
        async with self._transaction() as tx:
            removed = await tx.run(
                f"DELETE FROM cases WHERE {where} AND user_id = ?", (platform, community, user)
            )
            removed += await tx.run(
                f"DELETE FROM reminders WHERE {where} AND user_id = ?", (platform, community, user)
            )
            removed += await tx.run(
                f"DELETE FROM desist_requests WHERE {where} AND (requester = ? OR target = ?)",
                (platform, community, user, user),
            )
            await tx.run(_AUDIT_INSERT, audit_values(audit))
            return removed

    async def dismissal_counts(
        self, platform: str | None = None, community: str | None = None
    ) -> list[tuple[str, str, int]]:
        """Return (label, rule, count) over dismissed cases, most dismissed first."""
        params: list[Any] = [str(CaseStatus.DISMISSED)]
        sql = _and_equal(
            "SELECT labels, rules FROM cases WHERE status = ?",
            params,
            (("platform", platform), ("community", community)),
        )
        return count_dismissals(await self._fetch(sql, params))

    # -- desist requests -----------------------------------------------------------------------
    async def add_desist(self, request: DesistRequest) -> None:
        """Store a desist request, replacing the same requester's earlier one to ``target``."""
        await self._execute(
            f"INSERT INTO desist_requests ({DESIST_COLUMNS}) VALUES ({marks(DESIST_COLUMNS)}) "
            "ON CONFLICT (platform, community, requester, target) DO UPDATE SET "
            "channel = excluded.channel, message_id = excluded.message_id, "
            "created_at = excluded.created_at, expires_at = excluded.expires_at",
            desist_values(request),
        )

    async def active_desists(
        self, platform: str, community: str, target: str, now: datetime
    ) -> list[DesistRequest]:
        """Return desist requests to ``target`` that expire after ``now``, oldest first."""
        rows = await self._fetch(
            f"SELECT {DESIST_COLUMNS} FROM desist_requests "
            "WHERE platform = ? AND community = ? AND target = ? AND expires_at > ? "
            "ORDER BY created_at, requester",
            (platform, community, target, when(now)),
        )
        return [desist_request(row) for row in rows]

    async def desists_involving(
        self, platform: str, community: str, user: str, now: datetime
    ) -> list[DesistRequest]:
        """Return unexpired desist requests made by or to ``user``, oldest first."""
        rows = await self._fetch(
            f"SELECT {DESIST_COLUMNS} FROM desist_requests "
            "WHERE platform = ? AND community = ? AND (requester = ? OR target = ?) "
            "AND expires_at > ? ORDER BY created_at, requester, target",
            (platform, community, user, user, when(now)),
        )
        return [desist_request(row) for row in rows]

    async def clear_desists(
        self, platform: str, community: str, user: str, audit: AuditEntry
    ) -> int:
        """Delete the desist requests made by or to ``user``; audit it in the same transaction."""
        async with self._transaction() as tx:
            removed = await tx.run(
                "DELETE FROM desist_requests WHERE platform = ? AND community = ? "
                "AND (requester = ? OR target = ?)",
                (platform, community, user, user),
            )
            await tx.run(_AUDIT_INSERT, audit_values(audit))
            return removed

    # -- settings ------------------------------------------------------------------------------
    async def get_setting(self, platform: str, community: str, key: str) -> str | None:
        """Return a run-time setting for a community."""
        rows = await self._fetch(
            "SELECT value FROM settings WHERE platform = ? AND community = ? AND name = ?",
            (platform, community, key),
        )
        return str(rows[0]["value"]) if rows else None

    async def set_setting(
        self, platform: str, community: str, key: str, value: str, audit: AuditEntry | None
    ) -> None:
        """Upsert a run-time setting (and its audit entry) in one transaction."""
        async with self._transaction() as tx:
            await tx.run(
                "INSERT INTO settings (platform, community, name, value) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (platform, community, name) DO UPDATE SET value = excluded.value",
                (platform, community, key, value),
            )
            if audit is not None:
                await tx.run(_AUDIT_INSERT, audit_values(audit))

    # -- audit ---------------------------------------------------------------------------------
    async def add_audit(self, entry: AuditEntry) -> None:
        """Append one audit entry."""
        await self._execute(_AUDIT_INSERT, audit_values(entry))

    async def audit_log(self, platform: str, community: str, limit: int = 100) -> list[AuditEntry]:
        """Return the newest audit entries first."""
        rows = await self._fetch(
            f"SELECT {AUDIT_COLUMNS} FROM audit_log WHERE platform = ? AND community = ? "
            "ORDER BY created_at DESC, id DESC LIMIT ?",
            (platform, community, limit),
        )
        return [audit_entry(row) for row in rows]

    async def audit_since(
        self,
        since: datetime,
        platform: str | None = None,
        community: str | None = None,
        action: str | None = None,
    ) -> list[AuditEntry]:
        """Return the audit entries written at or after ``since`` (of one action, if given), oldest first."""
        params: list[Any] = [when(since)]
        sql = _and_equal(
            f"SELECT {AUDIT_COLUMNS} FROM audit_log WHERE created_at >= ?",
            params,
            (("platform", platform), ("community", community), ("action", action)),
        )
        rows = await self._fetch(sql + " ORDER BY created_at, id", params)
        return [audit_entry(row) for row in rows]

    # -- retention and removal ----------------------------------------------------------------
    async def purge_before(self, cutoff: datetime) -> int:
        """Delete cases, idempotency keys, reminders and desists that expired before ``cutoff``.

        The audit log is kept: it is the moderators' record and holds no message data.
        """
        at = (when(cutoff),)
        async with self._transaction() as tx:
            removed = await tx.run("DELETE FROM cases WHERE created_at < ?", at)
            removed += await tx.run("DELETE FROM processed_events WHERE decided_at < ?", at)
            removed += await tx.run("DELETE FROM reminders WHERE reminded_at < ?", at)
            removed += await tx.run("DELETE FROM desist_requests WHERE expires_at < ?", at)
            return removed

    async def schedule_community_purge(self, platform: str, community: str, at: datetime) -> None:
        """Remember that the bot left a community and its data goes at ``at`` (upsert)."""
        await self._execute(
            "INSERT INTO community_purges (platform, community, purge_at) VALUES (?, ?, ?) "
            "ON CONFLICT (platform, community) DO UPDATE SET purge_at = excluded.purge_at",
            (platform, community, when(at)),
        )

    async def cancel_community_purge(self, platform: str, community: str) -> None:
        """Forget a scheduled purge (the bot was added back within the grace period)."""
        await self._execute(
            "DELETE FROM community_purges WHERE platform = ? AND community = ?",
            (platform, community),
        )

    @staticmethod
    async def _purge_community(
        tx: Statements, platform: str, community: str, now: datetime
    ) -> None:
        """Delete every row of one community, leaving one ``community-purged`` audit line.

        That line names only the community: proof that the deletion happened, with nothing
        about anyone in it.
        """
        for table in COMMUNITY_TABLES:
            await tx.run(
                f"DELETE FROM {table} WHERE platform = ? AND community = ?", (platform, community)
            )
        await tx.run(_AUDIT_INSERT, audit_values(community_purged(platform, community, now)))

    # -- operations and insights ---------------------------------------------------------------
    async def cases_since(
        self, since: datetime, platform: str | None = None, community: str | None = None
    ) -> list[CaseRecord]:
        """Return the cases created at or after ``since``, oldest first, never their content."""
        columns = CASE_COLUMNS.replace("content", "NULL AS content")
        params: list[Any] = [when(since)]
        sql = _and_equal(
            f"SELECT {columns} FROM cases WHERE created_at >= ?",
            params,
            (("platform", platform), ("community", community)),
        )
        rows = await self._fetch(sql + " ORDER BY created_at, id", params)
        return [case_record(row) for row in rows]

    # -- app installations -----------------------------------------------------------------------
    async def save_installation(self, installation: AppInstallation) -> None:
        """Store an installation, replacing the row with the same platform, kind and ids."""
        await self._execute(
            f"INSERT INTO installations ({INSTALLATION_COLUMNS}) "
            f"VALUES ({marks(INSTALLATION_COLUMNS)}) "
            "ON CONFLICT (platform, kind, enterprise, team, installer) DO UPDATE SET "
            "data = excluded.data, installed_at = excluded.installed_at",
            installation_values(installation),
        )

    async def find_installation(
        self, platform: str, kind: str, enterprise: str, team: str, installer: str | None = None
    ) -> AppInstallation | None:
        """Return the installer's row, or with ``installer`` None the newest of that kind there."""
        params: list[Any] = [platform, kind, enterprise, team]
        sql = _and_equal(
            f"SELECT {INSTALLATION_COLUMNS} FROM installations "
            "WHERE platform = ? AND kind = ? AND enterprise = ? AND team = ?",
            params,
            (("installer", installer),),
        )
        rows = await self._fetch(sql + " ORDER BY installed_at DESC, installer LIMIT 1", params)
        return app_installation(rows[0]) if rows else None

    async def delete_installations(
        self,
        platform: str,
        enterprise: str,
        team: str,
        kind: str | None = None,
        installer: str | None = None,
    ) -> int:
        """Delete the rows of a workspace (only of ``kind``, only ``installer``'s, if given)."""
        params: list[Any] = [platform, enterprise, team]
        sql = _and_equal(
            "DELETE FROM installations WHERE platform = ? AND enterprise = ? AND team = ?",
            params,
            (("kind", kind), ("installer", installer)),
        )
        return await self._execute(sql, params)

    async def issue_oauth_state(self, platform: str, state: str, expires_at: datetime) -> None:
        """Remember an OAuth state value handed out, until ``expires_at``."""
        await self._execute(
            "INSERT INTO oauth_states (platform, state, expires_at) VALUES (?, ?, ?) "
            "ON CONFLICT (platform, state) DO UPDATE SET expires_at = excluded.expires_at",
            (platform, state, when(expires_at)),
        )

    async def consume_oauth_state(self, platform: str, state: str, now: datetime) -> bool:
        """Forget a state value; True only if it was issued and had not expired.

        Two processes consuming one value at once: the second DELETE waits for the first
        transaction's row lock, then finds the row gone.
        """
        async with self._transaction() as tx:
            await tx.run("DELETE FROM oauth_states WHERE expires_at <= ?", (when(now),))
            consumed = await tx.run(
                "DELETE FROM oauth_states WHERE platform = ? AND state = ?", (platform, state)
            )
            return consumed > 0


def _and_equal(sql: str, params: list[Any], conditions: Iterable[tuple[str, Any]]) -> str:
    """Add ``AND column = ?`` (and its value to ``params``) for each condition that is given.

    The conditions are spelled out rather than matched with ``? IS NULL OR``, so that the
    indexes serve them.
    """
    for column, value in conditions:
        if value is not None:
            sql += f" AND {column} = ?"
            params.append(value)
    return sql
