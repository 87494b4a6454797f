"""The SQLite storage engine: one file in WAL mode, every change in one short transaction."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

from bot.store.base import Store
from bot.store.errors import StoreError
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
    CASE_COLUMNS,
    COMMUNITY_TABLES,
    COUNTING,
    INSTALLATION_COLUMNS,
    app_installation,
    audit_entry,
    audit_values,
    case_record,
    case_values,
    community_purged,
    count_dismissals,
    desist_request,
    installation_values,
    parse_when,
    when,
)
from bot.store.schema import Migration, packaged_migrations

MEMORY = ":memory:"
BUSY_TIMEOUT_MS = 5000
_COUNTING_IN = "(" + ", ".join("?" for _ in COUNTING) + ")"

Params = Sequence[Any]


class SqliteStore(Store):
    """Keep everything in one SQLite file (or ``":memory:"`` for tests).

    Durability: WAL journal with ``synchronous=NORMAL``. A transaction is committed once its
    frames are in the WAL file, which the operating system keeps when the process is killed,
    so a killed bot loses no committed row. Only a power cut or OS crash can lose the last few
    commits (they are not fsynced one by one); the database is never corrupted either way.
    For a moderation bot that trade costs at most a repeated reminder, so NORMAL is chosen
    over FULL, which would fsync on every commit.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        migrations: Sequence[Migration] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._path = str(path)
        self._migrations = tuple(migrations) if migrations is not None else None
        self._clock = clock or (lambda: datetime.now(UTC))
        self._conn: aiosqlite.Connection | None = None
        # One connection serves every coroutine: the lock keeps one transaction (or read)
        # from interleaving with another's statements.
        self._lock = asyncio.Lock()
        self._deciding = KeyedLock()

    @property
    def path(self) -> str:
        """Return the database file (or ``":memory:"``)."""
        return self._path

    # -- connection ----------------------------------------------------------------------------
    async def open(self) -> None:
        """Connect, set the pragmas, and apply pending schema migrations."""
        if self._conn is not None:
            raise RuntimeError(f"{self._path}: store is already open")
        self._check_location()
        migrations = self._migrations if self._migrations is not None else packaged_migrations()
        try:
            # isolation_level=None: no implicit transactions; every change says BEGIN IMMEDIATE.
            conn = await aiosqlite.connect(self._path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"{self._path}: cannot open database: {exc}") from None
        conn.row_factory = sqlite3.Row
        try:
            await self._configure(conn)
            await _migrate(conn, self._path, migrations)
        except sqlite3.Error as exc:
            await conn.close()
            raise StoreError(f"{self._path}: cannot open database: {exc}") from None
        except BaseException:
            await conn.close()
            raise
        self._conn = conn

    def _check_location(self) -> None:
        if self._path == MEMORY:
            return
        path = Path(self._path)
        if path.is_dir():
            raise StoreError(f"{self._path}: cannot open database: this is a directory")
        if not path.parent.is_dir():
            raise StoreError(
                f"{self._path}: cannot open database: directory {path.parent} does not exist"
            )

    async def _configure(self, conn: aiosqlite.Connection) -> None:
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # Reading the header here turns a file that is not a database into an error now.
        async with conn.execute("PRAGMA journal_mode = WAL") as cursor:
            row = await cursor.fetchone()
        mode = row[0] if row else None
        if self._path != MEMORY and mode != "wal":
            raise StoreError(f"{self._path}: cannot open database: WAL journal mode refused")
        await conn.execute("PRAGMA synchronous = NORMAL")
        await conn.execute("PRAGMA foreign_keys = ON")

    async def close(self) -> None:
        """Checkpoint the WAL into the main file and close the connection."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        async with self._lock:
            try:
                if self._path != MEMORY:
                    await conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as exc:
                raise StoreError(f"{self._path}: checkpoint on close failed: {exc}") from None
            finally:
                await conn.close()

    def _connected(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError(f"{self._path}: store is not open")
        return self._conn

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[_Tx]:
        """Run the block as one write transaction; roll back on any error."""
        conn = self._connected()
        async with self._lock:
            try:
                # IMMEDIATE takes the write lock up front, so two writers never deadlock
                # upgrading from a read lock.
                await conn.execute("BEGIN IMMEDIATE")
                yield _Tx(conn)
                await conn.execute("COMMIT")
            except BaseException as exc:
                # Always ask: a cancelled BEGIN may still run on aiosqlite's thread, and the
                # ROLLBACK queues behind it. "No transaction is active" is harmless here.
                with suppress(sqlite3.Error):
                    await conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise StoreError(f"{self._path}: {exc}") from None
                raise

    async def _fetch(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        conn = self._connected()
        async with self._lock:
            try:
                return list(await conn.execute_fetchall(sql, params))
            except sqlite3.Error as exc:
                raise StoreError(f"{self._path}: {exc}") from None

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
            claimed = await tx.run(
                "INSERT INTO processed_events (platform, event_key, community, decided_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (platform, event_key) DO NOTHING",
                (platform, event_key, case.community if case else None, when(decided_at)),
            )
            if not claimed:
                return None
            if case is None:
                return 0
            case_id = await tx.insert(
                f"INSERT INTO cases ({CASE_COLUMNS.removeprefix('id, ')}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                case_values(case, CaseStatus.ACTIVE),
            )
            if reminded_channel is not None:
                await tx.run(*_upsert_reminder(case, reminded_channel))
            return case_id

    def decision_lock(
        self, platform: str, community: str, user: str
    ) -> AbstractAsyncContextManager[None]:
        """Hold off other decisions about this user in this process until the block ends."""
        return self._deciding.hold((platform, community, user))

    async def count_strikes(self, platform: str, community: str, user: str, since: datetime) -> int:
        """Count cases with ``strike`` set, a status that counts, created at or after ``since``."""
        rows = await self._fetch(
            "SELECT COUNT(*) FROM cases WHERE platform = ? AND community = ? AND user_id = ? "
            f"AND strike = TRUE AND status IN {_COUNTING_IN} AND created_at >= ?",
            (platform, community, user, *COUNTING, when(since)),
        )
        return int(rows[0][0])

    async def last_reminded(
        self, platform: str, community: str, user: str, channel: str
    ) -> datetime | None:
        """Return when this user was last reminded in this channel, if ever."""
        rows = await self._fetch(
            "SELECT reminded_at FROM reminders "
            "WHERE platform = ? AND community = ? AND user_id = ? AND channel = ?",
            (platform, community, user, channel),
        )
        return parse_when(rows[0][0]) if rows else None

    async def mark_reminded(
        self, platform: str, community: str, user: str, channel: str, at: datetime
    ) -> None:
        """Record that this user was reminded in this channel at ``at``, never moving back."""
        async with self._transaction() as tx:
            await tx.run(_UPSERT_REMINDER_SQL, (platform, community, user, channel, when(at)))

    # -- cases ---------------------------------------------------------------------------------
    async def get_case(self, case_id: int) -> CaseRecord | None:
        """Return one case by id."""
        rows = await self._fetch(f"SELECT {CASE_COLUMNS} FROM cases WHERE id = ?", (case_id,))
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
        self, case_id: int, status: CaseStatus, at: datetime, audit: AuditEntry | None = None
    ) -> bool:
        """Change a case's status and write ``audit`` with it; False (and no audit) if absent."""
        async with self._transaction() as tx:
            changed = await tx.run(
                "UPDATE cases SET status = ?, updated_at = ? WHERE id = ?",
                (str(status), when(at), case_id),
            )
            if not changed:
                return False
            if audit is not None:
                await tx.run(*_insert_audit(audit))
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
            await tx.run(*_insert_audit(audit))
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
            await tx.run(*_insert_audit(audit))
            return removed

    async def dismissal_counts(
        self, platform: str | None = None, community: str | None = None
    ) -> list[tuple[str, str, int]]:
        """Return (label, rule, count) over dismissed cases, most dismissed first."""
        sql = "SELECT labels, rules FROM cases WHERE status = ?"
        params: list[Any] = [str(CaseStatus.DISMISSED)]
        if platform is not None:
            sql += " AND platform = ?"
            params.append(platform)
        if community is not None:
            sql += " AND community = ?"
            params.append(community)
        return count_dismissals(await self._fetch(sql, params))

    # -- desist requests -----------------------------------------------------------------------
    async def add_desist(self, request: DesistRequest) -> None:
        """Store a desist request, replacing the same requester's earlier one to ``target``."""
        async with self._transaction() as tx:
            await tx.run(
                "INSERT INTO desist_requests (platform, community, requester, target, channel, "
                "message_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (platform, community, requester, target) DO UPDATE SET "
                "channel = excluded.channel, message_id = excluded.message_id, "
                "created_at = excluded.created_at, expires_at = excluded.expires_at",
                (
                    request.platform,
                    request.community,
                    request.requester,
                    request.target,
                    request.channel,
                    request.message_id,
                    when(request.created_at),
                    when(request.expires_at),
                ),
            )

    async def active_desists(
        self, platform: str, community: str, target: str, now: datetime
    ) -> list[DesistRequest]:
        """Return desist requests to ``target`` that expire after ``now``, oldest first."""
        rows = await self._fetch(
            "SELECT platform, community, channel, requester, target, message_id, created_at, "
            "expires_at FROM desist_requests "
            "WHERE platform = ? AND community = ? AND target = ? AND expires_at > ? "
            "ORDER BY created_at, requester",
            (platform, community, target, when(now)),
        )
        return [desist_request(row) for row in rows]

    # -- settings ------------------------------------------------------------------------------
    async def get_setting(self, platform: str, community: str, key: str) -> str | None:
        """Return a run-time setting for a community."""
        rows = await self._fetch(
            "SELECT value FROM settings WHERE platform = ? AND community = ? AND name = ?",
            (platform, community, key),
        )
        return str(rows[0][0]) if rows else None

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
                await tx.run(*_insert_audit(audit))

    # -- audit ---------------------------------------------------------------------------------
    async def add_audit(self, entry: AuditEntry) -> None:
        """Append one audit entry."""
        async with self._transaction() as tx:
            await tx.run(*_insert_audit(entry))

    async def audit_log(self, platform: str, community: str, limit: int = 100) -> list[AuditEntry]:
        """Return the newest audit entries first."""
        rows = await self._fetch(
            "SELECT platform, community, actor, action, subject, detail, created_at "
            "FROM audit_log WHERE platform = ? AND community = ? "
            "ORDER BY created_at DESC, id DESC LIMIT ?",
            (platform, community, limit),
        )
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
        async with self._transaction() as tx:
            await tx.run(
                "INSERT INTO community_purges (platform, community, purge_at) VALUES (?, ?, ?) "
                "ON CONFLICT (platform, community) DO UPDATE SET purge_at = excluded.purge_at",
                (platform, community, when(at)),
            )

    async def cancel_community_purge(self, platform: str, community: str) -> None:
        """Forget a scheduled purge (the bot was added back within the grace period)."""
        async with self._transaction() as tx:
            await tx.run(
                "DELETE FROM community_purges WHERE platform = ? AND community = ?",
                (platform, community),
            )

    async def purge_due_communities(self, now: datetime) -> list[tuple[str, str]]:
        """Delete every row of communities whose purge time has passed; return them.

        Their audit entries go too, all but one new line, ``community-purged``, which names
        only the community: proof that the deletion happened, with nothing about anyone in it.
        """
        async with self._transaction() as tx:
            due = [
                (str(row[0]), str(row[1]))
                for row in await tx.fetch(
                    "SELECT platform, community FROM community_purges WHERE purge_at <= ? "
                    "ORDER BY purge_at, platform, community",
                    (when(now),),
                )
            ]
            for platform, community in due:
                for table in COMMUNITY_TABLES:
                    await tx.run(
                        f"DELETE FROM {table} WHERE platform = ? AND community = ?",
                        (platform, community),
                    )
                await tx.run(*_insert_audit(community_purged(platform, community, now)))
            return due

    # -- operations and insights ---------------------------------------------------------------
    async def check_writable(self) -> None:
        """Take the write lock and release it: fails on a read-only, locked or vanished file."""
        async with self._transaction():
            pass

    async def cases_since(
        self, since: datetime, platform: str | None = None, community: str | None = None
    ) -> list[CaseRecord]:
        """Return the cases created at or after ``since``, oldest first, never their content."""
        columns = CASE_COLUMNS.replace("content", "NULL AS content")
        sql = f"SELECT {columns} FROM cases WHERE created_at >= ?"
        params: list[Any] = [when(since)]
        if platform is not None:
            sql += " AND platform = ?"
            params.append(platform)
        if community is not None:
            sql += " AND community = ?"
            params.append(community)
        rows = await self._fetch(sql + " ORDER BY created_at, id", params)
        return [case_record(row) for row in rows]

    # -- app installations -----------------------------------------------------------------------
    async def save_installation(self, installation: AppInstallation) -> None:
        """Store an installation, replacing the row with the same platform, kind and ids."""
        async with self._transaction() as tx:
            await tx.run(
                f"INSERT INTO installations ({INSTALLATION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (platform, kind, enterprise, team, installer) DO UPDATE SET "
                "data = excluded.data, installed_at = excluded.installed_at",
                installation_values(installation),
            )

    async def find_installation(
        self, platform: str, kind: str, enterprise: str, team: str, installer: str | None = None
    ) -> AppInstallation | None:
        """Return the installer's row, or with ``installer`` None the newest of that kind there."""
        sql = (
            f"SELECT {INSTALLATION_COLUMNS} FROM installations "
            "WHERE platform = ? AND kind = ? AND enterprise = ? AND team = ?"
        )
        params: list[Any] = [platform, kind, enterprise, team]
        if installer is not None:
            sql += " AND installer = ?"
            params.append(installer)
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
        sql = "DELETE FROM installations WHERE platform = ? AND enterprise = ? AND team = ?"
        params: list[Any] = [platform, enterprise, team]
        for column, value in (("kind", kind), ("installer", installer)):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        async with self._transaction() as tx:
            return await tx.run(sql, params)

    async def issue_oauth_state(self, platform: str, state: str, expires_at: datetime) -> None:
        """Remember an OAuth state value handed out, until ``expires_at``."""
        async with self._transaction() as tx:
            await tx.run(
                "INSERT INTO oauth_states (platform, state, expires_at) VALUES (?, ?, ?) "
                "ON CONFLICT (platform, state) DO UPDATE SET expires_at = excluded.expires_at",
                (platform, state, when(expires_at)),
            )

    async def consume_oauth_state(self, platform: str, state: str, now: datetime) -> bool:
        """Forget a state value; True only if it was issued and had not expired."""
        async with self._transaction() as tx:
            await tx.run("DELETE FROM oauth_states WHERE expires_at <= ?", (when(now),))
            return bool(
                await tx.run(
                    "DELETE FROM oauth_states WHERE platform = ? AND state = ?", (platform, state)
                )
            )


class _Tx:
    """The statements of one open transaction."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def run(self, sql: str, params: Params = ()) -> int:
        """Execute one statement; return how many rows it changed."""
        async with self._conn.execute(sql, params) as cursor:
            return max(cursor.rowcount, 0)

    async def insert(self, sql: str, params: Params) -> int:
        """Execute one INSERT; return the new row's id."""
        async with self._conn.execute(sql, params) as cursor:
            if cursor.lastrowid is None:
                raise StoreError("INSERT returned no row id")
            return cursor.lastrowid

    async def fetch(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Read rows inside the transaction."""
        return list(await self._conn.execute_fetchall(sql, params))


async def _migrate(conn: aiosqlite.Connection, label: str, migrations: Sequence[Migration]) -> None:
    """Apply the pending migrations in order, each with its version row in one transaction."""
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        "version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    latest = migrations[-1].version if migrations else 0
    current = await _schema_version(conn)
    if current > latest:
        raise StoreError(
            f"{label}: database schema version {current} is newer than this policybot "
            f"understands ({latest}); upgrade policybot or use another database file"
        )
    for migration in migrations:
        if migration.version <= current:
            continue
        await conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while this one waited for the write lock.
            if await _schema_version(conn) < migration.version:
                for statement in migration.statements():
                    await conn.execute(statement)
                await conn.execute(
                    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                    (migration.version, when(datetime.now(UTC))),
                )
            await conn.execute("COMMIT")
        except BaseException as exc:
            with suppress(sqlite3.Error):
                await conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StoreError(
                    f"{label}: migration {migration.version:04d}_{migration.name}.sql failed: {exc}"
                ) from None
            raise


async def _schema_version(conn: aiosqlite.Connection) -> int:
    rows = list(await conn.execute_fetchall("SELECT MAX(version) FROM schema_version"))
    return int(rows[0][0] or 0)


_UPSERT_REMINDER_SQL = (
    "INSERT INTO reminders (platform, community, user_id, channel, reminded_at) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (platform, community, user_id, channel) "
    "DO UPDATE SET reminded_at = max(reminders.reminded_at, excluded.reminded_at)"
)


def _upsert_reminder(case: NewCase, channel: str) -> tuple[str, Params]:
    return _UPSERT_REMINDER_SQL, (
        case.platform,
        case.community,
        case.user,
        channel,
        when(case.created_at),
    )


def _insert_audit(entry: AuditEntry) -> tuple[str, Params]:
    return (
        "INSERT INTO audit_log (platform, community, actor, action, subject, detail, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        audit_values(entry),
    )
