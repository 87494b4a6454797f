"""Fixtures for the store suite: one ``store`` per engine, all reaching a real database.

To add an engine, add its name to ENGINES and a branch to ``store_factory``; every test written
against ``store`` (tests/bot/store/test_store_contract.py) then runs on it too.

PostgreSQL runs when POLICYBOT_TEST_PG_URL names a database the tests may create schemas in
(``scripts/with-postgres.sh .venv/bin/pytest`` starts a throwaway one); each test gets a fresh
schema, dropped afterwards. Without the variable the PostgreSQL cases are skipped, except in CI
(CI=true), where they fail: CI must prove both engines.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import asyncpg
import pytest

from bot.store import Store
from bot.store.postgres import PostgresStore
from bot.store.sqlite import SqliteStore

ENGINES = ["sqlite", "postgres"]
PG_URL_VARIABLE = "POLICYBOT_TEST_PG_URL"

StoreFactory = Callable[[], Store]

#: Every table the packaged migrations make, schema_version included.
TABLES = frozenset(
    {
        "schema_version",
        "processed_events",
        "cases",
        "reminders",
        "desist_requests",
        "settings",
        "audit_log",
        "community_purges",
        "installations",
        "oauth_states",
    }
)


@pytest.fixture
def postgres_url() -> str:
    """Return the test PostgreSQL URL; skip without one, but fail in CI."""
    url = os.environ.get(PG_URL_VARIABLE)
    if url:
        return url
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(
            f"{PG_URL_VARIABLE} is unset: CI must run the store suite on PostgreSQL too "
            "(run the tests under scripts/with-postgres.sh)",
            pytrace=False,
        )
    pytest.skip(f"{PG_URL_VARIABLE} is unset (scripts/with-postgres.sh CMD provides one)")


@pytest.fixture
async def postgres_schema(postgres_url: str) -> AsyncIterator[str]:
    """Yield a fresh schema name for one test; drop the schema and its tables afterwards."""
    schema = f"test_{uuid.uuid4().hex}"
    yield schema
    conn = await asyncpg.connect(postgres_url)
    try:
        await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        await conn.close()


@pytest.fixture(params=ENGINES)
def store_factory(request: pytest.FixtureRequest, tmp_path: Path) -> StoreFactory:
    """Return a builder of unopened stores that all reach the same fresh database."""
    if request.param == "sqlite":
        return lambda: SqliteStore(tmp_path / "policybot.db")
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
        schema = request.getfixturevalue("postgres_schema")
        return lambda: PostgresStore(url, schema=schema)
    raise AssertionError(f"no factory for engine {request.param}")


@pytest.fixture
async def store(store_factory: StoreFactory) -> AsyncIterator[Store]:
    """Yield an opened store, closed after the test."""
    async with store_factory() as opened:
        yield opened
