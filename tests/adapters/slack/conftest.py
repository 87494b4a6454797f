"""Fixtures: the loopback Slack, a core on SQLite, and the real adapter started against them."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest

from adapters.slack.run import Started, start
from bot.app import Core, build_core_for_tests, load_policy_and_rules
from bot.config import load_config
from bot.policy import Policy
from bot.rules import RuleSet
from tests.adapters.slack.mock_web_api import APP_TOKEN, BOT_TOKEN, MockSlack

SIGNING_SECRET = "test-signing-secret"
MOD_LOG = "C0MODLOG"


@pytest.fixture(scope="session")
def loaded() -> tuple[Policy, RuleSet]:
    """Load the bundled policy and its rules once: every test builds a core from them."""
    return load_policy_and_rules(load_config(None))


@pytest.fixture
async def slack() -> AsyncIterator[MockSlack]:
    mock = MockSlack()
    await mock.start()
    yield mock
    await mock.stop()


def core_overrides(mode: str, extra: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Return the config the tests run with: Slack on, a log channel, no reminder rate limit.

    ``extra`` adds keys to sections, e.g. ``{"slack": {"dm_reminders": False}}``.
    """
    config: dict[str, dict[str, Any]] = {
        "slack": {"enabled": True, "mode": mode},
        "defaults": {"mod_log_channel": MOD_LOG},
        "ladder": {"rate_limit_minutes": 0},
    }
    for section, keys in (extra or {}).items():
        config[section] = {**config.get(section, {}), **keys}
    return config


CoreMaker = Callable[..., Awaitable[Core]]


@pytest.fixture
async def make_core(tmp_path: Path, loaded: tuple[Policy, RuleSet]) -> AsyncIterator[CoreMaker]:
    """Return ``make(mode, extra=None)`` building cores that are closed after the test."""
    built: list[Core] = []

    async def make(mode: str, extra: dict[str, dict[str, Any]] | None = None) -> Core:
        folder = tmp_path / f"core{len(built)}"
        folder.mkdir()
        core = await build_core_for_tests(folder, core_overrides(mode, extra), loaded=loaded)
        built.append(core)
        return core

    yield make
    for core in built:
        await core.close()


ENV = {
    "SLACK_BOT_TOKEN": BOT_TOKEN,
    "SLACK_APP_TOKEN": APP_TOKEN,
    "SLACK_SIGNING_SECRET": SIGNING_SECRET,
}


@pytest.fixture
def config_extra(request: pytest.FixtureRequest) -> dict[str, dict[str, Any]]:
    """Return config to add (see core_overrides); parametrize ``config_extra`` indirectly."""
    return getattr(request, "param", {})


@pytest.fixture
async def http_app(
    make_core: CoreMaker, slack: MockSlack, config_extra: dict[str, dict[str, Any]]
) -> AsyncIterator[Started]:
    """The adapter serving the Events API on 127.0.0.1, its Web API calls going to the mock."""
    core = await make_core("http", config_extra)
    started = await start(core, ENV, base_url=slack.base_url, host="127.0.0.1", port=0)
    yield started
    await started.close()


@pytest.fixture
def core(http_app: Started) -> Core:
    """Return the HTTP app's core.

    Sync on purpose: pytest-asyncio reprs an async fixture's result, and a core's repr holds
    the whole policy (half a second per test).
    """
    return http_app.adapter.core


@pytest.fixture
async def socket_app(make_core: CoreMaker, slack: MockSlack) -> AsyncIterator[Started]:
    """The adapter connected in Socket Mode to the mock's websocket."""
    started = await start(await make_core("socket"), ENV, base_url=slack.base_url)
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
