from __future__ import annotations

import pytest

from bot.detectors.impersonation import DisplayNameCheck, check_display_name
from bot.taxonomy import Severity

MEMBERS = {
    "m1": "Mod Sarah",
    "m2": "Alex Admin",
    "u1": "Jess Smith",
    "u2": "Sam",
    "u3": "Priya Kaur",
}
MODERATORS = {"m1", "m2"}


@pytest.mark.parametrize(
    ("name", "severity"),
    [
        ("M0d Sarah", Severity.HIGH),
        ("Mod Sarah.", Severity.HIGH),
        ("Sarah", Severity.HIGH),
        ("ADMIN Sarah", Severity.HIGH),
        ("Mod \u0405arah", Severity.HIGH),  # Cyrillic S
        ("Alex", Severity.HIGH),
        ("Jess  Smith.", Severity.MEDIUM),
        ("Jess Smlth", Severity.MEDIUM),
        ("J\u200bess Smith", Severity.MEDIUM),
        ("PriyaKaur", Severity.MEDIUM),
    ],
)
def test_imitations_are_found(name: str, severity: Severity) -> None:
    finding = check_display_name("new", name, MEMBERS, MODERATORS)
    assert finding is not None
    assert finding.label == "impersonation"
    assert finding.clauses == ("4.5", "5.2")
    assert finding.severity == severity


@pytest.mark.parametrize(
    "name",
    [
        "Jessica Jones",
        "Sam",
        "Sammy",
        "Priya",
        "Mod",
        "Tom Baker",
        "Sarah Connor-Smith",
        "Alexander",
    ],
)
def test_different_names_pass(name: str) -> None:
    assert check_display_name("new", name, MEMBERS, MODERATORS) is None


def test_a_member_may_keep_their_own_name() -> None:
    assert check_display_name("u1", "Jess Smith", MEMBERS, MODERATORS) is None
    assert check_display_name("m1", "Mod Sarah", MEMBERS, MODERATORS) is None


def test_moderators_given_by_name() -> None:
    finding = check_display_name("new", "m0d sarah", {"u1": "Jess"}, ["Mod Sarah"])
    assert finding is not None
    assert "a moderator" in finding.evidence


def test_evidence_names_ids_not_names() -> None:
    finding = check_display_name("new", "Jess  Smith.", MEMBERS, MODERATORS)
    assert finding is not None
    assert "u1" in finding.evidence
    assert "Jess" not in finding.evidence


def test_thresholds_come_from_the_rule(rules) -> None:  # type: ignore[no-untyped-def]
    check = rules.display_names
    assert isinstance(check, DisplayNameCheck)
    assert check.rule_id == "impersonation-display-name"
    loose = DisplayNameCheck(member_threshold=80)
    assert check.check_display_name("new", "Jessica Smith", MEMBERS, MODERATORS) is None
    assert loose.check_display_name("new", "Jessica Smith", MEMBERS, MODERATORS) is not None
    assert check.detect(None) == []  # type: ignore[arg-type]
