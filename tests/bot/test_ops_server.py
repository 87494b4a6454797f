"""/healthz, /metrics and /insights answer from the real store and metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.health import Health
from bot.metrics import Metrics
from bot.ops_server import OpsRoutes, OpsServer
from bot.store.sqlite import SqliteStore

from .conftest import MakeCase

NOW = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    async with SqliteStore(tmp_path / "ops.db") as opened:
        yield opened


@pytest.fixture
def health(store: SqliteStore) -> Health:
    return Health(store)


@pytest.fixture
async def client(store: SqliteStore, health: Health) -> AsyncIterator[TestClient]:
    app = web.Application()
    OpsRoutes(health=health, metrics=Metrics(), store=store, clock=lambda: NOW).add_to(app)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


async def test_healthz_is_200_when_adapters_and_database_are_fine(
    client: TestClient, health: Health
) -> None:
    health.register("discord", lambda: True)
    response = await client.get("/healthz")
    assert response.status == 200
    body = await response.json()
    assert body == {
        "status": "ok",
        "process": True,
        "adapters": {"discord": True},
        "database": "writable",
        "problems": [],
    }


async def test_healthz_is_503_naming_a_disconnected_adapter(
    client: TestClient, health: Health
) -> None:
    health.register("discord", lambda: True)
    health.register("slack", lambda: False)
    response = await client.get("/healthz")
    assert response.status == 503
    assert (await response.json())["problems"] == ["slack: not connected"]


async def test_healthz_is_503_when_the_database_is_closed(
    client: TestClient, store: SqliteStore
) -> None:
    await store.close()
    response = await client.get("/healthz")
    assert response.status == 503
    body = await response.json()
    assert body["database"] == "not writable"


async def test_healthz_counts_a_failing_probe_as_disconnected(
    client: TestClient, health: Health
) -> None:
    def broken() -> bool:
        raise RuntimeError("gone")

    health.register("discord", broken)
    response = await client.get("/healthz")
    assert response.status == 503
    assert (await response.json())["adapters"] == {"discord": False}


async def test_metrics_is_prometheus_text(client: TestClient) -> None:
    response = await client.get("/metrics")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "policybot_detection_seconds_bucket" in await response.text()


async def test_insights_page_shows_counts_without_users_unless_asked(
    client: TestClient, store: SqliteStore, make_case: MakeCase
) -> None:
    case = make_case(user="student-42", created_at=NOW, content="ring 07700 900123")
    await store.commit_decision("discord", "e1", case, None)
    page = await (await client.get("/insights?since=7d")).text()
    assert "personal-info" in page and "<svg" in page
    assert "student-42" not in page and "07700" not in page
    assert "student-42" in await (await client.get("/insights?since=7d&users=1")).text()


async def test_insights_refuses_a_bad_span(client: TestClient) -> None:
    response = await client.get("/insights?since=forever")
    assert response.status == 400
    assert "30d" in await response.text()


async def test_ops_server_listens_on_its_own_port_and_stops(
    store: SqliteStore, health: Health
) -> None:
    routes = OpsRoutes(health=health, metrics=Metrics(), store=store, clock=lambda: NOW)
    server = OpsServer(routes, "127.0.0.1", 0)
    port = await server.start()
    try:
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{port}/healthz") as response,
        ):
            assert response.status == 200
    finally:
        await server.stop()
