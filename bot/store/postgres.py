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
import itertools
import re
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager, suppress
from datetime import UTC, datetime
from typing import Any

import asyncpg

from bot.store.errors import StoreError
from bot.store.rows import Row, when
from bot.store.schema import Migration, pending_migrations
from bot.store.sql_store import Params, SqlStore

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
_PLACEHOLDER = re.compile(r"\?")


def _advisory_key(*parts: str) -> int:
    """Return a stable signed 64-bit advisory lock key (``hash()`` differs between processes)."""
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8, person=b"policybot")
    return int.from_bytes(digest.digest(), "big", signed=True)


_MIGRATION_LOCK = _advisory_key("schema migrations")


def postgres_dialect(statement: str) -> str:
    """Rewrite the one SQLite spelling the portable migrations use: the identity column."""
    return _IDENTITY.sub("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", statement)


def numbered(sql: str) -> str:
    """Rewrite the shared statements' ``?`` placeholders as PostgreSQL's ``$1``, ``$2`` ….

    The shared statements hold no ``?`` in a literal or a name, so every one is a placeholder.
    """
    count = itertools.count(1)
    return _PLACEHOLDER.sub(lambda _: f"${next(count)}", sql)


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


class PostgresStore(SqlStore):
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
        super().__init__(migrations=migrations, clock=clock)
        self._url = url
        self._label = masked_url(url)
        self._schema = schema
        self._min_connections = min_connections
        self._max_connections = max_connections
        self._pool: asyncpg.Pool | None = None
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
        migrations = self._migrations_to_apply()
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
    async def _transaction(self) -> AsyncIterator[_Tx]:
        """Run the block as one transaction; roll back on any error."""
        with self._errors():
            async with self._connection() as conn, conn.transaction():
                yield _Tx(conn)

    async def _fetch(self, sql: str, params: Params = ()) -> list[Row]:
        with self._errors():
            async with self._connection() as conn:
                return list(await conn.fetch(numbered(sql), *params))

    async def _execute(self, sql: str, params: Params = ()) -> int:
        with self._errors():
            async with self._connection() as conn:
                return _changed(await conn.execute(numbered(sql), *params))

    # -- what PostgreSQL does its own way ----------------------------------------------------
    @asynccontextmanager
    async def decision_lock(self, platform: str, community: str, user: str) -> AsyncIterator[None]:
        """Hold this user's advisory lock, shared by every process on the database, for the block.

        A session lock on one pooled connection; the store calls made inside the block by the
        same task run on that connection. Should the unlock fail, returning the connection to
        the pool resets it, which drops every advisory lock it still holds.
        """
        key = _advisory_key("decide", platform, community, user)
        # Decisions waiting in this process queue here, not in the pool: each waits for the
        # database lock on a connection of its own, and enough waiters would take them all.
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

    async def purge_due_communities(self, now: datetime) -> list[tuple[str, str]]:
        """Delete every row of communities whose purge time has passed; return them.

        Their audit entries go too, all but one new line, ``community-purged``, which names
        only the community. Deleting the schedule first claims it: a second process purging
        at the same moment waits for this transaction and then finds nothing due.
        """
        async with self._transaction() as tx:
            claimed = await tx.fetch(
                "DELETE FROM community_purges WHERE purge_at <= ? "
                "RETURNING platform, community, purge_at",
                (when(now),),
            )
            due = [
                (str(row["platform"]), str(row["community"]))
                for row in sorted(
                    claimed, key=lambda r: (r["purge_at"], r["platform"], r["community"])
                )
            ]
            for platform, community in due:
                await self._purge_community(tx, platform, community, now)
            return due

    async def check_writable(self) -> None:
        """Run a write that changes nothing: fails when down, read-only (a standby) or stuck."""
        with self._errors():
            async with self._connection() as conn, conn.transaction():
                await conn.execute(
                    "UPDATE schema_version SET version = version WHERE FALSE",
                    timeout=HEALTH_TIMEOUT,
                )


class _Tx:
    """The statements of one open transaction, their placeholders numbered."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    async def run(self, sql: str, params: Params = ()) -> int:
        """Execute one statement; return how many rows it changed."""
        return _changed(await self._conn.execute(numbered(sql), *params))

    async def insert(self, sql: str, params: Params) -> int:
        """Execute one INSERT; return the new row's id."""
        return int(await self._conn.fetchval(numbered(sql) + " RETURNING id", *params))

    async def fetch(self, sql: str, params: Params = ()) -> list[Row]:
        """Read rows inside the transaction."""
        return list(await self._conn.fetch(numbered(sql), *params))


async def _migrate(
    conn: Any, label: str, migrations: Sequence[Migration], schema: str | None
) -> None:
    """Apply the pending migrations in order, each with its version row in one transaction.

    An up-to-date database is only read, so a bot can open a read-only standby (and report it
    unhealthy); changes wait for an advisory lock, so processes starting together migrate once.
    """
    pending = pending_migrations(migrations, await _schema_version(conn), label, "database")
    if not pending:
        return
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
        if schema is not None:
            await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {_quote(schema)}")
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            "version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
    for migration in pending:
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
                f"{label}: migration {migration.file_name} failed: {_describe(exc)}"
            ) from None


async def _schema_version(conn: Any) -> int:
    """Return the newest applied migration, 0 for a database policybot has not touched."""
    if await conn.fetchval("SELECT to_regclass('schema_version')") is None:
        return 0
    return int(await conn.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_version"))
