"""The classifier's training rows: templated rows of the outside sets are left out."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from bench.classifier_data import TEMPLATE_REPEATS, jigsaw_rows, template_key

COLUMNS = ["text", "toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"]


def _write(path: Path, rows: list[tuple[str, str]]) -> None:
    """Write a Jigsaw-shaped CSV: each row a text and its threat flag."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for text, threat in rows:
            writer.writerow([text, threat, "0", "0", threat, "0", "0"])


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("I will find you. Ref_478.", "I will find you. Ref_12.", True),
        ("I will  find\nyou 2", "i will find you 31", True),
        ("see you at 7", "see you at eight", False),
        ("Ref_1", "Ref_1 then", False),
    ],
)
def test_template_key_sets_numbers_and_spacing_aside(a: str, b: str, same: bool) -> None:
    assert (template_key(a) == template_key(b)) is same


def test_a_text_repeated_with_only_its_number_changed_is_left_out(tmp_path: Path) -> None:
    # Labelled "clean" though it is a threat: the shape of the Jigsaw subset's templated rows.
    template = [(f"I will find where you live and end you. Ref_{n}.", "0") for n in range(12)]
    kept_three = [(f"meeting moved to room {n}", "0") for n in range(TEMPLATE_REPEATS)]
    real = [("you'll regret this, I know your house", "1"), ("thanks for the edit", "0")]
    _write(tmp_path / "jigsaw_toxic_train_subset.csv", template + kept_three + real)

    texts = {row.text for row in jigsaw_rows(tmp_path, random.Random(1), cap=100)}

    assert not any("Ref_" in text for text in texts)
    assert {text for text, _ in kept_three + real} <= texts
