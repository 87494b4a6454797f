from __future__ import annotations

import pytest

from bot.taxonomy import Severity

from .conftest import Run


def labels(findings: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(f.label, f.evidence) for f in findings]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ring Jess on 07700 900123", "UK mobile number"),
        ("here's her number 07700900123", "UK mobile number"),
        ("his number is +44 7700 900123", "UK mobile number"),
        ("call him on (0116) 496 0123", "UK landline number"),
        ("her landline is 0116 496 0123", "UK landline number"),
        ("her cousin's number is +1 415 555 2671", "international phone number"),
        ("his email is jake.t@gmail.com", "email address"),
        ("his address is 12 Oak Street", "street address"),
        ("she lives at flat 3, 22 Mill Lane", "street address"),
        ("her DOB is 12/03/2004", "date of birth"),
        ("Jess was born 12 March 2004", "date of birth"),
        ("her insta is @jess_x", "social media handle"),
        ("his P number is P12345678", "DMU student number"),
        ("her card is 4111 1111 1111 1111", "payment card number"),
        ("his bank is GB82 WEST 1234 5698 7654 32", "bank account number (IBAN)"),
        ("her bank details: 20-00-00 12345678", "bank sort code and account number"),
        ("she lives at LE1 9BH", "UK postcode"),
    ],
)
def test_someone_elses_details_are_personal_info(
    rules,  # type: ignore[no-untyped-def]
    run_rule: Run,
    text: str,
    kind: str,
) -> None:
    spec = next(s for s in rules.rules if s.id == "personal-info")
    findings = run_rule("personal-info", text)
    assert ("personal-info", f"{kind} about someone else") in labels(findings)
    found = next(f for f in findings if f.label == "personal-info")
    assert found.clauses == ("4.5",)
    assert found.severity == spec.severity
    assert found.span is not None


@pytest.mark.parametrize(
    "text",
    [
        "my number is 07700 900123",
        "text me on 07700900123",
        "email me at sam.k@gmail.com",
        "ring me on 0116 496 0123",
        "my card is 4111 1111 1111 1111 lol",
        "my P number is P12345678",
        "I live at 12 Oak Street",
    ],
)
def test_own_details_are_a_privacy_tip(run_rule: Run, text: str) -> None:
    findings = run_rule("personal-info", text)
    assert [f.label for f in findings] == ["privacy-tip"]
    assert findings[0].severity == Severity.LOW
    assert findings[0].is_route


@pytest.mark.parametrize(
    "text",
    ["07700 900123", "jake.t@gmail.com", "P12345678", "flat 3, 22 Mill Lane"],
)
def test_bare_dump_is_personal_info_at_medium(run_rule: Run, text: str) -> None:
    (finding,) = run_rule("personal-info", text)
    assert finding.label == "personal-info"
    assert finding.severity == Severity.MEDIUM


@pytest.mark.parametrize(
    "text",
    [
        "email security@dmu.ac.uk or ring (0116) 257 7642",
        "call 0116 257 7642 for campus security",
        "in an emergency ring 999, or 101 for the police",
        "Samaritans are on 116 123, any time",
        "the exam is on 12/03/2025",
        "it's a 10 minute walk from the station",
        "we got 2 more close calls in the match",
        "my birthday is 12 March lol",
        "in 2024 we had 1234567 visitors",
        "module CS2001 is in room 2.14",
        "her insta is amazing",
        "follow my insta @jess_x",
        "the lecture is at 10am in Hugh Aston",
        "ring her on her birthday",
        "LE1 9BH",
        "4111 1111 1111 1112",
    ],
)
def test_stays_quiet(run_rule: Run, text: str) -> None:
    assert run_rule("personal-info", text) == []


def test_evidence_never_holds_the_value(run_rule: Run) -> None:
    (finding,) = run_rule("personal-info", "ring Jess on 07700 900123")
    assert "07700" not in finding.evidence
    assert finding.evidence == "UK mobile number about someone else"


def test_span_points_at_the_number(run_rule: Run) -> None:
    text = "ring Jess on 07700 900123 tonight"
    (finding,) = run_rule("personal-info", text)
    assert finding.span is not None
    assert text[finding.span[0] : finding.span[1]] == "07700 900123"


def test_mention_before_a_number_is_someone_else(run_rule: Run) -> None:
    (finding,) = run_rule("personal-info", "<@u1> 07700 900123", mentions=("u1",))
    assert finding.label == "personal-info"
    assert finding.evidence == "UK mobile number about someone else"
