"""The training rows of the policy classifier: the corpus's train split and the licensed sets.

Every row is a text with a target and a mask per head: a head a source says nothing about is
masked, not taught "no". The policy heads learn from the project's corpus; the hostile heads
(``offensive-or-threatening``, ``abusive-content``) and the two auxiliary heads (``offensive``:
any offensive language, friendly swearing included; ``threat``) also learn from OLID training,
Davidson et al. and the human-labelled sets in ``../shared/train`` (read at training time, never
copied into the project). The OLID test set is never read here.
"""

from __future__ import annotations

import csv
import os
import random
import re
import sys
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.corpus import ChatSample
from bench.datasets import REPO, DatasetError

TRAIN_DIR_ENV = "POLICYBOT_TRAIN_DIR"

#: The classifier's heads, in output order: the policy labels it learns, then two helpers.
POLICY_HEADS: tuple[str, ...] = (
    "personal-info",
    "impersonation",
    "account-details",
    "abusive-content",
    "non-consensual-recording",
    "learning-platform-content",
    "criminal-content",
    "academic-misconduct",
    "assessment-content",
    "coursework-sharing",
    "rumours",
    "intimidation",
    "offensive-or-threatening",
    "mocking",
    "repeated-unwanted-contact",
    "third-party-account-misuse",
    "confidential-info",
    "disrepute",
    "implied-official-view",
    "report-intent",
    "wellbeing-risk",
    "privacy-tip",
)
AUX_HEADS: tuple[str, ...] = ("offensive", "threat")
HEADS: tuple[str, ...] = POLICY_HEADS + AUX_HEADS
HOSTILE = ("offensive-or-threatening", "abusive-content", "offensive", "threat")
#: Heads no outside set can speak for: an outside row neither teaches nor denies them.
OUTSIDE_SILENT = ("mocking", "intimidation", "rumours", "repeated-unwanted-contact", "disrepute")


@dataclass(frozen=True, slots=True)
class Row:
    """One training text: per head 1.0 / 0.0 and whether the head learns from it."""

    text: str
    target: tuple[float, ...]
    mask: tuple[bool, ...]
    source: str
    weight: float = 1.0


def resolve_train_dir(given: str | Path | None = None) -> Path:
    """Return the folder of the licensed training sets: argument, env var, or ../shared/train."""
    if given:
        folder = Path(given)
    elif os.environ.get(TRAIN_DIR_ENV):
        folder = Path(os.environ[TRAIN_DIR_ENV])
    else:
        folder = REPO.parent / "shared" / "train"
    if not folder.is_dir():
        raise DatasetError(f"{folder}: training data folder not found (set {TRAIN_DIR_ENV})")
    return folder


def corpus_rows(samples: Sequence[ChatSample], weight: float = 1.0) -> list[Row]:
    """Return the corpus samples as rows: every policy head known; aux heads only for everyday."""
    rows = []
    for s in samples:
        target = tuple(1.0 if head in s.labels else 0.0 for head in HEADS)
        mask = tuple(head in POLICY_HEADS or s.everyday for head in HEADS)
        rows.append(Row(s.text, target, mask, f"corpus:{s.writer}", weight))
    return rows


def outside_row(text: str, source: str, known: dict[str, float | None]) -> Row:
    """Return a row from an outside set: the heads in ``known`` (None: masked), else negative.

    Outside sets are everyday negatives for the policy heads they cannot hold (exam leaks,
    recordings...), and silent on the heads in :data:`OUTSIDE_SILENT`.
    """
    target = []
    mask = []
    for head in HEADS:
        if head in known:
            value = known[head]
            target.append(0.0 if value is None else value)
            mask.append(value is not None)
        elif head in OUTSIDE_SILENT or head in AUX_HEADS:
            target.append(0.0)
            mask.append(False)
        else:
            target.append(0.0)
            mask.append(True)
    return Row(text, tuple(target), tuple(mask), source)


#: A text that repeats more than this many times in one file once its numbers are set aside is a
#: template, not a comment. The Jigsaw subset holds about 900 rows made of ten sentences with a
#: "Ref_478." tag, labelled at random ("I will find where you live and end you. Consider this a
#: real threat." is "clean" 79 times); the files' own de-duplication kept them, since the tags
#: differ. No human wrote them, and the labels would teach the heads that a threat is clean.
TEMPLATE_REPEATS = 3
_NUMBERS = re.compile(r"[0-9_]+")


def template_key(text: str) -> str:
    """Return ``text`` with its numbers and spacing set aside, to find templated rows."""
    return _NUMBERS.sub("#", " ".join(text.lower().split()))


def _csv(path: Path, text_column: str = "text") -> list[dict[str, str]]:
    """Return a CSV's rows, less the templated ones (see :data:`TEMPLATE_REPEATS`)."""
    csv.field_size_limit(sys.maxsize)
    try:
        with path.open(encoding="utf-8", errors="replace", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except FileNotFoundError:
        raise DatasetError(f"{path}: file not found") from None
    counts = Counter(template_key(row.get(text_column) or "") for row in rows)
    kept = [
        row for row in rows if counts[template_key(row.get(text_column) or "")] <= TEMPLATE_REPEATS
    ]
    if len(kept) < len(rows):
        print(
            f"{path.name}: left out {len(rows) - len(kept)} templated rows"
            " (a text repeated with only its numbers changed)",
            file=sys.stderr,
        )
    return kept


def olid_holdout(tweet_id: str) -> bool:
    """Return True for the tenth of OLID training kept out to calibrate the offensive head."""
    return zlib.crc32(tweet_id.encode()) % 10 == 0


def olid_rows(eval_dir: Path, *, holdout: bool = False) -> list[Row]:
    """OLID training: OFF -> offensive; targeted at a person -> insult; at a group -> abuse.

    ``holdout`` False gives the nine tenths the model learns from, True the tenth it never
    sees (:func:`olid_holdout`), where the offensive head's threshold is set.
    """
    path = eval_dir / "olid_training.tsv"
    rows = []
    try:
        with path.open(encoding="utf-8", errors="replace", newline="") as handle:
            reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            next(reader, None)
            for fields in reader:
                if len(fields) < 5:
                    continue
                tweet_id, tweet, a, b, c = fields[:5]
                if olid_holdout(tweet_id) != holdout:
                    continue
                off = a == "OFF"
                known: dict[str, float | None] = {"offensive": float(off), "threat": None}
                if not off:
                    known |= {
                        "offensive-or-threatening": 0.0,
                        "abusive-content": 0.0,
                        "threat": 0.0,
                    }
                elif b == "UNT":
                    known |= {"offensive-or-threatening": 0.0, "abusive-content": 0.0}
                elif c == "IND":
                    known |= {"offensive-or-threatening": 1.0, "abusive-content": None}
                elif c == "GRP":
                    known |= {"offensive-or-threatening": None, "abusive-content": 1.0}
                else:
                    known |= {"offensive-or-threatening": None, "abusive-content": None}
                rows.append(outside_row(tweet, "olid-training", known))
    except FileNotFoundError:
        raise DatasetError(f"{path}: file not found") from None
    return rows


def davidson_rows(eval_dir: Path, rng: random.Random, per_class: int) -> list[Row]:
    """Davidson: hate -> abuse; offensive -> offensive only; neither -> negative."""
    path = eval_dir / "davidson_labeled_data.csv"
    by_class: dict[str, list[str]] = {"0": [], "1": [], "2": []}
    for row in _csv(path, "tweet"):
        if row.get("class") in by_class:
            by_class[row["class"]].append(row.get("tweet", ""))
    rows = []
    for text in _sample(by_class["0"], per_class, rng):
        rows.append(outside_row(text, "davidson", {"offensive": 1.0, "abusive-content": 1.0}))
    for text in _sample(by_class["1"], per_class, rng):
        rows.append(
            outside_row(
                text,
                "davidson",
                {"offensive": 1.0, "abusive-content": None, "offensive-or-threatening": None},
            )
        )
    for text in _sample(by_class["2"], per_class, rng):
        rows.append(outside_row(text, "davidson", _negative()))
    return rows


def _negative() -> dict[str, float | None]:
    return {head: 0.0 for head in HOSTILE}


def _sample(items: list[str], n: int, rng: random.Random) -> list[str]:
    return items if len(items) <= n else rng.sample(items, n)


def jigsaw_rows(train_dir: Path, rng: random.Random, cap: int) -> list[Row]:
    """Jigsaw (Wikipedia talk): threat, insult, identity hate; toxic-only -> offensive only."""
    threats, hate, insults, toxic, clean = [], [], [], [], []
    for row in _csv(train_dir / "jigsaw_toxic_train_subset.csv"):
        text = row.get("text", "")
        if row.get("threat") == "1":
            threats.append(text)
        elif row.get("identity_hate") == "1":
            hate.append(text)
        elif row.get("insult") == "1":
            insults.append(text)
        elif "1" in (row.get("toxic"), row.get("severe_toxic"), row.get("obscene")):
            toxic.append(text)
        else:
            clean.append(text)
    rows = [
        outside_row(t, "jigsaw", {"offensive": 1.0, "threat": 1.0, "offensive-or-threatening": 1.0})
        for t in threats
    ]
    rows += [
        outside_row(t, "jigsaw", {"offensive": 1.0, "abusive-content": 1.0, "threat": 0.0})
        for t in _sample(hate, cap, rng)
    ]
    rows += [
        outside_row(
            t,
            "jigsaw",
            {
                "offensive": 1.0,
                "offensive-or-threatening": 1.0,
                "threat": 0.0,
                "abusive-content": None,
            },
        )
        for t in _sample(insults, cap, rng)
    ]
    rows += [
        outside_row(
            t,
            "jigsaw",
            {
                "offensive": 1.0,
                "threat": 0.0,
                "offensive-or-threatening": None,
                "abusive-content": None,
            },
        )
        for t in _sample(toxic, cap // 2, rng)
    ]
    rows += [outside_row(t, "jigsaw", _negative()) for t in _sample(clean, cap * 2, rng)]
    return rows


def toxic_spans_rows(train_dir: Path, rng: random.Random, cap: int) -> list[Row]:
    """Civil Comments with typed spans (all toxic): threat, insult, identity attack by majority."""
    threats, hate, insults = [], [], []
    for row in _csv(train_dir / "toxic_spans_civil_comments_types.csv"):
        text = row.get("text", "")
        if row.get("threat") == "1":
            threats.append(text)
        elif row.get("identity_attack") == "1":
            hate.append(text)
        elif row.get("insult") == "1":
            insults.append(text)
    rows = [
        outside_row(
            t, "toxic-spans", {"offensive": 1.0, "threat": 1.0, "offensive-or-threatening": 1.0}
        )
        for t in threats
    ]
    rows += [
        outside_row(t, "toxic-spans", {"offensive": 1.0, "abusive-content": 1.0})
        for t in _sample(hate, cap, rng)
    ]
    rows += [
        outside_row(
            t, "toxic-spans", {"offensive": 1.0, "offensive-or-threatening": None, "threat": 0.0}
        )
        for t in _sample(insults, cap, rng)
    ]
    return rows


def stormfront_rows(train_dir: Path, rng: random.Random, cap: int) -> list[Row]:
    """Forum sentences: hate -> abuse; noHate -> negative; 'relation' (needs context) masked."""
    hate, clean = [], []
    for row in _csv(train_dir / "stormfront_hate_speech_sentences.csv"):
        if row.get("hate") == "1":
            hate.append(row.get("text", ""))
        elif row.get("label") == "noHate":
            clean.append(row.get("text", ""))
    rows = [
        outside_row(t, "stormfront", {"abusive-content": 1.0, "offensive": 1.0})
        for t in _sample(hate, cap, rng)
    ]
    rows += [outside_row(t, "stormfront", _negative()) for t in _sample(clean, cap, rng)]
    return rows


def convabuse_rows(train_dir: Path) -> list[Row]:
    """User turns to chatbots: identity attacks and sexual harassment; abuse -> offensive."""
    rows = []
    for row in _csv(train_dir / "convabuse_train_valid.csv"):
        text = row.get("text", "")
        if row.get("abusive") != "1":
            rows.append(outside_row(text, "convabuse", _negative()))
            continue
        known: dict[str, float | None] = {
            "offensive": 1.0,
            "offensive-or-threatening": None,
            "abusive-content": None,
            "threat": None,
        }
        if row.get("identity_attack") == "1":
            known["abusive-content"] = 1.0
        if row.get("sex_harassment") == "1":
            known["offensive-or-threatening"] = 1.0
        rows.append(outside_row(text, "convabuse", known))
    return rows


def outside_rows(eval_dir: Path, train_dir: Path, seed: int, scale: float = 1.0) -> list[Row]:
    """Return every outside row, sampled with ``seed``; ``scale`` shrinks the samples.

    OLID training is always read whole (less the calibration tenth): it is the one outside set
    the benchmark's offensive-language figures are comparable on.
    """
    rng = random.Random(seed)

    def n(k: int) -> int:
        return max(1, int(k * scale))

    rows = olid_rows(eval_dir)
    rows += davidson_rows(eval_dir, rng, n(1000))
    rows += jigsaw_rows(train_dir, rng, n(1200))
    rows += toxic_spans_rows(train_dir, rng, n(600))
    rows += stormfront_rows(train_dir, rng, n(800))
    rows += _sample_rows(convabuse_rows(train_dir), n(1200), rng)
    return rows


def _sample_rows(rows: list[Row], k: int, rng: random.Random) -> list[Row]:
    return rows if len(rows) <= k else rng.sample(rows, k)
