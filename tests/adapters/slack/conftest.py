"""Fixtures: the loopback Slack, a core on SQLite, and the real adapter started against them."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest

from adapters.slack.run import Started, start
from bot.app import Core, build_core_for_tests
from tests.adapters.slack.mock_web_api import APP_TOKEN, BOT_TOKEN, MockSlack

SIGNING_SECRET = "test-signing-secret"
MOD_LOG = "C0MODLOG"


@pytest.fixture
async def slack() -> AsyncIterator[MockSlack]:
    mock = MockSlack()
    await mock.start()
    yield mock
    await mock.stop()


def core_overrides(
    mode: str, slack: dict[str, Any] | None = None, defaults: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Return the config the tests run with: Slack on, a log channel, no reminder rate limit."""
    return {
        "slack": {"enabled": True, "mode": mode, **(slack or {})},
        "defaults": {"mod_log_channel": MOD_LOG, **(defaults or {})},
        "ladder": {"rate_limit_minutes": 0},
    }


@pytest.fixture
async def core(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[Core]:
    """A core in HTTP mode; parametrize ``core`` indirectly with {"slack": …, "defaults": …}."""
    extra = getattr(request, "param", {})
    overrides = core_overrides("http", extra.get("slack"), extra.get("defaults"))
    built = await build_core_for_tests(tmp_path, overrides)
    yield built
    await built.close()


@pytest.fixture
async def socket_core(tmp_path: Path) -> AsyncIterator[Core]:
    built = await build_core_for_tests(tmp_path, core_overrides("socket"))
    yield built
    await built.close()


ENV = {
    "SLACK_BOT_TOKEN": BOT_TOKEN,
    "SLACK_APP_TOKEN": APP_TOKEN,
    "SLACK_SIGNING_SECRET": SIGNING_SECRET,
}


@pytest.fixture
async def http_app(core: Core, slack: MockSlack) -> AsyncIterator[Started]:
    started = await start(core, ENV, base_url=slack.base_url, host="127.0.0.1", port=0)
    yield started
    await started.close()


@pytest.fixture
async def socket_app(socket_core: Core, slack: MockSlack) -> AsyncIterator[Started]:
    started = await start(socket_core, ENV, base_url=slack.base_url)
    yield started
    await started.close()


class Sender:
    """Post signed requests to the app's Events API endpoint, as Slack does."""

    def __init__(self, url: str, session: aiohttp.ClientSession) -> None:
        self.url = url
        self.session = session

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str = SIGNING_SECRET,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        """Sign ``body`` with ``secret`` at ``timestamp`` (now by default) and post it."""
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        base = f"v0:{stamp}:{body}".encode()
        signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature,
            **(headers or {}),
        }
        async with self.session.post(self.url, data=body.encode(), headers=sent) as resp:
            return resp.status, await resp.text()

    async def event(self, payload: dict[str, Any], retry: int | None = None) -> int:
        """Deliver an Events API payload (``retry`` sets X-Slack-Retry-Num); return the status."""
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        status, _ = await self.post(
            json.dumps(payload), "application/json", headers=headers if retry else None
        )
        return status

    async def command(self, fields: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """Post a slash command; return the status and the JSON answer (empty if none)."""
        status, text = await self.post(urlencode(fields), "application/x-www-form-urlencoded")
        return status, json.loads(text) if text.startswith("{") else {}

    async def action(self, payload: dict[str, Any]) -> int:
        """Post an interactivity payload (a button press); return the status."""
        body = urlencode({"payload": json.dumps(payload)})
        status, _ = await self.post(body, "application/x-www-form-urlencoded")
        return status


@pytest.fixture
async def send(http_app: Started) -> AsyncIterator[Sender]:
    async with aiohttp.ClientSession() as session:
        yield Sender(http_app.where, session)
