"""Start-up (tokens checked once, one clear line) and Socket Mode over a loopback websocket."""

from __future__ import annotations

import logging

import pytest

from adapters.slack.run import SlackStartError, Started, start
from bot.cli import UserError
from bot.decision import Action, Decision
from bot.message import Message
from tests.adapters.slack import payloads as p
from tests.adapters.slack.conftest import ENV, CoreMaker
from tests.adapters.slack.mock_web_api import ADMIN_TOKEN, BOT_TOKEN, TEAM, MockSlack


def _envelope(envelope_id: str, retry_attempt: int) -> dict[str, object]:
    return {
        "envelope_id": envelope_id,
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": retry_attempt,
        "retry_reason": "timeout" if retry_attempt else "",
        "payload": p.envelope(p.message("ring Jess on 07700 900123"), event_id="Ev0SOCKET"),
    }


async def test_socket_mode_acknowledges_and_ignores_a_redelivery(
    socket_app: Started, slack: MockSlack
) -> None:
    assert socket_app.where == "socket mode"
    await slack.wait_for_socket()
    await slack.send_envelope(_envelope("env-1", 0))
    assert (await slack.wait_for_ack("env-1")) == {"envelope_id": "env-1"}
    await slack.wait_for("chat.postEphemeral")
    await slack.send_envelope(_envelope("env-2", 1))
    await slack.wait_for_ack("env-2")
    await socket_app.adapter.drain()
    assert len(slack.calls_to("chat.postEphemeral")) == 1
    (opened,) = slack.calls_to("apps.connections.open")
    assert opened.token is not None and opened.token.startswith("xapp-")


@pytest.mark.parametrize(
    ("mode", "env", "expect"),
    [
        ("socket", {"SLACK_BOT_TOKEN": ""}, "SLACK_BOT_TOKEN is not set"),
        ("socket", {"SLACK_BOT_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN should start with xoxb-"),
        ("socket", {"SLACK_BOT_TOKEN": "xoxb-wrong"}, "Slack refused SLACK_BOT_TOKEN (invalid_auth)"),
        ("socket", {"SLACK_APP_TOKEN": ""}, "SLACK_APP_TOKEN is not set"),
        ("socket", {"SLACK_APP_TOKEN": "xapp-wrong"}, "Slack refused SLACK_APP_TOKEN (invalid_auth)"),
        ("http", {"SLACK_SIGNING_SECRET": ""}, "SLACK_SIGNING_SECRET is not set"),
    ],
)  # fmt: skip
async def test_token_problems_are_one_clear_line(
    make_core: CoreMaker, slack: MockSlack, mode: str, env: dict[str, str], expect: str
) -> None:
    core = await make_core(mode)
    with pytest.raises(SlackStartError) as raised:
        await start(core, {**ENV, **env}, base_url=slack.base_url, port=0)
    message = str(raised.value)
    assert expect in message and "\n" not in message
    assert isinstance(raised.value, UserError), "the CLI prints it as one line"
    for token in (BOT_TOKEN, "xoxb-wrong", "xapp-wrong"):
        assert token not in message


async def test_unreachable_slack_is_one_line(make_core: CoreMaker) -> None:
    core = await make_core("socket")
    with pytest.raises(SlackStartError, match="cannot reach Slack at http://127.0.0.1:9/"):
        await start(core, ENV, base_url="http://127.0.0.1:9/")


async def test_the_admin_token_is_checked_when_the_config_names_it(
    make_core: CoreMaker, slack: MockSlack
) -> None:
    core = await make_core("http", {"slack": {"admin_user_token_env": "SOCIETY_ADMIN_TOKEN"}})
    with pytest.raises(SlackStartError, match="SOCIETY_ADMIN_TOKEN is not set"):
        await start(core, ENV, base_url=slack.base_url, port=0)
    with pytest.raises(SlackStartError, match="SOCIETY_ADMIN_TOKEN should start with xoxp-"):
        await start(core, {**ENV, "SOCIETY_ADMIN_TOKEN": BOT_TOKEN}, base_url=slack.base_url)
    assert slack.calls == [], "nothing is called before the tokens look right"


def _escalation() -> Decision:
    message = Message(
        id=f"{p.CHANNEL}:1700000000.000100",
        text="",
        author=p.AUTHOR,
        channel=p.CHANNEL,
        community=TEAM,
        platform="slack",
    )
    return Decision(message=message, action=Action.ESCALATE, auto_actions=("delete", "timeout"))


@pytest.mark.parametrize("admin_token", [True, False])
async def test_deletion_happens_only_with_the_admin_token(
    make_core: CoreMaker, slack: MockSlack, admin_token: bool
) -> None:
    env_name = "SOCIETY_ADMIN_TOKEN" if admin_token else None
    core = await make_core("http", {"slack": {"admin_user_token_env": env_name}})
    env = {**ENV, "SOCIETY_ADMIN_TOKEN": ADMIN_TOKEN}
    started = await start(core, env, base_url=slack.base_url, host="127.0.0.1", port=0)
    await started.adapter.act(_escalation())
    await started.close()
    deletions = slack.calls_to("chat.delete")
    if admin_token:
        (deletion,) = deletions
        assert deletion.token == ADMIN_TOKEN
        assert deletion.params == {"channel": p.CHANNEL, "ts": "1700000000.000100"}
        assert [c.token for c in slack.calls_to("auth.test")] == [ADMIN_TOKEN, BOT_TOKEN]
    else:
        assert deletions == []


@pytest.mark.parametrize("mode", ["socket", "http"])
async def test_start_up_logs_no_bolt_warning_about_the_token_from_the_environment(
    make_core: CoreMaker,
    slack: MockSlack,
    mode: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # As in production: the tokens are in the process's environment, where Bolt looks too.
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    caplog.set_level(logging.INFO)
    started = await start(
        await make_core(mode), ENV, base_url=slack.base_url, host="127.0.0.1", port=0
    )
    try:
        warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    finally:
        await started.close()
    assert not any("will be unused" in w for w in warnings), warnings
