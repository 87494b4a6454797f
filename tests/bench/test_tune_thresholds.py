"""Threshold tuning: dev precision first, then the cheapest raises that fit everyday budgets."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.tune_thresholds import (
    Scored,
    lowest_precise,
    raise_thresholds,
    rounded_up,
    route_thresholds,
    write_thresholds,
)


def s(labels: set[str], **p: float) -> Scored:
    return Scored(frozenset(labels), {k.replace("_", "-"): v for k, v in p.items()})


# Dev: rumours is easy (breaches .9, .8, .7; an everyday message .3); mocking's breaches sit
# at .6 and .5, with an everyday message at .55 on dev.
DEV = [
    s({"rumours"}, rumours=0.9),
    s({"rumours"}, rumours=0.8),
    s({"rumours"}, rumours=0.7),
    s(set(), rumours=0.3, mocking=0.55),
    s({"mocking"}, mocking=0.6),
    s({"mocking"}, mocking=0.5),
]


@pytest.mark.parametrize(
    ("label", "precision", "expected"),
    [
        ("rumours", 0.9, 0.7),  # every breach, nothing else
        ("mocking", 0.9, 0.6),  # .5 would also take the everyday .55
        ("mocking", 0.6, 0.5),  # 2 of 3 is enough
        ("impersonation", 0.9, 0.99),  # no scores at all: effectively off
    ],
)
def test_the_start_is_the_lowest_threshold_with_dev_precision(
    label: str, precision: float, expected: float
) -> None:
    assert lowest_precise(DEV, label, precision) == expected


def test_the_raise_that_loses_fewest_dev_breaches_is_taken() -> None:
    # At precision .5 rumours starts at .3 and mocking at .5. Budget 1, two everyday hits:
    # raising rumours past .4 loses no dev breach (they are .7 and up); raising mocking past
    # .52 loses its .5 breach. Rumours goes up; mocking stays.
    everyday = {"chat": [s(set(), rumours=0.4), s(set(), mocking=0.52)]}
    tuning = raise_thresholds(DEV, everyday, {"chat": 1}, ["rumours", "mocking"], 0.5)
    assert tuning.thresholds == {"rumours": pytest.approx(0.4 + 1e-6), "mocking": 0.5}
    assert tuning.acted == {"chat": 1} and not tuning.stuck


def test_a_message_two_labels_act_on_gets_both_raised() -> None:
    everyday = {"chat": [s(set(), rumours=0.4, mocking=0.52)], "other": []}
    budgets = {"chat": 0, "other": 0}
    tuning = raise_thresholds(DEV, everyday, budgets, ["rumours", "mocking"], 0.5)
    assert tuning.thresholds["rumours"] > 0.4 and tuning.thresholds["mocking"] > 0.52
    assert tuning.acted == {"chat": 0, "other": 0} and not tuning.stuck


def test_a_floor_holds_a_label_above_the_tests_cases() -> None:
    tuned = raise_thresholds(DEV, {}, {}, ["rumours"], floors={"rumours": 0.85})
    assert tuned.thresholds["rumours"] == 0.85


def test_stuck_when_no_raise_can_clear_a_set() -> None:
    # The everyday message is at .999 for the only label: no threshold below 1 clears it.
    tuning = raise_thresholds(DEV, {"chat": [s(set(), rumours=0.999)]}, {"chat": 0}, ["rumours"])
    assert tuning.stuck and tuning.acted == {"chat": 1}


def test_a_route_stays_off_the_regression_set_and_within_the_quiet_budget() -> None:
    dev = [s({"report-intent"}, report_intent=p) for p in (0.9, 0.6, 0.4)]
    dev.append(s(set(), report_intent=0.2))
    regression = [s(set(), report_intent=0.5)]
    got = route_thresholds(dev, {"regression": regression}, ["report-intent"])
    assert got == {"report-intent": 0.6}  # .4 would point someone in the regression set
    assert route_thresholds(dev, {}, ["report-intent"]) == {"report-intent": 0.4}


@pytest.mark.parametrize(
    ("tuned", "written"), [(0.5, 0.5), (0.5000001, 0.501), (0.7231, 0.724), (0.999, 0.999)]
)
def test_a_written_threshold_never_undoes_a_raise(tuned: float, written: float) -> None:
    assert rounded_up(tuned) == written


def test_write_changes_only_the_threshold_of_each_label_line(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n  - id: policy-classifier\n    labels:\n"
        "      # a comment stays\n"
        "      rumours: {threshold: 0.506, severity: medium}\n"
        "      intimidation: {threshold: 0.790, severity: high}\n",
        encoding="utf-8",
    )
    missing = write_thresholds(rules, {"rumours": 0.5, "mocking": 0.6})
    assert missing == ["mocking"]
    text = rules.read_text(encoding="utf-8")
    assert "rumours: {threshold: 0.500, severity: medium}" in text
    assert "intimidation: {threshold: 0.790, severity: high}" in text
    assert "# a comment stays" in text


def test_every_label_of_the_shipped_rules_can_be_written(tmp_path: Path) -> None:
    # `make tune` rewrites the shipped rules.yaml: each label the classifier acts on must be on
    # a line it can find, whatever other keys (short, aimed) the label carries.
    import yaml

    shipped = Path(__file__).parents[2] / "policy_rules" / "dmu" / "rules.yaml"
    (spec,) = [r for r in yaml.safe_load(shipped.read_text())["rules"] if r["kind"] == "classifier"]
    rules = tmp_path / "rules.yaml"
    rules.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    assert write_thresholds(rules, {label: 0.5 for label in spec["labels"]}) == []
