"""The real-chat regression set and the evasion suite hold their targets.

Every everyday message of ``bench/regression/real_chat.jsonl`` is left alone and every breach
in it is acted on with its label; every transform family of the evasion suite, generated from
those breaches, is still caught at least 95% of the time.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import quality
from bench.datasets import DatasetError
from bench.real_chat import (
    EMAIL_FAMILIES,
    PHONE_FAMILIES,
    TEXT_FAMILIES,
    Case,
    EvasionResult,
    Judge,
    evasions,
    load_cases,
    run_evasion,
)

CASES = load_cases()
#: The share of each transform family's rewritten breaches that must still be caught.
TARGET = 0.95


@pytest.fixture(scope="module")
def judge() -> Judge:
    return Judge.build()


@pytest.fixture(scope="module")
def evasion(judge: Judge) -> EvasionResult:
    return run_evasion(judge, CASES)


def test_the_set_is_a_few_hundred_messages_of_both_kinds() -> None:
    assert len(CASES) >= 250
    assert sum(c.breach for c in CASES) >= 50
    assert len({c.shape for c in CASES if not c.breach}) >= 20


@pytest.mark.parametrize("case", CASES, ids=[f"{c.shape}-{i}" for i, c in enumerate(CASES)])
def test_real_chat_case(judge: Judge, case: Case) -> None:
    acted = sorted(judge.acted(case))
    if case.breach:
        assert case.expect in acted, f"{case.text!r} should be acted on as {case.expect}"
    else:
        assert acted == [], f"{case.text!r} is everyday chat, acted on as {acted}"


@pytest.mark.parametrize("family", [*TEXT_FAMILIES, *PHONE_FAMILIES, *EMAIL_FAMILIES])
def test_each_transform_family_is_caught(evasion: EvasionResult, family: str) -> None:
    assert evasion.total[family] >= 4, f"too few breaches to rewrite by {family!r}"
    missed = [e.text for e in evasion.missed if e.family == family]
    assert evasion.share(family) >= TARGET, f"{family}: missed {missed}"


def test_evasions_rewrite_the_trigger(judge: Judge) -> None:
    case = Case("you are such an idiot", "offensive-or-threatening", "targeted-insult")
    rewritten = {e.family: e.text for e in evasions(judge, [case])}
    assert rewritten["letters separated by commas"] == "you are such an i,d,i,o,t"
    assert rewritten["one letter masked with *"] == "you are such an idi*t"
    assert rewritten["article glued onto spaced letters"] == "you are such an i d i o t"
    assert rewritten["no spaces"] == "youaresuchanidiot"


def test_a_bad_line_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text('{"text": "hi", "expect": "none", "shape": "x"}\n{"text": "hi"}\n')
    with pytest.raises(
        DatasetError, match=r"set.jsonl: line 2: 'expect' must be 'none' or a label"
    ):
        load_cases(path)


def test_quality_prints_the_real_chat_tables(capsys: pytest.CaptureFixture[str]) -> None:
    assert quality.main(["--real-chat"]) == 0
    out = capsys.readouterr().out
    assert "### Real-chat regression set" in out
    assert "| letters separated by commas |" in out
    assert "| phone: O for 0 |" in out
