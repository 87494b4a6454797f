"""What ``policybot run`` and ``policybot invite-url`` call for Discord.

Secrets come from the environment only: DISCORD_TOKEN (the bot token) and, optionally,
DISCORD_CLIENT_ID (the application id, needed for the invite when no token is set). Neither is
ever logged or printed.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping

from adapters.discord.bot import run_discord
from adapters.discord.permissions import invite_url
from adapters.discord.shards import Shards
from bot.app import Core
from bot.config import Config

TOKEN_ENV = "DISCORD_TOKEN"
CLIENT_ID_ENV = "DISCORD_CLIENT_ID"


def client_id_from_token(token: str) -> str | None:
    """Return the bot's user id (its application id) from a token's first part, if it has one."""
    first = token.strip().split(".", 1)[0]
    try:
        decoded = base64.urlsafe_b64decode(first + "=" * (-len(first) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return decoded if decoded.isdigit() else None


def client_id(environ: Mapping[str, str] | None = None) -> str:
    """Return the application id from DISCORD_CLIENT_ID or DISCORD_TOKEN; exit with a clear line."""
    env: Mapping[str, str] = os.environ if environ is None else environ
    given = env.get(CLIENT_ID_ENV, "").strip()
    if given:
        if not given.isdigit():
            raise SystemExit(
                f"{CLIENT_ID_ENV} must be the application id, a number "
                "(Developer Portal > your app > General Information > Application ID)"
            )
        return given
    from_token = client_id_from_token(env.get(TOKEN_ENV, ""))
    if from_token:
        return from_token
    raise SystemExit(
        f"set {CLIENT_ID_ENV} to your application id (Developer Portal > General Information) "
        f"or {TOKEN_ENV} to the bot token, then run policybot invite-url again"
    )


def invite_url_command(config: Config, environ: Mapping[str, str] | None = None) -> str:
    """Return the invite URL for the configured features (``policybot invite-url``)."""
    return invite_url(client_id(environ), config)


async def run(
    core: Core, environ: Mapping[str, str] | None = None, shards: Shards | None = None
) -> None:
    """Run the Discord bot with DISCORD_TOKEN from the environment (``policybot run``)."""
    env: Mapping[str, str] = os.environ if environ is None else environ
    token = env.get(TOKEN_ENV, "").strip()
    if not token:
        raise SystemExit(
            f"{TOKEN_ENV} is not set: copy the token from the Developer Portal (Bot > Reset "
            "Token) into it; see docs/discord.md"
        )
    await run_discord(core, token, shards)
