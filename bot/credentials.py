"""Name the environment variables each enabled adapter needs, and where each one comes from.

``policybot run`` refuses to start without them and ``policybot doctor`` checks them; both read
this one list, so they never disagree about what a mode needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Config

#: What each kind of Slack token starts with, to name a token put in the wrong variable.
SLACK_TOKEN_KINDS = {
    "xoxb-": "a bot token",
    "xapp-": "an app-level token",
    "xoxp-": "a user token",
}


@dataclass(frozen=True, slots=True)
class Token:
    """An environment variable an enabled adapter needs, where to get it, how its value starts."""

    platform: str
    env: str
    where: str
    prefix: str = ""


def required_tokens(config: Config) -> list[Token]:
    """Return the tokens the config's enabled adapters need (``run`` and ``doctor`` both ask)."""
    tokens = []
    basic = "the Slack app's Basic Information page"
    if config.discord.enabled:
        tokens.append(Token("discord", "DISCORD_TOKEN", "the Discord Developer Portal, Bot page"))
    if config.slack.enabled and config.slack.oauth:
        # Every workspace's bot token comes from its install and lives in the store.
        tokens += [
            Token("slack", env, basic)
            for env in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_SIGNING_SECRET")
        ]
    elif config.slack.enabled:
        tokens.append(
            Token("slack", "SLACK_BOT_TOKEN", "the Slack app's OAuth & Permissions page", "xoxb-")
        )
        if config.slack.mode == "socket":
            tokens.append(
                Token(
                    "slack", "SLACK_APP_TOKEN", "an app-level token with connections:write", "xapp-"
                )
            )
        else:
            tokens.append(Token("slack", "SLACK_SIGNING_SECRET", basic))
    return tokens
