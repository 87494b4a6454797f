"""Read the project's labelled society-chat corpus (``bench/corpus/``), split by writer.

Each writer wrote alone, from a brief, without seeing the rules, the training data or the other
writers' output (``bench/corpus/CARD.md``). Their folders hold one JSONL file per label plus
``everyday.jsonl``; every line is ``{"text", "labels": [...], "pair"?}``. ``splits.yaml`` says
which writer's messages are train, dev or test, so the test split measures phrasings no model
or rule was tuned on.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bench.datasets import DatasetError
from bot.taxonomy import ALL_LABELS

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
SPLITS = ("train", "dev", "test")


@dataclass(frozen=True, slots=True)
class ChatSample:
    """One written message: its labels (empty: everyday), its writer, and its minimal pair."""

    text: str
    labels: frozenset[str]
    writer: str
    pair: str = ""
    source: str = ""

    @property
    def everyday(self) -> bool:
        """Return True when no label applies."""
        return not self.labels


def writer_splits(folder: Path = CORPUS_DIR) -> dict[str, str]:
    """Return writer -> split from ``splits.yaml``."""
    path = folder / "splits.yaml"
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DatasetError(f"{path}: cannot read ({exc})") from None
    out: dict[str, str] = {}
    if not isinstance(document, dict):
        raise DatasetError(f"{path}: expected a mapping of split -> list of writers")
    for split, writers in document.items():
        if split not in SPLITS or not isinstance(writers, list):
            raise DatasetError(f"{path}: {split}: expected one of {SPLITS} with a list of writers")
        for writer in writers:
            out[str(writer)] = split
    return out


def read_writer(folder: Path) -> list[ChatSample]:
    """Return every sample of one writer's folder; raise DatasetError naming a bad line."""
    samples: list[ChatSample] = []
    for path in sorted(folder.glob("*.jsonl")):
        for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not raw.strip():
                continue
            try:
                item = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise DatasetError(f"{path}:{lineno}: not JSON ({exc.msg})") from None
            text = item.get("text") if isinstance(item, dict) else None
            labels = item.get("labels") if isinstance(item, dict) else None
            if not isinstance(text, str) or not text.strip() or not isinstance(labels, list):
                raise DatasetError(f"{path}:{lineno}: expected text and a list of labels")
            unknown = [label for label in labels if label not in ALL_LABELS]
            if unknown:
                raise DatasetError(f"{path}:{lineno}: unknown label {unknown[0]!r}")
            samples.append(
                ChatSample(
                    text=text.strip(),
                    labels=frozenset(labels),
                    writer=folder.name,
                    pair=str(item.get("pair") or ""),
                    source=path.stem,
                )
            )
    return samples


def load_corpus(folder: Path = CORPUS_DIR) -> dict[str, list[ChatSample]]:
    """Return split -> samples, de-duplicated by text across the whole corpus.

    A text written twice (by one writer or by two) is kept once, in the first split that has
    it in the order train, dev, test, so no test text is also a training text; when its copies
    disagree on labels, every copy is dropped.
    """
    splits = writer_splits(folder)
    by_split: dict[str, list[ChatSample]] = {split: [] for split in SPLITS}
    writers = folder / "writers"
    for writer_dir in sorted(p for p in writers.iterdir() if p.is_dir()):
        split = splits.get(writer_dir.name)
        if split is None:
            raise DatasetError(f"{folder / 'splits.yaml'}: writer {writer_dir.name!r} has no split")
        by_split[split] += read_writer(writer_dir)
    labels_of: dict[str, set[frozenset[str]]] = {}
    for split in SPLITS:
        for s in by_split[split]:
            labels_of.setdefault(_key(s.text), set()).add(s.labels)
    seen: set[str] = set()
    out: dict[str, list[ChatSample]] = {}
    for split in SPLITS:
        kept = []
        for s in by_split[split]:
            key = _key(s.text)
            if key in seen or len(labels_of[key]) > 1:
                continue
            seen.add(key)
            kept.append(s)
        out[split] = kept
    return out


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def label_counts(samples: Iterable[ChatSample]) -> Counter[str]:
    """Return positives per label, and everyday messages under ``""``."""
    counts: Counter[str] = Counter()
    for s in samples:
        if s.everyday:
            counts[""] += 1
        for label in s.labels:
            counts[label] += 1
    return counts


def minimal_pairs(samples: Sequence[ChatSample]) -> list[tuple[ChatSample, ChatSample]]:
    """Return (breach, innocent twin) pairs that share a pair id."""
    groups: dict[str, list[ChatSample]] = {}
    for s in samples:
        if s.pair:
            groups.setdefault(f"{s.writer}/{s.pair}", []).append(s)
    pairs = []
    for group in groups.values():
        breaches = [s for s in group if not s.everyday]
        twins = [s for s in group if s.everyday]
        pairs += [(b, t) for b in breaches for t in twins]
    return pairs
