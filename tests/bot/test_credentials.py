"""Each enabled adapter's mode names the environment variables it needs, for run and doctor alike."""

from __future__ import annotations

import pytest

from bot.config import parse_config
from bot.credentials import required_tokens


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({}, []),
        ({"discord": {"enabled": True}}, ["DISCORD_TOKEN"]),
        ({"slack": {"enabled": True}}, ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"]),
        (
            {"slack": {"enabled": True, "mode": "http"}},
            ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"],
        ),
        # One deployment for every workspace: tokens come from installs, never the environment.
        (
            {"slack": {"enabled": True, "mode": "http", "oauth": True}},
            ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_SIGNING_SECRET"],
        ),
        (
            {"discord": {"enabled": True}, "slack": {"enabled": True}},
            ["DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"],
        ),
    ],
)
def test_each_mode_needs_its_own_variables(config: dict, expected: list[str]) -> None:  # type: ignore[type-arg]
    assert [t.env for t in required_tokens(parse_config(config))] == expected
