"""Plain-text rendering of policy lookups for the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.policy import Clause, LookupMatch, LookupResult, Policy, Route, load_policy
from bot.policy_text import WIDTH, render_clause, render_lookup, render_toc

POLICY_DIR = Path(__file__).resolve().parents[2] / "policy_rules" / "dmu"


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(POLICY_DIR)


def test_clause_in_full(policy: Policy) -> None:
    out = render_lookup(policy.lookup("4.5"))
    lines = out.splitlines()
    assert lines[0] == "4.5  Material that should never be posted"
    assert lines[1] == "(4 Behaviour and conduct on social media)"
    assert "The following non-exhaustive list includes material" in out
    assert sum(line.startswith("  - ") for line in lines) == 12
    assert "  - Any academic work completed by the student in part or full." in lines
    assert all(len(line) <= WIDTH for line in lines)


def test_clause_without_routes_has_no_routes_line(policy: Policy) -> None:
    assert "Official routes" not in render_lookup(policy.lookup("4.5"))


def test_clause_with_routes_lists_them(policy: Policy) -> None:
    out = render_lookup(policy.lookup("4.2"))
    routes = out[out.index("Official routes:") :].splitlines()
    assert routes == [
        "Official routes:",
        "  - Student Complaints Procedure",
        "  - DMU Security Team: security@dmu.ac.uk, (0116) 257 7642",
        "  - Police: 999 in an emergency, 101 otherwise",
    ]


def test_annex_paragraphs_stay_apart(policy: Policy) -> None:
    out = render_lookup(policy.lookup("annex"))
    assert "reputation\n\nWe all recognise" in out


def test_search_shows_matched_bullets(policy: Policy) -> None:
    lines = render_lookup(policy.lookup("recordings")).splitlines()
    assert lines[0] == 'Clauses matching "recordings":'
    assert lines[2] == "4.5  Material that should never be posted"
    assert lines[3].startswith("      - Records, recordings and/or photographs")
    assert lines[4].startswith("      - Recordings or any content from University owned")


def test_search_without_matched_bullets_shows_the_text(policy: Policy) -> None:
    out = render_lookup(policy.lookup("logo"))
    assert "4.9  Speaking for the University and its logo" in out
    assert "      Students, and Student groups, e.g., DSU societies" in out


def test_search_shows_at_most_five_matches() -> None:
    clauses = [Clause(f"1.{i}", "1 S", f"Heading {i}", "Text.") for i in range(1, 8)]
    result = LookupResult("x", "search", tuple(LookupMatch(c, 0.5) for c in clauses))
    out = render_lookup(result)
    assert "Heading 5" in out
    assert "Heading 6" not in out


def test_search_lines_are_short(policy: Policy) -> None:
    out = render_lookup(policy.lookup("personal info"))
    assert all(len(line) <= WIDTH for line in out.splitlines())
    assert " ..." in out


def test_route_without_contact_shows_its_name_only() -> None:
    clause = Clause("1.1", "1 S", "Heading", "Text.")
    route = Route("wellbeing", "Student wellbeing service", "d", "w", "")
    out = render_lookup(LookupResult("1.1", "clause", (LookupMatch(clause, 1.0),), (route,)))
    assert out.endswith("Official routes:\n  - Student wellbeing service")


def test_toc(policy: Policy) -> None:
    out = render_toc(policy.toc())
    lines = out.splitlines()
    assert lines[0] == "1 Introduction"
    assert "4 Behaviour and conduct on social media" in lines
    assert "  4.5    Material that should never be posted" in lines
    assert lines[-2:] == [
        "Annex A How to use social media",
        "  annex  Staying safe and managing your reputation",
    ]
    # 41 clauses, 9 section titles and a blank line between sections.
    assert len(lines) == 41 + 9 + 8


def test_lookup_of_contents_renders_the_toc(policy: Policy) -> None:
    assert render_lookup(policy.lookup("contents")) == render_toc(policy.toc())


def test_lookup_of_a_section_renders_its_part_of_the_toc(policy: Policy) -> None:
    assert render_lookup(policy.lookup("section 6")).splitlines() == [
        "6 Student use of official University accounts",
        "  6.1  Posting on official University accounts",
        "  6.2  Misuse of official accounts",
    ]


def test_empty_toc() -> None:
    assert render_toc([]) == "The policy has no clauses."


@pytest.mark.parametrize("query", ["zzqqx", "3.4"])
def test_nothing_found(policy: Policy, query: str) -> None:
    out = render_lookup(policy.lookup(query))
    assert out.startswith(f'Nothing in the policy matches "{query}".')
    assert "4.5" in out


def test_render_clause_wraps_long_bullets() -> None:
    clause = Clause("1.1", "1 S", "Heading", "Text.", ("word " * 40,))
    bullet_lines = render_clause(clause).splitlines()[5:]
    assert bullet_lines[0].startswith("  - word")
    assert all(line.startswith("    word") for line in bullet_lines[1:])
    assert len(bullet_lines) > 1
