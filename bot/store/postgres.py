"""The PostgreSQL storage engine: one connection pool, safe when many processes share the database.

Every change is one statement or one transaction, and every count the bot acts on is kept right
by the database rather than by reading, changing and writing back in Python:

* an event is claimed with ``INSERT … ON CONFLICT DO NOTHING RETURNING`` in the same transaction
  as its case, so an event seen by two processes (a Discord resume, a Slack retry) yields one
  decision: the second insert waits for the first transaction and then finds the key taken;
* the rate limit is an upsert that keeps the later of two reminder times;
* a purge claims the communities it empties with ``DELETE … RETURNING``, so two processes never
  purge one community twice;
* ``decision_lock`` holds a PostgreSQL advisory lock per user, so the engine's read of the
  strikes and the last reminder and its commit happen as one step across every process.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager, suppress
from datetime import UTC, datetime
from typing import Any

import asyncpg

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

#: Seconds to wait for the server when connecting, and for a free pooled connection.
CONNECT_TIMEOUT = 10.0
#: Seconds ``close`` lets borrowed connections come back before cutting them.
CLOSE_TIMEOUT = 10.0
#: Seconds ``check_writable`` waits for its write before calling the database unhealthy.
HEALTH_TIMEOUT = 5.0

#: What the driver raises for a database that is down, refuses, or rejects a statement.
DRIVER_ERRORS: tuple[type[BaseException], ...] = (
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    OSError,  # refused or lost connections; TimeoutError is one too
)
#: What a connection attempt raises besides those: a URL the driver cannot parse.
CONNECT_ERRORS: tuple[type[BaseException], ...] = (*DRIVER_ERRORS, ValueError)

_IDENTITY = re.compile(r"\bINTEGER\s+PRIMARY\s+KEY\s+AUTOINCREMENT\b", re.IGNORECASE)
_PASSWORD_OPTION = re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE)
_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_CASE_INSERT = (
    f"INSERT INTO cases ({CASE_COLUMNS.removeprefix('id, ')}) VALUES "
    f"({', '.join(f'${n}' for n in range(1, CASE_COLUMNS.count(',') + 1))}) RETURNING id"
)
_AUDIT_INSERT = (
    "INSERT INTO audit_log (platform, community, actor, action, subject, detail, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)"
)
_REMINDER_UPSERT = (
    "INSERT INTO reminders (platform, community, user_id, channel, reminded_at) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (platform, community, user_id, channel) "
    "DO UPDATE SET reminded_at = GREATEST(reminders.reminded_at, excluded.reminded_at)"
)


def _advisory_key(*parts: str) -> int:
    """Return a stable signed 64-bit advisory lock key (``hash()`` differs between processes)."""
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8, person=b"policybot")
    return int.from_bytes(digest.digest(), "big", signed=True)


_MIGRATION_LOCK = _advisory_key("schema migrations")


def postgres_dialect(statement: str) -> str:
    """Rewrite the one SQLite spelling the portable migrations use: the identity column."""
    return _IDENTITY.sub("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", statement)


def masked_url(url: str) -> str:
    """Return ``url`` with its password (in the user part or a ``password=`` option) masked."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        return "(a value that may hold a password)" if "@" in url else url
    if "@" in rest:
        # The last '@' ends the user part even when an unencoded '@' sits in the password.
        credentials, _, after = rest.rpartition("@")
        user, colon, _password = credentials.partition(":")
        rest = f"{user}:***@{after}" if colon else rest
    return scheme + separator + _PASSWORD_OPTION.sub(r"\1***", rest)


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if isinstance(exc, TimeoutError):
        return f"timed out{': ' + text if text else ''}"
    return text or type(exc).__name__


def _changed(status: str) -> int:
    """Return the row count of a command status such as ``DELETE 3``."""
    return int(status.rsplit(" ", 1)[-1])


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


class PostgresStore(Store):
    """Keep everything in a PostgreSQL database that any number of bot processes may share.

    ``url`` is a libpq-style ``postgresql://user@host:port/database`` URL; the password comes
    from the URL or the usual PG* environment variables (PGPASSWORD, PGPASSFILE) and is never
    shown: errors name the database by ``url`` with the password masked. ``schema`` keeps the
    tables in their own schema (made on open), so one database can hold several deployments.
    """

    def __init__(
        self,
        url: str,
        *,
        schema: str | None = None,
        min_connections: int = 1,
        max_connections: int = 10,
        migrations: Sequence[Migration] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        if schema is not None and not _SCHEMA_NAME.fullmatch(schema):
            raise ValueError(f"schema {schema!r}: use lowercase letters, digits and '_'")
        if not 1 <= min_connections <= max_connections:
            raise ValueError("connections: need 1 <= min_connections <= max_connections")
        self._url = url
        self._label = masked_url(url)
        self._schema = schema
        self._min_connections = min_connections
        self._max_connections = max_connections
        self._migrations = tuple(migrations) if migrations is not None else None
        self._clock = clock or (lambda: datetime.now(UTC))
        self._pool: asyncpg.Pool | None = None
        # Decisions waiting in this process queue here, not in the pool: each waits for the
        # database lock on a connection of its own, and enough waiters would take them all.
        self._deciding = KeyedLock()
        # The connection holding a decision lock serves the store calls its task makes inside
        # the block, so a decision needs one pooled connection, never two at once.
        self._held: dict[asyncio.Task[Any], Any] = {}

    @property
    def url(self) -> str:
        """Return the database URL with any password masked."""
        return self._label

    @property
    def schema(self) -> str | None:
        """Return the schema holding the tables, when not the default search path."""
        return self._schema

    # -- connection ----------------------------------------------------------------------------
    async def open(self) -> None:
        """Create the connection pool and apply pending schema migrations."""
        if self._pool is not None:
            raise RuntimeError(f"{self._label}: store is already open")
        migrations = self._migrations if self._migrations is not None else packaged_migrations()
        settings = {"application_name": "policybot"}
        if self._schema is not None:
            settings["search_path"] = _quote(self._schema)
        try:
            pool = await asyncpg.create_pool(
                self._url,
                min_size=self._min_connections,
                max_size=self._max_connections,
                timeout=CONNECT_TIMEOUT,
                server_settings=settings,
            )
        except CONNECT_ERRORS as exc:
            raise StoreError(f"{self._label}: cannot connect: {_describe(exc)}") from None
        try:
            async with pool.acquire(timeout=CONNECT_TIMEOUT) as conn:
                await _migrate(conn, self._label, migrations, self._schema)
        except DRIVER_ERRORS as exc:
            pool.terminate()
            raise StoreError(f"{self._label}: cannot open database: {_describe(exc)}") from None
        except BaseException:
            pool.terminate()
            raise
        self._pool = pool

    async def close(self) -> None:
        """Let borrowed connections come back (for a while), then close the pool."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        try:
            await asyncio.wait_for(pool.close(), CLOSE_TIMEOUT)
        except TimeoutError:
            pool.terminate()

    def _opened(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError(f"{self._label}: store is not open")
        return self._pool

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn the driver's errors into one StoreError line naming the database."""
        try:
            yield
        except DRIVER_ERRORS as exc:
            raise StoreError(f"{self._label}: {_describe(exc)}") from None

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[Any]:
        """Lend the connection of this task's decision lock, or one from the pool."""
        task = asyncio.current_task()
        held = self._held.get(task) if task is not None else None
        if held is not None:
            yield held
            return
        async with self._opened().acquire(timeout=CONNECT_TIMEOUT) as conn:
            yield conn

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[Any]:
        """Run the block as one transaction; roll back on any error."""
        with self._errors():
            async with self._connection() as conn, conn.transaction():
                yield conn

    async def _fetch(self, sql: str, *args: Any) -> list[Any]:
        with self._errors():
            async with self._connection() as conn:
                return list(await conn.fetch(sql, *args))

    async def _fetchval(self, sql: str, *args: Any) -> Any:
        with self._errors():
            async with self._connection() as conn:
                return await conn.fetchval(sql, *args)

    async def _execute(self, sql: str, *args: Any) -> int:
        with self._errors():
            async with self._connection() as conn:
                return _changed(await conn.execute(sql, *args))

    # -- decisions ---------------------------------------------------------------------------
    async def seen_event(self, platform: str, event_key: str) -> bool:
        """Return True when this platform event was already decided."""
        return bool(
            await self._fetchval(
                "SELECT EXISTS (SELECT 1 FROM processed_events "
                "WHERE platform = $1 AND event_key = $2)",
                platform,
                event_key,
            )
        )

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
        async with self._transaction() as conn:
            # A concurrent claim of the same key waits here until the first transaction ends,
            # then finds the key taken (or takes it, if the first rolled back).
            claimed = await conn.fetchval(
                "INSERT INTO processed_events (platform, event_key, community, decided_at) "
                "VALUES ($1, $2, $3, $4) ON CONFLICT (platform, event_key) DO NOTHING "
                "RETURNING TRUE",
                platform,
                event_key,
                case.community if case else None,
                when(decided_at),
            )
            if not claimed:
                return None
            if case is None:
                return 0
            case_id = int(await conn.fetchval(_CASE_INSERT, *case_values(case, CaseStatus.ACTIVE)))
            if reminded_channel is not None:
                await conn.execute(
                    _REMINDER_UPSERT,
                    case.platform,
                    case.community,
                    case.user,
                    reminded_channel,
                    when(case.created_at),
                )
            return case_id

    @asynccontextmanager
    async def decision_lock(self, platform: str, community: str, user: str) -> AsyncIterator[None]:
        """Hold this user's advisory lock, shared by every process on the database, for the block.

        A session lock on one pooled connection; the store calls made inside the block by the
        same task run on that connection. Should the unlock fail, returning the connection to
        the pool resets it, which drops every advisory lock it still holds.
        """
        key = _advisory_key("decide", platform, community, user)
        async with self._deciding.hold((platform, community, user)):
            pool = self._opened()
            with self._errors():
                conn = await pool.acquire(timeout=CONNECT_TIMEOUT)
            try:
                with self._errors():
                    await conn.execute("SELECT pg_advisory_lock($1)", key)
                task = asyncio.current_task()
                outer = self._held.get(task) if task is not None else None
                if task is not None:
                    self._held[task] = conn
                try:
                    yield
                finally:
                    if task is not None:
                        if outer is None:
                            self._held.pop(task, None)
                        else:
                            self._held[task] = outer
                    with suppress(*DRIVER_ERRORS):
                        await conn.execute("SELECT pg_advisory_unlock($1)", key)
            finally:
                await pool.release(conn)

    async def count_strikes(self, platform: str, community: str, user: str, since: datetime) -> int:
        """Count cases with ``strike`` set, a status that counts, created at or after ``since``."""
        return int(
            await self._fetchval(
                "SELECT COUNT(*) FROM cases WHERE platform = $1 AND community = $2 "
                "AND user_id = $3 AND strike AND status = ANY($4::text[]) AND created_at >= $5",
                platform,
                community,
                user,
                list(COUNTING),
                when(since),
            )
        )

    async def last_reminded(
        self, platform: str, community: str, user: str, channel: str
    ) -> datetime | None:
        """Return when this user was last reminded in this channel, if ever."""
        value = await self._fetchval(
            "SELECT reminded_at FROM reminders "
            "WHERE platform = $1 AND community = $2 AND user_id = $3 AND channel = $4",
            platform,
            community,
            user,
            channel,
        )
        return parse_when(value) if value is not None else None

    async def mark_reminded(
        self, platform: str, community: str, user: str, channel: str, at: datetime
    ) -> None:
        """Record that this user was reminded in this channel at ``at``, never moving back."""
        await self._execute(_REMINDER_UPSERT, platform, community, user, channel, when(at))

    # -- cases ---------------------------------------------------------------------------------
    async def get_case(self, case_id: int) -> CaseRecord | None:
        """Return one case by id."""
        rows = await self._fetch(f"SELECT {CASE_COLUMNS} FROM cases WHERE id = $1", case_id)
        return case_record(rows[0]) if rows else None

    async def cases_for_message(
        self, platform: str, community: str, message_id: str
    ) -> list[CaseRecord]:
        """Return the cases about one message, oldest first."""
        rows = await self._fetch(
            f"SELECT {CASE_COLUMNS} FROM cases WHERE platform = $1 AND community = $2 "
            "AND message_id = $3 ORDER BY created_at, id",
            platform,
            community,
            message_id,
        )
        return [case_record(row) for row in rows]

    async def cases_for_user(
        self, platform: str, community: str, user: str, since: datetime | None = None
    ) -> list[CaseRecord]:
        """Return a user's cases (created at or after ``since`` if given), oldest first."""
        sql = f"SELECT {CASE_COLUMNS} FROM cases WHERE platform = $1 AND community = $2 AND user_id = $3"
        args: list[Any] = [platform, community, user]
        if since is not None:
            args.append(when(since))
            sql += f" AND created_at >= ${len(args)}"
        rows = await self._fetch(sql + " ORDER BY created_at, id", *args)
        return [case_record(row) for row in rows]

    async def cases_by_status(
        self, platform: str, community: str, status: CaseStatus
    ) -> list[CaseRecord]:
        """Return the community's cases in one status, oldest first."""
        rows = await self._fetch(
            f"SELECT {CASE_COLUMNS} FROM cases WHERE platform = $1 AND community = $2 "
            "AND status = $3 ORDER BY created_at, id",
            platform,
            community,
            str(status),
        )
        return [case_record(row) for row in rows]

    async def set_case_status(
        self, case_id: int, status: CaseStatus, at: datetime, audit: AuditEntry | None = None
    ) -> bool:
        """Change a case's status and write ``audit`` with it; False (and no audit) if absent."""
        async with self._transaction() as conn:
            changed = _changed(
                await conn.execute(
                    "UPDATE cases SET status = $1, updated_at = $2 WHERE id = $3",
                    str(status),
                    when(at),
                    case_id,
                )
            )
            if not changed:
                return False
            if audit is not None:
                await conn.execute(_AUDIT_INSERT, *audit_values(audit))
            return True

    async def pardon_user(
        self, platform: str, community: str, user: str, at: datetime, audit: AuditEntry
    ) -> int:
        """Mark every case that counts as a strike as pardoned; the audit is written regardless."""
        async with self._transaction() as conn:
            changed = _changed(
                await conn.execute(
                    "UPDATE cases SET status = $1, updated_at = $2 WHERE platform = $3 "
                    "AND community = $4 AND user_id = $5 AND strike "
                    "AND status = ANY($6::text[])",
                    str(CaseStatus.PARDONED),
                    when(at),
                    platform,
                    community,
                    user,
                    list(COUNTING),
                )
            )
            await conn.execute(_AUDIT_INSERT, *audit_values(audit))
            return changed

    async def erase_user(self, platform: str, community: str, user: str, audit: AuditEntry) -> int:
        """Delete the user's cases, rate limits and desist requests either way; audit it.

        Idempotency keys stay, as on every engine: they hold no user id once the cases are
        gone, and keeping them stops a redelivered event from recreating an erased case.
        """
        where = "platform = $1 AND community = $2"
        async with self._transaction() as conn:
            removed = 0
            for sql in (
                f"DELETE FROM cases WHERE {where} AND user_id = $3",
                f"DELETE FROM reminders WHERE {where} AND user_id = $3",
                f"DELETE FROM desist_requests WHERE {where} AND (requester = $3 OR target = $3)",
            ):
                removed += _changed(await conn.execute(sql, platform, community, user))
            await conn.execute(_AUDIT_INSERT, *audit_values(audit))
            return removed

    async def dismissal_counts(
        self, platform: str | None = None, community: str | None = None
    ) -> list[tuple[str, str, int]]:
        """Return (label, rule, count) over dismissed cases, most dismissed first."""
        sql, args = _filtered(
            "SELECT labels, rules FROM cases WHERE status = $1",
            [str(CaseStatus.DISMISSED)],
            platform,
            community,
        )
        rows = await self._fetch(sql, *args)
        return count_dismissals(rows)

    # -- desist requests -----------------------------------------------------------------------
    async def add_desist(self, request: DesistRequest) -> None:
        """Store a desist request, replacing the same requester's earlier one to ``target``."""
        await self._execute(
            "INSERT INTO desist_requests (platform, community, requester, target, channel, "
            "message_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
            "ON CONFLICT (platform, community, requester, target) DO UPDATE SET "
            "channel = excluded.channel, message_id = excluded.message_id, "
            "created_at = excluded.created_at, expires_at = excluded.expires_at",
            request.platform,
            request.community,
            request.requester,
            request.target,
            request.channel,
            request.message_id,
            when(request.created_at),
            when(request.expires_at),
        )

    async def active_desists(
        self, platform: str, community: str, target: str, now: datetime
    ) -> list[DesistRequest]:
        """Return desist requests to ``target`` that expire after ``now``, oldest first."""
        rows = await self._fetch(
            "SELECT platform, community, channel, requester, target, message_id, created_at, "
            "expires_at FROM desist_requests WHERE platform = $1 AND community = $2 "
            "AND target = $3 AND expires_at > $4 ORDER BY created_at, requester",
            platform,
            community,
            target,
            when(now),
        )
        return [desist_request(row) for row in rows]

    # -- settings ------------------------------------------------------------------------------
    async def get_setting(self, platform: str, community: str, key: str) -> str | None:
        """Return a run-time setting for a community."""
        value = await self._fetchval(
            "SELECT value FROM settings WHERE platform = $1 AND community = $2 AND name = $3",
            platform,
            community,
            key,
        )
        return str(value) if value is not None else None

    async def set_setting(
        self, platform: str, community: str, key: str, value: str, audit: AuditEntry | None
    ) -> None:
        """Upsert a run-time setting (and its audit entry) in one transaction."""
        async with self._transaction() as conn:
            await conn.execute(
                "INSERT INTO settings (platform, community, name, value) VALUES ($1, $2, $3, $4) "
                "ON CONFLICT (platform, community, name) DO UPDATE SET value = excluded.value",
                platform,
                community,
                key,
                value,
            )
            if audit is not None:
                await conn.execute(_AUDIT_INSERT, *audit_values(audit))

    # -- audit ---------------------------------------------------------------------------------
    async def add_audit(self, entry: AuditEntry) -> None:
        """Append one audit entry."""
        await self._execute(_AUDIT_INSERT, *audit_values(entry))

    async def audit_log(self, platform: str, community: str, limit: int = 100) -> list[AuditEntry]:
        """Return the newest audit entries first."""
        rows = await self._fetch(
            "SELECT platform, community, actor, action, subject, detail, created_at "
            "FROM audit_log WHERE platform = $1 AND community = $2 "
            "ORDER BY created_at DESC, id DESC LIMIT $3",
            platform,
            community,
            limit,
        )
        return [audit_entry(row) for row in rows]

    # -- retention and removal ----------------------------------------------------------------
    async def purge_before(self, cutoff: datetime) -> int:
        """Delete cases, idempotency keys, reminders and desists that expired before ``cutoff``.

        The audit log is kept: it is the moderators' record and holds no message data.
        """
        at = when(cutoff)
        async with self._transaction() as conn:
            removed = 0
            for sql in (
                "DELETE FROM cases WHERE created_at < $1",
                "DELETE FROM processed_events WHERE decided_at < $1",
                "DELETE FROM reminders WHERE reminded_at < $1",
                "DELETE FROM desist_requests WHERE expires_at < $1",
            ):
                removed += _changed(await conn.execute(sql, at))
            return removed

    async def schedule_community_purge(self, platform: str, community: str, at: datetime) -> None:
        """Remember that the bot left a community and its data goes at ``at`` (upsert)."""
        await self._execute(
            "INSERT INTO community_purges (platform, community, purge_at) VALUES ($1, $2, $3) "
            "ON CONFLICT (platform, community) DO UPDATE SET purge_at = excluded.purge_at",
            platform,
            community,
            when(at),
        )

    async def cancel_community_purge(self, platform: str, community: str) -> None:
        """Forget a scheduled purge (the bot was added back within the grace period)."""
        await self._execute(
            "DELETE FROM community_purges WHERE platform = $1 AND community = $2",
            platform,
            community,
        )

    async def purge_due_communities(self, now: datetime) -> list[tuple[str, str]]:
        """Delete every row of communities whose purge time has passed; return them.

        Their audit entries go too, all but one new line, ``community-purged``, which names
        only the community. Deleting the schedule first claims it: a second process purging
        at the same moment waits for this transaction and then finds nothing due.
        """
        async with self._transaction() as conn:
            claimed = await conn.fetch(
                "DELETE FROM community_purges WHERE purge_at <= $1 "
                "RETURNING platform, community, purge_at",
                when(now),
            )
            due = [
                (str(row["platform"]), str(row["community"]))
                for row in sorted(
                    claimed, key=lambda r: (r["purge_at"], r["platform"], r["community"])
                )
            ]
            for platform, community in due:
                for table in COMMUNITY_TABLES:
                    if table != "community_purges":
                        await conn.execute(
                            f"DELETE FROM {table} WHERE platform = $1 AND community = $2",
                            platform,
                            community,
                        )
                await conn.execute(
                    _AUDIT_INSERT, *audit_values(community_purged(platform, community, now))
                )
            return due

    # -- operations and insights ---------------------------------------------------------------
    async def check_writable(self) -> None:
        """Run a write that changes nothing: fails when down, read-only (a standby) or stuck."""
        with self._errors():
            async with self._connection() as conn, conn.transaction():
                await conn.execute(
                    "UPDATE schema_version SET version = version WHERE FALSE",
                    timeout=HEALTH_TIMEOUT,
                )

    async def cases_since(
        self, since: datetime, platform: str | None = None, community: str | None = None
    ) -> list[CaseRecord]:
        """Return the cases created at or after ``since``, oldest first, never their content."""
        columns = CASE_COLUMNS.replace("content", "NULL AS content")
        sql, args = _filtered(
            f"SELECT {columns} FROM cases WHERE created_at >= $1",
            [when(since)],
            platform,
            community,
        )
        rows = await self._fetch(sql + " ORDER BY created_at, id", *args)
        return [case_record(row) for row in rows]

    # -- app installations -----------------------------------------------------------------------
    async def save_installation(self, installation: AppInstallation) -> None:
        """Store an installation, replacing the row with the same platform, kind and ids."""
        await self._execute(
            f"INSERT INTO installations ({INSTALLATION_COLUMNS}) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7) "
            "ON CONFLICT (platform, kind, enterprise, team, installer) DO UPDATE SET "
            "data = excluded.data, installed_at = excluded.installed_at",
            *installation_values(installation),
        )

    async def find_installation(
        self, platform: str, kind: str, enterprise: str, team: str, installer: str | None = None
    ) -> AppInstallation | None:
        """Return the installer's row, or with ``installer`` None the newest of that kind there."""
        sql = (
            f"SELECT {INSTALLATION_COLUMNS} FROM installations "
            "WHERE platform = $1 AND kind = $2 AND enterprise = $3 AND team = $4"
        )
        args: list[Any] = [platform, kind, enterprise, team]
        if installer is not None:
            args.append(installer)
            sql += f" AND installer = ${len(args)}"
        rows = await self._fetch(sql + " ORDER BY installed_at DESC, installer LIMIT 1", *args)
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
        sql = "DELETE FROM installations WHERE platform = $1 AND enterprise = $2 AND team = $3"
        args: list[Any] = [platform, enterprise, team]
        for column, value in (("kind", kind), ("installer", installer)):
            if value is not None:
                args.append(value)
                sql += f" AND {column} = ${len(args)}"
        return await self._execute(sql, *args)

    async def issue_oauth_state(self, platform: str, state: str, expires_at: datetime) -> None:
        """Remember an OAuth state value handed out, until ``expires_at``."""
        await self._execute(
            "INSERT INTO oauth_states (platform, state, expires_at) VALUES ($1, $2, $3) "
            "ON CONFLICT (platform, state) DO UPDATE SET expires_at = excluded.expires_at",
            platform,
            state,
            when(expires_at),
        )

    async def consume_oauth_state(self, platform: str, state: str, now: datetime) -> bool:
        """Forget a state value; True only if it was issued and had not expired.

        Two processes consuming one value at once: the second DELETE waits for the first
        transaction's row lock, then finds the row gone.
        """
        async with self._transaction() as conn:
            await conn.execute("DELETE FROM oauth_states WHERE expires_at <= $1", when(now))
            consumed = await conn.execute(
                "DELETE FROM oauth_states WHERE platform = $1 AND state = $2", platform, state
            )
            return _changed(consumed) > 0


def _filtered(
    sql: str, args: list[Any], platform: str | None, community: str | None
) -> tuple[str, list[Any]]:
    """Add the optional platform and community conditions (spelled out, so indexes serve them)."""
    for column, value in (("platform", platform), ("community", community)):
        if value is not None:
            args.append(value)
            sql += f" AND {column} = ${len(args)}"
    return sql, args


async def _migrate(
    conn: Any, label: str, migrations: Sequence[Migration], schema: str | None
) -> None:
    """Apply the pending migrations in order, each with its version row in one transaction.

    An up-to-date database is only read, so a bot can open a read-only standby (and report it
    unhealthy); changes wait for an advisory lock, so processes starting together migrate once.
    """
    latest = migrations[-1].version if migrations else 0
    current = await _schema_version(conn)
    if current > latest:
        raise StoreError(
            f"{label}: database schema version {current} is newer than this policybot "
            f"understands ({latest}); upgrade policybot or use another database"
        )
    if current == latest:
        return
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
        if schema is not None:
            await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {_quote(schema)}")
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            "version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
    for migration in migrations:
        if migration.version <= current:
            continue
        try:
            async with conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
                # Another process may have migrated while this one waited for the lock.
                if await _schema_version(conn) < migration.version:
                    for statement in migration.statements():
                        await conn.execute(postgres_dialect(statement))
                    await conn.execute(
                        "INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)",
                        migration.version,
                        when(datetime.now(UTC)),
                    )
        except asyncpg.PostgresError as exc:
            raise StoreError(
                f"{label}: migration {migration.version:04d}_{migration.name}.sql failed: "
                f"{_describe(exc)}"
            ) from None


async def _schema_version(conn: Any) -> int:
    """Return the newest applied migration, 0 for a database policybot has not touched."""
    if await conn.fetchval("SELECT to_regclass('schema_version')") is None:
        return 0
    return int(await conn.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_version"))
