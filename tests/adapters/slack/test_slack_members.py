"""``team_join`` and ``user_change``: display names checked for impersonation, over loopback."""

from __future__ import annotations

from typing import Any

from adapters.slack.members import member_from
from adapters.slack.run import Started
from bot.app import Core
from tests.adapters.slack import payloads as p
from tests.adapters.slack.conftest import MOD_LOG, Sender
from tests.adapters.slack.mock_web_api import TEAM, MockSlack, Scripted

MODERATOR = {"id": "U0MOD", "is_admin": True, "profile": {"display_name": "Morgan Lee"}}
ALICE = {"id": "U0ALICE", "profile": {"display_name": "", "real_name": "Alice Okafor"}}
BOB = {"id": "U0BOB", "profile": {"display_name": "bob"}}
COPYCAT = {"id": "U0COPY", "profile": {"display_name": "M0rgan Lee", "status_text": ""}}


def _user_event(kind: str, user: dict[str, Any], event_id: str) -> dict[str, Any]:
    return p.envelope({"type": kind, "user": {**user, "team_id": TEAM}}, event_id=event_id)


def _script_members(slack: MockSlack) -> None:
    """Two pages of users.list: the moderator, Alice and a bot first, then Bob."""
    bot = {"id": "U0BOT", "is_bot": True, "profile": {"display_name": "Morgan Lee"}}
    slack.script(
        "users.list",
        Scripted(
            200,
            {
                "ok": True,
                "members": [MODERATOR, ALICE, bot],
                "response_metadata": {"next_cursor": "page2"},
            },
        ),
        Scripted(200, {"ok": True, "members": [BOB], "response_metadata": {"next_cursor": ""}}),
    )


async def _cases(core: Core, user: str) -> list[str]:
    return [
        label for c in await core.store.cases_for_user("slack", TEAM, user) for label in c.labels
    ]


async def test_a_member_joining_as_a_moderator_is_reminded_and_reported_once(
    send: Sender, slack: MockSlack, http_app: Started, core: Core
) -> None:
    _script_members(slack)

    assert await send.event(_user_event("team_join", COPYCAT, "Ev0JOIN")) == 200
    await http_app.adapter.drain()

    assert await _cases(core, "U0COPY") == ["impersonation"]
    (opened,) = slack.calls_to("conversations.open")
    assert opened.params["users"] == "U0COPY"
    dms = [c for c in slack.calls_to("chat.postMessage") if c.params["channel"] == "DU0COPY"]
    assert len(dms) == 1 and "About your display name" in str(dms[0].params["blocks"])
    assert slack.calls_to("chat.postEphemeral") == [], "no channel to be ephemeral in"
    (alert,) = [c for c in slack.calls_to("chat.postMessage") if c.params["channel"] == MOD_LOG]
    assert "<@U0COPY> (display name)" in alert.params["text"] and "<#>" not in str(alert.params)
    assert [c.params.get("cursor") for c in slack.calls_to("users.list")] == [None, "page2"]

    # A new status (the name unchanged) is not checked again; nor is anything sent twice.
    with_status = {**COPYCAT, "profile": {**COPYCAT["profile"], "status_text": "in a lecture"}}
    await send.event(_user_event("user_change", with_status, "Ev0STATUS"))
    await http_app.adapter.drain()

    assert await _cases(core, "U0COPY") == ["impersonation"]
    assert len(slack.calls_to("conversations.open")) == 1
    assert len(slack.calls_to("users.list")) == 2, "the directory was read once"


async def test_a_rename_is_checked_against_the_names_read_and_seen(
    send: Sender, slack: MockSlack, http_app: Started, core: Core
) -> None:
    _script_members(slack)

    renamed = {**ALICE, "profile": {"display_name": "Alice O."}}
    await send.event(_user_event("user_change", renamed, "Ev0RENAME"))
    copycat = {"id": "U0COPY2", "profile": {"display_name": "Morgan  Lee"}}
    await send.event(_user_event("user_change", copycat, "Ev0COPY2"))
    await http_app.adapter.drain()

    assert await _cases(core, "U0ALICE") == []
    assert await _cases(core, "U0COPY2") == ["impersonation"]


def test_bots_the_deactivated_and_the_nameless_are_not_members() -> None:
    assert member_from(MODERATOR) is not None and member_from(MODERATOR).admin  # type: ignore[union-attr]
    assert member_from(ALICE) is not None and member_from(ALICE).display_name == "Alice Okafor"  # type: ignore[union-attr]
    for user in (
        {**BOB, "is_bot": True},
        {**BOB, "deleted": True},
        {"id": "USLACKBOT", "profile": {"display_name": "Slackbot"}},
        {"id": "U0NONAME", "profile": {}},
        "U0NOBODY",
    ):
        assert member_from(user) is None
