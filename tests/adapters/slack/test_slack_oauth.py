"""``slack.oauth: true``: a workspace installs the app through Bolt's OAuth flow over loopback
(install page, Slack's redirect, ``oauth.v2.access`` on the mock), then its events are answered
with its own bot token, kept encrypted in the database."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from cryptography.fernet import Fernet

from adapters.slack.installations import TOKEN_KEY_ENV
from adapters.slack.run import SlackStartError, Started, start
from bot.app import Core
from bot.cli import main
from tests.adapters.slack import payloads as p
from tests.adapters.slack.conftest import SIGNING_SECRET, CoreMaker, Sender
from tests.adapters.slack.mock_web_api import TEAM, MockSlack, Scripted

OTHER_TEAM = "T0OTHERSOC"
OTHER_TOKEN = "xoxb-other-society"
INSTALLER = "U0INSTALLER"
FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)
ENV = {
    "SLACK_CLIENT_ID": "111.222",
    "SLACK_CLIENT_SECRET": "client-secret",
    "SLACK_SIGNING_SECRET": SIGNING_SECRET,
    TOKEN_KEY_ENV: Fernet.generate_key().decode(),
}
ACCESS = {
    "ok": True,
    "access_token": OTHER_TOKEN,
    "token_type": "bot",
    "scope": "channels:history,chat:write,commands",
    "bot_user_id": "U0OTHERBOT",
    "app_id": "A0POLICYBOT",
    "team": {"id": OTHER_TEAM, "name": "Other Society"},
    "enterprise": None,
    "authed_user": {"id": INSTALLER},
    "is_enterprise_install": False,
}


@pytest.fixture
async def oauth_app(make_core: CoreMaker, slack: MockSlack) -> AsyncIterator[Started]:
    core = await make_core("http", {"slack": {"oauth": True}})
    started = await start(core, ENV, base_url=slack.base_url, host="127.0.0.1", port=0)
    yield started
    await started.close()


@pytest.fixture
async def browser() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def install(app: Started, browser: aiohttp.ClientSession) -> tuple[str, str]:
    """Open the install page; return the state in its "Add to Slack" link and the cookie."""
    base = app.where.removesuffix("/slack/events")
    async with browser.get(f"{base}/slack/install") as page:
        assert page.status == 200
        html = await page.text()
        cookie = page.headers["Set-Cookie"].split(";")[0]
    link = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', html)
    assert link is not None, html
    state = re.search(r"state=([^&]+)", link.group(1))
    assert state is not None and "client_id=111.222" in link.group(1)
    return state.group(1), cookie


async def come_back(
    app: Started, browser: aiohttp.ClientSession, state: str, cookie: str
) -> tuple[int, str]:
    """Follow Slack's redirect back to the app with a code, as the installer's browser does."""
    base = app.where.removesuffix("/slack/events")
    url = f"{base}/slack/oauth_redirect?code=c0de&state={state}"
    async with browser.get(url, headers={"Cookie": cookie}) as answer:
        return answer.status, await answer.text()


async def test_a_workspace_installs_the_app_and_gets_answered_with_its_own_token(
    oauth_app: Started, slack: MockSlack, browser: aiohttp.ClientSession
) -> None:
    core: Core = oauth_app.adapter.core
    slack.script("oauth.v2.access", Scripted(200, ACCESS))
    slack.bot_tokens.add(OTHER_TOKEN)
    await core.engine.bot_removed("slack", OTHER_TEAM)  # it had uninstalled the app before

    state, cookie = await install(oauth_app, browser)
    status, _ = await come_back(oauth_app, browser, state, cookie)

    assert status == 200
    (exchange,) = slack.calls_to("oauth.v2.access")
    assert exchange.params["code"] == "c0de"
    row = await core.store.find_installation("slack", "bot", "", OTHER_TEAM)
    assert row is not None and OTHER_TOKEN not in row.data, "the token is kept encrypted"
    assert await core.store.purge_due_communities(FAR_FUTURE) == [], "the purge is cancelled"

    event = p.envelope(p.message("ring Jess on 07700 900123", team=OTHER_TEAM))
    event["team_id"] = event["authorizations"][0]["team_id"] = OTHER_TEAM
    async with aiohttp.ClientSession() as session:
        assert await Sender(oauth_app.where, session).event(event) == 200
    (reminder,) = await slack.wait_for("chat.postEphemeral")
    assert reminder.token == OTHER_TOKEN


async def test_a_state_works_once(
    oauth_app: Started, slack: MockSlack, browser: aiohttp.ClientSession
) -> None:
    slack.script("oauth.v2.access", Scripted(200, ACCESS), Scripted(200, ACCESS))
    slack.bot_tokens.add(OTHER_TOKEN)
    state, cookie = await install(oauth_app, browser)

    first, _ = await come_back(oauth_app, browser, state, cookie)
    again, _ = await come_back(oauth_app, browser, state, cookie)

    assert first == 200 and again >= 400
    assert len(slack.calls_to("oauth.v2.access")) == 1


async def test_an_event_from_a_workspace_that_never_installed_reaches_nothing(
    oauth_app: Started, slack: MockSlack
) -> None:
    event = p.envelope(p.message("ring Jess on 07700 900123"))
    async with aiohttp.ClientSession() as session:
        await Sender(oauth_app.where, session).event(event)
    await oauth_app.adapter.drain()

    assert slack.calls_to("chat.postEphemeral") == []
    core: Core = oauth_app.adapter.core
    assert await core.store.cases_for_user("slack", TEAM, p.AUTHOR) == []


@pytest.mark.parametrize(
    ("extra", "env", "problem"),
    [
        ({"mode": "socket"}, {}, "slack.oauth needs slack.mode: http"),
        ({}, {"SLACK_CLIENT_ID": ""}, "SLACK_CLIENT_ID is not set (slack.oauth is on)"),
        ({}, {TOKEN_KEY_ENV: "short"}, f"{TOKEN_KEY_ENV} is not a Fernet key"),
        (
            {"admin_user_token_env": "ADMIN"},
            {},
            "slack.admin_user_token_env holds one workspace's token",
        ),
    ],
)
async def test_oauth_start_up_problems_are_one_line(
    make_core: CoreMaker,
    slack: MockSlack,
    extra: dict[str, object],
    env: dict[str, str],
    problem: str,
) -> None:
    core = await make_core("http", {"slack": {"oauth": True, **extra}})
    with pytest.raises(SlackStartError) as raised:
        await start(core, {**ENV, **env}, base_url=slack.base_url, port=0)
    assert problem in str(raised.value) and "\n" not in str(raised.value)
    assert ENV["SLACK_CLIENT_SECRET"] not in str(raised.value)


def test_run_asks_for_the_oauth_credentials_not_a_bot_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database:\n  url: sqlite:///{tmp_path / 'bot.db'}\n"
        "slack:\n  enabled: true\n  mode: http\n  oauth: true\n"
    )
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)

    assert main(["--config", str(config), "run"]) == 2

    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "SLACK_CLIENT_ID" in error and "SLACK_CLIENT_SECRET" in error
    assert "SLACK_BOT_TOKEN" not in error and "SLACK_SIGNING_SECRET" not in error
    assert not (tmp_path / "bot.db").exists()
