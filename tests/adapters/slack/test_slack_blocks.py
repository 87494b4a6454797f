"""Core notices, alerts and policy answers → Block Kit, with Slack's limits respected."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from adapters.slack import blocks
from bot.config import load_config
from bot.decision import ModeratorAlert, Notice, RouteInfo
from bot.policy import Policy, load_policy


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(load_config(None).policy_folder)


def _text(rendered: list[dict[str, Any]] | dict[str, Any]) -> str:
    return json.dumps(rendered, ensure_ascii=False)


def _buttons(block_list: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in block_list if b["type"] == "actions" for e in b["elements"]]


def _within_limits(block_list: list[dict[str, Any]]) -> None:
    assert len(block_list) <= 50
    for b in block_list:
        if b["type"] == "section" and "text" in b:
            assert 0 < len(b["text"]["text"]) <= 3000
        if b["type"] == "header":
            assert len(b["text"]["text"]) <= 150


REMINDER = Notice(
    kind="remind",
    title="A quick reminder about the Student Social Media Policy",
    body="Your message may include someone else's personal information (clause 4.5 <x> & y).",
    clauses=("4.5",),
    routes=(
        RouteInfo("student-complaints", "Student Complaints Procedure", ""),
        RouteInfo("security", "DMU Security Team", "security@dmu.ac.uk"),
    ),
    case_id=17,
)


def test_a_reminder_cites_the_clause_and_routes_and_can_be_contested() -> None:
    r = blocks.notice(REMINDER)
    text = _text(r.blocks)
    assert "clause 4.5" in text and "4.5" in r.text
    assert "DMU Security Team" in text and "security@dmu.ac.uk" in text
    assert "Student Complaints Procedure" in text
    assert "&lt;x&gt; &amp; y" in text, "the core's text is escaped, not read as markup"
    (button,) = _buttons(r.blocks)
    assert button["action_id"] == blocks.CONTEST and button["value"] == "17"
    _within_limits(r.blocks)


@pytest.mark.parametrize(
    ("kind", "case_id", "contestable"),
    [("remind", 1, True), ("warn", 2, True), ("escalate", 3, True), ("remind", None, False),
     ("report", None, False), ("wellbeing", None, False), ("privacy-tip", 4, False)],
)  # fmt: skip
def test_only_breaches_with_a_case_have_the_contest_button(
    kind: str, case_id: int | None, contestable: bool
) -> None:
    n = Notice(kind=kind, title="t", body="b", clauses=(), routes=(), case_id=case_id)
    assert bool(_buttons(blocks.notice(n).blocks)) is contestable


def _alert(content: str | None = None, shadow: bool = False) -> ModeratorAlert:
    return ModeratorAlert(
        level="log",
        summary="Step 2: someone else's personal information (clause 4.5)",
        labels=("personal-info",),
        clauses=("4.5",),
        user="U0AUTHOR",
        channel="C0GENERAL",
        message_id="C0GENERAL:1700000000.000100",
        step=2,
        case_id=9,
        permalink=None,
        suggested_actions=("review the message",),
        shadow=shadow,
        content=content,
    )


def test_the_moderators_log_entry_has_label_clause_user_link_step_and_buttons() -> None:
    r = blocks.moderator_alert(_alert(), "https://society.slack.com/archives/C/p1", False)
    text = _text(r.blocks)
    for part in ("personal-info", "4.5", "<@U0AUTHOR>", "<#C0GENERAL>", "*Strike*\\n2"):
        assert part in text
    assert "<https://society.slack.com/archives/C/p1|View the message>" in text
    pardon, dismiss = _buttons(r.blocks)
    assert (pardon["action_id"], pardon["value"]) == (blocks.PARDON, "U0AUTHOR")
    assert (dismiss["action_id"], dismiss["value"]) == (blocks.DISMISS, "9")
    _within_limits(r.blocks)


@pytest.mark.parametrize(("show_content", "shown"), [(False, False), (True, True)])
def test_content_appears_only_when_opted_in(show_content: bool, shown: bool) -> None:
    r = blocks.moderator_alert(_alert(content="ring Jess on 07700 900123"), None, show_content)
    assert ("07700 900123" in _text(r.blocks)) is shown


def test_a_shadow_alert_says_the_member_was_not_told() -> None:
    assert "shadow mode" in _text(blocks.moderator_alert(_alert(shadow=True), None, False).blocks)


def test_a_contested_case_offers_uphold_and_mark_as_false_positive() -> None:
    alert = replace(_alert(), level="contest", summary="Contested by the author: x (clause 4.5)")
    r = blocks.moderator_alert(alert, None, False)
    assert r.blocks[0]["text"]["text"] == "Contested by the member"
    assert "*Case*\\n9" in _text(r.blocks)
    uphold, dismiss = _buttons(r.blocks)
    assert (uphold["action_id"], uphold["value"]) == (blocks.UPHOLD, "9")
    assert (dismiss["action_id"], dismiss["value"]) == (blocks.DISMISS, "9")
    _within_limits(r.blocks)


@pytest.mark.parametrize(
    ("query", "clause"), [("4.5", "4.5"), ("recordings", "4.5"), ("clause 5.2", "5.2")]
)
def test_a_policy_answer_quotes_the_clause_and_offers_to_share_it(
    policy: Policy, query: str, clause: str
) -> None:
    r = blocks.lookup(policy.lookup(query), policy.name)
    assert r.blocks[0]["text"]["text"].startswith(f"*{clause} ")
    (share,) = _buttons(r.blocks)
    assert (share["action_id"], share["value"]) == (blocks.SHARE, clause)
    _within_limits(r.blocks)


def test_a_long_clause_is_split_into_sections_not_cut(policy: Policy) -> None:
    clause = policy.clause("4.5")
    r = blocks.lookup(policy.lookup("4.5"), policy.name)
    text = _text(r.blocks)
    for item in clause.items:
        assert json.dumps(blocks.escape(item), ensure_ascii=False)[1:-1] in text


@pytest.mark.parametrize(("query", "expect"), [("", "contents"), ("3.4", "Nothing in the")])
def test_contents_and_no_match(policy: Policy, query: str, expect: str) -> None:
    r = blocks.lookup(policy.lookup(query), policy.name)
    assert expect in _text(r.blocks)
    assert not _buttons(r.blocks)


def test_the_app_home_shows_contents_routes_and_privacy(policy: Policy) -> None:
    view = blocks.home(policy, "**policybot privacy notice**\n\nWe keep no message text.")
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    text = _text(view)
    for entry in policy.toc():
        assert blocks.escape(entry.heading) in text
    assert "DMU Security Team" in text and "Samaritans" in text
    assert "*policybot privacy notice*" in text and "We keep no message text." in text
    _within_limits(view["blocks"])


def test_privacy_bold_becomes_slack_bold() -> None:
    r = blocks.document("**What it keeps.** ids only.\n\n**Who sees it.** You.")
    assert [b["text"]["text"] for b in r.blocks] == [
        "*What it keeps.* ids only.",
        "*Who sees it.* You.",
    ]


@pytest.mark.parametrize("query", ["4.55", "45", "4.5.1"])
def test_a_mistyped_clause_number_gets_a_did_you_mean(policy: Policy, query: str) -> None:
    r = blocks.lookup(policy.lookup(query), policy.name)
    assert "Did you mean 4.5 (Material that should never be posted)?" in r.text
