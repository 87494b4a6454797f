"""Reading the n-gram heads together gives each model's own probability, for any text."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.detectors.ngram_heads import NgramHeads
from bot.detectors.toxicity_model import FeatureSpec, LinearModel, load_model

from .conftest import RULES_FOLDER

FOLDER = RULES_FOLDER / "models" / "policy-classifier"
MODELS = [
    load_model(FOLDER / "heads" / "offensive-or-threatening.model"),
    load_model(FOLDER / "heads" / "criminal-content.model"),
    load_model(FOLDER / "heads" / "wellbeing-risk.model"),
    load_model(FOLDER / "gate.model"),
]
BANK = NgramHeads(MODELS)

TEXTS = [
    "",
    "!!! ???",
    "i will stab you",
    "see you at 7 in the library 😂😂 lol",
    "HEYYYYY @sam check https://example.org/x?y=1 and www.dmu.ac.uk",
    "naïve café — Ｆｕｌｌ width and ﬁ ligatures",
    "word " * 400,
]


@pytest.mark.parametrize("text", TEXTS)
def test_each_column_is_that_models_probability(text: str) -> None:
    together = BANK.probabilities(text)
    assert list(together) == pytest.approx([m.probability(text) for m in MODELS], abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_reads_the_same_together_as_alone(text: str) -> None:
    together = BANK.probabilities(text)
    assert list(together) == pytest.approx([m.probability(text) for m in MODELS], abs=1e-12)


def test_models_of_different_feature_specs_are_refused() -> None:
    other: LinearModel = replace(
        MODELS[0], spec=FeatureSpec(buckets_log2=MODELS[0].spec.buckets_log2, char_max=4)
    )
    with pytest.raises(ValueError, match="do not share one feature spec"):
        NgramHeads([MODELS[0], other])
