"""Fixtures: a started playground on a SQLite file in tmp_path, and an aiohttp client for it;
and how a test reads a real playground process's first line."""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.playground.session import Playground
from adapters.playground.web import make_app
from bot.config import parse_config
from bot.policy import Policy
from bot.rules import RuleSet
from bot.store.sqlite import SqliteStore

#: How long a real playground process may take to print where it listens.
STARTUP_SECONDS = 60


def launch(
    home: Path, *args: str, env: dict[str, str] | None = None, stderr: int = subprocess.DEVNULL
) -> subprocess.Popen[str]:
    """Start ``policybot playground --port 0 [args]`` as a user would, with ``home`` as HOME.

    The caller's POLICYBOT_CONFIG is left out, so the process reads no config of the machine's.
    """
    base = {k: v for k, v in os.environ.items() if k != "POLICYBOT_CONFIG"}
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "playground", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        env=base | {"HOME": str(home)} | (env or {}),
    )


@contextmanager
def running(
    home: Path, *args: str, env: dict[str, str] | None = None, stderr: int = subprocess.DEVNULL
) -> Iterator[subprocess.Popen[str]]:
    """Run :func:`launch`'s process for the ``with`` block; kill it if still running after."""
    proc = launch(home, *args, env=env, stderr=stderr)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def first_line(proc: subprocess.Popen[str]) -> str:
    """Return the process's first stdout line, failing if it does not come in time."""
    assert proc.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=STARTUP_SECONDS):
            proc.kill()
            pytest.fail("policybot playground printed nothing in time")
    return proc.stdout.readline()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "playground.db"


@pytest.fixture
async def playground(db: Path, loaded: tuple[Policy, RuleSet]) -> AsyncIterator[Playground]:
    started = Playground(parse_config({}), SqliteStore(db), loaded)
    await started.start()
    yield started
    await started.close()


@pytest.fixture
async def client(playground: Playground) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(make_app(playground))) as test_client:
        yield test_client


class Api:
    """The calls the page makes, as plain helpers."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    async def say(self, who: str, text: str, status: int = 200) -> dict[str, Any]:
        response = await self.client.post("/api/messages", json={"as": who, "text": text})
        assert response.status == status, await response.text()
        data: dict[str, Any] = await response.json()
        return data

    async def state(self, who: str) -> dict[str, Any]:
        response = await self.client.get(f"/api/state?as={who}")
        assert response.status == 200, await response.text()
        data: dict[str, Any] = await response.json()
        return data

    async def post(self, path: str, body: dict[str, Any], status: int = 200) -> dict[str, Any]:
        response = await self.client.post(path, json=body)
        assert response.status == status, await response.text()
        data: dict[str, Any] = await response.json()
        return data


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)
