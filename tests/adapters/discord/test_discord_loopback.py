"""The Discord adapter end to end: the real discord.py client against the fake Discord.

One bot for the whole module (discord.py waits 5 s before every IDENTIFY but the first), so
each test uses its own members: strikes and reminder rate limits are per member.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import discord
import pytest
import pytest_asyncio

from adapters.discord import permissions
from bot.decision import Action
from bot.message import Message
from bot.store import CaseStatus, DesistRequest
from tests.adapters.discord.harness import Harness, custom_ids, embed_text, running_bot

pytestmark = pytest.mark.asyncio(loop_scope="module")

CONFIG = {
    "defaults": {"mod_log_channel": "mod-log", "moderator_roles": ["Committee"]},
    "discord": {"enabled": True, "reminder_style": "dm"},
}
PEOPLE = (
    *("alice", "bob", "carol", "dave", "erin", "frank", "gina", "hal", "ivy", "jo", "kim"),
    *("lee", "max", "nia"),
)
# Someone else's phone number (the DMU rules decide whether the moderators hear of it at once).
PERSONAL_INFO = "ring Jess on 07700 900123"
# Contact details without saying whose: medium severity, so the ladder climbs one step at a time.
MEDIUM_INFO = "her email is jess.smith@gmail.com, ask her about it"
MEDIUM_INFO_AGAIN = "Tom's home address: 4 Mill Lane, LE2 7AB"
DAY = timedelta(days=1)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def env(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Harness]:
    async with running_bot(tmp_path_factory.mktemp("discord"), CONFIG, PEOPLE) as harness:
        yield harness


def _mentions(request_text: str, user_id: str) -> bool:
    return f"<@{user_id}>" in request_text


async def test_logs_in_and_identifies_once_with_the_intents_it_needs(env: Harness) -> None:
    assert env.fake.sent("GET", "/users/@me")
    assert env.fake.sent("GET", "/oauth2/applications/@me")
    assert env.fake.identifies == 1
    assert env.fake.intents == permissions.required_intents().value


async def test_personal_info_gets_exactly_one_dm_reminder_citing_4_5(env: Harness) -> None:
    _, decision = await env.post("alice", PERSONAL_INFO)

    assert decision.notice is not None
    dms = env.dms_to("alice")
    assert len(dms) == 1
    text = embed_text(dms[0])
    assert "4.5" in text
    assert "07700" not in text
    assert decision.notice is not None and decision.notice.case_ref
    assert custom_ids(dms[0]) == [f"policybot:contest:{decision.notice.case_ref}"]
    # The moderators' log has exactly what the decision holds for them: one entry or none.
    alerts = [r for r in env.log_entries() if _mentions(embed_text(r), env.world["alice"]["id"])]
    assert len(alerts) == (decision.moderator_alert is not None)


async def test_a_first_medium_offence_is_between_the_bot_and_the_member(env: Harness) -> None:
    _, decision = await env.post("hal", MEDIUM_INFO)

    assert decision.action is Action.REMIND
    assert len(env.dms_to("hal")) == 1
    assert not [r for r in env.log_entries() if _mentions(embed_text(r), env.world["hal"]["id"])]


async def test_second_offence_posts_an_embed_in_the_log_channel(env: Harness) -> None:
    bob = env.world["bob"]["id"]
    first, _ = await env.post("bob", MEDIUM_INFO)
    assert not [r for r in env.log_entries() if _mentions(embed_text(r), bob)]

    second, decision = await env.post("bob", MEDIUM_INFO_AGAIN)

    assert decision.action is Action.WARN
    entries = [r for r in env.log_entries() if _mentions(embed_text(r), bob)]
    assert len(entries) == 1
    text = embed_text(entries[0])
    assert "personal-info" in text
    assert "4.5" in text
    assert "Strike: 2" in text
    assert f"/channels/{env.world.guild['id']}/{env.world.general['id']}/{second['id']}" in text
    assert "Mill Lane" not in text  # no message content unless the config opts in
    assert decision.moderator_alert is not None
    assert custom_ids(entries[0]) == [
        f"policybot:pardon:{bob}",
        f"policybot:dismiss:{decision.moderator_alert.case_ref}",
    ]


@pytest.mark.parametrize(
    ("query", "clause"), [("4.5", "4.5"), ("recordings", "4.5"), ("bullying", "5.")]
)
async def test_policy_answers_privately_with_the_clause(
    env: Harness, query: str, clause: str
) -> None:
    callback = await env.interact(
        "carol",
        {
            "id": "1",
            "name": "policy",
            "type": 1,
            "options": [{"name": "query", "type": 3, "value": query}],
        },
    )

    assert callback.body["type"] == 4
    data = callback.body["data"]
    assert data["flags"] & 64  # ephemeral
    assert data["embeds"][0]["title"].startswith(clause)
    assert custom_ids(callback)[0].startswith(f"policybot:post:{clause}")


async def test_policy_autocomplete_offers_clause_ids(env: Harness) -> None:
    callback = await env.interact(
        "carol",
        {
            "id": "1",
            "name": "policy",
            "type": 1,
            "options": [{"name": "query", "type": 3, "value": "4.", "focused": True}],
        },
        kind=4,
    )

    assert callback.body["type"] == 8
    values = [c["value"] for c in callback.body["data"]["choices"]]
    assert "4.5" in values
    assert all(v.startswith("4.") for v in values)


async def test_post_in_channel_button_shares_the_clause_publicly(env: Harness) -> None:
    callback = await env.interact(
        "carol", {"custom_id": "policybot:post:4.5", "component_type": 2}, kind=3
    )

    assert callback.body["type"] == 4
    assert not (callback.body["data"].get("flags") or 0) & 64
    assert callback.body["data"]["embeds"][0]["title"].startswith("4.5")


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("report", []),
        ("privacy", []),
        ("mydata", []),
    ],
)
async def test_member_commands_answer_privately(
    env: Harness, command: str, options: list[object]
) -> None:
    callback = await env.interact(
        "dave", {"id": "1", "name": command, "type": 1, "options": options}
    )

    assert callback.body["type"] == 4
    assert callback.body["data"]["flags"] & 64


def _strikes(member_id: str) -> dict[str, object]:
    return {
        "id": "1",
        "name": "policybot",
        "type": 1,
        "options": [
            {
                "name": "strikes",
                "type": 1,
                "options": [{"name": "member", "type": 6, "value": member_id}],
            }
        ],
        "resolved": {},
    }


def _resolved(env: Harness, name: str) -> dict[str, object]:
    user = env.world[name]
    member = env.fake.member_of(env.world.guild["id"], user["id"])
    member.pop("user")
    return {"users": {user["id"]: user}, "members": {user["id"]: member}}


async def test_policybot_refuses_members_without_moderator_rights(env: Harness) -> None:
    data = _strikes(env.world["bob"]["id"]) | {"resolved": _resolved(env, "bob")}

    callback = await env.interact("erin", data)

    assert callback.body["data"]["flags"] & 64
    assert "only this server's moderators" in callback.body["data"]["content"]


async def test_policybot_strikes_answers_a_moderator(env: Harness) -> None:
    data = _strikes(env.world["bob"]["id"]) | {"resolved": _resolved(env, "bob")}

    callback = await env.interact("mo", data)

    assert callback.body["data"]["flags"] & 64
    assert "case" in embed_text(callback).casefold()


async def test_a_rate_limited_dm_is_retried_after_retry_after(env: Harness) -> None:
    dm_path = f"/channels/{env.fake.dm_channel_id(env.world['frank']['id'])}/messages"
    env.fake.rate_limit("POST", dm_path, retry_after=0.2)

    await env.post("frank", PERSONAL_INFO)

    attempts = env.dms_to("frank")
    assert len(attempts) == 2  # the 429, then the reminder itself
    assert "4.5" in embed_text(attempts[1])


async def test_an_edit_is_checked_again_once(env: Harness) -> None:
    payload, first = await env.post("gina", "see you at film night")
    assert first.action is Action.NONE

    edited = "2026-01-05T10:00:00+00:00"
    decision = await env.edit(payload, PERSONAL_INFO, edited)
    assert decision.notice is not None
    again = await env.edit(payload, PERSONAL_INFO, edited)  # the same edit, delivered twice

    assert again.duplicate
    assert len(env.dms_to("gina")) == 1


async def test_messages_in_threads_use_the_thread_as_channel(env: Harness) -> None:
    _, decision = await env.post("hal", "who's bringing snacks?", channel=env.world.thread)

    assert decision.message.channel == env.world.thread["id"]
    assert decision.message.thread == env.world.general["id"]


async def test_a_reply_becomes_a_core_message_with_everything_the_detectors_read(
    env: Harness,
) -> None:
    kim = env.world["kim"]
    original, _ = await env.post("kim", "film night at 8?")
    attachment = {
        "id": env.fake.snowflake(),
        "filename": "poster.png",
        "content_type": "image/png",
        "size": 1024,
        "url": "https://cdn.example/poster.png",
        "proxy_url": "https://cdn.example/poster.png",
    }

    _, decision = await env.post(
        "jo",
        f"<@{kim['id']}> yes! tickets: https://dmu.ac.uk/films.",
        reply_to=original,
        mentions=(kim,),
        attachments=(attachment,),
    )

    message = decision.message
    assert message.platform == "discord"
    assert message.community == env.world.guild["id"]
    assert message.author_name == "Jo"
    assert message.reply_to == original["id"]
    assert message.reply_to_author == kim["id"]
    assert message.mentions == (kim["id"],)
    assert message.links == ("https://dmu.ac.uk/films",)
    assert [(a.filename, a.content_type) for a in message.attachments] == [
        ("poster.png", "image/png")
    ]
    assert message.idempotency_key == f"{message.id}:"
    assert message.permalink is not None and message.permalink.endswith(message.id)
    assert not message.is_bot


async def test_roles_reach_the_core_by_id_and_by_name(env: Harness) -> None:
    _, decision = await env.post("mo", "committee meeting moved to Tuesday")

    assert set(decision.message.author_roles) == {env.world.committee["id"], "Committee"}


async def test_a_configured_moderator_role_is_enough_for_policybot(env: Harness) -> None:
    data = _strikes(env.world["bob"]["id"]) | {"resolved": _resolved(env, "bob")}

    # The Committee role, but no Manage Messages in this channel: the configured role counts.
    callback = await env.interact("mo", data, permissions=discord.Permissions(send_messages=True))

    assert "only this server's moderators" not in embed_text(callback)
    assert callback.body["data"]["embeds"][0]["title"].startswith("Record of")


async def test_a_deleted_message_is_reported_to_the_core(env: Harness) -> None:
    payload, decision = await env.post("ivy", MEDIUM_INFO)
    assert decision.case_id is not None

    gone = {
        "id": payload["id"],
        "channel_id": payload["channel_id"],
        "guild_id": payload["guild_id"],
    }
    _, withdrawn = await env.expect(
        "policybot_message_deleted",
        lambda mid, _: mid == payload["id"],
        lambda: env.fake.dispatch("MESSAGE_DELETE", gone),
    )

    assert withdrawn == 1  # deleted soon after the reminder: the strike is withdrawn
    record = await env.core.moderation.record(
        "discord", env.world.guild["id"], env.world["ivy"]["id"]
    )
    assert record.active_strikes == 0


async def test_a_second_quick_delete_keeps_its_strike_and_reaches_the_log(env: Harness) -> None:
    max_id = env.world["max"]["id"]
    withdrawn = []
    for text in (MEDIUM_INFO, MEDIUM_INFO_AGAIN):
        payload, decision = await env.post("max", text)
        assert decision.case_id is not None
        gone = {k: payload[k] for k in ("id", "channel_id", "guild_id")}
        _, count = await env.expect(
            "policybot_message_deleted",
            lambda mid, _, payload=payload: mid == payload["id"],
            lambda gone=gone: env.fake.dispatch("MESSAGE_DELETE", gone),
        )
        withdrawn.append(count)

    assert withdrawn == [1, 0]
    entries = [r for r in env.log_entries() if _mentions(embed_text(r), max_id)]
    assert len(entries) == 1 and "flagged messages taken back" in embed_text(entries[0])
    record = await env.core.moderation.record("discord", env.world.guild["id"], max_id)
    assert record.active_strikes == 1


async def test_contest_button_in_a_dm_reaches_the_core(env: Harness) -> None:
    _, decision = await env.post("alice", "and Sam is on 07700 900789")  # alice's second
    case_id = decision.case_id
    stored = await env.core.store.get_case(case_id or 0)
    assert stored is not None and stored.ref

    callback = await env.interact(
        "alice",
        {"custom_id": f"policybot:contest:{stored.ref}", "component_type": 2},
        kind=3,
        dm=True,
    )

    answer = callback.body["data"]["content"]
    assert "moderators will review it" in answer
    # A contested case still counts until a moderator dismisses it: never say otherwise.
    assert "stays on your record" in answer and "won't count" not in answer
    case = await env.core.store.get_case(case_id or 0)
    assert case is not None and case.status is CaseStatus.CONTESTED


async def test_a_contest_goes_to_the_moderators_who_uphold_it(env: Harness) -> None:
    lee = env.world["lee"]["id"]
    _, decision = await env.post("lee", MEDIUM_INFO)
    case_id = decision.case_id
    assert decision.action is Action.REMIND and case_id is not None
    assert decision.notice is not None
    ref = decision.notice.case_ref
    assert not [r for r in env.log_entries() if _mentions(embed_text(r), lee)]

    await env.interact(
        "lee", {"custom_id": f"policybot:contest:{ref}", "component_type": 2}, kind=3, dm=True
    )
    entries = await env.fake.wait_until(
        lambda: [r for r in env.log_entries() if _mentions(embed_text(r), lee)]
    )

    assert len(entries) == 1
    text = embed_text(entries[0])
    assert f"Case #{case_id}" in text and "Contested by the author" in text
    assert "jess.smith" not in text, "no content unless the config opts in"
    assert custom_ids(entries[0]) == [f"policybot:uphold:{ref}", f"policybot:dismiss:{ref}"]

    uphold = {"custom_id": f"policybot:uphold:{ref}", "component_type": 2}
    refused = await env.interact("erin", uphold, kind=3)
    assert "only this server's moderators" in refused.body["data"]["content"]
    case = await env.core.store.get_case(case_id)
    assert case is not None and case.status is CaseStatus.CONTESTED

    done = await env.interact("mo", uphold, kind=3)
    assert f"Case #{case_id} upheld" in done.body["data"]["content"]
    case = await env.core.store.get_case(case_id)
    assert case is not None and case.status is CaseStatus.UPHELD


async def test_a_forwarded_message_is_checked_as_the_forwarders(env: Harness) -> None:
    payload, decision = await env.post("nia", "", forwards=PERSONAL_INFO)

    assert payload["content"] == "" and payload["message_snapshots"]
    assert decision.message.author == env.world["nia"]["id"]
    assert "personal-info" in {f.label for f in decision.violations}
    assert decision.notice is not None and len(env.dms_to("nia")) == 1


async def test_a_moderator_cannot_act_on_another_servers_case(env: Harness) -> None:
    elsewhere = Message(
        id="x1",
        text=MEDIUM_INFO,
        author="someone",
        channel="c1",
        community="another-server",
        platform="discord",
    )
    decision = await env.core.engine.handle(elsewhere)
    case = await env.core.store.get_case(decision.case_id or 0)
    assert case is not None and case.ref is not None

    for kind in ("dismiss", "uphold"):
        for key in (str(case.id), case.ref):
            press = {"custom_id": f"policybot:{kind}:{key}", "component_type": 2}
            answer = await env.interact("mo", press, kind=3)
            assert "in this server" in answer.body["data"]["content"]
    after = await env.core.store.get_case(case.id)
    assert after is not None and after.status is CaseStatus.ACTIVE


async def test_pardon_button_needs_a_moderator(env: Harness) -> None:
    bob = env.world["bob"]["id"]
    data = {"custom_id": f"policybot:pardon:{bob}", "component_type": 2}

    refused = await env.interact("erin", data, kind=3)
    done = await env.interact("mo", data, kind=3)

    assert "only this server's moderators" in refused.body["data"]["content"]
    assert "Pardoned 2 strike(s)" in done.body["data"]["content"]


async def test_joining_a_server_syncs_commands_and_posts_the_privacy_notice(env: Harness) -> None:
    fake = env.fake
    owner = fake.user("treasurer")
    guild = fake.guild("DMU Chess Society", owner)
    fake.role(guild, "@everyone", discord.Permissions(view_channel=True, send_messages=True), 0)
    lobby = fake.channel(guild, "lobby")
    guild["system_channel_id"] = lobby["id"]
    fake.member(guild, fake.bot_user)
    fake.member(guild, owner)

    await env.expect(
        "policybot_guild_ready",
        lambda g: str(g.id) == guild["id"],
        lambda: fake.dispatch("GUILD_CREATE", guild),
    )

    synced = fake.sent("PUT", f"/applications/{fake.application_id}/guilds/{guild['id']}/commands")
    assert {c["name"] for c in synced[0].body} >= {
        "policy",
        "report",
        "mydata",
        "privacy",
        "policybot",
    }
    notice = fake.sent("POST", f"/channels/{lobby['id']}/messages")
    assert "privacy notice" in notice[0].body["content"].casefold()


async def test_a_member_joining_as_a_moderator_is_checked_for_impersonation(
    env: Harness,
) -> None:
    fake, guild = env.fake, env.world.guild
    copycat = fake.user("m0")
    member = fake.member(guild, copycat, nick="M0rgan Lee")

    _, decision = await env.expect(
        "policybot_member_checked",
        lambda m, _: str(m.id) == copycat["id"],
        lambda: fake.dispatch("GUILD_MEMBER_ADD", {**member, "guild_id": guild["id"]}),
    )

    assert decision is not None
    assert "impersonation" in {f.label for f in decision.findings}
    assert decision.message.author == copycat["id"]
    entries = [r for r in env.log_entries() if _mentions(embed_text(r), copycat["id"])]
    assert len(entries) == (decision.moderator_alert is not None)


async def test_a_rename_is_checked_again(env: Harness) -> None:
    fake, guild = env.fake, env.world.guild
    member = fake.member_of(guild["id"], env.world["kim"]["id"])

    member_update = {**member, "nick": "Kimberley", "guild_id": guild["id"]}
    checked, decision = await env.expect(
        "policybot_member_checked",
        lambda m, _: str(m.id) == env.world["kim"]["id"],
        lambda: fake.dispatch("GUILD_MEMBER_UPDATE", member_update),
    )

    assert checked.display_name == "Kimberley"
    assert decision is None


async def test_policybot_clear_desist_lets_a_moderator_clear_requests_to_stop(
    env: Harness,
) -> None:
    guild, hal, jo = env.world.guild["id"], env.world["hal"]["id"], env.world["jo"]["id"]
    now = datetime.now(UTC)
    await env.core.store.add_desist(
        DesistRequest("discord", guild, env.world.general["id"], hal, jo, "m1", now, now + DAY)
    )
    data = {
        "id": "1",
        "name": "policybot",
        "type": 1,
        "options": [
            {
                "name": "clear-desist",
                "type": 1,
                "options": [{"name": "member", "type": 6, "value": jo}],
            }
        ],
        "resolved": _resolved(env, "jo"),
    }

    refused = await env.interact("erin", data)
    assert "only this server's moderators" in refused.body["data"]["content"]
    callback = await env.interact("mo", data)

    assert callback.body["data"]["flags"] & 64
    assert "Cleared 1 request(s) to stop" in callback.body["data"]["content"]
    assert await env.core.store.desists_involving("discord", guild, jo, now) == []


async def test_policybot_reload_rereads_the_policy_and_resyncs_commands(env: Harness) -> None:
    fake = env.fake
    before = env.core.engine
    reload = {"id": "1", "name": "policybot", "type": 1, "options": [{"name": "reload", "type": 1}]}

    callback = await env.interact("mo", reload)

    assert callback.body["type"] == 5  # "thinking…" first, then the answer as a follow-up
    token = callback.path.split("/")[3]
    followups = await fake.wait_until(
        lambda: fake.sent("POST", f"/webhooks/{fake.application_id}/{token}")
    )
    assert "Reloaded the config and the policy" in followups[0].body["content"]
    assert env.core.engine is not before
    assert fake.sent(
        "PUT", f"/applications/{fake.application_id}/guilds/{env.world.guild['id']}/commands"
    )
