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
