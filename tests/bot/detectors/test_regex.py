from __future__ import annotations

import pytest

from bot.detectors.regex import RegexDetector, build, pattern_words
from bot.detectors.spec import RuleError, RuleLists, RuleSpec
from bot.taxonomy import Severity

from .conftest import make_context


def spec(**params: object) -> RuleSpec:
    return RuleSpec(
        id="student-number-dump",
        label="personal-info",
        clauses=("4.5",),
        severity=Severity.MEDIUM,
        kind="regex",
        params=params,
        where="policy_rules/x/rules.yaml: rules[3]",
    )


LISTS = RuleLists({"jokes": ["just kidding"]}, {"jokes": "lists/x.yaml"})


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("numbers P12345678 and P7654321", True),
        ("p1234567", True),
        ("P123", False),
        ("P12345678 just kidding", False),
        ("AP12345678X", False),
    ],
)
def test_patterns_on_normalized_text(text: str, fires: bool) -> None:
    detector = build(spec(patterns=[r"\bp\d{7,8}\b"], unless=["jokes"]), LISTS)
    assert bool(detector.detect(make_context(text))) is fires


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("idiot and then some moron", (0, 5)),  # the first pattern that matches wins
        ("some moron then an idiot", (19, 24)),
        ("a moron", (2, 7)),
        ("all fine here", None),
        ("a moron, just kidding", None),
    ],
)
def test_several_patterns_first_pattern_first(text: str, span: tuple[int, int] | None) -> None:
    detector = build(spec(patterns=[r"idiot", r"(?i)MORON"], unless=["jokes"]), LISTS)
    found = detector.detect(make_context(text))
    assert (found[0].span if found else None) == span


def test_span_maps_back_to_original() -> None:
    detector = build(spec(patterns=[r"idiot"]), LISTS)
    text = "you \u0456d\u0456\u043et"
    (finding,) = detector.detect(make_context(text))
    assert finding.span == (4, 9)


def test_original_text_keeps_digits() -> None:
    detector = build(spec(patterns=[r"07\d{3} ?\d{6}"], on="original"), LISTS)
    assert isinstance(detector, RegexDetector)
    assert detector.detect(make_context("call 07700 900123"))


def test_both_reads_the_original_then_the_cleaned_text() -> None:
    # The digits of the original, and the word the cleaner reads out of look-alike letters.
    detector = build(spec(patterns=[r"password is [a-z]+\d+"], on="both"), LISTS)
    assert detector.detect(make_context("her password is bella2004"))
    assert detector.detect(make_context("her \u0440\u0430\u0455\u0455word is bella2004"))
    original = build(spec(patterns=[r"password is [a-z]+\d+"], on="original"), LISTS)
    assert not original.detect(make_context("her \u0440\u0430\u0455\u0455word is bella2004"))


def test_bad_pattern_names_file_rule_and_pattern() -> None:
    with pytest.raises(RuleError) as err:
        build(spec(patterns=["ok", "(?<=a)b"]), LISTS)
    (problem,) = err.value.problems
    assert problem.startswith("policy_rules/x/rules.yaml: rules[3].patterns[1]")
    assert "student-number-dump" in problem
    assert "'(?<=a)b'" in problem


def test_catastrophic_pattern_is_linear() -> None:
    detector = build(spec(patterns=[r"(a+)+$"]), LISTS)
    assert detector.detect(make_context("a" * 5000 + "!")) == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "rules[3].patterns: is required"),
        ({"patterns": [1]}, "rules[3].patterns: expected a name or a list of names"),
        ({"patterns": ["x"], "on": "raw"}, "rules[3].on: expected 'normalized' or 'original'"),
        ({"patterns": ["x"], "unless": ["nope"]}, "rules[3].unless: unknown list 'nope'"),
    ],
)
def test_param_errors(params: dict[str, object], message: str) -> None:
    with pytest.raises(RuleError) as err:
        build(spec(**params), LISTS)
    assert message in err.value.problems[0]


@pytest.mark.parametrize(
    ("patterns", "words"),
    [
        (["(?:^|[^a-z])behead (?:him|her)"], {"behead"}),
        # An escape's letter is not glued to the word after it.
        (["\\bpaid\\b", "\\d{4} (?:windscreen|door)"], {"paid", "windscreen", "door"}),
        (["(?i)\\bp\\d{7}"], set()),
    ],
)
def test_pattern_words_are_the_plain_words_a_pattern_is_written_in(
    patterns: list[str], words: set[str]
) -> None:
    assert pattern_words(patterns) == words
