"""The ladder: remind, warn, escalate; high severity jumps; the rate limit holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.config import LadderConfig
from bot.decision import Action
from bot.ladder import Ladder
from bot.taxonomy import Severity

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("live", "severity", "step", "action"),
    [
        (0, Severity.MEDIUM, 1, Action.REMIND),
        (1, Severity.MEDIUM, 2, Action.WARN),
        (2, Severity.MEDIUM, 3, Action.ESCALATE),
        (7, Severity.LOW, 8, Action.ESCALATE),
        (0, Severity.HIGH, 1, Action.ESCALATE),
    ],
)
def test_step(live: int, severity: Severity, step: int, action: Action) -> None:
    result = Ladder(LadderConfig()).step(live, severity)
    assert (result.number, result.action) == (step, action)


def test_thresholds_are_configurable() -> None:
    ladder = Ladder(LadderConfig(warn_at=3, escalate_at=5))
    assert [ladder.step(n, Severity.MEDIUM).action for n in range(5)] == [
        Action.REMIND,
        Action.REMIND,
        Action.WARN,
        Action.WARN,
        Action.ESCALATE,
    ]


def test_window_start_is_decay_days_ago() -> None:
    assert Ladder(LadderConfig(decay_days=7)).window_start(NOW) == NOW - timedelta(days=7)


@pytest.mark.parametrize(
    ("ago_minutes", "allowed"), [(None, True), (1, False), (9, False), (10, True), (60, True)]
)
def test_rate_limit(ago_minutes: int | None, allowed: bool) -> None:
    last = None if ago_minutes is None else NOW - timedelta(minutes=ago_minutes)
    assert Ladder(LadderConfig(rate_limit_minutes=10)).may_remind(last, NOW) is allowed


def test_no_rate_limit_when_set_to_zero() -> None:
    ladder = Ladder(LadderConfig(rate_limit_minutes=0))
    assert ladder.may_remind(NOW + timedelta(seconds=1), NOW)
