"""What the author and the moderators read: the ladder's three notices, the routes with a way to
reach each one, and the moderators' wording about (not to) the author."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.app import load_policy_and_rules
from bot.config import BUNDLED_POLICY, ConfigError, parse_config
from bot.decision import Action
from bot.finding import Finding
from bot.notices import LABEL_PHRASES, NoticeWriter, moderator_phrase, route_warnings
from bot.policy import Policy, load_policy
from bot.policy_text import render_lookup
from bot.taxonomy import VIOLATION_LABELS, Severity

SECURITY = ("DMU Security Team", "security@dmu.ac.uk, (0116) 257 7642")
POLICE = ("Police", "999 in an emergency, 101 otherwise")
COMPLAINTS_PAGE = "https://www.example.ac.uk/complaints"


@pytest.fixture(scope="module")
def bundled() -> Policy:
    """Return the bundled policy as the policy folder gives it (its rules are not needed)."""
    return load_policy(BUNDLED_POLICY)


def _writer(policy: Policy, overrides: dict[str, Any] | None = None) -> NoticeWriter:
    """Return the notices for a config: its routes filled in as load_policy_and_rules does."""
    config = parse_config(overrides or {})
    return NoticeWriter(policy.with_contacts(config.route_contacts()), config.wellbeing)


PHONE = Finding("personal-info", ("4.5",), Severity.MEDIUM, 0.9, "a phone number")


@pytest.mark.parametrize(
    ("action", "step", "title"),
    [
        (Action.REMIND, 1, "A quick reminder about the Student Social Media Policy"),
        (Action.WARN, 2, "Please check your message: this is a warning"),
        (Action.ESCALATE, 1, "Please check your message"),  # serious at once
        (Action.ESCALATE, 3, "Please check your message: the moderators have been alerted"),
        (Action.ESCALATE, 5, "Please check your message: the moderators have been alerted"),
    ],
)
def test_each_step_of_the_ladder_reads_differently(
    bundled: Policy, action: Action, step: int, title: str
) -> None:
    notice = _writer(bundled).breach(action, [PHONE], step, case_id=7)
    assert (notice.title, notice.kind, notice.case_id) == (title, str(action), 7)
    assert "clause 4.5" in notice.body


@pytest.mark.parametrize("label", sorted(VIOLATION_LABELS))
def test_the_moderators_wording_never_speaks_to_them(label: str) -> None:
    phrase = moderator_phrase(label)
    assert phrase and not re.search(r"\b(you|your|yours)\b", phrase), phrase


def test_the_authors_wording_may_speak_to_the_author() -> None:
    assert LABEL_PHRASES["repeated-unwanted-contact"].endswith("asked you to stop")
    assert moderator_phrase("repeated-unwanted-contact").endswith("asked them to stop")


def _routes(writer: NoticeWriter) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    breach = writer.breach(Action.REMIND, [PHONE], 1, 1)
    report = writer.report()
    return [(r.name, r.contact) for r in breach.routes], [
        (r.name, r.contact) for r in report.routes
    ]


@pytest.mark.parametrize(
    ("overrides", "breach", "report"),
    [
        # The policy gives no contact for the complaints procedure: it is not named at all.
        ({}, [SECURITY], [SECURITY, POLICE]),
        (
            {"routes": {"student-complaints": {"contact": COMPLAINTS_PAGE}}},
            [("Student Complaints Procedure", COMPLAINTS_PAGE), SECURITY],
            [("Student Complaints Procedure", COMPLAINTS_PAGE), SECURITY, POLICE],
        ),
        (
            {
                "routes": {
                    "student-complaints": {"name": "Complaints", "contact": COMPLAINTS_PAGE},
                    "security": {"contact": "campus security, 0116 000 0000"},
                }
            },
            [
                ("Complaints", COMPLAINTS_PAGE),
                ("DMU Security Team", "campus security, 0116 000 0000"),
            ],
            [
                ("Complaints", COMPLAINTS_PAGE),
                ("DMU Security Team", "campus security, 0116 000 0000"),
                POLICE,
            ],
        ),
        # A name alone gives no way to reach it.
        (
            {"routes": {"student-complaints": {"name": "Complaints"}}},
            [SECURITY],
            [SECURITY, POLICE],
        ),
    ],
)
def test_every_route_a_notice_names_has_a_way_to_reach_it(
    bundled: Policy,
    overrides: dict[str, Any],
    breach: list[tuple[str, str]],
    report: list[tuple[str, str]],
) -> None:
    assert _routes(_writer(bundled, overrides)) == (breach, report)


def test_the_wellbeing_key_still_names_the_support_service(bundled: Policy) -> None:
    writer = _writer(
        bundled, {"wellbeing": {"name": "Student Support", "contact": "support@example.ac.uk"}}
    )
    routes = [(r.name, r.contact) for r in writer.wellbeing_support().routes]
    assert routes[0] == ("Student Support", "support@example.ac.uk")
    assert [r.id for r in _writer(bundled).wellbeing_support().routes] == ["samaritans", "police"]


def test_policy_lookups_show_the_configured_contact_too() -> None:
    config = parse_config({"routes": {"student-complaints": {"contact": COMPLAINTS_PAGE}}})
    policy, _ = load_policy_and_rules(config)
    assert f"Student Complaints Procedure: {COMPLAINTS_PAGE}" in render_lookup(policy.lookup("7.5"))


def test_a_route_without_a_contact_is_a_warning_until_it_is_filled_in() -> None:
    config = parse_config({})
    policy, _ = load_policy_and_rules(config)
    assert route_warnings(config, policy) == [
        "config: routes.student-complaints.contact: empty — reminders and /report leave out the "
        "Student Complaints Procedure until you add how to reach it (a web page, an email or a "
        "phone)"
    ]
    filled = parse_config({"routes": {"student-complaints": {"contact": COMPLAINTS_PAGE}}})
    assert route_warnings(filled, load_policy_and_rules(filled)[0]) == []


@pytest.mark.parametrize(
    ("routes", "problem"),
    [
        (
            {"complaints": {"contact": "x"}},
            "config: routes.complaints: the policy has no route 'complaints' (its routes: "
            "student-complaints, security, police, wellbeing, samaritans)",
        ),
        (
            {"wellbeing": {"contact": "x"}},
            "config: routes: the wellbeing service is set under the top-level wellbeing: key",
        ),
        ({"security": {"phone": "x"}}, "config: routes.security.phone: unknown key"),
    ],
)
def test_a_bad_routes_key_is_one_line(routes: dict[str, Any], problem: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_policy_and_rules(parse_config({"routes": routes}))
    assert info.value.problems == [problem]


INSULT = Finding("offensive-or-threatening", ("5.2",), Severity.MEDIUM, 0.9, "an insult")
RUMOUR = Finding("rumours", ("5.2",), Severity.MEDIUM, 0.9, "gossip about a person")


@pytest.mark.parametrize(
    ("findings", "points_to_routes"),
    [
        # Someone posting a person's details, a video or what they are said to have done may be
        # calling them out: the reminder says where concerns can be acted on.
        ([PHONE], True),
        ([RUMOUR], True),
        ([INSULT, PHONE], True),
        # An insult is not a complaint: its reminder stays short, with no routes.
        ([INSULT], False),
    ],
)
def test_only_a_call_out_reminder_points_to_the_official_routes(
    bundled: Policy, findings: list[Finding], points_to_routes: bool
) -> None:
    notice = _writer(bundled).breach(Action.REMIND, findings, 1, case_id=None)
    assert bool(notice.routes) is points_to_routes
    assert ("official routes" in notice.body) is points_to_routes
