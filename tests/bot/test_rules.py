from __future__ import annotations

from pathlib import Path

import pytest

from bot.detectors.base import MessageContext
from bot.detectors.registry import DETECTOR_KINDS
from bot.message import Message
from bot.normalize import normalize
from bot.rules import RuleError, RuleSet, load_rules
from bot.taxonomy import ALL_LABELS, VIOLATION_LABELS

DMU = Path(__file__).resolve().parents[2] / "policy_rules" / "dmu"
CLAUSES = {"3.11", "4.2", "4.5", "4.9", "5.2", "7.5"}


@pytest.fixture(scope="module")
def dmu() -> RuleSet:
    return load_rules(DMU, CLAUSES)


def write(folder: Path, rules: str, lists: str = "desist: [stop messaging me]\n") -> Path:
    (folder / "lists").mkdir(parents=True, exist_ok=True)
    (folder / "rules.yaml").write_text(rules, encoding="utf-8")
    (folder / "lists" / "main.yaml").write_text(lists, encoding="utf-8")
    return folder


def problems(folder: Path, clauses: set[str] = CLAUSES) -> list[str]:
    with pytest.raises(RuleError) as err:
        load_rules(folder, clauses)
    return [p.replace(str(folder) + "/", "") for p in err.value.problems]


def test_dmu_rules_load_and_use_known_labels(dmu: RuleSet) -> None:
    assert dmu.detectors
    assert all(spec.label in ALL_LABELS for spec in dmu.rules)
    assert all(spec.kind in DETECTOR_KINDS for spec in dmu.rules)


def test_every_violation_label_is_covered(dmu: RuleSet) -> None:
    covered = {spec.label for spec in dmu.rules}
    # repeated-unwanted-contact is also stateful (the engine counts after a desist request);
    # its rule reads the request and the next post told in one message.
    assert set(VIOLATION_LABELS) - covered == set()
    assert dmu.desist.search("please stop messaging me")


def test_defaults_apply_and_rules_override(tmp_path: Path) -> None:
    folder = write(
        tmp_path,
        """
defaults: {severity: high, score: 0.5}
rules:
  - {id: a, label: rumours, kind: phrases, lists: [words]}
  - {id: b, label: rumours, kind: phrases, lists: [words], severity: low, clauses: ["4.5"]}
  - {id: c, label: rumours, kind: phrases, lists: [words], enabled: false}
""",
        "desist: [stop]\nwords: [gossip]\n",
    )
    rules = load_rules(folder, CLAUSES)
    a, b, c = rules.rules
    assert (a.severity, a.score, a.clauses) == ("high", 0.5, ("5.2",))
    assert (b.severity, b.clauses) == ("low", ("4.5",))
    assert [d.rule_id for d in rules.detectors] == ["a", "b"]
    assert rules.detector("c").rule_id == "c"
    message = Message(id="1", text="pure GOSSIP", author="a", channel="c")
    findings = rules.detect(MessageContext(message, normalize(message.text)))
    assert [f.rule for f in findings] == ["a", "b"]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (
            "{id: x, label: rumours, kind: fuzzy}",
            "rules.yaml: rules[0].kind: unknown detector kind 'fuzzy' (known: attachments,",
        ),
        (
            "{id: x, label: gossip, kind: phrases, lists: [w]}",
            "rules.yaml: rules[0].label: unknown label 'gossip'",
        ),
        (
            "{id: x, label: rumours, kind: phrases, lists: [w], clauses: ['9.9']}",
            "rules.yaml: rules[0].clauses[0]: clause '9.9' is not in the policy",
        ),
        (
            "{id: x, label: rumours, kind: phrases, lists: [w], severity: dire}",
            "rules.yaml: rules[0].severity: expected low, medium or high, got 'dire'",
        ),
        (
            "{id: x, label: rumours, kind: phrases, lists: [w], score: 3}",
            "rules.yaml: rules[0].score: expected a number from 0 to 1, got 3",
        ),
        (
            "{id: x, label: rumours, kind: phrases, lists: [w], enabled: maybe}",
            "rules.yaml: rules[0].enabled: expected true or false, got 'maybe'",
        ),
        (
            "{id: x, label: rumours, kind: phrases, lists: [w], requries: [w]}",
            "rules.yaml: rules[0].requries: unknown key for kind 'phrases'",
        ),
        (
            "{id: x, label: rumours, kind: regex, patterns: [a], on: original}",
            "rules.yaml: rules[0].True: unknown key for kind 'regex' (known: clauses, earnest, "
            "enabled, evidence, games, id, kind, label, on, patterns, score, severity, unless) (YAML reads"
            " on, "
            'off, yes and no as true/false: quote the key, "on":)',
        ),
        (
            "{id: x, label: rumours, kind: phrases, lists: [nope]}",
            "rules.yaml: rules[0].lists: unknown list 'nope' (known: desist, w)",
        ),
        (
            "{label: rumours, kind: phrases, lists: [w]}",
            "rules.yaml: rules[0].id: expected a rule id",
        ),
        (
            "{id: x, label: rumours, kind: regex, patterns: ['(?<=a)']}",
            "rules.yaml: rules[0].patterns[0] (rule 'x'): re2 cannot compile '(?<=a)'",
        ),
        ("just text", "rules.yaml: rules[0]: expected a mapping"),
    ],
)
def test_rule_errors_are_one_line_each(tmp_path: Path, rule: str, expected: str) -> None:
    folder = write(tmp_path, f"rules:\n  - {rule}\n", "desist: [stop]\nw: [word]\n")
    found = problems(folder)
    assert len(found) == 1
    assert found[0].startswith(expected), found[0]
    assert "\n" not in found[0]


def test_all_problems_are_reported_together(tmp_path: Path) -> None:
    folder = write(
        tmp_path,
        "rules:\n  - {id: a, label: nope, kind: phrases, lists: [w]}\n"
        "  - {id: a, label: rumours, kind: phrases, lists: [w]}\n"
        "  - {id: a, label: rumours, kind: phrases, lists: [w]}\n",
        "desist: [stop]\nw: [word]\n",
    )
    found = problems(folder)
    assert len(found) == 2
    assert "duplicate rule id 'a'" in found[1]


@pytest.mark.parametrize(
    ("lists", "expected"),
    [
        ("w: [word\n", "lists/main.yaml: line 2: invalid YAML"),
        ("- a\n- b\n", "lists/main.yaml: expected a mapping of list name"),
        ("desist: [stop]\nw: word\n", "lists/main.yaml: w: expected a list"),
        (
            "desist: [stop]\nw: [on]\n",
            "lists/main.yaml: w[0]: expected a phrase (text), got True (quote",
        ),
        ("w: [word]\n", "lists: unknown list 'desist'"),
    ],
)
def test_list_errors(tmp_path: Path, lists: str, expected: str) -> None:
    folder = write(
        tmp_path, "rules:\n  - {id: x, label: rumours, kind: phrases, lists: [w]}\n", lists
    )
    assert any(p.startswith(expected) or expected in p for p in problems(folder)), problems(folder)


def test_missing_folder(tmp_path: Path) -> None:
    found = problems(tmp_path / "nowhere")
    assert any(p.endswith("rules.yaml: file not found") for p in found)
