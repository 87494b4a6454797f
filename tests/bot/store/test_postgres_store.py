"""What only the PostgreSQL engine promises: migrations, locks across pools, errors, health."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import pytest

from bot.doctor import Doctor
from bot.store import Store, StoreError
from bot.store.postgres import PostgresStore, masked_url, numbered, postgres_dialect
from bot.store.schema import Migration, packaged_migrations

from ..conftest import T0, MakeCase
from .conftest import TABLES


@pytest.fixture
async def sql(postgres_url: str, postgres_schema: str) -> AsyncIterator[asyncpg.Connection]:
    """Yield a plain connection whose search path is the test's schema, to look underneath."""
    conn = await asyncpg.connect(postgres_url, server_settings={"search_path": postgres_schema})
    yield conn
    await conn.close()


@pytest.fixture
def new_store(postgres_url: str, postgres_schema: str) -> Callable[..., PostgresStore]:
    """Return a builder of unopened PostgreSQL stores on the test's schema."""

    def build(**options: object) -> PostgresStore:
        return PostgresStore(postgres_url, schema=postgres_schema, **options)  # type: ignore[arg-type]

    return build


async def versions(sql: asyncpg.Connection) -> list[int]:
    return [row[0] for row in await sql.fetch("SELECT version FROM schema_version ORDER BY 1")]


async def tables(sql: asyncpg.Connection, schema: str) -> set[str]:
    rows = await sql.fetch(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = $1", schema
    )
    return {row[0] for row in rows}


# -- migrations ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sqlite", "postgres"),
    [
        (
            "id INTEGER PRIMARY KEY AUTOINCREMENT,",
            "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,",
        ),
        (
            "id integer  primary key\n  autoincrement,",
            "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,",
        ),
        ("step INTEGER NOT NULL,", "step INTEGER NOT NULL,"),
        ("id INTEGER PRIMARY KEY,", "id INTEGER PRIMARY KEY,"),
    ],
)
def test_the_one_sqlite_spelling_is_rewritten(sqlite: str, postgres: str) -> None:
    assert postgres_dialect(sqlite) == postgres


@pytest.mark.parametrize(
    ("shared", "postgres"),
    [
        (
            "SELECT 1 FROM t WHERE a = ? AND b IN (?, ?)",
            "SELECT 1 FROM t WHERE a = $1 AND b IN ($2, $3)",
        ),
        ("DELETE FROM t", "DELETE FROM t"),
    ],
)
def test_the_shared_placeholders_are_numbered(shared: str, postgres: str) -> None:
    assert numbered(shared) == postgres


async def test_a_fresh_schema_gets_every_table_from_the_shared_migrations(
    new_store: Callable[..., PostgresStore], sql: asyncpg.Connection, postgres_schema: str
) -> None:
    async with new_store():
        pass
    assert await versions(sql) == [m.version for m in packaged_migrations()]
    assert await tables(sql, postgres_schema) == TABLES
    identity = await sql.fetchval(
        "SELECT is_identity FROM information_schema.columns "
        "WHERE table_schema = $1 AND table_name = 'cases' AND column_name = 'id'",
        postgres_schema,
    )
    assert identity == "YES"


async def test_reopening_applies_nothing(
    new_store: Callable[..., PostgresStore], sql: asyncpg.Connection
) -> None:
    async with new_store():
        pass
    before = await sql.fetch("SELECT version, applied_at FROM schema_version")
    async with new_store():
        pass
    assert await sql.fetch("SELECT version, applied_at FROM schema_version") == before


async def test_processes_starting_together_migrate_once(
    new_store: Callable[..., PostgresStore], sql: asyncpg.Connection
) -> None:
    stores = [new_store() for _ in range(4)]
    await asyncio.gather(*(store.open() for store in stores))
    await asyncio.gather(*(store.close() for store in stores))
    assert await versions(sql) == [m.version for m in packaged_migrations()]


async def test_new_migrations_are_applied_in_order(
    new_store: Callable[..., PostgresStore], sql: asyncpg.Connection
) -> None:
    first = Migration(
        1, "first", "CREATE TABLE one (id INTEGER PRIMARY KEY AUTOINCREMENT, a TEXT);"
    )
    second = Migration(2, "second", "ALTER TABLE one ADD COLUMN b TEXT;")
    third = Migration(3, "third", "INSERT INTO one (a, b) VALUES ('x;y', 'z');")
    async with new_store(migrations=[first, second]):
        pass
    async with new_store(migrations=[first, second, third]):
        pass
    assert await versions(sql) == [1, 2, 3]
    assert [tuple(row) for row in await sql.fetch("SELECT id, a, b FROM one")] == [(1, "x;y", "z")]


async def test_a_failing_migration_changes_nothing(
    new_store: Callable[..., PostgresStore], sql: asyncpg.Connection, postgres_schema: str
) -> None:
    good = Migration(1, "first", "CREATE TABLE one (a TEXT);")
    bad = Migration(2, "broken", "CREATE TABLE two (a TEXT);\nINSERT INTO nowhere VALUES (1);")

    with pytest.raises(StoreError) as raised:
        await new_store(migrations=[good, bad]).open()

    message = str(raised.value)
    assert "migration 0002_broken.sql failed: " in message
    assert 'relation "nowhere" does not exist' in message
    assert await versions(sql) == [1]
    assert "two" not in await tables(sql, postgres_schema)


async def test_a_database_newer_than_the_code_is_refused(
    new_store: Callable[..., PostgresStore], sql: asyncpg.Connection
) -> None:
    async with new_store():
        pass
    latest = packaged_migrations()[-1].version
    await sql.execute("INSERT INTO schema_version VALUES ($1, 'later')", latest + 1)

    store = new_store()
    with pytest.raises(StoreError) as raised:
        await store.open()
    assert str(raised.value) == (
        f"{store.url}: database schema version {latest + 1} is newer than this policybot "
        f"understands ({latest}); upgrade policybot or use another database"
    )


# -- values as stored ----------------------------------------------------------------------------
async def test_times_in_other_zones_are_stored_as_the_same_utc_text_as_on_sqlite(
    new_store: Callable[..., PostgresStore], sql: asyncpg.Connection
) -> None:
    local = datetime(2024, 7, 1, 13, 0, tzinfo=ZoneInfo("Europe/London"))  # BST: 12:00 UTC
    async with new_store() as store:
        await store.mark_reminded("discord", "g", "u", "c", local)
        stored = await store.last_reminded("discord", "g", "u", "c")
    assert stored == local and stored is not None and stored.utcoffset() == timedelta(0)
    assert await sql.fetchval("SELECT reminded_at FROM reminders") == (
        "2024-07-01T12:00:00.000000+00:00"
    )


async def test_ids_of_erased_cases_are_never_handed_out_again(
    new_store: Callable[..., PostgresStore], make_case: MakeCase
) -> None:
    async with new_store() as store:
        first = await store.commit_decision("discord", "e1", make_case(), None)
        await store.purge_before(T0 + timedelta(days=1))
        second = await store.commit_decision("discord", "e2", make_case(), None)
    assert first and second and second > first


# -- two pools, as two processes -----------------------------------------------------------------
async def test_the_decision_lock_spans_pools(
    new_store: Callable[..., PostgresStore], make_case: MakeCase
) -> None:
    """Deciders in two pools (two processes, as far as the server can tell) take turns."""
    async with new_store(max_connections=2) as first, new_store(max_connections=2) as second:

        async def decide(store: Store, number: int) -> tuple[int, bool] | None:
            async with store.decision_lock("discord", "guild1", "u1"):
                strikes = await store.count_strikes("discord", "guild1", "u1", since=T0)
                last = await store.last_reminded("discord", "guild1", "u1", "general")
                case = make_case(message_id=f"m{number}", step=strikes + 1)
                remind = last is None  # the rate limit: one reminder in this channel
                case_id = await store.commit_decision(
                    "discord", f"e{number}", case, "general" if remind else None
                )
                return (strikes + 1, remind) if case_id else None

        # every event reaches both stores, as a Discord resume replays it to a second process
        results = await asyncio.gather(
            *(decide(store, n) for n in range(6) for store in (first, second))
        )

        decided = [result for result in results if result is not None]
        assert sorted(step for step, _ in decided) == [1, 2, 3, 4, 5, 6]
        assert sum(remind for _, remind in decided) == 1
        cases = await second.cases_for_user("discord", "guild1", "u1")
        assert sorted(case.step for case in cases) == [1, 2, 3, 4, 5, 6]


async def test_more_deciders_than_connections_do_not_starve_the_pool(
    new_store: Callable[..., PostgresStore], make_case: MakeCase
) -> None:
    async with new_store(max_connections=2) as store:

        async def decide(user: int) -> None:
            async with store.decision_lock("discord", "guild1", f"u{user}"):
                strikes = await store.count_strikes("discord", "guild1", f"u{user}", since=T0)
                case = make_case(user=f"u{user}", message_id=f"m{user}", step=strikes + 1)
                await store.commit_decision("discord", f"e{user}", case, "general")

        async with asyncio.timeout(30):
            await asyncio.gather(*(decide(user) for user in range(10)))
        assert len(await store.cases_since(T0)) == 10


# -- errors and health -----------------------------------------------------------------------
async def test_an_unreachable_server_gives_one_line_without_the_password() -> None:
    url = "postgresql://bot:hunter2@127.0.0.1:1/policybot"
    with pytest.raises(StoreError) as raised:
        await PostgresStore(url).open()
    message = str(raised.value)
    assert message.startswith("postgresql://bot:***@127.0.0.1:1/policybot: cannot connect: ")
    assert "hunter2" not in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://bot:p%40ss@db/bot", "postgresql://bot:***@db/bot"),
        ("postgresql://bot:p@ss@db/bot", "postgresql://bot:***@db/bot"),
        ("postgresql://bot@db/bot", "postgresql://bot@db/bot"),
        (
            "postgresql://db/bot?sslmode=require&password=x",
            "postgresql://db/bot?sslmode=require&password=***",
        ),
        ("postgresql://h1:5432,h2:5433/bot", "postgresql://h1:5432,h2:5433/bot"),
    ],
)
def test_masked_url(url: str, shown: str) -> None:
    assert masked_url(url) == shown


async def test_a_closed_store_refuses_work(new_store: Callable[..., PostgresStore]) -> None:
    store = new_store()
    async with store:
        pass
    with pytest.raises(RuntimeError, match="store is not open"):
        await store.seen_event("discord", "e1")


async def test_check_writable_fails_on_a_read_only_connection(
    postgres_url: str, new_store: Callable[..., PostgresStore], postgres_schema: str
) -> None:
    async with new_store():
        pass  # migrate while the database still takes writes
    separator = "&" if "?" in postgres_url else "?"
    read_only = PostgresStore(
        f"{postgres_url}{separator}default_transaction_read_only=on", schema=postgres_schema
    )
    async with read_only:
        assert not await read_only.seen_event("discord", "e1")
        with pytest.raises(StoreError, match="read-only transaction"):
            await read_only.check_writable()


async def test_driver_errors_become_one_line_naming_the_database(
    new_store: Callable[..., PostgresStore], sql: asyncpg.Connection
) -> None:
    async with new_store() as store:
        await sql.execute("DROP TABLE settings")
        with pytest.raises(StoreError) as raised:
            await store.get_setting("discord", "guild1", "shadow")
    assert str(raised.value).startswith(f"{store.url}: ")
    assert 'relation "settings" does not exist' in str(raised.value)


async def test_the_doctor_names_the_database_without_its_password(
    postgres_url: str, tmp_path: Path
) -> None:
    with_password = postgres_url.replace("postgresql://postgres@", "postgresql://postgres:hunter2@")
    assert "hunter2" in with_password  # the test server trusts local connections: any password
    config = tmp_path / "config.yaml"
    config.write_text(f"database:\n  url: '{with_password}'\n")

    checks = await Doctor(str(config), env={}).run()

    [database] = [check for check in checks if check.name == "database"]
    assert database.status == "ok"
    assert "hunter2" not in database.detail and "postgres:***@" in database.detail
