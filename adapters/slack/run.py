"""Start the Slack adapter: check the tokens once, then Socket Mode or the Events API over HTTP.

Socket Mode (``SLACK_BOT_TOKEN`` + ``SLACK_APP_TOKEN``) needs no public URL, which suits a
society. ``slack.mode: http`` with ``SLACK_SIGNING_SECRET`` serves the Events API instead.
``slack.oauth: true`` (HTTP mode, ``SLACK_CLIENT_ID`` + ``SLACK_CLIENT_SECRET``) serves every
workspace that installs the app through ``/slack/install``, keeping their bot tokens in the
database. Token problems end in one line naming the variable; tokens themselves are never
printed.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import aiohttp
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.app import SlackAdapter
from adapters.slack.events import PLATFORM
from adapters.slack.installations import (
    BOT_SCOPES,
    TOKEN_KEY_ENV,
    SlackOAuth,
    StoreInstallations,
    StoreOAuthStates,
    TokenBox,
)
from bot.cli import UserError

if TYPE_CHECKING:
    from bot.app import Core

log = logging.getLogger(__name__)
T = TypeVar("T")

EVENTS_PATH = "/slack/events"
INSTALL_PATH = "/slack/install"
_WHERE_BOT = "the Bot User OAuth Token on the Slack app's OAuth & Permissions page"
_WHERE_APP = "an app-level token with connections:write under Basic Information → App-Level Tokens"


class SlackStartError(UserError):
    """The Slack adapter cannot start; the message is one line saying what to fix."""


@dataclass
class Started:
    """A running Slack adapter, and how it is reached (``where``: "socket mode" or a URL)."""

    adapter: SlackAdapter
    where: str
    _stop: Callable[[], Awaitable[None]]

    async def close(self) -> None:
        """Stop receiving, then let the work in flight finish."""
        await self._stop()
        await self.adapter.drain()


async def run(core: Core, env: Mapping[str, str] | None = None) -> None:
    """Run the Slack adapter until cancelled."""
    started = await start(core, env)
    try:
        await asyncio.Event().wait()
    finally:
        await started.close()


async def start(
    core: Core,
    env: Mapping[str, str] | None = None,
    *,
    base_url: str = AsyncWebClient.BASE_URL,
    host: str = "0.0.0.0",
    port: int | None = None,
) -> Started:
    """Check the tokens (``auth.test`` once), then connect or serve; raise SlackStartError."""
    env = os.environ if env is None else env
    config = core.config.slack
    if config.oauth:
        return await _start_oauth(core, env, base_url, host, port)
    bot_token = _token(env, "SLACK_BOT_TOKEN", "xoxb-", _WHERE_BOT)
    client = AsyncWebClient(token=bot_token, base_url=base_url)
    admin_client = None
    if config.admin_user_token_env:
        where = f"a workspace admin's user token (slack.admin_user_token_env names {config.admin_user_token_env})"
        admin_token = _token(env, config.admin_user_token_env, "xoxp-", where)
        admin_client = AsyncWebClient(token=admin_token, base_url=base_url)
        await _check(admin_client.auth_test(), config.admin_user_token_env, where, base_url)
    signing_secret = ""
    if config.mode == "http":
        signing_secret = env.get("SLACK_SIGNING_SECRET", "").strip()
        if not signing_secret:
            raise SlackStartError(
                "slack: SLACK_SIGNING_SECRET is not set (slack.mode is http): copy the Signing "
                "Secret from the Slack app's Basic Information page"
            )
    adapter = SlackAdapter(core, client, signing_secret=signing_secret, admin_client=admin_client)
    identity = await _check(adapter.identify(), "SLACK_BOT_TOKEN", _WHERE_BOT, base_url)
    team = str(identity.team_id)
    await core.engine.bot_added(PLATFORM, team)
    log.info("slack: signed in to %s (%s) as %s", identity.team, team, identity.bot_user_id)
    if config.mode == "http":
        return await _serve(adapter, host, config.port if port is None else port)
    return await _connect(adapter, env, base_url)


async def _start_oauth(
    core: Core, env: Mapping[str, str], base_url: str, host: str, port: int | None
) -> Started:
    """Serve every workspace that installs the app: install page, redirect and events."""
    config = core.config.slack
    if config.mode != "http":
        raise SlackStartError(
            "slack: slack.oauth needs slack.mode: http (Slack sends installers back to a URL)"
        )
    if config.admin_user_token_env:
        raise SlackStartError(
            "slack: slack.admin_user_token_env holds one workspace's token; it cannot be used "
            "with slack.oauth"
        )
    where = "the Slack app's Basic Information page (App Credentials)"
    credentials = {}
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_SIGNING_SECRET"):
        credentials[name] = env.get(name, "").strip()
        if not credentials[name]:
            raise SlackStartError(
                f"slack: {name} is not set (slack.oauth is on): copy it from {where}"
            )
    try:
        box = TokenBox.from_env(env)
    except ValueError as exc:
        raise SlackStartError(f"slack: {exc}") from None
    if not box.encrypts:
        log.warning(
            "slack: %s is not set: workspaces' bot tokens are stored unencrypted in the database",
            TOKEN_KEY_ENV,
        )
    oauth = SlackOAuth(
        client_id=credentials["SLACK_CLIENT_ID"],
        client_secret=credentials["SLACK_CLIENT_SECRET"],
        scopes=BOT_SCOPES,
        installations=StoreInstallations(core.store, box),
        states=StoreOAuthStates(core.store),
        redirect_uri=config.redirect_url,
    )
    adapter = SlackAdapter(
        core,
        AsyncWebClient(base_url=base_url),
        signing_secret=credentials["SLACK_SIGNING_SECRET"],
        oauth=oauth,
    )
    started = await _serve(adapter, host, config.port if port is None else port)
    log.info(
        "slack: workspaces install the app at %s", started.where.replace(EVENTS_PATH, INSTALL_PATH)
    )
    return started


async def _connect(adapter: SlackAdapter, env: Mapping[str, str], base_url: str) -> Started:
    app_token = _token(env, "SLACK_APP_TOKEN", "xapp-", _WHERE_APP)
    # Ask for the websocket URL here, so a refused app token is one line, not endless retries.
    opened = await _check(
        adapter.client.apps_connections_open(app_token=app_token),
        "SLACK_APP_TOKEN",
        _WHERE_APP + ", with Socket Mode enabled",
        base_url,
    )
    handler = AsyncSocketModeHandler(adapter.app, app_token, web_client=adapter.client)
    handler.client.wss_uri = str(opened["url"])
    await handler.connect_async()
    log.info("slack: connected in Socket Mode")
    return Started(adapter, "socket mode", handler.close_async)


async def _serve(adapter: SlackAdapter, host: str, port: int) -> Started:
    runner = web.AppRunner(adapter.app.web_app(path=EVENTS_PATH, port=port))
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as exc:
        await runner.cleanup()
        raise SlackStartError(
            f"slack: cannot listen on {host}:{port} (slack.port): {exc.strerror}"
        ) from None
    bound_host, bound_port = runner.addresses[0][:2]
    url = f"http://{bound_host}:{bound_port}{EVENTS_PATH}"
    log.info("slack: serving the Events API at %s", url)
    return Started(adapter, url, runner.cleanup)


def _token(env: Mapping[str, str], name: str, prefix: str, where: str) -> str:
    token = env.get(name, "").strip()
    if not token:
        raise SlackStartError(f"slack: {name} is not set: use {where}")
    if not token.startswith(prefix):
        raise SlackStartError(f"slack: {name} should start with {prefix}: use {where}")
    return token


async def _check(call: Awaitable[T], name: str, where: str, base_url: str) -> T:
    try:
        return await call
    except SlackApiError as exc:
        error = exc.response.get("error", "error")
        raise SlackStartError(f"slack: Slack refused {name} ({error}): use {where}") from None
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise SlackStartError(f"slack: cannot reach Slack at {base_url}: {exc}") from None
