"""The society-chat corpus: split by writer, no text in two splits, every label well covered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.corpus import CORPUS_DIR, label_counts, load_corpus, minimal_pairs, read_writer
from bench.datasets import DatasetError
from bot.taxonomy import ROUTE_LABELS, VIOLATION_LABELS

#: Labels the default config does not act on: optional in the corpus, fewer examples.
OPTIONAL = {"confidential-info", "disrepute", "implied-official-view"}


@pytest.fixture(scope="module")
def corpus() -> dict[str, list]:
    return load_corpus()


def test_no_text_is_in_two_splits(corpus: dict[str, list]) -> None:
    seen: dict[str, str] = {}
    for split, samples in corpus.items():
        for s in samples:
            key = " ".join(s.text.casefold().split())
            assert seen.setdefault(key, split) == split


def test_each_split_is_its_own_writers(corpus: dict[str, list]) -> None:
    writers = {split: {s.writer for s in samples} for split, samples in corpus.items()}
    assert writers["dev"].isdisjoint(writers["train"])
    assert writers["test"].isdisjoint(writers["train"] | writers["dev"])


def test_every_acted_on_label_and_route_has_300_positives_and_6000_everyday(
    corpus: dict[str, list],
) -> None:
    counts = label_counts(s for samples in corpus.values() for s in samples)
    for label in (set(VIOLATION_LABELS) | set(ROUTE_LABELS)) - OPTIONAL:
        assert counts[label] >= 300, label
    assert counts[""] >= 6000


def test_minimal_pairs_join_a_breach_and_an_innocent_twin(corpus: dict[str, list]) -> None:
    pairs = minimal_pairs(corpus["test"])
    assert len(pairs) >= 300
    assert all(b.labels and not t.labels for b, t in pairs)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("{not json", "not JSON"),
        ('{"text": "", "labels": []}', "expected text and a list of labels"),
        ('{"text": "hi", "labels": "rumours"}', "expected text and a list of labels"),
        ('{"text": "hi", "labels": ["gossip"]}', "unknown label 'gossip'"),
    ],
)
def test_a_bad_line_is_named_with_its_file_and_line(
    tmp_path: Path, line: str, problem: str
) -> None:
    folder = tmp_path / "w"
    folder.mkdir()
    (folder / "everyday.jsonl").write_text(
        json.dumps({"text": "ok", "labels": []}) + "\n" + line + "\n"
    )
    with pytest.raises(DatasetError, match=rf"everyday.jsonl:2: {problem}"):
        read_writer(folder)


def test_the_card_counts_are_the_corpus_counts(corpus: dict[str, list]) -> None:
    card = (CORPUS_DIR / "CARD.md").read_text()
    total = sum(len(samples) for samples in corpus.values())
    assert (
        f"| **messages** | {len(corpus['train']):,} | {len(corpus['dev']):,} | {len(corpus['test']):,} | {total:,} |"
        in card
    )
