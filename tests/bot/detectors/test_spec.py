"""The rule getters that several detector kinds share: a choice of words, an optional list."""

from __future__ import annotations

import pytest

from bot.detectors.spec import RuleError, RuleLists, RuleSpec
from bot.normalize import normalize
from bot.taxonomy import Severity

LISTS = RuleLists({"jokes": ["just kidding"]}, {"jokes": "lists/x.yaml"})
WHERE = "rules.yaml: rules[0]"


def spec(**params: object) -> RuleSpec:
    return RuleSpec(
        "r", "mocking", ("5.2",), Severity.MEDIUM, "phrases", params=params, where=WHERE
    )


@pytest.mark.parametrize(
    ("params", "chosen"),
    [({}, "overlap"), ({"scope": "overlap"}, "overlap"), ({"scope": "message"}, "message")],
)
def test_a_choice_defaults_to_its_first_option(params: dict[str, object], chosen: str) -> None:
    assert spec(**params).choice("scope", ("overlap", "message")) == chosen


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("whole", "rules.yaml: rules[0].scope: expected 'overlap' or 'message', got 'whole'"),
        (3, "rules.yaml: rules[0].scope: expected text, got int"),
    ],
)
def test_a_choice_outside_the_options_is_one_line_naming_the_key(value: object, error: str) -> None:
    with pytest.raises(RuleError) as raised:
        spec(scope=value).choice("scope", ("overlap", "message"))
    assert raised.value.problems == [error]


def test_an_optional_matcher_is_none_without_lists_and_matches_with_them() -> None:
    assert LISTS.optional_matcher(spec(), "unless") is None
    matcher = LISTS.optional_matcher(spec(unless=["jokes"]), "unless")
    assert matcher is not None and matcher.search(normalize("ok, just kidding"))


def test_an_optional_matcher_names_the_rule_key_of_an_unknown_list() -> None:
    with pytest.raises(RuleError, match=r"rules\[0\]\.unless: unknown list 'nope'"):
        LISTS.optional_matcher(spec(unless="nope"), "unless")
