"""Read the labelled evaluation sets and the project's own corpora into plain samples.

The third-party files live outside the repo (``../shared/eval/`` by default) and are read at
benchmark time only. Problems with them raise ``DatasetError`` carrying one line that names the
file and what is wrong.
"""

from __future__ import annotations

import csv
import json
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENIGN_CHAT = Path(__file__).resolve().parent / "data" / "benign_student_chat.txt"
EVAL_DIR_ENV = "POLICYBOT_EVAL_DIR"

#: The synthetic PII entity types the personal-info targets are set on.
PII_SCORED = ("PHONE_NUMBER", "EMAIL_ADDRESS", "CREDIT_CARD", "IBAN_CODE")

#: UK formats the generated set covers, in the order the tables print them.
UK_KINDS = ("uk-mobile", "uk-landline", "postcode", "sort-code", "student-number")


class DatasetError(Exception):
    """An evaluation file that is missing or cannot be read; the message is one line."""


@dataclass(frozen=True, slots=True)
class Sample:
    """One labelled text: ``flag`` is the positive class; ``targeted`` marks OLID level-b TIN."""

    text: str
    flag: bool
    targeted: bool = False


@dataclass(frozen=True, slots=True)
class LabelledSet:
    """A named list of samples with a note on where it came from and how to read the scores."""

    name: str
    samples: tuple[Sample, ...]
    note: str = ""

    @property
    def positives(self) -> int:
        """Return how many samples are flagged."""
        return sum(s.flag for s in self.samples)


@dataclass(frozen=True, slots=True)
class Span:
    """A labelled stretch of text: entity type and character offsets (end exclusive)."""

    entity: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class SpanSample:
    """A text with its gold personal-info spans (possibly none)."""

    text: str
    spans: tuple[Span, ...]


def resolve_eval_dir(given: str | Path | None = None, repo: Path = REPO) -> Path:
    """Return the evaluation folder: ``given``, else $POLICYBOT_EVAL_DIR, else ../shared/eval."""
    if given:
        folder = Path(given)
    elif os.environ.get(EVAL_DIR_ENV):
        folder = Path(os.environ[EVAL_DIR_ENV])
    else:
        folder = repo.parent / "shared" / "eval"
    if not folder.is_dir():
        raise DatasetError(
            f"{folder}: evaluation data folder not found "
            f"(pass --eval-dir or set {EVAL_DIR_ENV}; see the benchmark section of the README)"
        )
    return folder


def _open(path: Path) -> Iterator[str]:
    if not path.is_file():
        raise DatasetError(f"{path}: file not found")
    # OLID training has one invalid UTF-8 byte: replace rather than fail on a single tweet.
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        yield from handle


def _tsv(path: Path) -> list[list[str]]:
    return list(csv.reader(_open(path), delimiter="\t", quoting=csv.QUOTE_NONE))


def _header_index(path: Path, header: list[str], *names: str) -> list[int]:
    try:
        return [header.index(n) for n in names]
    except ValueError:
        missing = [n for n in names if n not in header]
        raise DatasetError(f"{path}: header has no column {missing[0]!r}") from None


def load_olid_training(folder: Path) -> list[tuple[str, Sample]]:
    """Return (id, sample) pairs of OLID training: flag = subtask_a OFF, targeted = TIN."""
    path = folder / "olid_training.tsv"
    rows = _tsv(path)
    if not rows:
        raise DatasetError(f"{path}: empty file")
    tid, tweet, a, b = _header_index(path, rows[0], "id", "tweet", "subtask_a", "subtask_b")
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if len(row) <= max(tid, tweet, a, b):
            raise DatasetError(f"{path}: line {n}: expected 5 tab-separated fields")
        out.append((row[tid], Sample(row[tweet], row[a] == "OFF", row[b] == "TIN")))
    return out


def load_olid_test(folder: Path) -> LabelledSet:
    """Return the official OLID test set (level a), with level-b TIN marks on its OFF rows."""
    tweets_path = folder / "olid_test_levela.tsv"
    rows = _tsv(tweets_path)
    tid, tweet = _header_index(tweets_path, rows[0] if rows else [], "id", "tweet")
    labels: dict[str, bool] = {}
    labels_path = folder / "olid_test_labels_levela.csv"
    for row in csv.reader(_open(labels_path)):
        if len(row) >= 2 and row[0] != "id":
            labels[row[0]] = row[1] == "OFF"
    targeted: set[str] = set()
    for row in csv.reader(_open(folder / "olid_test_labels_levelb.csv")):
        if len(row) >= 2 and row[1] == "TIN":
            targeted.add(row[0])
    samples = []
    for row in rows[1:]:
        key = row[tid]
        if key not in labels:
            raise DatasetError(f"{labels_path}: no label for tweet id {key}")
        samples.append(Sample(row[tweet], labels[key], key in targeted))
    return LabelledSet("OLID test", tuple(samples), "official OffensEval 2019 test set; flag = OFF")


def load_davidson(folder: Path) -> LabelledSet:
    """Return Davidson et al. 2017: flag = hate speech or offensive (class 0 or 1)."""
    return LabelledSet(
        "Davidson",
        tuple(Sample(text, flag) for _, text, flag in iter_davidson(folder)),
        "alt-profanity-check was trained on it; policybot's model learned from it too",
    )


def iter_davidson(folder: Path) -> Iterator[tuple[str, str, bool]]:
    """Yield (row id, tweet, flag) from Davidson's labelled CSV."""
    path = folder / "davidson_labeled_data.csv"
    reader = csv.DictReader(_open(path))
    if reader.fieldnames is None or not {"tweet", "class"} <= set(reader.fieldnames):
        raise DatasetError(f"{path}: header must have 'tweet' and 'class' columns")
    for n, row in enumerate(reader, start=2):
        if row["class"] not in ("0", "1", "2"):
            raise DatasetError(f"{path}: line {n}: class {row['class']!r} is not 0, 1 or 2")
        yield row.get("", "") or str(n), row["tweet"], row["class"] in ("0", "1")


def load_jigsaw(folder: Path) -> LabelledSet:
    """Return the 101-comment Jigsaw sample: flag = any of its six toxicity labels."""
    path = folder / "jigsaw_ibm_test_examples.csv"
    reader = csv.DictReader(_open(path))
    labels = [f for f in reader.fieldnames or [] if f != "comment_text"]
    if "comment_text" not in (reader.fieldnames or []) or not labels:
        raise DatasetError(f"{path}: header must have 'comment_text' and label columns")
    samples = tuple(
        Sample(row["comment_text"], any(row[k] == "1" for k in labels)) for row in reader
    )
    return LabelledSet("Jigsaw sample", samples, "alt-profanity-check was trained on Jigsaw")


def load_presidio_synth(folder: Path) -> list[SpanSample]:
    """Return presidio-research's synthetic sentences with their gold PII spans."""
    path = folder / "presidio_synth_v2_even_templates.json"
    if not path.is_file():
        raise DatasetError(f"{path}: file not found")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [
            SpanSample(
                item["full_text"],
                tuple(
                    Span(s["entity_type"], s["start_position"], s["end_position"])
                    for s in item["spans"]
                ),
            )
            for item in data
        ]
    except (ValueError, KeyError, TypeError) as exc:
        raise DatasetError(f"{path}: not the synthetic PII format: {exc}") from None


def load_benign(path: Path = BENIGN_CHAT) -> LabelledSet:
    """Return the project's benign student-chat corpus: every message is a negative."""
    if not path.is_file():
        raise DatasetError(f"{path}: file not found")
    lines = path.read_text(encoding="utf-8").splitlines()
    texts = [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    return LabelledSet(
        "benign student chat",
        tuple(Sample(t, False) for t in texts),
        "written for the project (bench/data/)",
    )


def offensive_sets(folder: Path) -> list[LabelledSet]:
    """Return every offensive-language set: OLID test, Davidson, Jigsaw and the benign chat."""
    return [load_olid_test(folder), load_davidson(folder), load_jigsaw(folder), load_benign()]


# -- UK personal-info formats, generated ------------------------------------------------------
# Numbers come from Ofcom's ranges kept for drama, so none of them reaches a real person.
_LANDLINES = (
    ("0116", "496 0{:03d}"),
    ("0113", "496 0{:03d}"),
    ("0121", "496 0{:03d}"),
    ("0161", "496 0{:03d}"),
    ("0115", "496 0{:03d}"),
    ("020", "7946 0{:03d}"),
    ("01632", "960{:03d}"),
    ("029", "2018 0{:03d}"),
)
_OUTWARD = [
    "LE1",
    "LE2",
    "LE3",
    "LE4",
    "NG7",
    "CV1",
    "B15",
    "M1",
    "M14",
    "LS2",
    "SW1A",
    "EC1A",
    "W1T",
    "E14",
    "N7",
    "G12",
    "CF10",
    "BS8",
    "NE1",
    "S10",
    "L3",
    "OX1",
    "CB2",
    "DE22",
]
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def _mobile(rng: random.Random) -> str:
    digits = f"900{rng.randrange(1000):03d}"
    return rng.choice(
        (
            f"07700 {digits}",
            f"07700{digits}",
            f"+44 7700 {digits}",
            f"+447700{digits}",
            f"07700 {digits[:3]} {digits[3:]}",
            f"0770 0{digits[:2]} {digits[2:]}",
            f"07700-{digits}",
            f"(07700) {digits}",
        )
    )


def _landline(rng: random.Random) -> str:
    area, rest = rng.choice(_LANDLINES)
    local = rest.format(rng.randrange(1000))
    return rng.choice(
        (
            f"{area} {local}",
            f"{area}{local.replace(' ', '')}",
            f"({area}) {local}",
            f"+44 {area[1:]} {local}",
            f"{area}-{local.replace(' ', '-')}",
        )
    )


def _postcode(rng: random.Random) -> str:
    code = f"{rng.choice(_OUTWARD)} {rng.randrange(10)}{rng.choice(_INWARD_LETTERS)}"
    code += rng.choice(_INWARD_LETTERS)
    return rng.choice((code, code.lower(), code.replace(" ", "")))


def _sort_code(rng: random.Random) -> str:
    parts = [f"{rng.randrange(100):02d}" for _ in range(3)]
    parts[0] = f"{rng.choice((20, 30, 40, 60, 77, 82, 83, 89, 9, 11)):02d}"
    return rng.choice(("-".join(parts), " ".join(parts)))


def _student_number(rng: random.Random) -> str:
    # DMU student numbers: a P and eight digits, as on the student card.
    number = f"P{rng.choice((2, 3))}{rng.randrange(10**7):07d}"
    return rng.choice((number, number.lower()))


_MAKERS = {
    "uk-mobile": _mobile,
    "uk-landline": _landline,
    "postcode": _postcode,
    "sort-code": _sort_code,
    "student-number": _student_number,
}

_TEMPLATES = {
    "uk-mobile": (
        "my number is {}",
        "text me on {} when you're outside",
        "call Sam on {} if you get lost",
        "{} is Jess's number, she's got the tickets",
        "whatsapp me {}",
        "ring {} for the minibus",
        "her mobile's {} if anyone needs her",
        "new phone, new number: {}",
    ),
    "uk-landline": (
        "the landlord's number is {}",
        "ring the house phone {} if my mobile is off",
        "his home number is {}",
        "call my mum on {}, she's got a spare key",
        "you can reach me at {} in the evenings",
    ),
    "postcode": (
        "party at mine, postcode {}",
        "the house is at 14 Oxford Street, {}",
        "send it to {}, flat 3",
        "her new place is {} if you want to drop by",
        "sat nav to {} and park round the back",
    ),
    "sort-code": (
        "pay me back: sort code {} account 41234567",
        "sort code {}, acc no 31926819",
        "bank details for the deposit are {} / 12345678",
        "transfer it to sort code {} please",
        "his sort code is {} and the account is 55779911",
    ),
    "student-number": (
        "my student number is {}",
        "log in with {} and the password on the card",
        "this is Tom's ID: {}",
        "her student ID is {}, tell the library",
        "{} is the number on my card",
    ),
}

_NEGATIVES = (
    "meet at 19:30 by the fountain",
    "tickets are £12.50 each or £20 for two",
    "the deadline is 12/03/2025 at 12:00",
    "seminar is in room 2.14, then 0.07",
    "we won 3-1, then 4-2 in the replay",
    "module CTEC2121 clashes with IMAT3423",
    "the essay is 2,000 words, 10% leeway",
    "the 18:45 train from platform 3",
    "chapter 7, pages 120-145",
    "we raised £1,250 for charity this year",
    "version 2.3.1 of the app fixed it",
    "the bus is the 48 or the 14",
    "I got 68% on the lab report",
    "class of 2024 reunion in june",
    "top 10 songs of the 2010s",
    "the score was 21-19, 21-17",
    "order number 4512 for the hoodies",
    "it's 30 minutes from LE1 station by bus",
    "flat 3b, second floor",
    "we need 16 people for the minibus and 2 cars",
)


def uk_personal_info(seed: int = 3, per_kind: int = 120) -> list[SpanSample]:
    """Generate UK personal-info messages as students type them, plus near-miss negatives."""
    rng = random.Random(seed)
    out: list[SpanSample] = []
    for kind in UK_KINDS:
        for _ in range(per_kind):
            value = _MAKERS[kind](rng)
            template = rng.choice(_TEMPLATES[kind])
            start = template.index("{}")
            text = template.format(value)
            out.append(SpanSample(text, (Span(kind, start, start + len(value)),)))
    out.extend(SpanSample(text, ()) for text in _NEGATIVES)
    return out
