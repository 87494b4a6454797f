"""What Discord refuses: closed DMs fall back to a channel reply; a missing permission for an
automatic action becomes an alert in the moderators' log, never a crash."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio

from bot.decision import Action
from tests.adapters.discord.harness import Harness, embed_text, running_bot

pytestmark = pytest.mark.asyncio(loop_scope="module")

DELETE_AFTER = 5  # the shortest self-deleting reply the config allows
CONFIG = {
    # Every finding escalates at once, whatever severity the rules give it.
    "ladder": {"warn_at": 1, "escalate_at": 1},
    "defaults": {
        "mod_log_channel": "mod-log",
        "actions": {"delete": True, "timeout": True, "timeout_minutes": 15},
    },
    "discord": {
        "enabled": True,
        "reminder_style": "dm-then-channel",
        "channel_reply_delete_after": DELETE_AFTER,
    },
}
PEOPLE = ("alice", "bob", "carol", "dan", "eve")
PERSONAL_INFO = "ring Jess on 07700 900123"
CANNOT_DM = {"message": "Cannot send messages to this user", "code": 50007}
MISSING_PERMISSIONS = {"message": "Missing Permissions", "code": 50013}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def env(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Harness]:
    async with running_bot(tmp_path_factory.mktemp("discord"), CONFIG, PEOPLE) as harness:
        yield harness


async def _escalate(env: Harness, name: str) -> dict[str, object]:
    """Post an offence, which escalates at once here; return the message."""
    payload, decision = await env.post(name, PERSONAL_INFO)
    assert decision.action is Action.ESCALATE
    assert set(decision.auto_actions) == {"delete", "timeout"}
    return payload


async def test_closed_dms_fall_back_to_a_self_deleting_channel_reply(env: Harness) -> None:
    alice = env.world["alice"]["id"]
    general = env.world.general["id"]
    env.fake.fail("POST", f"/channels/{env.fake.dm_channel_id(alice)}/messages", 403, CANNOT_DM)

    payload, _ = await env.post("alice", PERSONAL_INFO)

    replies = env.fake.sent("POST", f"/channels/{general}/messages")
    assert len(replies) == 1
    body = replies[0].body
    assert body["content"].startswith(f"<@{alice}>")
    assert str(body["message_reference"]["message_id"]) == payload["id"]
    assert [str(u) for u in body["allowed_mentions"]["users"]] == [alice]
    assert "4.5" in embed_text(replies[0])
    reply = next(
        m
        for m in env.fake.messages.values()
        if m["channel_id"] == general and alice in m["content"]
    )
    deleted = await env.fake.wait_until(
        lambda: env.fake.sent("DELETE", f"/channels/{general}/messages/{reply['id']}"),
        timeout=DELETE_AFTER + 5,
    )
    assert len(deleted) == 1


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("dan", "honestly I want to die, I can't go on", "wellbeing"),
        ("eve", "how do I report someone for harassment?", "report"),
    ],
)
async def test_closed_dms_never_put_a_route_or_wellbeing_pointer_in_the_channel(
    env: Harness, name: str, text: str, kind: str
) -> None:
    person = env.world[name]["id"]
    general = env.world.general["id"]
    env.fake.fail("POST", f"/channels/{env.fake.dm_channel_id(person)}/messages", 403, CANNOT_DM)
    before = len(env.fake.sent("POST", f"/channels/{general}/messages"))

    payload, decision = await env.post(name, text)

    assert decision.notice is not None and decision.notice.kind == kind
    posted = env.fake.sent("POST", f"/channels/{general}/messages")[before:]
    assert len(posted) == 1
    body = posted[0].body
    assert body["content"].startswith(f"<@{person}>, policybot has a private note for you")
    assert not body.get("embeds") and not body.get("components")
    assert "message_reference" not in body  # nothing points at the message that prompted it
    for word in ("Samaritans", "116 123", "report", "Security", "wellbeing", "die"):
        assert word not in body["content"]
    assert [str(u) for u in body["allowed_mentions"]["users"]] == [person]


async def test_a_forbidden_delete_becomes_a_moderators_alert(env: Harness) -> None:
    general = env.world.general["id"]
    bob = env.world["bob"]["id"]
    env.fake.fail("DELETE", f"/channels/{general}/messages/\\d+", 403, MISSING_PERMISSIONS)

    payload = await _escalate(env, "bob")

    assert env.fake.sent("DELETE", f"/channels/{general}/messages/{payload['id']}")
    alerts = [r for r in env.log_entries() if "could not delete" in embed_text(r)]
    assert len(alerts) == 1
    assert f"<@{bob}>" in embed_text(alerts[0])
    assert "Manage Messages" in embed_text(alerts[0])
    # The timeout was allowed, so it still happened.
    timeouts = env.fake.sent("PATCH", f"/guilds/{env.world.guild['id']}/members/{bob}")
    until = datetime.fromisoformat(timeouts[0].body["communication_disabled_until"])
    assert timedelta(minutes=14) < until - datetime.now(UTC) <= timedelta(minutes=15)


async def test_a_forbidden_timeout_becomes_a_moderators_alert(env: Harness) -> None:
    carol = env.world["carol"]["id"]
    env.fake.fail(
        "PATCH", f"/guilds/{env.world.guild['id']}/members/{carol}", 403, MISSING_PERMISSIONS
    )

    await _escalate(env, "carol")

    alerts = [r for r in env.log_entries() if "could not time out" in embed_text(r)]
    assert len(alerts) == 1
    assert "Moderate Members" in embed_text(alerts[0])
    assert env.bot.is_ready() and not env.bot.is_closed()
