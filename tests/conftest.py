"""Suite-wide fixtures: the bundled policy and rules, loaded once (both are immutable)."""

from __future__ import annotations

import pytest

from bot.app import load_policy_and_rules
from bot.config import parse_config
from bot.policy import Policy
from bot.rules import RuleSet


@pytest.fixture(scope="session")
def loaded() -> tuple[Policy, RuleSet]:
    """Return the bundled DMU policy and its rule set, compiled once per test session."""
    return load_policy_and_rules(parse_config({}))


class Rules:
    """The bundled policy and rules with a short repr: Hypothesis prints a failing example's
    arguments, fixtures included, and the policy's own repr runs to pages. (Not a dataclass:
    Hypothesis prints a dataclass field by field, whatever its repr.)"""

    def __init__(self, loaded: tuple[Policy, RuleSet]) -> None:
        self.loaded = loaded

    def __repr__(self) -> str:
        return "Rules(<the bundled DMU policy and rules>)"


@pytest.fixture
def rules(loaded: tuple[Policy, RuleSet]) -> Rules:
    """Return the session's policy and rules, quietly printed (for the property suites)."""
    return Rules(loaded)
