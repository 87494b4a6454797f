"""The load test's PostgreSQL: a fresh schema per run, the URL the bots use, the cases after it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import asyncpg

from bot.store import CaseRecord
from bot.store.postgres import PostgresStore

#: The variable scripts/with-postgres.sh sets, which the store tests read too.
PG_URL_ENV = "POLICYBOT_TEST_PG_URL"


async def create_schema(url: str) -> str:
    """Create an empty schema for one run and return its name."""
    schema = f"load_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f'CREATE SCHEMA "{schema}"')
    finally:
        await conn.close()
    return schema


async def drop_schema(url: str, schema: str) -> None:
    """Drop a run's schema and everything in it."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        await conn.close()


def url_in_schema(url: str, schema: str) -> str:
    """Return ``url`` with the schema as its search path, for the bots' ``database.url``.

    asyncpg passes query options it does not know to the server as settings, so the bots keep
    their tables in the run's schema without any option of their own.
    """
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query), ("search_path", schema)]
    return urlunsplit(parts._replace(query=urlencode(query)))


async def read_cases(url: str, schema: str) -> list[CaseRecord]:
    """Return every Discord case the run stored, oldest first."""
    async with PostgresStore(url, schema=schema) as store:
        return await store.cases_since(datetime(2000, 1, 1, tzinfo=UTC), platform="discord")


async def server_version(url: str) -> str:
    """Return the PostgreSQL server's version, e.g. ``15.8``."""
    conn = await asyncpg.connect(url)
    try:
        return str(await conn.fetchval("SHOW server_version")).split()[0]
    finally:
        await conn.close()
