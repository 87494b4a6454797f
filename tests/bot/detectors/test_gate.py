"""The detector gate: the same findings as running every rule, from fewer rules run."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.detectors.gate import DetectorGate
from bot.detectors.phrase_matcher import PhraseMatcher
from bot.finding import Finding
from bot.rules import RuleSet
from bot.taxonomy import Severity

from .conftest import make_context

BENIGN = Path(__file__).resolve().parents[3] / "bench" / "data" / "benign_student_chat.txt"

WRITTEN = [
    "you are a stupid idiot",
    "I know where you live and I'm coming for you",
    "watch your back Jess",
    "y o u  a r e  a  l o s e r",
    "ring Jess on 07700 900123, tell her what you think of her",
    "anyone selling the exam answers for tomorrow? will pay £50",
    "I'll pay someone to write my essay for £100",
    "how do I report someone for harassment?",
    "honestly I want to die, I can't go on",
    "here's the replay link https://replay.dmu.ac.uk/Panopto/Pages/Viewer.aspx?id=1",
    "fuck yeah we won",
    "Sam's login is sam123, password hunter2",
    "<@u2> nobody likes you",
    "!!! ??? ...",
    "",
]


def _texts() -> list[str]:
    lines = [ln for ln in BENIGN.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return lines + WRITTEN


def test_gate_finds_what_every_rule_finds(rules: RuleSet) -> None:
    gate = DetectorGate(rules.detectors)
    for text in _texts():
        ctx = make_context(text)
        assert gate.detect(ctx) == rules.detect(ctx), text


@dataclass
class Counting:
    """A rule that fires on one phrase and counts how often it was run."""

    matcher: PhraseMatcher
    keyed: bool = True
    runs: list[str] = field(default_factory=list)

    @property
    def rule_id(self) -> str:
        return "counting"

    def trigger_keys(self) -> frozenset[str] | None:
        return self.matcher.trigger_keys() if self.keyed else None

    def detect(self, ctx: object) -> list[Finding]:
        text = ctx.normalized  # type: ignore[attr-defined]
        self.runs.append(text.text)
        if not self.matcher.search(text):
            return []
        return [Finding("mocking", ("5.2",), Severity.MEDIUM, 1.0, "hit")]


@pytest.mark.parametrize(
    ("text", "keyed_runs", "found"),
    [
        ("what a clown show", 1, 2),
        ("what a CL0WN", 1, 2),
        ("see you at film night", 0, 0),
    ],
)
def test_a_rule_runs_only_when_its_words_occur(text: str, keyed_runs: int, found: int) -> None:
    keyed = Counting(PhraseMatcher(["clown"]))
    always = Counting(PhraseMatcher(["clown"]), keyed=False)
    findings = DetectorGate([keyed, always]).detect(make_context(text))
    assert (len(keyed.runs), len(always.runs), len(findings)) == (keyed_runs, 1, found)


def test_a_list_with_a_phrase_of_symbols_only_is_always_run() -> None:
    symbols = Counting(PhraseMatcher(["clown", "🤡"]))
    assert symbols.trigger_keys() is None
    assert DetectorGate([symbols]).detect(make_context("🤡")) != []
