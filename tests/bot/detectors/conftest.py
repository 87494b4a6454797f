"""The shipped DMU rules, loaded once, and a helper that runs one rule (or all) on a text."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from bot.detectors.base import ChannelSettings, MessageContext
from bot.finding import Finding
from bot.message import Attachment, Message
from bot.rules import RuleSet, load_rules

RULES_FOLDER = Path(__file__).resolve().parents[3] / "policy_rules" / "dmu"
CLAUSES = {"3.11", "4.2", "4.5", "4.9", "5.2", "7.5"}
NAMES = {"u1": "Jess Smith", "u2": "Sam", "u3": "Mod Sarah"}


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_rules(RULES_FOLDER, CLAUSES)


#: The shipped rules' normalizer (it knows their words), shared by every context built here.
_NORMALIZER = load_rules(RULES_FOLDER, CLAUSES).normalizer


def make_context(
    text: str,
    names: Mapping[str, str] = NAMES,
    *,
    links: tuple[str, ...] = (),
    attachments: tuple[Attachment, ...] = (),
    mentions: tuple[str, ...] = (),
    reply_to: str | None = None,
    author_name: str | None = None,
    settings: ChannelSettings | None = None,
) -> MessageContext:
    message = Message(
        id="m1",
        text=text,
        author="u9",
        channel="c1",
        links=links,
        attachments=attachments,
        mentions=mentions,
        reply_to=reply_to,
        author_name=author_name,
    )
    return MessageContext(message, _NORMALIZER(text), names, settings or ChannelSettings())


Run = Callable[..., list[Finding]]


@pytest.fixture(scope="session")
def run_rule(rules: RuleSet) -> Run:
    """Return findings of one rule (enabled or not) for a text."""

    def run(rule_id: str, text: str, **kwargs: object) -> list[Finding]:
        return rules.detector(rule_id).detect(make_context(text, **kwargs))  # type: ignore[arg-type]

    return run


@pytest.fixture(scope="session")
def run_all(rules: RuleSet) -> Run:
    """Return the labels every enabled rule finds in a text."""

    def run(text: str, **kwargs: object) -> list[Finding]:
        return rules.detect(make_context(text, **kwargs))  # type: ignore[arg-type]

    return run
