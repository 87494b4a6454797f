"""Intents, permission bits per feature, the invite URL and the start-up problems."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import discord
import pytest

from adapters.discord import permissions
from bot.config import parse_config

READ_AND_ANSWER = discord.Permissions(
    view_channel=True,
    read_message_history=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
)


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


@pytest.mark.parametrize(
    ("config", "extra"),
    [
        ({}, discord.Permissions.none()),
        (
            {"defaults": {"actions": {"delete": True}}},
            discord.Permissions(manage_messages=True),
        ),
        (
            {"communities": {"42": {"channels": {"7": {"actions": {"timeout": True}}}}}},
            discord.Permissions(moderate_members=True),
        ),
        (
            {"defaults": {"actions": {"delete": True, "timeout": True}}},
            discord.Permissions(manage_messages=True, moderate_members=True),
        ),
    ],
)
def test_invite_url_asks_for_exactly_the_bits_the_enabled_features_need(
    config: dict[str, Any], extra: discord.Permissions
) -> None:
    url = permissions.invite_url(1234, parse_config(config))

    query = _query(url)
    assert query["client_id"] == ["1234"]
    assert query["scope"] == ["bot applications.commands"]
    assert int(query["permissions"][0]) == (READ_AND_ANSWER | extra).value


def test_required_intents_are_guilds_messages_content_and_members() -> None:
    intents = permissions.required_intents()

    assert intents == discord.Intents(
        guilds=True, guild_messages=True, message_content=True, members=True
    )


@pytest.mark.parametrize(
    ("flags", "missing"),
    [
        (discord.ApplicationFlags(), ["Message Content Intent", "Server Members Intent"]),
        (discord.ApplicationFlags(gateway_message_content_limited=True), ["Server Members Intent"]),
        (
            discord.ApplicationFlags(
                gateway_message_content=True, gateway_guild_members_limited=True
            ),
            [],
        ),
    ],
)
def test_intent_problems_name_each_switch_that_is_off(
    flags: discord.ApplicationFlags, missing: list[str]
) -> None:
    problems = permissions.intent_problems(flags)

    assert [p.split(" is off")[0] for p in problems] == missing


@pytest.mark.parametrize(
    ("have", "config", "expected"),
    [
        (READ_AND_ANSWER, {}, []),
        (discord.Permissions.all(), {"defaults": {"actions": {"delete": True}}}, []),
        (
            READ_AND_ANSWER,
            {"defaults": {"actions": {"delete": True}}},
            ["Manage Messages for deleting messages automatically"],
        ),
        (
            discord.Permissions(view_channel=True, send_messages=True),
            {},
            ["Embed Links, Read Message History, Send Messages In Threads for checking"],
        ),
    ],
)
def test_permission_problems_say_what_is_missing_and_what_stops(
    have: discord.Permissions, config: dict[str, Any], expected: list[str]
) -> None:
    problems = permissions.permission_problems("Film Soc", have, parse_config(config))

    assert len(problems) == len(expected)
    for line, fragment in zip(problems, expected, strict=True):
        assert line.startswith("server 'Film Soc': missing ")
        assert fragment in line


@pytest.mark.parametrize(
    ("perms", "roles", "configured", "expected"),
    [
        (discord.Permissions(manage_messages=True), (), (), True),
        (discord.Permissions(administrator=True), (), (), True),
        (discord.Permissions.none(), ("111", "Committee"), ("committee",), True),
        (discord.Permissions.none(), ("111", "Committee"), ("111",), True),
        (discord.Permissions.none(), ("111", "Committee"), ("@Committee",), True),
        (discord.Permissions.none(), ("222", "Members"), ("Committee",), False),
        (discord.Permissions(send_messages=True), (), (), False),
    ],
)
def test_is_moderator(
    perms: discord.Permissions,
    roles: tuple[str, ...],
    configured: tuple[str, ...],
    expected: bool,
) -> None:
    assert permissions.is_moderator(perms, roles, configured) is expected
