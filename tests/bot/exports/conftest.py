"""Paths to the bundled sample exports and a builder for small hand-made Slack exports."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"

SlackExportBuilder = Callable[..., Path]


@pytest.fixture
def slack_sample() -> Path:
    """Return the bundled DMU Hiking Society Slack export folder."""
    return EXAMPLES / "slack-export"


@pytest.fixture
def discord_sample() -> Path:
    """Return the bundled DMU Gaming Society DiscordChatExporter file."""
    return EXAMPLES / "discord-export.json"


@pytest.fixture
def make_slack_export(tmp_path: Path) -> SlackExportBuilder:
    """Return a builder writing a one-channel Slack export; values may be raw text or JSON data."""

    def build(
        days: dict[str, Any],
        channels: Any = None,
        users: Any = None,
    ) -> Path:
        root = tmp_path / "export"
        (root / "general").mkdir(parents=True)
        files: dict[str, Any] = {
            "channels.json": channels
            if channels is not None
            else [{"id": "C1", "name": "general", "members": ["U1", "U2"]}],
            "users.json": users
            if users is not None
            else [
                {"id": "U1", "team_id": "T1", "name": "ana", "profile": {"display_name": "Ana"}},
                {"id": "U2", "team_id": "T1", "name": "bo", "profile": {"display_name": "Bo"}},
            ],
        }
        files.update({f"general/{day}.json": content for day, content in days.items()})
        for name, content in files.items():
            text = content if isinstance(content, str) else json.dumps(content)
            (root / name).write_text(text, encoding="utf-8")
        return root

    return build
