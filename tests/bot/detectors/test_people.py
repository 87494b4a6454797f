"""Given names as people: a Capitalised common name counts before the bot has seen the member."""

from __future__ import annotations

import pytest
import yaml

from bot.detectors.people import first_names_of, person_spans, possessive_spans
from bot.detectors.spec import RuleError, RuleLists, RuleSpec
from bot.message import Message
from bot.rules import RuleSet
from bot.taxonomy import Severity

from .conftest import RULES_FOLDER, Run, make_context

LISTS = RULES_FOLDER / "lists"
NOT_NAMES = frozenset({"will", "mark"})
FIRST_NAMES = frozenset({"jess", "priya", "tom"})
NEW_SERVER: dict[str, str] = {}


def _list(file: str, name: str) -> list[str]:
    return yaml.safe_load((LISTS / file).read_text(encoding="utf-8"))[name]


def _labels(run_all: Run, text: str, names: dict[str, str] = NEW_SERVER) -> set[str]:
    """Return the labels found above low severity (the default config ignores low)."""
    return {f.label for f in run_all(text, names=names) if f.severity != Severity.LOW}


def _named(text: str, names: dict[str, str] = NEW_SERVER) -> list[str]:
    ctx = make_context(text, names)
    return [
        ctx.normalized.original[slice(*ctx.normalized.original_span(s, e))]
        for s, e in person_spans(ctx, NOT_NAMES, FIRST_NAMES)
    ]


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        ("Jess is an idiot", NEW_SERVER, ["Jess"]),
        ("honestly Priya is late again", NEW_SERVER, ["Priya"]),
        ("Tom's a pathetic loser", NEW_SERVER, ["Tom's"]),
        ("JESS IS AN IDIOT", NEW_SERVER, ["JESS"]),
        ("J3ss is an idiot", NEW_SERVER, ["J3ss"]),  # leetspeak maps back to the capital
        # Lower case: a given name counts only for a member the bot has seen.
        ("jess is an idiot", NEW_SERVER, []),
        # A title names whoever follows it, surname or not, in any case.
        ("Dr Whitlock is useless", NEW_SERVER, ["Whitlock"]),
        ("prof. hughes marked it", NEW_SERVER, ["hughes"]),
        ("the doctor is useless", NEW_SERVER, []),
        ("jess is an idiot", {"u1": "Jess Smith"}, ["jess"]),
        ("smith is an idiot", {"u1": "Jess Smith"}, ["smith"]),
        # Ordinary words never count, capitalised or known.
        ("Will is going to be great", NEW_SERVER, []),
        ("Will is going to be great", {"u1": "Will"}, []),
        ("Monday is a nightmare", NEW_SERVER, []),
        ("ask @jess_x or <@U123>", NEW_SERVER, ["@jess_x", "<@U123>"]),
    ],
)
def test_person_spans(text: str, names: dict[str, str], expected: list[str]) -> None:
    assert _named(text, names) == expected


def test_possessive_given_name() -> None:
    ctx = make_context("can I borrow Priya's login for the survey", NEW_SERVER)
    assert possessive_spans(ctx, NOT_NAMES, FIRST_NAMES) != []
    assert possessive_spans(ctx, NOT_NAMES) == []


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Jess is an idiot", "offensive-or-threatening"),
        ("Priya is a slag", "offensive-or-threatening"),
        ("Tom's a pathetic loser", "offensive-or-threatening"),
        ("honestly Kwame is such a moron", "offensive-or-threatening"),
        ("Sebastian's a creepy little loser", "offensive-or-threatening"),
        ("Jess is so cringe", "mocking"),
        ("heard Aisha got kicked off the course for cheating", "rumours"),
        ("apparently Oliver got arrested", "rumours"),
        ("ring Oliver on 07700 900456", "personal-info"),
        ("Priya's postcode is LE1 9BH", "personal-info"),
    ],
)
def test_typed_given_name_is_a_person_in_a_new_server(run_all: Run, text: str, label: str) -> None:
    assert label in _labels(run_all, text), text


@pytest.mark.parametrize(
    ("text", "member", "label"),
    [
        ("jess is an idiot", "Jess", "offensive-or-threatening"),
        ("heard aisha got kicked off the course for cheating", "Aisha B", "rumours"),
        ("priya's postcode is LE1 9BH", "Priya", "personal-info"),
    ],
)
def test_lower_case_given_name_needs_a_known_member(
    run_all: Run, text: str, member: str, label: str
) -> None:
    # Who is a person is the rules' question; the policy model reads meaning, not names.
    def rule_labels(names: dict[str, str] = NEW_SERVER) -> set[str]:
        found = run_all(text, names=names)
        return {f.label for f in found if f.severity != Severity.LOW and f.origin == "rule"}

    assert label not in rule_labels()
    assert label in rule_labels({"u5": member})


QUIET = [
    "Monday is a nightmare",
    "Python is a pain",
    "Blackboard is a joke",
    "Mark the essay is a mess",
    "Will is going to be great",
    "Jess is an angel",
    "Jess is a legend",
    "Priya is the best captain",
    "Sunny weather is a gift",
    "Reading is a city",
    "Jordan is a country",
    "Chelsea are useless this season",
    "Julia is a pain to install",
    "Hugh Aston is a maze",
    "Jess called me an idiot lol",
    "Tom said the lecture was useless",
    "Priya's laptop is useless",
    "Sam said the exam was a joke",
    "Harry Potter is overrated",
    "Megan heard the exam got moved",
    "Heard Fatima got a first",
    "Ask Priya, she knows where the library is",
    "happy birthday Priya!!",
    "Luca is a legend",
    "Mason jars are a nightmare to open",
]


@pytest.mark.parametrize("text", QUIET)
def test_everyday_mentions_of_names_stay_quiet(run_all: Run, text: str) -> None:
    assert _labels(run_all, text) == set()


def test_every_person_aware_rule_gets_the_given_names(rules: RuleSet) -> None:
    for rule_id in ("targeted-insults", "mocking", "rumours", "account-details", "personal-info"):
        names = rules.detector(rule_id).first_names  # type: ignore[attr-defined]
        assert {"jess", "priya", "kwame"} <= names, rule_id
        assert not names & {"will", "mark", "sunny"}, rule_id  # not-names are taken out


def test_given_names_data() -> None:
    names = _list("first-names.yaml", "first-names")
    assert 300 <= len(names) <= 1000
    assert len(set(names)) == len(names), "duplicates"
    bad = [n for n in names if not (n.isascii() and n.isalpha() and n.islower() and len(n) >= 3)]
    assert bad == []
    assert not set(names) & set(_list("people.yaml", "not-names"))


@pytest.mark.parametrize(
    "word",
    [
        "will",
        "may",
        "mark",
        "rose",
        "grace",
        "hope",
        "faith",
        "joy",
        "sunny",
        "bill",
        "pat",
        "sue",
        "art",
        "amber",
        "summer",
        "jack",
        "max",
        "june",
        "april",
        "jordan",
        "chelsea",
        "paris",
        "india",
        "georgia",
        "victoria",
        "julia",
        "ruby",
        "ada",
        "alexa",
        "claude",
        "jesus",
        "karen",
        "hugh",
        "vijay",
    ],
)
def test_ambiguous_words_are_not_given_names(word: str) -> None:
    assert word not in _list("first-names.yaml", "first-names")


def _lists(items: list[object]) -> RuleLists:
    return RuleLists({"given": items, "not-names": ["will"]}, {"given": "lists/x.yaml"})


def _spec(first_names: str = "given") -> RuleSpec:
    return RuleSpec(
        id="r",
        label="rumours",
        clauses=("5.2",),
        severity=Severity.MEDIUM,
        kind="phrases",
        params={"first_names": first_names},
        where="rules.yaml: rules[3]",
    )


def test_first_names_of_cleans_and_drops_not_names() -> None:
    got = first_names_of(_spec(), _lists(["Jess", "zoë", "will", " tom "]), frozenset({"will"}))
    assert got == frozenset({"jess", "zoe", "tom"})


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("mary jane", "lists/x.yaml: given[1]: expected one given name, got 'mary jane'"),
        ("jess2", "lists/x.yaml: given[1]: expected one given name, got 'jess2'"),
        (
            True,
            "lists/x.yaml: given[1]: expected a phrase (text), got True"
            " (quote words YAML reads as true/false: on, off, yes, no)",
        ),
    ],
)
def test_first_names_of_errors_are_one_line(item: object, message: str) -> None:
    with pytest.raises(RuleError) as err:
        first_names_of(_spec(), _lists(["jess", item]), frozenset())
    assert err.value.problems == [message]


def test_unknown_first_names_list_is_one_line() -> None:
    with pytest.raises(RuleError) as err:
        first_names_of(_spec("nope"), _lists([]), frozenset())
    (problem,) = err.value.problems
    assert problem.startswith("rules.yaml: rules[3].first_names: unknown list 'nope'")


async def test_engine_acts_on_a_typed_name_in_a_community_it_has_never_seen(core) -> None:  # type: ignore[no-untyped-def]
    settings = core.engine.config.settings_for("discord", "new-guild", "general")
    message = Message(
        id="1",
        text="Jess is an idiot",
        author="u1",
        channel="general",
        community="new-guild",
        platform="discord",
    )
    counted = core.engine.counted(core.engine.detect(message), settings)
    assert [f.label for f in counted] == ["offensive-or-threatening"]
