"""Training the policy classifier: rows and masks, per-head thresholds, a deterministic retrain.

The encoder's own retraining needs the ``train`` extra (torch); without it that test skips and
the cascade's first stage, trained by the same command with scikit-learn, is checked instead.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from bench.classifier_data import AUX_HEADS, HEADS, POLICY_HEADS, corpus_rows, outside_row
from bench.corpus import ChatSample
from bench.train_classifier import head_thresholds, train_gate
from bot.detectors.toxicity_model import save_model

HAS_TORCH = (
    importlib.util.find_spec("torch") is not None
    and importlib.util.find_spec("transformers") is not None
)

# A small fixed sample, written for the test.
SAMPLE = [
    ("selling my flatmate's adderall, £3 a pill", {"criminal-content"}),
    ("anyone selling a second-hand bike?", set()),
    ("i will smash your face in", {"offensive-or-threatening"}),
    ("we smashed the quiz last night", set()),
    ("here's the phase test paper from this morning's sitting", {"assessment-content"}),
    ("here's the pub quiz sheet from last night", set()),
    ("i don't want to be here anymore, nothing helps", {"wellbeing-risk"}),
    ("i don't want to be in this queue anymore", set()),
] * 6


def samples() -> list[ChatSample]:
    return [ChatSample(text, frozenset(labels), "t") for text, labels in SAMPLE]


def test_corpus_rows_know_every_policy_head_and_aux_heads_only_when_everyday() -> None:
    rows = corpus_rows(samples()[:2])
    breach, everyday = rows
    aux = [HEADS.index(h) for h in AUX_HEADS]
    assert all(breach.mask[HEADS.index(h)] for h in POLICY_HEADS)
    assert not any(breach.mask[i] for i in aux)
    assert all(everyday.mask[i] for i in aux)
    assert breach.target[HEADS.index("criminal-content")] == 1.0


def test_an_outside_row_is_silent_on_what_its_set_cannot_say() -> None:
    row = outside_row("you idiot", "x", {"offensive": 1.0, "offensive-or-threatening": None})
    assert row.mask[HEADS.index("offensive")] and row.target[HEADS.index("offensive")] == 1.0
    assert not row.mask[HEADS.index("offensive-or-threatening")]
    assert not row.mask[HEADS.index("mocking")]
    # An exam leak cannot hide in a tweet set: those heads learn "no" from it.
    assert row.mask[HEADS.index("assessment-content")]
    assert row.target[HEADS.index("assessment-content")] == 0.0


def test_head_thresholds_reach_the_precision_asked_on_dev() -> None:
    dev = samples()[:8]
    scores = []
    for s in dev:
        row = [0.1] * len(HEADS)
        for label in s.labels:
            row[HEADS.index(label)] = 0.9
        row[HEADS.index("criminal-content")] = max(row[HEADS.index("criminal-content")], 0.3)
        scores.append(row)
    found = head_thresholds(scores * 5, dev * 5, 0.9)
    assert found["criminal-content"]["threshold"] == 0.9
    assert found["criminal-content"]["dev_precision"] == 1.0


def test_the_first_stage_retrains_to_the_same_bytes(tmp_path: Path) -> None:
    texts = [t for t, _ in SAMPLE]
    flags = [bool(labels) for _, labels in SAMPLE]
    files = []
    for n in range(2):
        gate, stats = train_gate(texts, flags, texts, flags, 0.98)
        path = tmp_path / f"gate{n}.model"
        save_model(gate, path)
        files.append(path.read_bytes())
    assert files[0] == files[1]
    assert stats["dev_must_pass"] == sum(flags)


@pytest.mark.slow
@pytest.mark.skipif(not HAS_TORCH, reason="needs the train extra (torch, transformers)")
def test_the_encoder_retrains_to_the_same_weights() -> None:
    import torch

    from bench.train_classifier import base_model_dir, fine_tune

    rows = corpus_rows(samples())
    nets = [
        fine_tune(rows, base_model_dir(), epochs=0.2, seed=3, batch=8, log=lambda _: None)
        for _ in range(2)
    ]
    for (name, a), (_, b) in zip(
        nets[0].state_dict().items(), nets[1].state_dict().items(), strict=True
    ):
        assert torch.equal(a, b), name
