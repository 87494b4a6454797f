"""A smoke test of ``python -m bench.quality`` on a tiny evaluation folder written here.

Every row below is written for the project in the shape of the real files; none is a row
of the licensed data sets.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from bench import quality
from bench.datasets import DatasetError, load_olid_test, resolve_eval_dir

OLID = [
    ("101", "@USER you are a stupid idiot", "OFF", "TIN"),
    ("102", "@USER what a fucking moron", "OFF", "TIN"),
    ("103", "this is such shit URL", "OFF", "UNT"),
    ("104", "@USER see you at the match on saturday", "NOT", None),
    ("105", "the new library opens next week", "NOT", None),
    ("106", "@USER thanks for the lovely evening", "NOT", None),
]
DAVIDSON = [
    ("0", "2", "you absolute idiot, shut up"),
    ("1", "1", "what a pathetic loser"),
    ("2", "2", "lovely weather for the game today"),
    ("3", "2", "the bus was late again this morning"),
]
JIGSAW = [
    ("you are a disgusting liar", 1),
    ("thanks for fixing the citation on the article", 0),
    ("please see the talk page before reverting", 0),
]
PII = [
    ("Email me at jo.bloggs@example.com about it", "EMAIL_ADDRESS", "jo.bloggs@example.com"),
    ("My IBAN is GB33BUKB20201555555555 for the refund", "IBAN_CODE", "GB33BUKB20201555555555"),
    ("Ring 020 7946 0123 after six", "PHONE_NUMBER", "020 7946 0123"),
    ("Nothing personal in this sentence at all", None, None),
]


def write_eval_folder(folder: Path) -> Path:
    """Write a 20-row evaluation folder in the formats of ../shared/eval."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "olid_test_levela.tsv").open("w", encoding="utf-8") as f:
        f.write("id\ttweet\n" + "".join(f"{i}\t{t}\n" for i, t, _, _ in OLID))
    with (folder / "olid_test_labels_levela.csv").open("w", encoding="utf-8") as f:
        f.write("".join(f"{i},{a}\n" for i, _, a, _ in OLID))
    with (folder / "olid_test_labels_levelb.csv").open("w", encoding="utf-8") as f:
        f.write("".join(f"{i},{b}\n" for i, _, _, b in OLID if b))
    with (folder / "davidson_labeled_data.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["", "count", "hate_speech", "offensive_language", "neither", "class", "tweet"])
        for i, cls, text in DAVIDSON:
            w.writerow([i, 3, 0, 0, 3, cls, text])
    with (folder / "jigsaw_ibm_test_examples.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["comment_text", "toxic", "severe_toxic", "obscene", "threat", "insult"])
        for text, toxic in JIGSAW:
            w.writerow([text, toxic, 0, 0, 0, 0])
    items = []
    for text, entity, value in PII:
        spans = []
        if entity and value:
            start = text.index(value)
            spans.append(
                {
                    "entity_type": entity,
                    "entity_value": value,
                    "start_position": start,
                    "end_position": start + len(value),
                }
            )
        items.append({"full_text": text, "spans": spans, "template_id": 0})
    (folder / "presidio_synth_v2_even_templates.json").write_text(json.dumps(items))
    return folder


def test_quality_prints_the_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_eval_folder(tmp_path / "eval")
    assert quality.main(["--eval-dir", str(folder), "--no-peers", "--no-cache", "--no-policy"]) == 0
    out = capsys.readouterr().out
    assert "**OLID test**: 6 messages, 3 positive" in out
    assert "TIN recall" in out
    assert "| **policybot** | 1.000 | 1.000 | 1.000 | 0.0% | 1.000 | 0.0% |" in out
    assert "benign student chat" in out
    assert "EMAIL_ADDRESS (n=1)" in out
    assert "UK formats as typed in chat" in out


def test_olid_level_b_marks_targeted_insults(tmp_path: Path) -> None:
    data = load_olid_test(write_eval_folder(tmp_path / "eval"))
    assert [s.targeted for s in data.samples] == [True, True, False, False, False, False]


def test_a_missing_eval_folder_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POLICYBOT_EVAL_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(DatasetError):
        resolve_eval_dir()
    assert quality.main(["--no-peers"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(str(tmp_path / "nowhere")) and "\n" not in err


def test_a_broken_label_file_names_the_file(tmp_path: Path) -> None:
    folder = write_eval_folder(tmp_path / "eval")
    (folder / "olid_test_labels_levela.csv").write_text("101,OFF\n")
    with pytest.raises(
        DatasetError, match=r"olid_test_labels_levela.csv: no label for tweet id 102"
    ):
        load_olid_test(folder)
