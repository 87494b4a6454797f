"""Notices, log entries and /policy answers as Discord embeds and buttons."""

from __future__ import annotations

import pytest

from adapters.discord import render
from bot.config import BUNDLED_POLICY
from bot.decision import ModeratorAlert, Notice, RouteInfo
from bot.policy import Policy, load_policy

ROUTES = (
    RouteInfo("security", "DMU Security Team", "security@dmu.ac.uk"),
    RouteInfo("student-complaints", "Student Complaints Procedure", ""),
)


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(BUNDLED_POLICY)


def _notice(case_id: int | None = 7, kind: str = "remind") -> Notice:
    return Notice(
        kind=kind,
        title="A quick reminder about the Student Social Media Policy",
        body="Your message may include someone else's personal information (clause 4.5).",
        clauses=("4.5",),
        routes=ROUTES,
        case_id=case_id,
    )


def _alert(**changes: object) -> ModeratorAlert:
    fields: dict[str, object] = {
        "level": "log",
        "summary": "Step 2: someone else's personal information (clause 4.5)",
        "labels": ("personal-info",),
        "clauses": ("4.5",),
        "user": "42",
        "channel": "99",
        "message_id": "1000",
        "step": 2,
        "case_id": 7,
        "permalink": "https://discord.com/channels/1/99/1000",
        "suggested_actions": ("review the message",),
        "content": "ring Jess on 07700 900123",
    }
    fields.update(changes)
    return ModeratorAlert(**fields)  # type: ignore[arg-type]


def test_notice_embed_cites_the_clause_and_the_routes() -> None:
    embed = render.notice_embed(_notice()).to_dict()

    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert embed["title"] == "A quick reminder about the Student Social Media Policy"
    assert fields["Student Social Media Policy"] == "Clause 4.5"
    assert fields["Where to go"] == (
        "**DMU Security Team**: security@dmu.ac.uk\n**Student Complaints Procedure**"
    )
    assert embed["footer"]["text"] == "Case #7"


@pytest.mark.parametrize(("case_id", "buttons"), [(7, ["policybot:contest:7"]), (None, None)])
async def test_only_a_notice_with_a_case_can_be_contested(
    case_id: int | None, buttons: list[str] | None
) -> None:
    view = render.notice_view(_notice(case_id))

    if buttons is None:
        assert view is None
    else:
        assert view is not None
        assert [item.custom_id for item in view.children] == buttons  # type: ignore[attr-defined]
        assert view.is_finished()  # stopped: sent without being kept in memory


@pytest.mark.parametrize(("show_content", "shown"), [(False, False), (True, True)])
def test_alert_embed_shows_content_only_when_opted_in(show_content: bool, shown: bool) -> None:
    embed = render.alert_embed(_alert(), show_content=show_content).to_dict()

    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Label"] == "personal-info"
    assert fields["Clause"] == "4.5"
    assert fields["Member"] == "<@42>"
    assert fields["Strike"] == "2"
    assert fields["Message"] == "[Jump to message](https://discord.com/channels/1/99/1000)"
    assert ("Content" in fields) is shown


@pytest.mark.parametrize(
    ("changes", "title"),
    [
        ({}, "policybot log"),
        ({"level": "alert"}, "policybot alert"),
        (
            {"level": "alert", "shadow": True},
            "policybot alert (shadow mode: the member was not told)",
        ),
        ({"level": "contest"}, "policybot: the member contests this"),
    ],
)
def test_alert_title_says_how_serious(changes: dict[str, object], title: str) -> None:
    assert render.alert_embed(_alert(**changes), show_content=False).title == title


def test_alert_buttons_pardon_the_member_and_dismiss_the_case() -> None:
    view = render.alert_view(_alert())

    ids = [item.custom_id for item in view.children]  # type: ignore[attr-defined]
    assert ids == ["policybot:pardon:42", "policybot:dismiss:7"]


def test_a_contested_case_gets_uphold_and_mark_as_false_positive() -> None:
    view = render.alert_view(_alert(level="contest"))

    buttons = [(item.label, item.custom_id) for item in view.children]  # type: ignore[attr-defined]
    assert buttons == [
        ("Uphold", "policybot:uphold:7"),
        ("Mark as false positive", "policybot:dismiss:7"),
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("policybot:contest:7", render.ButtonAction("contest", ("7",))),
        ("policybot:pardon:42", render.ButtonAction("pardon", ("42",))),
        ("policybot:post:annex", render.ButtonAction("post", ("annex",))),
        ("someone-else:contest:7", None),
        ("policybot", None),
    ],
)
def test_custom_ids_parse_back(value: str, expected: render.ButtonAction | None) -> None:
    assert render.parse_custom_id(value) == expected


def test_custom_ids_round_trip_and_respect_discords_limit() -> None:
    assert render.parse_custom_id(render.custom_id("dismiss", 12)) == render.ButtonAction(
        "dismiss", ("12",)
    )
    with pytest.raises(ValueError, match="too long"):
        render.custom_id("post", "x" * 100)


@pytest.mark.parametrize(
    ("query", "title", "button"),
    [
        ("4.5", "4.5 Material that should never be posted", "policybot:post:4.5"),
        ("recordings", "4.5 Material that should never be posted", "policybot:post:4.5"),
        ("", "Student Social Media Policy: contents", None),
        ("3.4", "Nothing found", None),
    ],
)
def test_lookup_answers(policy: Policy, query: str, title: str, button: str | None) -> None:
    result = policy.lookup(query)

    embed = render.lookup_embed(policy, result)
    view = render.lookup_view(result)

    assert embed.title == title
    ids = [item.custom_id for item in view.children] if view else []  # type: ignore[attr-defined]
    assert ids == ([button] if button else [])


def test_clause_embed_keeps_the_policys_own_bullets(policy: Policy) -> None:
    clause = policy.clause("4.5")

    embed = render.clause_embed(policy, clause, ())

    assert embed.description is not None
    assert "• Personal information about another individual" in embed.description


@pytest.mark.parametrize("query", ["4.55", "45", "4.5.1"])
def test_a_mistyped_clause_number_gets_a_did_you_mean(policy: Policy, query: str) -> None:
    embed = render.lookup_embed(policy, policy.lookup(query))
    assert embed.title == "Nothing found"
    assert "Did you mean 4.5 (Material that should never be posted)?" in (embed.description or "")
