from __future__ import annotations

import pytest

from bot.detectors.generalisation import build
from bot.detectors.spec import RuleError, RuleLists, RuleSpec
from bot.taxonomy import Severity

from .conftest import Run

RULE = "group-generalisations"

# A whole group condemned: the group, then only link words, then the predicate.
BREACHES = [
    "travellers r all thieves, lock ur bikes up",
    "the eastern euro lot are all scroungers",
    "Muslims are basically a disease",
    "women simply aren't suited to chairing debates",
    "gay people are disgusting and shouldn't be in the soc",
    "polish students are so lazy tbh",
    "disabled people are a burden on every trip",
    "immigrants can't be trusted",
    "international students should go back to where they came from",
    "being gay is unnatural",
    "immigrants are an infestation and need sending back",
    "roma are genetically criminal",
    "if you're over 40 don't bother joining, old people are useless",
    # An exclusion wish, the group all it wants out.
    "we don't want any more Asians in the chess club",
    "no more muslims, simple",
    # The cleaner's readings reach it too.
    "trаvellers are all thiеves",  # Cyrillic а and е
    "g a y people are d i s g u s t i n g",
]

# Its innocent twins, and talk about groups that condemns nobody.
QUIET = [
    "Muslims are not terrorists",
    "not all muslims are terrorists",
    "women are underpaid and overworked",
    "international students are so lovely",
    "travellers are stuck at the airport again",
    "the stereotype that polish people are lazy is so racist",
    "someone in my seminar said all immigrants are lazy, i called it out",
    "that comedian's jokes about disabled people are just lazy",
    "the word used to describe migrants is disgusting",
    'he told me "immigrants are all criminals", how do i report that',
    "no more international students can register after friday",
    "no more women's football this term",
    "the chinese was disgusting last night",
    "the black one is disgusting, get the blue",
    "muslims who fast are tired by the evening seminar",
    "gamers are all thieves of my time lol",
    '"Immigrants steal our jobs" is one of the most repeated claims and the economics says no',
]

# (breach, its innocent twin): one shape apart.
MINIMAL_PAIRS = [
    ("immigrants are all criminals", "immigrants are not all criminals"),
    ("women are too emotional to lead", "women are too often kept from leading"),
    ("travellers are thieves", "travellers are victims of thieves"),
    ("no more Asians in the chess club", "no more Asian food at the chess club social"),
    ("disabled students are a burden", "the stereotype that disabled students are a burden"),
]


@pytest.mark.parametrize("text", BREACHES)
def test_generalisations_fire(run_rule: Run, text: str) -> None:
    (finding,) = run_rule(RULE, text)
    assert (finding.label, finding.severity) == ("abusive-content", Severity.HIGH)
    assert finding.clauses == ("4.5",)


@pytest.mark.parametrize("text", QUIET)
def test_talk_about_groups_stays_quiet(run_rule: Run, text: str) -> None:
    assert run_rule(RULE, text) == []


@pytest.mark.parametrize(("breach", "twin"), MINIMAL_PAIRS)
def test_minimal_pairs(run_rule: Run, breach: str, twin: str) -> None:
    assert run_rule(RULE, breach) and not run_rule(RULE, twin)


def test_the_finding_points_at_the_claim(run_rule: Run) -> None:
    text = "lovely weather. travellers are all thieves though"
    (finding,) = run_rule(RULE, text)
    assert finding.span is not None
    assert text[finding.span[0] : finding.span[1]] == "travellers are all thieves"


def test_group_words_need_heads() -> None:
    spec = RuleSpec(
        "g",
        "abusive-content",
        ("4.5",),
        Severity.HIGH,
        "generalisation",
        params={"groups": "g", "predicates": "p", "links": "l", "group_words": "w"},
        where="r.yaml: rules[0]",
    )
    lists = RuleLists({"g": ["muslims"], "p": ["thieves"], "l": ["are"], "w": ["polish"]}, {})
    with pytest.raises(RuleError) as err:
        build(spec, lists)
    assert err.value.problems == [
        "r.yaml: rules[0].group_words: group_words and group_heads go together"
    ]
