"""The DMU policy as data (policy_rules/dmu/policy.yaml), its loader and lookup."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.decision import RouteInfo
from bot.policy import Policy, PolicyError, Route, TocEntry, load_policy

ROOT = Path(__file__).resolve().parents[2]
POLICY_DIR = ROOT / "policy_rules" / "dmu"
# CI checks out ../shared beside the clone; the comparison with the source skips without it.
SOURCE = ROOT.parent / "shared" / "policy" / "dmu-student-social-media-policy.md"

CLAUSE_IDS = [
    *("1.1", "1.2", "1.3", "1.4", "1.5"),
    *("2.1", "2.2", "2.3"),
    *("3.1", "3.2", "3.3", "3.5", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11"),
    *("4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7", "4.8", "4.9", "4.10"),
    *("5.1", "5.2", "5.3", "5.4"),
    *("6.1", "6.2"),
    *("7.1", "7.2", "7.3", "7.4", "7.5"),
    "8.1",
    "annex",
]


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(POLICY_DIR)


# --- the data ---------------------------------------------------------------------------------


def test_every_clause_is_there_in_document_order(policy: Policy) -> None:
    assert list(policy.clauses) == CLAUSE_IDS
    assert len(policy.clauses) == 41


def test_there_is_no_clause_3_4(policy: Policy) -> None:
    assert "3.4" not in policy.clauses


@pytest.mark.parametrize(
    ("clause_id", "count"),
    [("1.4", 7), ("3.8", 2), ("4.5", 12), ("5.2", 7), ("8.1", 6), ("annex", 10)],
)
def test_bullet_counts(policy: Policy, clause_id: str, count: int) -> None:
    assert len(policy.clause(clause_id).items) == count


def test_only_listed_clauses_have_bullets(policy: Policy) -> None:
    with_items = {c.id for c in policy.clauses.values() if c.items}
    assert with_items == {"1.4", "3.8", "4.5", "5.2", "8.1", "annex"}


@pytest.mark.parametrize(
    ("clause_id", "index", "bullet"),
    [
        # Two of 4.5's bullets start at column 0 in the source; both belong to 4.5.
        (
            "4.5",
            0,
            "Confidential information (which may include research not yet in the public "
            "domain, information about fellow Students or Staff or personal matters, non-public "
            "or not yet approved documents or information).",
        ),
        ("4.5", 10, "Any academic work completed by the student in part or full."),
        ("4.5", 9, "Material taken from assessments or exams scripts."),
        ("5.2", 0, "Maliciously, negligently or recklessly spreading rumours, lies or gossip"),
        ("3.8", 1, "Which contravenes sections 4, 5 and 6 of this policy"),
        ("1.4", 0, "General Regulations and Procedures Affecting Students,"),
    ],
)
def test_bullets_are_verbatim(policy: Policy, clause_id: str, index: int, bullet: str) -> None:
    assert policy.clause(clause_id).items[index] == bullet


@pytest.mark.parametrize(
    ("clause_id", "section"),
    [
        ("1.1", "1 Introduction"),
        ("4.5", "4 Behaviour and conduct on social media"),
        ("5.2", "5 Cyber bullying"),
        ("8.1", "8 Monitoring"),
        ("annex", "Annex A How to use social media"),
    ],
)
def test_sections(policy: Policy, clause_id: str, section: str) -> None:
    assert policy.clause(clause_id).section == section


def test_headings_are_set_and_unique(policy: Policy) -> None:
    headings = [c.heading for c in policy.clauses.values()]
    assert all(h.strip() for h in headings)
    assert len(set(headings)) == len(headings)
    assert policy.clause("4.5").heading == "Material that should never be posted"
    assert policy.clause("5.2").heading == "Forms of cyber bullying"


def test_no_markdown_is_left(policy: Policy) -> None:
    for clause in policy.clauses.values():
        for text in (clause.text, *clause.items):
            assert not re.search(r"\]\(|\*\*|\\\(|\\\)", text), (clause.id, text)


def test_annex_intro_is_text_and_tips_are_items(policy: Policy) -> None:
    annex = policy.clause("annex")
    assert annex.text.startswith("How to use social media: Tips and hints")
    assert annex.text.count("\n\n") == 4
    assert annex.items[4].startswith("Use Secure Passwords.")


def test_metadata(policy: Policy) -> None:
    assert policy.name == "Student Social Media Policy"
    assert policy.university == "De Montfort University"
    assert policy.source.approval_date == "June 2023"
    assert policy.source.effective_date == "July 2024"
    assert policy.source.approved_by == "Academic Board"
    assert policy.folder == POLICY_DIR


# --- the data against the source text ---------------------------------------------------------

_CLAUSE_LINE = re.compile(r"^(?:- )?(\d+\.\d+)\.?\s+(.*)$")


def _plain(markdown: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = text.replace("\\(", "(").replace("\\)", ")")
    return re.sub(r"\*\*?(.+?)\*\*?", r"\1", text).strip()


@pytest.fixture(scope="module")
def source_lines() -> list[str]:
    if not SOURCE.is_file():
        pytest.skip(f"{SOURCE} is not here (CI has it in ../shared)")
    return [line.strip() for line in SOURCE.read_text(encoding="utf-8").splitlines()]


def test_items_equal_the_source_bullets(policy: Policy, source_lines: list[str]) -> None:
    bullets = [
        _plain(line[2:])
        for line in source_lines
        if line.startswith("- ") and not _CLAUSE_LINE.match(line)
    ]
    items = [item for clause in policy.clauses.values() for item in clause.items]
    assert items == bullets


def test_clause_text_equals_the_source(policy: Policy, source_lines: list[str]) -> None:
    numbered = {m[1]: _plain(m[2]) for line in source_lines if (m := _CLAUSE_LINE.match(line))}
    assert list(numbered) == CLAUSE_IDS[:-1]
    for clause_id, text in numbered.items():
        assert policy.clause(clause_id).text == text
    plain_lines = {_plain(line) for line in source_lines}
    for paragraph in policy.clause("annex").text.split("\n\n"):
        assert paragraph in plain_lines


# --- routes -----------------------------------------------------------------------------------


def test_routes(policy: Policy) -> None:
    assert list(policy.routes) == [
        "student-complaints",
        "security",
        "police",
        "wellbeing",
        "samaritans",
    ]
    assert policy.route("security").contact == "security@dmu.ac.uk, (0116) 257 7642"
    assert "999" in policy.route("police").contact and "101" in policy.route("police").contact
    assert policy.route("samaritans").contact.startswith("116 123")
    assert policy.route("student-complaints").name == "Student Complaints Procedure"


def test_wellbeing_contact_is_empty_in_the_data(policy: Policy) -> None:
    assert policy.route("wellbeing").contact == ""


def test_wellbeing_contact_and_name_come_from_the_config() -> None:
    loaded = load_policy(
        POLICY_DIR, wellbeing_contact=" wellbeing@example.ac.uk ", wellbeing_name="Student Support"
    )
    assert loaded.route("wellbeing").contact == "wellbeing@example.ac.uk"
    assert loaded.route("wellbeing").name == "Student Support"
    assert loaded.route("security").contact == "security@dmu.ac.uk, (0116) 257 7642"


@pytest.mark.parametrize(
    ("clause_ids", "route_ids"),
    [
        (["4.2"], ("student-complaints", "security", "police")),
        (["7.5"], ("student-complaints", "security")),
        (["4.5", "7.5"], ("student-complaints", "security")),
        (["4.5"], ()),
        ([], ()),
    ],
)
def test_routes_for(policy: Policy, clause_ids: list[str], route_ids: tuple[str, ...]) -> None:
    assert tuple(r.id for r in policy.routes_for(clause_ids)) == route_ids


def test_route_info() -> None:
    route = Route("security", "Security", "d", "w", "security@example.ac.uk", ("4.2",))
    assert route.info() == RouteInfo("security", "Security", "security@example.ac.uk")


# --- clause references and the table of contents ----------------------------------------------


def test_check_clause_refs(policy: Policy) -> None:
    problems = policy.check_clause_refs(
        ["4.5", "3.4", "annex", "9"], "rules.yaml: rules[2].clauses"
    )
    assert len(problems) == 2
    assert problems[0].startswith("rules.yaml: rules[2].clauses: unknown clause '3.4'")
    assert "'9'" in problems[1]
    assert policy.check_clause_refs(CLAUSE_IDS, "x") == []


@pytest.mark.parametrize("query", ["4.5", "4.5.", "clause 4.5", " Clause 4.5 "])
def test_clause_accepts_spoken_forms(policy: Policy, query: str) -> None:
    assert policy.clause(query).id == "4.5"


@pytest.mark.parametrize("query", ["3.4", "", "recordings"])
def test_clause_raises_for_unknown_ids(policy: Policy, query: str) -> None:
    with pytest.raises(KeyError):
        policy.clause(query)


def test_toc(policy: Policy) -> None:
    toc = policy.toc()
    assert [e.id for e in toc] == CLAUSE_IDS
    assert toc[22] == TocEntry(
        "4.5", "4 Behaviour and conduct on social media", "Material that should never be posted"
    )


# --- lookup -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "clause_id"),
    [
        ("4.5", "4.5"),
        ("4.5.", "4.5"),
        ("clause 4.5", "4.5"),
        ("Clause 4.5.", "4.5"),
        ("5.2", "5.2"),
        ("4.10", "4.10"),
        ("3.10", "3.10"),
        ("annex", "annex"),
        ("annex a", "annex"),
        ("Annex A", "annex"),
        ("8", "8.1"),  # a section holding one clause is that clause
    ],
)
def test_lookup_by_id(policy: Policy, query: str, clause_id: str) -> None:
    result = policy.lookup(query)
    assert result.kind == "clause"
    assert [m.clause.id for m in result.matches] == [clause_id]
    assert result.query == query


@pytest.mark.parametrize("query", ["", "   ", "toc", "contents", "Contents", "table of contents"])
def test_lookup_contents(policy: Policy, query: str) -> None:
    result = policy.lookup(query)
    assert result.kind == "toc"
    assert [e.id for e in result.toc] == CLAUSE_IDS
    assert result.matches == ()


@pytest.mark.parametrize(
    ("query", "clause_ids"),
    [
        ("section 5", ["5.1", "5.2", "5.3", "5.4"]),
        ("6", ["6.1", "6.2"]),
        ("2.", ["2.1", "2.2", "2.3"]),
    ],
)
def test_lookup_section(policy: Policy, query: str, clause_ids: list[str]) -> None:
    result = policy.lookup(query)
    assert result.kind == "toc"
    assert [e.id for e in result.toc] == clause_ids


@pytest.mark.parametrize(
    ("query", "best"),
    [
        ("recordings", {"4.5"}),
        ("recordngs", {"4.5"}),
        ("lecture recording", {"4.5"}),
        ("bullying", {"5.1", "5.2"}),
        ("bulying", {"5.1", "5.2"}),
        ("cyber bullying", {"5.2"}),
        ("harrasment", {"5.1", "5.2"}),
        ("bulling", {"5.1", "5.2"}),
        ("swearing", {"4.5", "5.2"}),
        ("exam answers", {"4.5"}),
        ("personal info", {"4.5"}),
        ("logo", {"4.9"}),
        ("official view", {"4.9"}),
        ("report", {"4.2", "7.5"}),
        ("complaint", {"4.2", "7.5"}),
        ("report a crime", {"4.2"}),
        ("REPORT A CRIME", {"4.2"}),
        ("passwords", {"annex"}),
        ("copyright", {"4.4"}),
        ("gossip", {"5.2"}),
        ("rumours", {"5.2"}),
        ("impersonation", {"4.5", "5.2"}),
        ("right of erasure", {"3.10"}),
        ("placement", {"3.3"}),
    ],
)
def test_lookup_by_words(policy: Policy, query: str, best: set[str]) -> None:
    result = policy.lookup(query)
    assert result.kind == "search"
    assert result.matches[0].clause.id in best


@pytest.mark.parametrize("query", ["zzqqx", "qwxzv plmkj", "the", "3.4", "clause 9.9"])
def test_lookup_finds_nothing(policy: Policy, query: str) -> None:
    result = policy.lookup(query)
    assert result.kind == "none"
    assert result.matches == ()


@pytest.mark.parametrize(
    ("query", "clause_id", "items"),
    [
        ("recordings", "4.5", (5, 6)),
        ("gossip", "5.2", (0,)),
        ("passwords", "annex", (4,)),
        ("exam answers", "4.5", (9,)),
    ],
)
def test_lookup_reports_matched_bullets(
    policy: Policy, query: str, clause_id: str, items: tuple[int, ...]
) -> None:
    match = policy.lookup(query).matches[0]
    assert match.clause.id == clause_id
    assert match.matched_items == items


@pytest.mark.parametrize("query", ["social media", "personal info", "complaint", "bullying"])
def test_lookup_ranks_best_first_and_keeps_to_the_limit(policy: Policy, query: str) -> None:
    matches = policy.lookup(query, limit=3).matches
    assert 1 <= len(matches) <= 3
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)


def test_heading_and_keywords_outweigh_body_text(policy: Policy) -> None:
    # "logo" is in 4.9's heading, keywords and text; nowhere else.
    assert [m.clause.id for m in policy.lookup("logo").matches] == ["4.9"]
    # "security" is in 4.2's and 7.5's keywords but only the body text of 5.1.
    ids = [m.clause.id for m in policy.lookup("security").matches]
    assert ids.index("5.1") > max(ids.index("4.2"), ids.index("7.5"))


@pytest.mark.parametrize(
    ("query", "route_ids"),
    [
        ("4.2", ["student-complaints", "security", "police"]),
        ("4.5", []),
        ("report a crime", ["student-complaints", "security", "police"]),
    ],
)
def test_lookup_carries_the_routes(policy: Policy, query: str, route_ids: list[str]) -> None:
    assert [r.id for r in policy.lookup(query).routes] == route_ids


# --- loader errors ----------------------------------------------------------------------------

_VALID = """\
name: Code of Conduct
university: Example University
sections:
  - number: 1
    title: Conduct
    clauses:
      - id: '1.1'
        heading: Be kind
        text: Be kind online.
        items: [No insults, No spam]
        keywords: [kindness]
      - id: '1.2'
        heading: Report
        text: Report problems.
routes:
  - id: helpdesk
    name: Helpdesk
    description: The helpdesk.
    when: To report a problem.
    contact: help@example.ac.uk
    clauses: ['1.1']
"""


def _write(folder: Path, text: str) -> Path:
    (folder / "policy.yaml").write_text(text, encoding="utf-8")
    return folder


def test_another_universitys_policy_loads(tmp_path: Path) -> None:
    loaded = load_policy(_write(tmp_path, _VALID))
    assert list(loaded.clauses) == ["1.1", "1.2"]
    assert loaded.clause("1.1").section == "1 Conduct"
    assert loaded.clause("1.1").items == ("No insults", "No spam")
    assert loaded.routes_for(["1.1"])[0].contact == "help@example.ac.uk"
    assert loaded.lookup("kindnes").matches[0].clause.id == "1.1"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # (old text → new text), the one problem line expected (file prefix added below)
        (("sections:\n", "sections: [\n"), "line 4, column 3: invalid YAML"),
        (
            ("university: Example University\n", "university: U\nname: N\n"),
            "invalid YAML: duplicate key 'name'",
        ),
        (("id: '1.2'", "id: '1.1'"), ":12: sections[0].clauses[1].id: clause '1.1' appears twice"),
        (
            ("        heading: Report\n", ""),
            ":12: sections[0].clauses[1].heading: required key is missing",
        ),
        (
            ("keywords: [kindness]", "keyword: [kindness]"),
            ":11: sections[0].clauses[0].keyword: unknown key (known keys: id, heading, text, items, keywords)",
        ),
        (
            ("name: Code of Conduct\n", "name: Code of Conduct\nversion: 2\n"),
            ":2: version: unknown key",
        ),
        (
            ("clauses: ['1.1']", "clauses: ['1.1', '9.9']"),
            ":21: routes[0].clauses[1]: unknown clause '9.9'",
        ),
        (
            ("id: '1.2'", "id: 1.20"),
            ":12: sections[0].clauses[1].id: must be quoted, e.g. id: '4.10'",
        ),
        (("university: Example University\n", ""), ": university: required key is missing"),
        (
            ("contact: help@example.ac.uk", "contact: [help]"),
            ":20: routes[0].contact: Input should be a valid string",
        ),
        (("id: helpdesk", "id: Help Desk"), ":16: routes[0].id: String should match pattern"),
        (
            ("        text: Be kind online.\n", "        text: ''\n"),
            ":9: sections[0].clauses[0].text: String should have at least 1 character",
        ),
    ],
)
def test_loader_problems(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in _VALID
    folder = _write(tmp_path, _VALID.replace(old, new, 1))
    with pytest.raises(PolicyError) as caught:
        load_policy(folder)
    problems = caught.value.problems
    assert len(problems) == 1, problems
    assert problems[0].startswith(str(folder / "policy.yaml"))
    assert expected in problems[0]
    assert "\n" not in problems[0]


def test_loader_reports_every_problem(tmp_path: Path) -> None:
    text = _VALID.replace("keywords:", "keyword:").replace("        heading: Report\n", "")
    with pytest.raises(PolicyError) as caught:
        load_policy(_write(tmp_path, text))
    assert len(caught.value.problems) == 2


def test_duplicate_route_ids(tmp_path: Path) -> None:
    route = _VALID[_VALID.index("  - id: helpdesk") :]
    with pytest.raises(PolicyError) as caught:
        load_policy(_write(tmp_path, _VALID + route))
    assert caught.value.problems == [
        f"{tmp_path / 'policy.yaml'}:22: routes[1].id: route 'helpdesk' appears twice"
    ]


@pytest.mark.parametrize(("text", "expected"), [("", "got nothing"), ("- a\n", "got list")])
def test_file_must_be_a_mapping(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy(_write(tmp_path, text))
    assert caught.value.problems == [
        f"{tmp_path / 'policy.yaml'}: (top level): expected a mapping of keys, {expected}"
    ]


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy(tmp_path / "nowhere")
    assert caught.value.problems == [f"{tmp_path / 'nowhere'}: policy folder not found"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy(tmp_path)
    assert caught.value.problems[0].startswith(f"{tmp_path / 'policy.yaml'}: file not found")


@pytest.mark.parametrize(
    ("query", "suggested"),
    [
        ("4.55", ["4.5"]),
        ("45", ["4.5"]),
        ("4.5.1", ["4.5"]),
        ("§ 4.55.", ["4.5"]),
        ("4..5", []),  # not a clause number: searched as words
        ("0", []),
        ("9" * 400, []),
        ("4." + "5" * 300, ["4.5"]),
        ("٤.٥٥", []),  # other scripts' digits are not the policy's numbers
    ],
)
def test_a_number_the_policy_lacks_suggests_the_nearest_clauses(
    policy: Policy, query: str, suggested: list[str]
) -> None:
    result = policy.lookup(query)
    assert result.kind in ("none", "search")
    assert [c.id for c in result.suggestions] == suggested


def test_suggestions_are_at_most_three_and_prefer_the_same_section(policy: Policy) -> None:
    ids = [c.id for c in policy.lookup("3.4").suggestions]
    assert len(ids) == 3 and all(i.startswith("3.") for i in ids)
