"""Detection quality, policybot beside its peers, printed as markdown tables.

    python -m bench.quality [--eval-dir DIR] [--no-peers] [--no-cache]

Offensive language: precision, recall, F1 and the false-positive rate on the negatives of
every labelled set, for policybot's raw signal (any finding in the offensive label group, at
any severity, from any rule) and for each peer; recall on OLID's targeted insults (level b
TIN); and, for policybot only, how often the default configuration would act on each set's
negatives. Personal info: span recall per entity type and precision on the synthetic PII set
and on generated UK formats. Real chat (:mod:`bench.real_chat`, the project's own data, no
evaluation folder needed): the regression set's everyday messages and breaches acted on, and
per transform family the share of the evasion suite still caught (``--real-chat`` prints only
these). Peers' answers are cached (booleans and offsets only, never
text) under ~/.cache/policybot-bench, because some take minutes on Davidson.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from bench.counts import Counts
from bench.datasets import (
    PII_SCORED,
    UK_KINDS,
    DatasetError,
    LabelledSet,
    Span,
    SpanSample,
    load_presidio_synth,
    offensive_sets,
    resolve_eval_dir,
    uk_personal_info,
)
from bench.peers import (
    OFFENSIVE_PEERS,
    PII_PEERS,
    PRESIDIO_NOTE,
    OffensivePeer,
    PiiPeer,
    load_peers,
)
from bench.policy_quality import render_policy, run_policy_quality
from bench.real_chat import (
    EvasionResult,
    Judge,
    RegressionResult,
    load_cases,
    render_evasion,
    render_regression,
    run_evasion,
    run_regression,
)
from bot.app import build_core_for_tests
from bot.engine import Engine
from bot.finding import Finding
from bot.message import Message

#: Labels whose findings count as the offensive-language signal.
OFFENSIVE_LABELS = frozenset(
    {"offensive-or-threatening", "abusive-content", "intimidation", "mocking"}
)
#: Labels whose findings count as the personal-info signal: someone else's details are a
#: breach, one's own get a privacy tip; both mean the detector found the personal info.
PII_LABELS = frozenset({"personal-info", "account-details", "privacy-tip"})
#: The detector kind of the trained model, shown as its own row.
MODEL_KIND = "linear-model"

POLICYBOT = "**policybot**"

T = TypeVar("T")


def bench_message(text: str, n: int = 0) -> Message:
    """Return a benchmark text as a message in the default community's general channel."""
    return Message(
        id=str(n),
        text=text,
        author="bench-user",
        channel="general",
        community="bench",
        platform="bench",
    )


class Policybot:
    """policybot's engine as the benchmark reads it: raw findings and what the config acts on."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.settings = engine.config.settings_for("bench", "bench", "general")

    @classmethod
    def build(cls) -> Policybot:
        """Build the engine with the default config and the bundled DMU policy."""

        async def make() -> Engine:
            with tempfile.TemporaryDirectory() as tmp:
                core = await build_core_for_tests(Path(tmp))
                await core.close()
                return core.engine

        return cls(asyncio.run(make()))

    def findings(self, text: str, n: int = 0) -> list[Finding]:
        """Return every raw finding for one message."""
        return self.engine.detect(bench_message(text, n))

    def acts_on(self, findings: list[Finding]) -> bool:
        """Return True when the default config would answer: any finding it counts."""
        return bool(self.engine.counted(findings, self.settings))


# -- offensive language -----------------------------------------------------------------------
@dataclass
class OffensiveRow:
    """One system's scores on one set."""

    system: str
    counts: Counts
    tin: Counts | None = None
    acts_on_negatives: float | None = None


@dataclass
class OffensiveResult:
    """Every system's scores on one set, and what policybot's rules contributed."""

    data: LabelledSet
    rows: list[OffensiveRow] = field(default_factory=list)
    rules: Counter[str] = field(default_factory=Counter)
    acted: list[str] = field(default_factory=list)


def score_flags(data: LabelledSet, flags: Sequence[bool], system: str) -> OffensiveRow:
    """Return a row of scores for one system's flags on a set (TIN recall when marked)."""
    counts = Counts()
    tin = Counts() if any(s.targeted for s in data.samples) else None
    for sample, flag in zip(data.samples, flags, strict=True):
        counts.add(flag, sample.flag)
        if tin is not None and sample.targeted:
            tin.add(flag, True)
    return OffensiveRow(system, counts, tin)


def run_policybot_offensive(bot: Policybot, data: LabelledSet) -> OffensiveResult:
    """Score policybot's raw signal, its model alone, and what the default config acts on."""
    result = OffensiveResult(data)
    raw: list[bool] = []
    model: list[bool] = []
    rules: list[bool] = []
    acted = 0
    for n, sample in enumerate(data.samples):
        findings = bot.findings(sample.text, n)
        offensive = [f for f in findings if f.label in OFFENSIVE_LABELS]
        raw.append(bool(offensive))
        model.append(any(f.detector == MODEL_KIND for f in offensive))
        rules.append(any(f.detector != MODEL_KIND for f in offensive))
        for f in offensive:
            if sample.flag:
                result.rules[f.rule] += 1
        if not sample.flag and bot.acts_on(findings):
            acted += 1
            result.acted.append(sample.text)
    negatives = len(data.samples) - data.positives
    row = score_flags(data, raw, POLICYBOT)
    row.acts_on_negatives = acted / negatives if negatives else 0.0
    result.rows.append(row)
    result.rows.append(score_flags(data, model, "policybot: trained model alone"))
    result.rows.append(score_flags(data, rules, "policybot: rules alone (lexicons, threats)"))
    return result


class Cache:
    """Peers' answers on a set, keyed by peer, its version and the texts' digest."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def get_or_run(self, key: str, run: Callable[[], T]) -> T:
        """Return the cached answer for ``key`` or compute and store it."""
        if self.folder is None:
            return run()
        path = self.folder / (hashlib.sha256(key.encode()).hexdigest()[:24] + ".json")
        if path.is_file():
            return json.loads(path.read_text())  # type: ignore[no-any-return,unused-ignore]
        value = run()
        self.folder.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
        return value


def _digest(texts: Iterable[str]) -> str:
    h = hashlib.sha256()
    for t in texts:
        h.update(t.encode("utf-8", "replace") + b"\0")
    return h.hexdigest()


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


_DISTRIBUTIONS = {
    "alt-profanity-check": "alt-profanity-check",
    "better-profanity": "better-profanity",
    "glin-profanity": "glin-profanity",
    "phonenumbers": "phonenumbers",
    "scrubadub": "scrubadub",
    "presidio (patterns only)": "presidio-analyzer",
}


def peer_label(name: str) -> str:
    """Return a peer's name with its installed version."""
    dist = _DISTRIBUTIONS.get(name)
    return f"{name} {_version(dist)}" if dist else name


def _flag_all(peer: OffensivePeer, texts: Sequence[str]) -> list[bool]:
    return [peer.flags(t) for t in texts]


def _span_all(peer: PiiPeer, samples: Sequence[SpanSample]) -> list[list[tuple[int, int]]]:
    return [[(x.start, x.end) for x in peer.spans(s.text)] for s in samples]


def run_offensive(
    folder: Path, bot: Policybot, peers: bool, cache: Cache, log: Callable[[str], None]
) -> list[OffensiveResult]:
    """Score policybot and every installed offensive-language peer on every set."""
    loaded, missing = load_peers(OFFENSIVE_PEERS) if peers else ([], [])
    for line in missing:
        log(line)
    results = []
    for data in offensive_sets(folder):
        log(f"{data.name}: policybot on {len(data.samples)} messages")
        result = run_policybot_offensive(bot, data)
        texts = [s.text for s in data.samples]
        digest = _digest(texts)
        for peer in loaded:
            label = peer_label(peer.name)
            log(f"{data.name}: {label}")
            flags = cache.get_or_run(f"offensive|{label}|{digest}", partial(_flag_all, peer, texts))
            result.rows.append(score_flags(data, flags, label))
        results.append(result)
    return results


# -- personal info ----------------------------------------------------------------------------
@dataclass
class SpanRow:
    """One system's span recall per entity type and its precision on one set."""

    system: str
    found: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    counts: Counts = field(default_factory=Counts)

    def recall(self, entity: str) -> float:
        """Return the share of gold spans of ``entity`` that a predicted span overlaps."""
        return self.found[entity] / self.total[entity] if self.total[entity] else 0.0


def _overlaps(a: Span, start: int, end: int) -> bool:
    return a.start < end and start < a.end


def score_spans(
    samples: Sequence[SpanSample],
    predicted: Sequence[Sequence[tuple[int, int]]],
    scored: frozenset[str],
    system: str,
    shown: Sequence[str],
) -> SpanRow:
    """Score predicted spans: recall per gold entity; precision over scored entities.

    A predicted span that overlaps only unscored gold entities (a person's name, a street
    address in the synthetic set) is neither right nor wrong; one that overlaps nothing is a
    false positive.
    """
    row = SpanRow(system)
    for sample, spans in zip(samples, predicted, strict=True):
        for gold in sample.spans:
            if gold.entity in scored or gold.entity in shown:
                row.total[gold.entity] += 1
                if any(_overlaps(gold, s, e) for s, e in spans):
                    row.found[gold.entity] += 1
            if gold.entity in scored:
                row.counts.fn += not any(_overlaps(gold, s, e) for s, e in spans)
        for s, e in spans:
            hits = [g for g in sample.spans if _overlaps(g, s, e)]
            if any(g.entity in scored for g in hits):
                row.counts.tp += 1
            elif not hits:
                row.counts.fp += 1
    return row


def policybot_spans(bot: Policybot, text: str) -> list[tuple[int, int]]:
    """Return the spans of policybot's personal-info findings (whole text when unspanned)."""
    return [
        f.span if f.span is not None else (0, len(text))
        for f in bot.findings(text)
        if f.label in PII_LABELS
    ]


@dataclass
class PiiResult:
    """Every system's span scores on one personal-info set."""

    name: str
    columns: tuple[str, ...]
    rows: list[SpanRow]
    note: str


def run_pii(
    folder: Path, bot: Policybot, peers: bool, cache: Cache, log: Callable[[str], None]
) -> list[PiiResult]:
    """Score policybot and the personal-info peers on the synthetic and the UK sets."""
    loaded, missing = load_peers(PII_PEERS) if peers else ([], [])
    for line in missing:
        log(line)
    sets = [
        (
            "Synthetic PII sentences (presidio-research)",
            load_presidio_synth(folder),
            frozenset(PII_SCORED),
            (*PII_SCORED, "STREET_ADDRESS"),
            "precision over phone, e-mail, card and IBAN spans; STREET_ADDRESS recall is shown "
            "for information and not in precision",
        ),
        (
            "UK formats as typed in chat (generated, bench/datasets.py)",
            uk_personal_info(),
            frozenset(UK_KINDS),
            UK_KINDS,
            "generated with a fixed seed: numbers from Ofcom's drama ranges, plus 20 near-miss "
            "negatives (times, prices, scores, module codes)",
        ),
    ]
    results = []
    for name, samples, scored, shown, note in sets:
        log(f"{name}: policybot on {len(samples)} messages")
        rows = [
            score_spans(
                samples, [policybot_spans(bot, s.text) for s in samples], scored, POLICYBOT, shown
            )
        ]
        digest = _digest(s.text for s in samples)
        for peer in loaded:
            label = peer_label(peer.name)
            log(f"{name}: {label}")
            found = cache.get_or_run(
                f"pii|{label}|{digest}",
                partial(_span_all, peer, samples),
            )
            rows.append(score_spans(samples, found, scored, label, shown))
        results.append(PiiResult(name, tuple(shown), rows, note))
    return results


# -- real chat ---------------------------------------------------------------------------------
def run_real_chat(log: Callable[[str], None]) -> tuple[RegressionResult, EvasionResult]:
    """Run the real-chat regression set and the evasion suite generated from its breaches."""
    judge = Judge.build()
    cases = load_cases()
    log(f"real chat: policybot on {len(cases)} regression messages")
    regression = run_regression(judge, cases)
    log("real chat: the evasion suite")
    return regression, run_evasion(judge, cases)


def render_real_chat(regression: RegressionResult, evasion: EvasionResult) -> str:
    """Return the regression set's and the evasion suite's tables as markdown."""
    return render_regression(regression) + "\n" + render_evasion(evasion)


# -- output -----------------------------------------------------------------------------------
def _f(x: float) -> str:
    return f"{x:.3f}".removeprefix("0") if x < 1 else "1.000"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def render_offensive(results: Sequence[OffensiveResult]) -> str:
    """Return the offensive-language tables as markdown."""
    out = [
        "### Offensive language (raw signal: any offensive-group finding, any severity)",
        "",
    ]
    for r in results:
        d = r.data
        out.append(f"**{d.name}**: {len(d.samples)} messages, {d.positives} positive. {d.note}.")
        out.append("")
        tin = any(row.tin is not None for row in r.rows)
        head = "| system | precision | recall | F1 | FPR on negatives |"
        rule = "|---|---|---|---|---|"
        if tin:
            head += " TIN recall |"
            rule += "---|"
        head += " default config acts on negatives |"
        rule += "---|"
        out += [head, rule]
        for row in r.rows:
            c = row.counts
            scores = [_f(c.precision), _f(c.recall), _f(c.f1)] if d.positives else ["—"] * 3
            cells = [row.system, *scores, _pct(c.fpr)]
            if tin:
                cells.append(_f(row.tin.recall) if row.tin is not None else "")
            acts = row.acts_on_negatives
            cells.append(_pct(acts) if acts is not None else "")
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
        if r.rules:
            top = ", ".join(f"{rule} {n}" for rule, n in r.rules.most_common(6))
            out += [f"policybot findings on positives, by rule: {top}.", ""]
    return "\n".join(out)


def render_acted(results: Sequence[OffensiveResult]) -> str:
    """Return the benign messages the default config acts on (our own corpus: safe to show)."""
    out = []
    for r in results:
        if r.data.name == "benign student chat":
            n = len(r.data.samples)
            out.append(
                f"### Benign student chat: the default config acts on {len(r.acted)} of {n} "
                f"({_pct(len(r.acted) / n if n else 0)})"
            )
            out.append("")
            out += [f"- {text}" for text in r.acted] or ["- (none)"]
            out.append("")
    return "\n".join(out)


def render_pii(results: Sequence[PiiResult]) -> str:
    """Return the personal-info tables as markdown."""
    out = ["### Personal info (span recall per entity type; precision over scored types)", ""]
    for r in results:
        total = r.rows[0].total if r.rows else Counter()
        out.append(f"**{r.name}**. {r.note}.")
        out.append("")
        cols = [f"{c} (n={total[c]})" for c in r.columns]
        out.append("| system | " + " | ".join(cols) + " | precision | recall | F1 |")
        out.append("|---|" + "---|" * (len(cols) + 3))
        for row in r.rows:
            cells = [row.system] + [_f(row.recall(c)) for c in r.columns]
            c = row.counts
            cells += [_f(c.precision), _f(c.recall), _f(c.f1)]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    out.append(f"Note: {PRESIDIO_NOTE}.")
    out.append("")
    return "\n".join(out)


def default_cache_folder() -> Path:
    """Return ~/.cache/policybot-bench (or under $XDG_CACHE_HOME)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "policybot-bench"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the quality benchmark and print its markdown tables."""
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__)
    parser.add_argument("--eval-dir", help="labelled data folder (default ../shared/eval)")
    parser.add_argument("--no-peers", action="store_true", help="score policybot only")
    parser.add_argument("--no-cache", action="store_true", help="rerun every peer")
    parser.add_argument(
        "--policy-only", action="store_true", help="only the corpus and OLID-signal tables"
    )
    parser.add_argument(
        "--no-policy",
        action="store_true",
        help="leave out the corpus tables (they need olid_training.tsv and ../shared/train)",
    )
    parser.add_argument(
        "--real-chat",
        action="store_true",
        help="only the real-chat regression set and the evasion suite (no evaluation folder)",
    )
    args = parser.parse_args(argv)

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    if args.real_chat:
        try:
            regression, evasion = run_real_chat(log)
        except DatasetError as exc:
            print(exc, file=sys.stderr)
            return 2
        print(render_real_chat(regression, evasion))
        return 0

    try:
        folder = resolve_eval_dir(args.eval_dir)
        bot = Policybot.build()
        cache = Cache(None if args.no_cache else default_cache_folder())
        policy = None
        if not args.no_policy:
            policy = run_policy_quality(
                bot, folder, None if args.no_cache else default_cache_folder(), log
            )
        offensive = pii = None
        real_chat = None
        if not args.policy_only:
            offensive = run_offensive(folder, bot, not args.no_peers, cache, log)
            pii = run_pii(folder, bot, not args.no_peers, cache, log)
            real_chat = run_real_chat(log)
    except DatasetError as exc:
        print(exc, file=sys.stderr)
        return 2
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"## Detection quality ({when})\n")
    if policy is not None:
        print(render_policy(policy))
    if offensive is not None and pii is not None:
        print(render_offensive(offensive))
        print(render_acted(offensive))
        print(render_pii(pii))
    if real_chat is not None:
        print(render_real_chat(*real_chat))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
