"""The real Bolt app over loopback HTTP: signed requests in, Web API calls out to the mock."""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from adapters.slack import blocks
from adapters.slack.run import Started
from bot.app import Core
from bot.decision import Action, Decision, ModeratorAlert, Notice
from bot.message import Message
from bot.store import DesistRequest
from tests.adapters.slack import payloads as p
from tests.adapters.slack.conftest import MOD_LOG, Sender
from tests.adapters.slack.mock_web_api import BOT_USER, TEAM, Call, MockSlack, Scripted

PERSONAL_INFO = "ring Jess on 07700 900123"
MANIFEST = Path(__file__).parents[3] / "adapters" / "slack" / "manifest.yaml"
DAY = timedelta(days=1)


def _text(call: Call) -> str:
    return json.dumps(call.params, ensure_ascii=False)


@pytest.fixture
def info_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Capture INFO logs; request it before the app so Bolt's loggers are made at INFO."""
    caplog.set_level(logging.INFO)
    return caplog


async def _settle(app: Started) -> None:
    await app.adapter.drain()


async def test_personal_info_gets_one_ephemeral_reminder_citing_4_5(
    send: Sender, slack: MockSlack, http_app: Started
) -> None:
    assert await send.event(p.envelope(p.message(PERSONAL_INFO))) == 200
    (reminder,) = await slack.wait_for("chat.postEphemeral")
    await _settle(http_app)
    assert len(slack.calls_to("chat.postEphemeral")) == 1
    assert reminder.params["user"] == p.AUTHOR and reminder.params["channel"] == p.CHANNEL
    assert "thread_ts" not in reminder.params
    assert "clause 4.5" in _text(reminder)
    assert reminder.token is not None and reminder.token.startswith("xoxb-")


async def test_a_retried_event_still_gets_one_reminder(
    send: Sender, slack: MockSlack, http_app: Started
) -> None:
    body = p.envelope(p.message(PERSONAL_INFO), event_id="Ev0RETRIED")
    assert [await send.event(body, retry=n) for n in (None, 1, 2)] == [200, 200, 200]
    await _settle(http_app)
    assert len(slack.calls_to("chat.postEphemeral")) == 1


async def test_a_reminder_in_a_thread_stays_in_the_thread(
    send: Sender, slack: MockSlack, http_app: Started
) -> None:
    event = p.message(PERSONAL_INFO, ts="1700000050.000100", thread_ts="1700000000.000100")
    await send.event(p.envelope(event))
    (reminder,) = await slack.wait_for("chat.postEphemeral")
    assert reminder.params["thread_ts"] == "1700000000.000100"


@pytest.mark.parametrize(
    ("why", "secret", "age"),
    [("bad signature", "not-the-secret", 0), ("stale timestamp", None, 600)],
)
async def test_unsigned_or_stale_requests_are_refused_and_ignored(
    info_logs: pytest.LogCaptureFixture, send: Sender, slack: MockSlack, http_app: Started,
    core: Core, why: str, secret: str | None, age: int,
) -> None:  # fmt: skip
    body = json.dumps(p.envelope(p.message(PERSONAL_INFO), event_id="Ev0FORGED"))
    kwargs: dict[str, Any] = {"timestamp": int(time.time()) - age}
    if secret:
        kwargs["secret"] = secret
    status, _ = await send.post(body, "application/json", **kwargs)
    await _settle(http_app)
    assert status == 401, why
    assert [c.method for c in slack.calls] == ["auth.test"], "only the start-up check"
    assert not await core.store.seen_event("slack", "Ev0FORGED")
    assert "Invalid request signature detected (body withheld)" in info_logs.text
    assert "07700" not in info_logs.text, "the refused body (a member's message) is not logged"


async def test_bots_and_the_bot_itself_are_ignored(
    send: Sender, slack: MockSlack, http_app: Started
) -> None:
    await send.event(p.envelope(p.own_message(PERSONAL_INFO), event_id="Ev1"))
    await send.event(p.envelope(p.bot_message(PERSONAL_INFO), event_id="Ev2"))
    await _settle(http_app)
    assert [c.method for c in slack.calls] == ["auth.test"]


async def test_auth_test_is_called_once_at_start_up(
    send: Sender, slack: MockSlack, http_app: Started
) -> None:
    assert len(slack.calls_to("auth.test")) == 1
    for n in range(3):
        await send.event(p.envelope(p.message(f"hello {n}", ts=f"17.{n}"), event_id=f"Ev{n}"))
    await _settle(http_app)
    assert len(slack.calls_to("auth.test")) == 1


@pytest.mark.parametrize(("query", "clause"), [("4.5", "4.5"), ("recordings", "4.5")])
async def test_policy_answers_ephemerally_with_the_clause(
    send: Sender, slack: MockSlack, query: str, clause: str
) -> None:
    status, answer = await send.command(p.command("/policy", query, p.AUTHOR, slack.response_url()))
    assert status == 200
    assert answer["response_type"] == "ephemeral"
    assert answer["blocks"][0]["text"]["text"].startswith(f"*{clause} ")
    share = [e for b in answer["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert share[0]["action_id"] == blocks.SHARE


@pytest.mark.parametrize(
    ("config_extra", "complaints"),
    [
        ({}, None),  # the policy gives it no contact: not named until the config gives one
        (
            {"routes": {"student-complaints": {"contact": "https://example.ac.uk/complaints"}}},
            "Student Complaints Procedure*: https://example.ac.uk/complaints",
        ),
    ],
    indirect=["config_extra"],
)
async def test_report_answers_with_the_official_routes(
    send: Sender, slack: MockSlack, complaints: str | None
) -> None:
    status, answer = await send.command(p.command("/report", "", p.AUTHOR, slack.response_url()))
    assert status == 200 and answer["response_type"] == "ephemeral"
    text = json.dumps(answer)
    assert "DMU Security Team*: security@dmu.ac.uk" in text
    if complaints is None:
        assert "Student Complaints Procedure" not in text
    else:
        assert complaints in text


async def test_privacy_answers_with_the_notice(send: Sender, slack: MockSlack) -> None:
    _, answer = await send.command(p.command("/privacy", "", p.AUTHOR, slack.response_url()))
    assert answer["response_type"] == "ephemeral"
    assert "*What it keeps.*" in json.dumps(answer)


async def test_a_non_moderator_cannot_pardon(
    send: Sender, slack: MockSlack, http_app: Started, core: Core
) -> None:
    status, answer = await send.command(
        p.command("/policybot", "pardon <@U0JESS|jess>", p.AUTHOR, slack.response_url())
    )
    assert status == 200 and answer == {}
    (reply,) = await slack.wait_for("response_url:cmd")
    await _settle(http_app)
    assert reply.params["response_type"] == "ephemeral"
    assert reply.params["text"].startswith("Sorry, `/policybot` is for this workspace's moderators")
    assert await core.store.audit_log("slack", TEAM) == []


@pytest.mark.parametrize(
    "config_extra",
    [
        {},
        {"slack": {"moderator_usergroup": "S0MODS"}},
        {"slack": {"moderator_usergroup": "@s0mods"}},
    ],
    ids=["workspace-admin", "usergroup-id", "usergroup-handle"],
    indirect=True,
)
async def test_a_moderator_can_pardon(send: Sender, slack: MockSlack, core: Core) -> None:
    if core.config.slack.moderator_usergroup:
        slack.usergroups["S0MODS"] = ["U0MOD"]
    else:
        slack.admins.add("U0MOD")
    await send.command(p.command("/policybot", "pardon <@U0JESS>", "U0MOD", slack.response_url()))
    (reply,) = await slack.wait_for("response_url:cmd")
    assert reply.params["text"] == "Pardoned 0 case(s) of <@U0JESS>."
    (entry,) = await core.store.audit_log("slack", TEAM)
    assert (entry.actor, entry.action) == ("U0MOD", "pardon")


async def test_a_moderator_can_clear_a_members_requests_to_stop(
    send: Sender, slack: MockSlack, core: Core
) -> None:
    now = datetime.now(UTC)
    await core.store.add_desist(
        DesistRequest("slack", TEAM, "C0GENERAL", "U0BOB", "U0JESS", "m1", now, now + DAY)
    )
    slack.admins.add("U0MOD")
    await send.command(
        p.command("/policybot", "clear-desist <@U0JESS>", "U0MOD", slack.response_url())
    )
    (reply,) = await slack.wait_for("response_url:cmd")
    assert reply.params["text"] == "Cleared 1 request(s) to stop involving <@U0JESS>."
    assert await core.store.desists_involving("slack", TEAM, "U0JESS", now) == []
    (entry,) = await core.store.audit_log("slack", TEAM)
    assert (entry.actor, entry.action, entry.subject) == ("U0MOD", "clear-desists", "U0JESS")


async def test_a_moderator_can_reload_the_policy(
    send: Sender, slack: MockSlack, core: Core
) -> None:
    slack.admins.add("U0MOD")
    engine = core.engine
    await send.command(p.command("/policybot", "reload", "U0MOD", slack.response_url()))
    (reply,) = await slack.wait_for("response_url:cmd")
    assert reply.params["text"] == "Reloaded the config, the policy and its rules."
    assert core.engine is not engine and core.moderation.engine is core.engine


@pytest.mark.parametrize("config_extra", [{"slack": {"dm_reminders": False}}], indirect=True)
async def test_a_rate_limited_reminder_is_retried_and_delivered_once(
    send: Sender, slack: MockSlack, http_app: Started
) -> None:
    slack.script(
        "chat.postEphemeral",
        Scripted(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "0"}),
    )
    await send.event(p.envelope(p.message(PERSONAL_INFO)))
    await slack.wait_for("chat.postEphemeral", 2)
    await _settle(http_app)
    assert len(slack.calls_to("chat.postEphemeral")) == 2, "one 429, one delivery"
    assert slack.calls_to("conversations.open") == [], "no fallback DM: it was delivered"


def _decision(
    kind: str | None = None, alert: ModeratorAlert | None = None, thread: str | None = None
) -> Decision:
    message = Message(
        id=f"{p.CHANNEL}:1700000000.000100",
        text=PERSONAL_INFO,
        author=p.AUTHOR,
        channel=p.CHANNEL,
        community=TEAM,
        platform="slack",
        thread=thread,
    )
    notice = None
    if kind is not None:
        notice = Notice(kind, f"A {kind}", "Please check your message.", ("4.5",), (), 1)
    return Decision(message=message, action=Action.REMIND, notice=notice, moderator_alert=alert)


@pytest.mark.parametrize(
    ("config_extra", "kind", "dm"),
    [
        ({}, "remind", False),
        ({}, "warn", True),
        ({}, "escalate", True),
        ({}, "report", False),
        ({}, "wellbeing", False),
        ({"slack": {"dm_reminders": False}}, "warn", False),
        ({"slack": {"dm_reminders": False}}, "escalate", False),
    ],
    indirect=["config_extra"],
)
async def test_warnings_also_go_by_dm_when_the_config_says_so(
    slack: MockSlack, http_app: Started, kind: str, dm: bool
) -> None:
    await http_app.adapter.act(_decision(kind))
    assert len(slack.calls_to("chat.postEphemeral")) == 1
    dms = slack.calls_to("chat.postMessage")
    assert len(dms) == int(dm)
    if dm:
        assert slack.calls_to("conversations.open")[0].params["users"] == p.AUTHOR
        assert dms[0].params["channel"] == "D" + p.AUTHOR
        assert f"About your message in <#{p.CHANNEL}>" in _text(dms[0])


async def test_an_ephemeral_that_cannot_be_shown_goes_by_dm(
    slack: MockSlack, http_app: Started
) -> None:
    slack.script("chat.postEphemeral", Scripted(200, {"ok": False, "error": "user_not_in_channel"}))
    await http_app.adapter.act(_decision("remind"))
    (dm,) = slack.calls_to("chat.postMessage")
    assert dm.params["channel"] == "D" + p.AUTHOR


def _alert(content: str | None) -> ModeratorAlert:
    return ModeratorAlert(
        level="alert",
        summary="Step 3: someone else's personal information",
        labels=("personal-info",),
        clauses=("4.5",),
        user=p.AUTHOR,
        channel=p.CHANNEL,
        message_id=f"{p.CHANNEL}:1700000000.000100",
        step=3,
        case_id=5,
        permalink=None,
        suggested_actions=(),
        content=content,
    )


@pytest.mark.parametrize(
    ("config_extra", "shown"),
    [({}, False), ({"defaults": {"show_content": True}}, True)],
    indirect=["config_extra"],
)
async def test_the_log_shows_content_only_when_opted_in(
    slack: MockSlack, http_app: Started, shown: bool
) -> None:
    await http_app.adapter.act(_decision(alert=_alert(content=PERSONAL_INFO)))
    (log,) = slack.calls_to("chat.postMessage")
    assert log.params["channel"] == MOD_LOG
    assert ("07700" in _text(log)) is shown


@pytest.mark.parametrize("config_extra", [{"ladder": {"escalate_at": 1}}], indirect=True)
async def test_an_escalation_alerts_the_moderators(
    send: Sender, slack: MockSlack, http_app: Started
) -> None:
    await send.event(p.envelope(p.message(PERSONAL_INFO)))
    await slack.wait_for("chat.postEphemeral")
    await _settle(http_app)
    (log,) = [c for c in slack.calls_to("chat.postMessage") if c.params["channel"] == MOD_LOG]
    text = _text(log)
    assert "Policy alert" in text and "personal-info" in text and "4.5" in text
    assert f"<@{p.AUTHOR}>" in text and "*Strike*" in text
    assert "<https://society.slack.com/archives/C0GENERAL/p1|View the message>" in text
    assert slack.calls_to("chat.getPermalink")[0].params["message_ts"] == "1700000000.000100"
    buttons = [e["action_id"] for b in log.params["blocks"] if b["type"] == "actions"
               for e in b["elements"]]  # fmt: skip
    assert buttons == [blocks.PARDON, blocks.DISMISS]
    assert "07700" not in text, "no content unless the config opts in"
    (dm,) = [c for c in slack.calls_to("chat.postMessage") if c.params["channel"] != MOD_LOG]
    assert dm.params["channel"] == "D" + p.AUTHOR


async def test_a_forwarded_message_gets_its_forwarder_a_reminder(
    send: Sender, slack: MockSlack, http_app: Started
) -> None:
    shared = {"is_share": True, "author_id": "U0JESS", "text": PERSONAL_INFO}
    await send.event(p.envelope(p.message("", attachments=[shared]), event_id="EvFwd"))
    (reminder,) = await slack.wait_for("chat.postEphemeral")
    assert reminder.params["user"] == p.AUTHOR and "4.5" in _text(reminder)


async def test_a_second_quick_delete_keeps_its_strike_and_reaches_the_log(
    send: Sender, slack: MockSlack, http_app: Started, core: Core
) -> None:
    for n, ts in enumerate(("1700000000.000100", "1700000300.000100")):
        await send.event(p.envelope(p.message(PERSONAL_INFO, ts=ts), event_id=f"EvPost{n}"))
        await _settle(http_app)
        await send.event(p.envelope(p.deleted(ts), event_id=f"EvGone{n}"))
        await _settle(http_app)
    logged = [c for c in slack.calls_to("chat.postMessage") if "taken back" in _text(c)]
    (entry,) = logged
    assert entry.params["channel"] == MOD_LOG and f"<@{p.AUTHOR}>" in _text(entry)
    assert (await core.moderation.record("slack", TEAM, p.AUTHOR)).active_strikes == 1


async def test_the_author_can_contest_from_the_reminder(
    send: Sender, slack: MockSlack, http_app: Started, core: Core
) -> None:
    await send.event(p.envelope(p.message(PERSONAL_INFO)))
    (reminder,) = await slack.wait_for("chat.postEphemeral")
    (button,) = [
        e for b in reminder.params["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    press = p.block_action(blocks.CONTEST, button["value"], p.AUTHOR, slack.response_url("btn"))
    assert await send.action(press) == 200
    (reply,) = await slack.wait_for("response_url:btn")
    assert reply.params["text"].startswith("Thanks")
    # A contested case still counts until a moderator dismisses it: never say otherwise.
    assert "stays on your record" in reply.params["text"]
    case = await core.store.get_case_by_ref(button["value"])
    assert case is not None and case.status == "contested"


async def test_a_contest_goes_to_the_moderators_who_uphold_it(
    send: Sender, slack: MockSlack, http_app: Started, core: Core
) -> None:
    await send.event(p.envelope(p.message(PERSONAL_INFO)))
    (reminder,) = await slack.wait_for("chat.postEphemeral")
    (button,) = [
        e for b in reminder.params["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    ref = button["value"]
    found = await core.store.get_case_by_ref(ref)
    assert found is not None
    case_id = found.id
    await send.action(p.block_action(blocks.CONTEST, ref, p.AUTHOR, slack.response_url("c")))
    await slack.wait_for("response_url:c")
    await _settle(http_app)

    logged = [c for c in slack.calls_to("chat.postMessage") if "Contested by" in _text(c)]
    assert len(logged) == 1
    (entry,) = logged
    assert entry.params["channel"] == MOD_LOG
    assert f"*Case*\\n{case_id}" in _text(entry) and f"<@{p.AUTHOR}>" in _text(entry)
    assert "07700" not in _text(entry), "no content unless the config opts in"
    buttons = [(e["action_id"], e["value"]) for b in entry.params["blocks"]
               if b["type"] == "actions" for e in b["elements"]]  # fmt: skip
    assert buttons == [(blocks.UPHOLD, ref), (blocks.DISMISS, ref)]

    await send.action(p.block_action(blocks.UPHOLD, ref, p.AUTHOR, slack.response_url("no")))
    (refused,) = await slack.wait_for("response_url:no")
    assert refused.params["text"].startswith("Sorry")
    case = await core.store.get_case(case_id)
    assert case is not None and case.status == "contested"

    slack.admins.add("U0MOD")
    await send.action(p.block_action(blocks.UPHOLD, ref, "U0MOD", slack.response_url("ok")))
    (done,) = await slack.wait_for("response_url:ok")
    assert done.params["text"] == f"<@U0MOD> upheld case {case_id}: it keeps counting."
    case = await core.store.get_case(case_id)
    assert case is not None and case.status == "upheld"


async def test_a_moderator_cannot_act_on_another_workspaces_case(
    send: Sender, slack: MockSlack, http_app: Started, core: Core
) -> None:
    elsewhere = Message(
        id="C9:1", text=PERSONAL_INFO, author="U9", channel="C9", community="T0OTHER",
        platform="slack",
    )  # fmt: skip
    decision = await core.engine.handle(elsewhere)
    case = await core.store.get_case(decision.case_id or 0)
    assert case is not None and case.ref is not None
    slack.admins.add("U0MOD")
    for n, (action, key) in enumerate(
        (a, k) for a in (blocks.DISMISS, blocks.UPHOLD) for k in (str(case.id), case.ref)
    ):
        await send.action(p.block_action(action, key, "U0MOD", slack.response_url(f"x{n}")))
        (answer,) = await slack.wait_for(f"response_url:x{n}")
        assert "in this workspace" in answer.params["text"]
    after = await core.store.get_case(case.id)
    assert after is not None and after.status == "active"


async def test_sharing_a_clause_posts_it_in_the_channel(
    send: Sender, slack: MockSlack, http_app: Started
) -> None:
    press = p.block_action(blocks.SHARE, "4.5", p.AUTHOR, slack.response_url("share"))
    assert await send.action(press) == 200
    (shared,) = await slack.wait_for("response_url:share")
    assert shared.params["response_type"] == "in_channel"
    assert shared.params["blocks"][0]["text"]["text"].startswith("*4.5 ")


async def test_the_app_home_is_published(send: Sender, slack: MockSlack) -> None:
    await send.event(p.envelope({"type": "app_home_opened", "user": p.AUTHOR, "tab": "home"}))
    (publish,) = await slack.wait_for("views.publish")
    assert publish.params["user_id"] == p.AUTHOR
    assert publish.params["view"]["type"] == "home"
    assert "Official routes" in _text(publish)


@pytest.mark.parametrize(
    "event",
    [{"type": "app_uninstalled"}, {"type": "tokens_revoked", "tokens": {"bot": [BOT_USER]}}],
)
async def test_uninstalling_schedules_the_purge(
    send: Sender, http_app: Started, core: Core, event: dict[str, Any]
) -> None:
    assert await send.event(p.envelope(event)) == 200
    await _settle(http_app)
    later = datetime.now(UTC) + timedelta(days=core.config.privacy.removal_grace_days + 1)
    assert await core.store.purge_due_communities(later) == [("slack", TEAM)]


async def test_the_manifest_matches_what_the_app_handles(
    send: Sender, slack: MockSlack, http_app: Started
) -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    commands = [c["command"] for c in manifest["features"]["slash_commands"]]
    assert sorted(commands) == sorted(http_app.adapter.commands)
    for name in commands:
        status, _ = await send.command(p.command(name, "", "U0NOBODY", slack.response_url()))
        assert status == 200, f"{name} is in the manifest but not handled"
    bot_events = manifest["settings"]["event_subscriptions"]["bot_events"]
    as_types = {e.split(".")[0] for e in bot_events}
    assert as_types == set(http_app.adapter.events)
    for name in bot_events:
        kind, _, where = name.partition(".")
        event: dict[str, Any] = {"type": kind, "user": "U0NOBODY", "tab": "messages"}
        if kind == "message":
            event = p.message("hello", channel_type={"channels": "channel"}.get(where, "group"))
        assert await send.event(p.envelope(event, event_id=f"Ev-{name}")) == 200, name
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"channels:history", "groups:history", "chat:write", "commands"} <= scopes
    assert manifest["settings"]["socket_mode_enabled"] is True
    await _settle(http_app)


def test_the_docs_paste_the_manifest_as_it_is() -> None:
    docs = (MANIFEST.parents[2] / "docs" / "slack.md").read_text()
    assert f"```yaml\n{MANIFEST.read_text()}```" in docs
