"""Say what the bot needs from Discord: intents, permission bits per feature, the invite URL.

Everything here is derived from the config, so the invite asks for exactly what the enabled
features use and the start-up check can say what stops working when something is missing.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import discord

from bot.config import Config

log = logging.getLogger(__name__)

SCOPES = ("bot", "applications.commands")


@dataclass(frozen=True, slots=True)
class Feature:
    """A thing the bot does in a server, the permission bits it needs and what breaks without."""

    name: str
    permissions: discord.Permissions
    without: str


@dataclass(frozen=True, slots=True)
class Intent:
    """A gateway intent the bot asks for and what it loses when the intent is off."""

    name: str
    portal_name: str
    privileged: bool
    without: str


INTENTS: tuple[Intent, ...] = (
    Intent("guilds", "", False, "the bot does not see servers or channels at all"),
    Intent("guild_messages", "", False, "messages in server channels are never checked"),
    Intent(
        "message_content",
        "Message Content Intent",
        True,
        "messages arrive empty, so nothing can be checked",
    ),
    Intent(
        "members",
        "Server Members Intent",
        True,
        "joins and nickname changes are not checked for impersonation",
    ),
)


def required_intents() -> discord.Intents:
    """Return the gateway intents the bot connects with: no more than it uses."""
    intents = discord.Intents.none()
    for intent in INTENTS:
        setattr(intents, intent.name, True)
    return intents


def _perms(**bits: bool) -> discord.Permissions:
    return discord.Permissions(**bits)


_READ_AND_ANSWER = Feature(
    "checking messages and answering in channels",
    _perms(
        view_channel=True,
        read_message_history=True,
        send_messages=True,
        send_messages_in_threads=True,
        embed_links=True,
    ),
    "the bot cannot read that channel, reply to members there or post to the moderators' log",
)
_DELETE = Feature(
    "deleting messages automatically (actions.delete)",
    _perms(manage_messages=True),
    "automatic deletes fail; moderators are told instead",
)
_TIMEOUT = Feature(
    "timing members out automatically (actions.timeout)",
    _perms(moderate_members=True),
    "automatic timeouts fail; moderators are told instead",
)


def _any_action_on(config: Config, name: str) -> bool:
    model = config.model
    if getattr(model.defaults.actions, name):
        return True
    for community in model.communities.values():
        layers = [community, *community.channels.values()]
        if any(layer.actions is not None and getattr(layer.actions, name) for layer in layers):
            return True
    return False


def features(config: Config) -> tuple[Feature, ...]:
    """Return the features the config turns on anywhere, each with the bits it needs."""
    out = [_READ_AND_ANSWER]
    if _any_action_on(config, "delete"):
        out.append(_DELETE)
    if _any_action_on(config, "timeout"):
        out.append(_TIMEOUT)
    return tuple(out)


def required_permissions(config: Config) -> discord.Permissions:
    """Return the union of the permission bits the enabled features need."""
    perms = discord.Permissions.none()
    for feature in features(config):
        perms |= feature.permissions
    return perms


def invite_url(client_id: int | str, config: Config) -> str:
    """Return the OAuth2 invite URL with scopes bot + applications.commands and exactly those bits."""
    return discord.utils.oauth_url(
        client_id, permissions=required_permissions(config), scopes=SCOPES
    )


def is_moderator(
    permissions: discord.Permissions,
    role_keys: Iterable[str],
    moderator_roles: Collection[str],
) -> bool:
    """Return whether someone may moderate: Manage Messages, or a configured role (id or name).

    ``role_keys`` are the member's role ids and names (see ``events.role_keys``).
    """
    if permissions.manage_messages or permissions.administrator:
        return True
    wanted = {r.lstrip("@").casefold() for r in moderator_roles}
    return any(key.casefold() in wanted for key in role_keys)


def intent_problems(flags: discord.ApplicationFlags) -> list[str]:
    """Return one line per privileged intent the Developer Portal has not switched on."""
    enabled = {
        "message_content": flags.gateway_message_content or flags.gateway_message_content_limited,
        "members": flags.gateway_guild_members or flags.gateway_guild_members_limited,
    }
    return [
        f"{intent.portal_name} is off in the Developer Portal (Bot page): {intent.without}"
        for intent in INTENTS
        if intent.privileged and not enabled.get(intent.name, True)
    ]


def permission_problems(guild_name: str, have: discord.Permissions, config: Config) -> list[str]:
    """Return one line per enabled feature whose permission bits the bot lacks in a server."""
    problems = []
    for feature in features(config):
        missing = [
            name.replace("_", " ").title()
            for name, value in feature.permissions
            if value and not getattr(have, name)
        ]
        if missing and not have.administrator:
            problems.append(
                f"server {guild_name!r}: missing {', '.join(missing)} for {feature.name}: "
                f"{feature.without}"
            )
    return problems


def log_problems(problems: Iterable[str]) -> None:
    """Log each start-up problem as a warning an operator will see."""
    for line in problems:
        log.warning("%s", line)
