"""Set the policy classifier's per-label thresholds on dev and everyday sets, never on test.

The method (the one ``rules.yaml`` records):

1. every breach label starts at the lowest threshold whose precision on the corpus's dev split
   reaches ``--precision`` (.9);
2. while the model acts on more everyday messages than a set's budget allows (dev everyday,
   the benign chat corpus, the OLID training hold-out's inoffensive tweets, the real-chat
   regression set's everyday messages, the tests' must-stay-quiet tables), raise the one label that loses the fewest dev breaches
   per everyday message cleared;
3. each route (a private pointer, never a reminder) takes the lowest threshold with dev
   precision ``--route-precision`` (.85) that the regression set's and the tests' everyday
   messages do not reach and at most ``--route-quiet`` of the other sets' messages do.

Probabilities are the detector's own (:meth:`PolicyClassifierDetector.eligible`): the cascade's
first stage, the ``unless`` excuses, games and course spaces all apply, exactly as in the bot.
The test split is never read::

    python -m bench.tune_thresholds            # print the thresholds and what they cost
    python -m bench.tune_thresholds --write    # and write them into rules.yaml
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.taxonomy import ROUTE_LABELS

#: Everyday messages the model may act on, per set, by default (see the module docstring).
BUDGETS: Mapping[str, int] = {"dev": 7, "benign": 2, "olid": 12, "regression": 0, "tests": 0}
#: A raise tries the lowest few everyday hits of a label before giving up on it.
TRIES = 12


@dataclass(frozen=True, slots=True)
class Scored:
    """One message as the tuner sees it: its true labels and the detector's probabilities."""

    labels: frozenset[str]
    probabilities: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class Tuning:
    """Thresholds per label and what they leave: everyday messages acted on per set."""

    thresholds: Mapping[str, float]
    acted: Mapping[str, int]
    #: True when no raise could bring every set within its budget.
    stuck: bool


def precision_recall(dev: Sequence[Scored], label: str, threshold: float) -> tuple[int, int, int]:
    """Return (true positives, false positives, positives) of a label at a threshold on dev."""
    tp = fp = pos = 0
    for s in dev:
        hit = s.probabilities.get(label, 0.0) >= threshold
        pos += label in s.labels
        tp += hit and label in s.labels
        fp += hit and label not in s.labels
    return tp, fp, pos


def lowest_precise(dev: Sequence[Scored], label: str, precision: float) -> float:
    """Return the lowest threshold whose dev precision reaches ``precision`` (or 0.99)."""
    for t in sorted({s.probabilities[label] for s in dev if label in s.probabilities}):
        tp, fp, _ = precision_recall(dev, label, t)
        if tp and tp / (tp + fp) >= precision:
            return t
    return 0.99


def acted_on(everyday: Sequence[Scored], thresholds: Mapping[str, float]) -> set[int]:
    """Return the indexes of the messages some label acts on at these thresholds."""
    return {
        i
        for i, s in enumerate(everyday)
        if any(s.probabilities.get(label, 0.0) >= t for label, t in thresholds.items())
    }


def raise_thresholds(
    dev: Sequence[Scored],
    everyday: Mapping[str, Sequence[Scored]],
    budgets: Mapping[str, int],
    labels: Sequence[str],
    precision: float = 0.9,
    floors: Mapping[str, float] | None = None,
) -> Tuning:
    """Return breach thresholds: dev precision first, then the cheapest raises to fit budgets.

    ``floors`` gives a label's least threshold (the tests' cases it must leave alone).
    """
    floors = floors or {}
    thresholds = {
        label: max(lowest_precise(dev, label, precision), floors.get(label, 0.0))
        for label in labels
    }
    tp_at = {label: precision_recall(dev, label, t)[0] for label, t in thresholds.items()}
    while True:
        acted = {name: acted_on(items, thresholds) for name, items in everyday.items()}
        over = [name for name in acted if len(acted[name]) > budgets.get(name, len(acted[name]))]
        if not over:
            return Tuning(thresholds, {n: len(a) for n, a in acted.items()}, stuck=False)
        best: tuple[float, str, float] | None = None
        partial: tuple[float, str, float] | None = None
        for label in labels:
            hits = sorted(
                {
                    everyday[name][i].probabilities[label]
                    for name in over
                    for i in acted[name]
                    if everyday[name][i].probabilities.get(label, 0.0) >= thresholds[label]
                }
            )
            for n, hit in enumerate(hits[:TRIES]):
                raised = hit + 1e-6
                if raised >= 0.995:
                    break
                trial = {**thresholds, label: raised}
                cleared = sum(len(acted[k]) - len(acted_on(everyday[k], trial)) for k in over)
                lost = tp_at[label] - precision_recall(dev, label, raised)[0]
                if cleared:
                    if best is None or lost / cleared < best[0]:
                        best = (lost / cleared, label, raised)
                    break
                if n == 0 and (partial is None or lost < partial[0]):
                    # Another label also acts on that message: raising this one clears
                    # nothing yet, but a message two labels act on needs both raised.
                    partial = (lost, label, raised)
        best = best or partial
        if best is None:
            return Tuning(thresholds, {n: len(a) for n, a in acted.items()}, stuck=True)
        _, label, raised = best
        thresholds[label] = raised
        tp_at[label] = precision_recall(dev, label, raised)[0]


def route_thresholds(
    dev: Sequence[Scored],
    everyday: Mapping[str, Sequence[Scored]],
    routes: Sequence[str],
    precision: float = 0.85,
    quiet: int = 3,
    never: Sequence[str] = ("regression", "tests"),
    floors: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """Return each route's lowest threshold with dev precision that everyday sets allow."""
    out = {}
    floors = floors or {}
    for label in routes:
        floor = floors.get(label, 0.0)
        dev_scores = {s.probabilities[label] for s in dev if label in s.probabilities}
        for t in sorted({floor} | {p for p in dev_scores if p >= floor}):
            tp, fp, _ = precision_recall(dev, label, t)
            if not tp or tp / (tp + fp) < precision:
                continue
            hits = {
                n: sum(s.probabilities.get(label, 0.0) >= t for s in v) for n, v in everyday.items()
            }
            strict = sum(hits.get(name, 0) for name in never)
            # Dev's own everyday messages are already in its precision.
            if strict == 0 and sum(hits.values()) - hits.get("dev", 0) <= quiet:
                out[label] = t
                break
    return out


def rounded_up(threshold: float) -> float:
    """Return a threshold to three places, never below the tuned one (a raise must hold)."""
    return math.ceil(threshold * 1000 - 1e-9) / 1000


_LABEL_LINE = r"^(\s+{label}:\s*\{{\s*threshold:\s*)([0-9.]+)"


def write_thresholds(rules: Path, thresholds: Mapping[str, float]) -> list[str]:
    """Rewrite the ``threshold:`` of each label's line in rules.yaml; return labels not found."""
    text = rules.read_text(encoding="utf-8")
    missing = []
    for label, t in thresholds.items():
        pattern = re.compile(_LABEL_LINE.format(label=re.escape(label)), re.MULTILINE)
        text, n = pattern.subn(rf"\g<1>{t:.3f}", text, count=1)
        if not n:
            missing.append(label)
    rules.write_text(text, encoding="utf-8")
    return missing


# -- scoring the sets with the bot's own detector -------------------------------------------------
def score_sets(
    log: Any = print,
) -> tuple[list[Scored], dict[str, list[Scored]], dict[str, float], Any]:
    """Return dev, the everyday sets, each label's floor and the detector, as the bot reads them.

    A label's floor is just above its highest probability on the tests' messages that must not
    raise it.
    """
    from bench.classifier_data import HEADS, olid_rows
    from bench.corpus import load_corpus
    from bench.datasets import DatasetError, load_benign, resolve_eval_dir
    from bench.policy_quality import classifier_detector
    from bench.quality import bench_message
    from bench.real_chat import Judge, load_cases
    from bot.message import Message

    judge = Judge.build()
    engine = judge.engine
    detector = classifier_detector(engine)
    if detector is None:
        raise SystemExit("rules.yaml has no policy-classifier rule switched on")

    def read(message: Message, labels: frozenset[str] = frozenset()) -> Scored:
        return Scored(labels, detector.eligible(engine.context(message), below=True))

    corpus = load_corpus()
    log(f"reading dev ({len(corpus['dev'])} messages)...")
    dev = [read(bench_message(s.text, n), frozenset(s.labels)) for n, s in enumerate(corpus["dev"])]
    everyday: dict[str, list[Scored]] = {"dev": [s for s in dev if not s.labels]}
    log("reading the everyday sets...")
    everyday["benign"] = [
        read(bench_message(s.text, n)) for n, s in enumerate(load_benign().samples)
    ]
    everyday["regression"] = [read(judge.message(case)) for case in load_cases() if not case.breach]
    try:
        held = olid_rows(resolve_eval_dir(None), holdout=True)
    except (DatasetError, OSError) as exc:
        log(f"OLID hold-out skipped: {exc}")
    else:
        offensive = HEADS.index("offensive")
        everyday["olid"] = [
            read(bench_message(r.text, n)) for n, r in enumerate(held) if not r.target[offensive]
        ]
    silent, by_rule = must_stay_quiet()
    if silent:
        everyday["tests"] = [read(bench_message(text, n)) for n, text in enumerate(silent)]
    else:
        log("the tests' must-stay-quiet tables were not found: tuned without them")
    floors: dict[str, float] = {}
    label_of = {spec.id: spec.label for spec in engine.rules.rules}
    for rule, texts in by_rule.items():
        label = label_of.get(rule, rule)
        for n, text in enumerate(texts):
            p = read(bench_message(text, n)).probabilities.get(label, 0.0)
            floors[label] = max(floors.get(label, 0.0), p + 1e-6)
    return dev, everyday, floors, detector


def must_stay_quiet() -> tuple[list[str], dict[str, list[str]]]:
    """Return the tests' own hard negatives, so a tuned threshold never breaks one.

    First the messages that must raise nothing at all (the minimal pairs' innocent twins, the
    classifier's and the people detector's everyday tables), then per rule id the messages that
    must not raise its label ("can you send me the coursework brief?"; "a fake account of me is going
    round, please report it" must not be impersonation, and rightly gets the report pointer).
    None is a corpus text. Empty when the tests are not there (an installed package).
    """
    try:
        from tests.bot.detectors import test_people, test_phrases, test_policy_classifier
    except ImportError:
        return [], {}
    silent = test_people.QUIET + test_policy_classifier.EVERYDAY
    silent += [twin for _, _, twin in test_policy_classifier.MINIMAL_PAIRS]
    by_rule = {rule: list(quiet) for rule, (_, quiet) in test_phrases.CASES.items()}
    return list(dict.fromkeys(silent)), by_rule


def main(argv: Sequence[str] | None = None) -> int:
    """Tune, print, and (with --write) store the thresholds in rules.yaml."""
    parser = argparse.ArgumentParser(prog="python -m bench.tune_thresholds")
    parser.add_argument("--precision", type=float, default=0.9, help="breach labels' dev floor")
    parser.add_argument("--route-precision", type=float, default=0.85)
    parser.add_argument("--route-quiet", type=int, default=3)
    for name, budget in BUDGETS.items():
        parser.add_argument(
            f"--{name}", type=int, default=budget, help=f"budget (default {budget})"
        )
    parser.add_argument("--write", action="store_true", help="write the thresholds to rules.yaml")
    args = parser.parse_args(argv)
    dev, everyday, floors, detector = score_sets(lambda m: print(m, file=sys.stderr))
    labels = [h.label for h in detector.heads if h.label not in ROUTE_LABELS]
    routes = [h.label for h in detector.heads if h.label in ROUTE_LABELS]
    budgets = {name: getattr(args, name) for name in BUDGETS}
    tuning = raise_thresholds(dev, everyday, budgets, labels, args.precision, floors)
    found = {
        **tuning.thresholds,
        **route_thresholds(
            dev, everyday, routes, args.route_precision, args.route_quiet, floors=floors
        ),
    }
    final = {label: rounded_up(t) for label, t in found.items()}
    sizes = {n: len(v) for n, v in everyday.items()}
    print("everyday acted on: " + ", ".join(f"{n} {tuning.acted[n]}/{sizes[n]}" for n in sizes))
    if tuning.stuck:
        print("no raise brings every set within budget: the counts above are the closest")
    print(f"{'label':28} {'threshold':>9} {'dev P':>6} {'dev R':>6}")
    for label, t in final.items():
        tp, fp, pos = precision_recall(dev, label, t)
        p = tp / (tp + fp) if tp + fp else 1.0
        print(f"{label:28} {t:9.3f} {p:6.2f} {tp / pos if pos else 0.0:6.2f}")
    if args.write:
        rules = Path(detector.spec.where.rsplit(": rules[", 1)[0])
        missing = write_thresholds(rules, final)
        print(f"wrote {rules}" + (f" (not found: {', '.join(missing)})" if missing else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
