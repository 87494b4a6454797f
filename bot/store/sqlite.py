"""The SQLite storage engine: one file in WAL mode, every change in one short transaction."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

from bot.store.errors import DatabaseInUse, StoreError
from bot.store.rows import Row, when
from bot.store.schema import Migration, pending_migrations
from bot.store.sql_store import Params, SqlStore

MEMORY = ":memory:"
BUSY_TIMEOUT_MS = 5000
#: Beside the database file: held with flock by the one process that decides on it.
LOCK_SUFFIX = "-lock"


class _ProcessLock:
    """One process's claim on a SQLite file, shared by every store it opens on that file.

    The engine's per-user decision lock lives in the process, so two processes deciding on
    one file would both take the same ladder step. ``flock`` on a file beside the database
    says which process serves it; the kernel drops the claim when that process ends, however
    it ends, and the file goes with the last store closed (one a killed process leaves is
    claimed again as it is). Stores in one process share the claim (tests and a playground
    rebuild open the same file twice), counted so that the last to close releases it.
    """

    # The claim is the process's, not a store's: kept per process, keyed by the lock file.
    _held: dict[str, tuple[int, int]] = {}

    @classmethod
    def acquire(cls, database: str) -> str:
        """Claim ``database`` for this process; raise DatabaseInUse if another holds it."""
        path = os.path.realpath(database) + LOCK_SUFFIX
        held = cls._held.get(path)
        if held is not None:
            cls._held[path] = (held[0], held[1] + 1)
            return path
        while True:
            fd = cls._claim(database, path)
            # The last holder removes the file as it lets go; one opened before that removal
            # is locked but no longer the file at ``path``, so claim the new one instead.
            try:
                named, opened = os.stat(path), os.fstat(fd)
                if (named.st_dev, named.st_ino) == (opened.st_dev, opened.st_ino):
                    break
            except FileNotFoundError:
                pass
            os.close(fd)
        # The pid is only for the message another process prints.
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        cls._held[path] = (fd, 1)
        return path

    @staticmethod
    def _claim(database: str, path: str) -> int:
        """Open and flock the lock file; raise DatabaseInUse if another process holds it."""
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"{database}: cannot open database: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            os.close(fd)
            who = f" (pid {owner})" if owner.isdigit() else ""
            raise DatabaseInUse(
                f"{database}: another policybot process{who} is using this SQLite database; "
                "SQLite serves one process: stop the other, or point database.url at "
                "PostgreSQL to run several (docs/scaling.md)"
            ) from None
        except OSError as exc:
            os.close(fd)
            raise StoreError(f"{database}: cannot lock database: {exc.strerror}") from None
        return fd

    @classmethod
    def release(cls, path: str) -> None:
        """Drop one store's share of the claim; the last one removes the file and unlocks it."""
        fd, count = cls._held.pop(path)
        if count > 1:
            cls._held[path] = (fd, count - 1)
            return
        # Removed while still locked, so no other process can be holding this file.
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)  # closing the descriptor releases the flock


class SqliteStore(SqlStore):
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
        exclusive: bool = True,
    ) -> None:
        """Prepare a store on ``path``; open it with ``async with`` or :meth:`open`.

        ``exclusive`` (the default, for anything that decides: ``run``, the playground) claims
        the file for this process, and a second process is refused. A short operator command
        that makes no decisions (``purge``, ``export``, ``insights``, ``doctor``) passes False
        to run beside the bot.
        """
        super().__init__(migrations=migrations, clock=clock)
        self._path = str(path)
        self._exclusive = exclusive and self._path != MEMORY
        self._claim: str | None = None
        self._conn: aiosqlite.Connection | None = None
        # One connection serves every coroutine: the lock keeps one transaction (or read)
        # from interleaving with another's statements.
        self._lock = asyncio.Lock()

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
        migrations = self._migrations_to_apply()
        claim = _ProcessLock.acquire(self._path) if self._exclusive else None
        try:
            # isolation_level=None: no implicit transactions; every change says BEGIN IMMEDIATE.
            conn = await aiosqlite.connect(self._path, isolation_level=None)
        except sqlite3.Error as exc:
            if claim is not None:
                _ProcessLock.release(claim)
            raise StoreError(f"{self._path}: cannot open database: {exc}") from None
        conn.row_factory = sqlite3.Row
        try:
            await self._configure(conn)
            await _migrate(conn, self._path, migrations)
        except BaseException as exc:
            await conn.close()
            if claim is not None:
                _ProcessLock.release(claim)
            if isinstance(exc, sqlite3.Error):
                raise StoreError(f"{self._path}: cannot open database: {exc}") from None
            raise
        self._conn = conn
        self._claim = claim

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
        claim, self._claim = self._claim, None
        async with self._lock:
            try:
                if self._path != MEMORY:
                    await conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as exc:
                raise StoreError(f"{self._path}: checkpoint on close failed: {exc}") from None
            finally:
                await conn.close()
                if claim is not None:
                    _ProcessLock.release(claim)

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

    async def _fetch(self, sql: str, params: Params = ()) -> list[Row]:
        conn = self._connected()
        async with self._lock:
            try:
                return list(await conn.execute_fetchall(sql, params))
            except sqlite3.Error as exc:
                raise StoreError(f"{self._path}: {exc}") from None

    async def _execute(self, sql: str, params: Params = ()) -> int:
        async with self._transaction() as tx:
            return await tx.run(sql, params)

    # -- what SQLite does its own way --------------------------------------------------------
    def decision_lock(
        self, platform: str, community: str, user: str
    ) -> AbstractAsyncContextManager[None]:
        """Hold off other decisions about this user in this process until the block ends."""
        return self._deciding.hold((platform, community, user))

    async def purge_due_communities(self, now: datetime) -> list[tuple[str, str]]:
        """Delete every row of communities whose purge time has passed; return them.

        Their audit entries go too, all but one new line, ``community-purged``, which names
        only the community: proof that the deletion happened, with nothing about anyone in it.
        """
        async with self._transaction() as tx:
            due = [
                (str(row["platform"]), str(row["community"]))
                for row in await tx.fetch(
                    "SELECT platform, community FROM community_purges WHERE purge_at <= ? "
                    "ORDER BY purge_at, platform, community",
                    (when(now),),
                )
            ]
            for platform, community in due:
                await self._purge_community(tx, platform, community, now)
            return due

    async def check_writable(self) -> None:
        """Take the write lock and release it: fails on a read-only, locked or vanished file."""
        async with self._transaction():
            pass


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

    async def fetch(self, sql: str, params: Params = ()) -> list[Row]:
        """Read rows inside the transaction."""
        return list(await self._conn.execute_fetchall(sql, params))


async def _migrate(conn: aiosqlite.Connection, label: str, migrations: Sequence[Migration]) -> None:
    """Apply the pending migrations in order, each with its version row in one transaction."""
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        "version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    current = await _schema_version(conn)
    for migration in pending_migrations(migrations, current, label, "database file"):
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
                    f"{label}: migration {migration.file_name} failed: {exc}"
                ) from None
            raise


async def _schema_version(conn: aiosqlite.Connection) -> int:
    rows = list(await conn.execute_fetchall("SELECT MAX(version) FROM schema_version"))
    return int(rows[0][0] or 0)
