"""Detection quality on the policy's own labels: the corpus's test split, written by a writer no
rule or model was tuned on, with the n-gram baseline beside the classifier on the same split.

Tables (markdown):

* per label: precision, recall and F1 of what the default configuration acts on (policybot,
  rules and model together), of the classifier alone at its rules.yaml thresholds, and of the
  word + character n-gram baseline trained on the same rows with thresholds set on the same dev
  split; the everyday messages acted on; the routes found; minimal pairs told apart;
* OLID (official test set): average precision of the offensive signal for the classifier and the
  baseline, F1 at the threshold set on OLID training's hold-out, targeted insults and negatives
  acted on by the default configuration.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.classifier_data import HEADS, corpus_rows, outside_rows, resolve_train_dir
from bench.corpus import ChatSample, load_corpus, minimal_pairs
from bench.counts import Counts
from bench.datasets import LabelledSet, load_olid_test
from bot.finding import MODEL_KIND
from bot.taxonomy import ROUTE_LABELS

Log = Callable[[str], None]


@dataclass
class SystemResult:
    """One system's predictions on a split, scored per label."""

    name: str
    labels: dict[str, Counts] = field(default_factory=dict)
    everyday_acted: int = 0
    everyday: int = 0
    pairs_right: int = 0
    pairs: int = 0
    wrong_everyday: list[str] = field(default_factory=list)


def score_predictions(
    name: str, samples: Sequence[ChatSample], predicted: Sequence[set[str]], labels: Sequence[str]
) -> SystemResult:
    """Return per-label counts; an everyday message counts as acted on when any breach label is predicted."""
    result = SystemResult(name, {label: Counts() for label in labels})
    for s, p in zip(samples, predicted, strict=True):
        for label in labels:
            result.labels[label].add(label in p, label in s.labels)
        if s.everyday:
            result.everyday += 1
            if any(label not in ROUTE_LABELS for label in p):
                result.everyday_acted += 1
                result.wrong_everyday.append(s.text)
    index = {id(s): i for i, s in enumerate(samples)}
    for breach, twin in minimal_pairs(samples):
        result.pairs += 1
        pb, pt = predicted[index[id(breach)]], predicted[index[id(twin)]]
        if (breach.labels & pb) and not any(label not in ROUTE_LABELS for label in pt):
            result.pairs_right += 1
    return result


def thresholds_from_rules(bot: Any) -> dict[str, float]:
    """Return the classifier's per-label thresholds as rules.yaml sets them."""
    for detector in bot.engine.rules.detectors:
        if getattr(detector, "spec", None) is not None and detector.spec.kind == MODEL_KIND:
            return {h.label: h.threshold for h in detector.heads}
    return {}


def classifier_detector(engine: Any) -> Any:
    """Return the engine's enabled classifier detector, or None."""
    for detector in engine.rules.detectors:
        if getattr(detector, "spec", None) is not None and detector.spec.kind == MODEL_KIND:
            return detector
    return None


def calibrate_dev(
    dev: Sequence[ChatSample],
    dev_scores: Sequence[Sequence[float]],
    labels: Sequence[str],
    precision: float,
) -> dict[str, float]:
    """Return per label the lowest dev threshold whose precision reaches ``precision``."""
    from bench.train_toxicity import calibrate

    out = {}
    for label in labels:
        h = HEADS.index(label)
        truth = [label in s.labels for s in dev]
        if sum(truth) < 5:
            continue
        out[label] = calibrate([row[h] for row in dev_scores], truth, precision, 5).threshold
    return out


def average_precision(scores: Sequence[float], truth: Sequence[bool]) -> float:
    """Return average precision (the area under the precision-recall steps)."""
    ranked = sorted(zip(scores, truth, strict=True), key=lambda st: -st[0])
    positives = sum(truth)
    tp = 0
    total = 0.0
    for i, (_, t) in enumerate(ranked, 1):
        if t:
            tp += 1
            total += tp / i
    return total / positives if positives else 0.0


def baseline_scores(
    corpus: dict[str, list[ChatSample]],
    eval_dir: Path,
    olid: LabelledSet,
    training: dict[str, Any],
    cache: Path | None,
    log: Log,
) -> dict[str, list[tuple[float, ...]]]:
    """Train the n-gram baseline on the classifier's rows; return its scores on dev, test, OLID.

    ``training`` is the model card's record of how the classifier's rows were drawn (seed,
    scale, corpus weight), so both learn from the same rows. The scores are cached by a hash
    of the training rows and the texts scored.
    """
    from bench.ngram_baseline import train_baseline

    rows = corpus_rows(corpus["train"], float(training.get("corpus_weight", 2.0)))
    rows += outside_rows(
        eval_dir,
        resolve_train_dir(),
        int(training.get("seed", 13)),
        float(training.get("scale", 1.0)),
    )
    texts = {
        "dev": [s.text for s in corpus["dev"]],
        "test": [s.text for s in corpus["test"]],
        "olid": [s.text for s in olid.samples],
    }
    digest = hashlib.sha256(
        json.dumps([[r.text, r.target, r.mask, r.weight] for r in rows] + [texts]).encode()
    ).hexdigest()[:16]
    path = cache / f"ngram-baseline-{digest}.json" if cache else None
    if path is not None and path.exists():
        return json.loads(path.read_text())
    log(f"training the n-gram baseline on {len(rows)} rows...")
    model = train_baseline(rows)
    out = {name: [list(r) for r in model.score(t)] for name, t in texts.items()}
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(out))
    return out  # type: ignore[return-value]


@dataclass
class PolicyReport:
    """Everything the policy tables print."""

    test_systems: list[SystemResult]
    dev_systems: list[SystemResult]
    labels: list[str]
    olid_rows: list[tuple[str, float, float, float, float, float, float]]
    notes: list[str]


def run_policy_quality(bot: Any, eval_dir: Path, cache: Path | None, log: Log) -> PolicyReport:
    """Score policybot, the classifier alone and the baseline on the corpus and on OLID."""
    corpus = load_corpus()
    detector = classifier_detector(bot.engine)
    labels = sorted(
        {label for s in corpus["test"] for label in s.labels}
        & ({lab for lab, on in bot.settings.enabled.items() if on})
    )
    olid = load_olid_test(eval_dir)
    training = detector.scorer.encoder.card.get("training", {}) if detector is not None else {}
    base = baseline_scores(corpus, eval_dir, olid, training, cache, log)
    base_thresholds = calibrate_dev(
        corpus["dev"], base["dev"], [lab for lab in labels if lab in HEADS], 0.9
    )
    test_systems, dev_systems = [], []
    for split, out in (("test", test_systems), ("dev", dev_systems)):
        samples = corpus[split]
        log(f"policybot on the corpus {split} split ({len(samples)} messages)...")
        acted: list[set[str]] = []
        model_only: list[set[str]] = []
        rules_only: list[set[str]] = []
        for n, s in enumerate(samples):
            raw = bot.findings(s.text, n)
            model = [f for f in raw if f.detector == MODEL_KIND]
            rules = [f for f in raw if f.detector != MODEL_KIND]
            acted.append({f.label for f in bot.engine.counted(raw, bot.settings)})
            model_only.append({f.label for f in bot.engine.counted(model, bot.settings)})
            rules_only.append({f.label for f in bot.engine.counted(rules, bot.settings)})
        out.append(
            score_predictions(
                "**policybot** (rules + model, default config)", samples, acted, labels
            )
        )
        if detector is not None:
            out.append(score_predictions("classifier alone", samples, model_only, labels))
        out.append(score_predictions("rules alone", samples, rules_only, labels))
        base_pred = [
            {lab for lab, t in base_thresholds.items() if row[HEADS.index(lab)] >= t}
            for row in base[split]
        ]
        out.append(
            score_predictions(
                "n-gram baseline (same rows, dev thresholds)", samples, base_pred, labels
            )
        )
    olid_rows: list[tuple[str, float, float, float, float, float, float]] = []
    notes: list[str] = []
    truth = [s.flag for s in olid.samples]
    if detector is not None:
        from bench.train_classifier import offensive_signal
        from bot.detectors.policy_classifier import model_text

        log(f"classifier on OLID test ({len(olid.samples)} tweets)...")
        signal = offensive_signal([detector.scorer.score(model_text(s.text)) for s in olid.samples])
        threshold = float(
            detector.scorer.encoder.card.get("offensive_signal", {}).get("threshold", 0.5)
        )
        olid_rows.append(
            _olid_row("classifier (offensive signal)", signal, truth, threshold, olid, bot)
        )
    base_signal = [
        max(
            row[HEADS.index(h)]
            for h in ("offensive", "offensive-or-threatening", "abusive-content")
        )
        for row in base["olid"]
    ]
    olid_rows.append(_olid_row("n-gram baseline (same rows)", base_signal, truth, 0.5, olid, None))
    return PolicyReport(test_systems, dev_systems, labels, olid_rows, notes)


def _olid_row(
    name: str,
    signal: Sequence[float],
    truth: Sequence[bool],
    threshold: float,
    olid: LabelledSet,
    bot: Any,
) -> tuple[str, float, float, float, float, float, float]:
    """Return (system, AP, precision, recall, F1 at threshold, TIN acted on, negatives acted on)."""
    tp = sum(1 for s, t in zip(signal, truth, strict=True) if s >= threshold and t)
    fp = sum(1 for s, t in zip(signal, truth, strict=True) if s >= threshold and not t)
    fn = sum(1 for s, t in zip(signal, truth, strict=True) if s < threshold and t)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    tin_acted = neg_acted = -1.0
    if bot is not None:
        tin = [s for s in olid.samples if s.targeted]
        neg = [s for s in olid.samples if not s.flag]
        tin_acted = sum(bot.acts_on(bot.findings(s.text, n)) for n, s in enumerate(tin)) / len(tin)
        neg_acted = sum(bot.acts_on(bot.findings(s.text, n)) for n, s in enumerate(neg)) / len(neg)
    return (name, average_precision(signal, truth), p, r, f1, tin_acted, neg_acted)


def _f(x: float) -> str:
    return f"{x:.3f}".removeprefix("0") if x < 1 else "1.000"


def render_policy(report: PolicyReport) -> str:
    """Return the policy tables as markdown."""
    out = ["### Policy labels: the corpus's test split (a writer never trained or tuned on)", ""]
    for title, systems in (("test", report.test_systems), ("dev", report.dev_systems)):
        if title == "dev":
            out += [
                "",
                "#### The same on the dev split (thresholds were set here: not a measure of generalisation)",
                "",
            ]
        names = [s.name for s in systems]
        out.append("| label | n | " + " | ".join(f"{n}: P / R / F1" for n in names) + " |")
        out.append("|---|---|" + "---|" * len(names))
        for label in report.labels:
            first = systems[0].labels[label]
            cells = [label, str(first.tp + first.fn)]
            for s in systems:
                sc = s.labels[label]
                cells.append(f"{_f(sc.precision)} / {_f(sc.recall)} / {_f(sc.f1)}")
            out.append("| " + " | ".join(cells) + " |")
        acted = ["everyday acted on", str(systems[0].everyday)] + [
            f"{s.everyday_acted} ({100 * s.everyday_acted / max(1, s.everyday):.1f}%)"
            for s in systems
        ]
        out.append("| " + " | ".join(acted) + " |")
        pairs = ["minimal pairs told apart", str(systems[0].pairs)] + [
            f"{s.pairs_right} ({100 * s.pairs_right / max(1, s.pairs):.0f}%)" for s in systems
        ]
        out.append("| " + " | ".join(pairs) + " |")
    out += ["", "### OLID official test (860 tweets): the offensive signal", ""]
    out.append(
        "| system | average precision | precision | recall | F1 | targeted insults acted on | negatives acted on |"
    )
    out.append("|---|---|---|---|---|---|---|")
    for name, ap, p, r, f1, tin, neg in report.olid_rows:
        tin_s = f"{100 * tin:.1f}%" if tin >= 0 else ""
        neg_s = f"{100 * neg:.1f}%" if neg >= 0 else ""
        out.append(f"| {name} | {_f(ap)} | {_f(p)} | {_f(r)} | {_f(f1)} | {tin_s} | {neg_s} |")
    out.append("")
    if report.test_systems and report.test_systems[0].wrong_everyday:
        out += [
            "Everyday test messages the default config acted on (project-written, safe to show):",
            "",
        ]
        out += [f"- {t}" for t in report.test_systems[0].wrong_everyday[:30]]
        out.append("")
    return "\n".join(out)
