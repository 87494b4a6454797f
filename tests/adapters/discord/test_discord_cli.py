"""``policybot invite-url`` and ``policybot run`` for Discord: ids and tokens from the environment."""

from __future__ import annotations

import base64

import pytest

from adapters.discord import cli
from bot.config import parse_config

BOT_ID = "1234567890123456789"
# The shape of a bot token: base64(user id) . timestamp . signature (this one is made up).
TOKEN = base64.urlsafe_b64encode(BOT_ID.encode()).decode().rstrip("=") + ".GhJkLm.not-a-secret"


@pytest.mark.parametrize(
    ("token", "expected"),
    [(TOKEN, BOT_ID), ("garbage", None), ("", None), ("bm90LWEtbnVtYmVy.x.y", None)],
)
def test_client_id_from_token(token: str, expected: str | None) -> None:
    assert cli.client_id_from_token(token) == expected


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"DISCORD_CLIENT_ID": "42", "DISCORD_TOKEN": TOKEN}, "42"),
        ({"DISCORD_TOKEN": TOKEN}, BOT_ID),
    ],
)
def test_client_id_prefers_the_explicit_id(environ: dict[str, str], expected: str) -> None:
    assert cli.client_id(environ) == expected


@pytest.mark.parametrize(
    ("environ", "says"),
    [
        ({}, "set DISCORD_CLIENT_ID"),
        ({"DISCORD_CLIENT_ID": "my-bot"}, "must be the application id"),
    ],
)
def test_client_id_problems_are_one_clear_line(environ: dict[str, str], says: str) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.client_id(environ)

    assert says in str(exc.value)
    assert "\n" not in str(exc.value)


def test_invite_url_command_uses_the_config() -> None:
    url = cli.invite_url_command(
        parse_config({"defaults": {"actions": {"delete": True}}}), {"DISCORD_CLIENT_ID": "42"}
    )

    assert url.startswith("https://discord.com/oauth2/authorize?client_id=42")
    assert "permissions=" in url


async def test_run_without_a_token_exits_with_the_variable_to_set() -> None:
    with pytest.raises(SystemExit, match="DISCORD_TOKEN is not set"):
        await cli.run(None, {})  # type: ignore[arg-type]  # never reached: no token
