"""Slack event, command and action payloads shaped as Slack sends them, for the tests."""

from __future__ import annotations

from typing import Any

from tests.adapters.slack.mock_web_api import BOT_ID, BOT_USER, TEAM

CHANNEL = "C0GENERAL"
AUTHOR = "U0AUTHOR"


def envelope(event: dict[str, Any], event_id: str = "Ev0001") -> dict[str, Any]:
    """Wrap an event in the ``event_callback`` envelope Slack posts to the Events API."""
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM,
        "api_app_id": "A0POLICYBOT",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1700000000,
        "authorizations": [
            {"team_id": TEAM, "user_id": BOT_USER, "is_bot": True, "is_enterprise_install": False}
        ],
        "is_ext_shared_channel": False,
    }


def message(text: str, ts: str = "1700000000.000100", **extra: Any) -> dict[str, Any]:
    """Return a ``message`` event in a public channel."""
    event = {
        "type": "message",
        "channel": CHANNEL,
        "channel_type": "channel",
        "user": AUTHOR,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "team": TEAM,
    }
    event.update(extra)
    return event


def edited(text: str, before: str, ts: str = "1700000000.000100") -> dict[str, Any]:
    """Return a ``message_changed`` event: the author edited ``before`` into ``text``."""
    return {
        "type": "message",
        "subtype": "message_changed",
        "channel": CHANNEL,
        "channel_type": "channel",
        "hidden": True,
        "ts": "1700000100.000200",
        "event_ts": "1700000100.000200",
        "message": {
            "type": "message",
            "user": AUTHOR,
            "text": text,
            "ts": ts,
            "edited": {"user": AUTHOR, "ts": "1700000100.000000"},
        },
        "previous_message": {"type": "message", "user": AUTHOR, "text": before, "ts": ts},
    }


def deleted(ts: str = "1700000000.000100") -> dict[str, Any]:
    """Return a ``message_deleted`` event."""
    return {
        "type": "message",
        "subtype": "message_deleted",
        "channel": CHANNEL,
        "channel_type": "channel",
        "hidden": True,
        "deleted_ts": ts,
        "ts": "1700000200.000300",
        "event_ts": "1700000200.000300",
        "previous_message": {"type": "message", "user": AUTHOR, "text": "x", "ts": ts},
    }


def bot_message(text: str) -> dict[str, Any]:
    """Return a message another app posted."""
    return message(text, subtype="bot_message", bot_id="B0OTHER", user=None)


def own_message(text: str) -> dict[str, Any]:
    """Return a message policybot itself posted."""
    return message(text, user=BOT_USER, bot_id=BOT_ID)


def command(name: str, text: str, user: str, response_url: str) -> dict[str, str]:
    """Return the form fields Slack posts for a slash command."""
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM,
        "team_domain": "society",
        "channel_id": CHANNEL,
        "channel_name": "general",
        "user_id": user,
        "user_name": "someone",
        "command": name,
        "text": text,
        "api_app_id": "A0POLICYBOT",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": "1.2.3",
    }


def block_action(action_id: str, value: str, user: str, response_url: str) -> dict[str, Any]:
    """Return the ``block_actions`` payload for a button press."""
    return {
        "type": "block_actions",
        "user": {"id": user, "username": "someone", "team_id": TEAM},
        "api_app_id": "A0POLICYBOT",
        "token": "legacy-verification-token",
        "container": {"type": "message", "message_ts": "1700000300.000100", "is_ephemeral": True},
        "trigger_id": "1.2.3",
        "team": {"id": TEAM, "domain": "society"},
        "channel": {"id": CHANNEL, "name": "general"},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "b1",
                "type": "button",
                "value": value,
                "action_ts": "1700000300.000200",
            }
        ],
    }
