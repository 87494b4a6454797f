"""The trained toxicity model: pinned predictions, the detector's severities, file errors, retraining.

The regression cases are written for the project (not rows of the licensed training data).
When the model is retrained on purpose, update the pinned probabilities in the same commit.
"""

from __future__ import annotations

import gzip
from dataclasses import replace
from pathlib import Path

import pytest

from bot.detectors.spec import RuleError
from bot.detectors.toxicity_model import (
    FEATURES_VERSION,
    FeatureSpec,
    LinearModel,
    ModelFileError,
    features,
    load_model,
    save_model,
)
from bot.taxonomy import Severity

from .conftest import RULES_FOLDER, Run

MODEL_FILE = RULES_FOLDER / "models" / "toxicity-v1.model"
RULE = "toxicity-model"


@pytest.fixture(scope="module")
def model() -> LinearModel:
    return load_model(MODEL_FILE)


# text, the shipped model's probability (pinned to +-0.01), whether it fires
PINNED = [
    # everyday phrases and words that hide a swear word: quiet
    ("this deadline is killing me", 0.438, False),
    ("the lecture on hate crime law was fascinating", 0.305, False),
    ("Scunthorpe", 0.359, False),
    ("classic", 0.195, False),
    ("therapist", 0.420, False),
    ("cocktail", 0.228, False),
    ("I could murder a pizza", 0.265, False),
    ("I'd kill for a kebab right now", 0.357, False),
    ("we're going to murder them on saturday", 0.185, False),
    ("pass the assignment brief please", 0.206, False),
    ("the cockpit of the plane was tiny", 0.277, False),
    ("analysis of the Essex data is done", 0.276, False),
    # insults and swearing: fire
    ("you are a stupid idiot", 1.000, True),
    ("shut up you ugly bitch", 0.999, True),
    ("you're a pathetic loser and everyone hates you", 0.656, True),
    ("what a fucking moron", 0.993, True),
    ("you disgusting piece of shit", 0.998, True),
    ("kill yourself", 0.617, True),
    # friendly swearing fires too (OLID counts it); the detector keeps it at low severity
    ("fuck yeah we won", 0.987, True),
    ("holy shit I passed", 0.935, True),
    # threats without abusive words are the threat rules' job, not the model's
    ("I know where you live", 0.149, False),
    ("watch your back", 0.239, False),
]


@pytest.mark.parametrize(("text", "probability", "fires"), PINNED)
def test_shipped_model_predictions_are_pinned(
    model: LinearModel, text: str, probability: float, fires: bool
) -> None:
    p = model.probability(text)
    assert p == pytest.approx(probability, abs=0.01)
    assert (p >= model.threshold) is fires


def test_shipped_model_is_small_and_says_what_it_learned_from(model: LinearModel) -> None:
    assert MODEL_FILE.stat().st_size < 3_000_000
    trained_on = model.meta["trained_on"]
    assert set(trained_on) == {"olid_training.tsv", "davidson_labeled_data.csv"}
    assert model.meta["calibration"]["target_precision"] == 0.85
    assert 0.3 < model.threshold < 0.9


@pytest.mark.parametrize(
    ("text", "mentions", "severity"),
    [
        ("fuck yeah we won", (), Severity.LOW),
        ("what a fucking moron", (), Severity.LOW),
        ("you are a stupid idiot", (), Severity.MEDIUM),
        ("<@U123> what a fucking moron", ("U123",), Severity.MEDIUM),
        ("Sam is a fucking moron", (), Severity.MEDIUM),
    ],
)
def test_aimed_messages_weigh_more(
    run_rule: Run, text: str, mentions: tuple[str, ...], severity: Severity
) -> None:
    [finding] = run_rule(RULE, text, mentions=mentions)
    assert finding.severity is severity
    assert finding.label == "offensive-or-threatening"
    assert finding.detector == "linear-model"


@pytest.mark.parametrize(
    "text", ["this deadline is killing me", "Scunthorpe away day", "the cocktail bar at 8"]
)
def test_everyday_phrases_give_no_finding(run_rule: Run, text: str) -> None:
    assert run_rule(RULE, text) == []


def test_features_ignore_links_mentions_and_stretching() -> None:
    spec = FeatureSpec()
    assert features("soooo good <@U1> https://x.example/a", spec) == features("soo good", spec)
    assert features("", spec) == []


@pytest.mark.parametrize(
    "texts",
    [
        ["you are a stupid idiot", "you are a stupid idiot"],  # the second from remembered tokens
        ["", "!!!", "😂😂 you 🤡", "ÉCOLE d'été", "soooo good <@U1> https://x.example/a"],
        [p[0] for p in PINNED],
    ],
)
def test_margin_is_the_sum_over_the_features(model: LinearModel, texts: list[str]) -> None:
    for text in texts:
        buckets = features(text, model.spec)
        total = sum(model.weights[b] for b in buckets)
        expected = model.bias + model.scale * total / len(buckets) ** 0.5 if buckets else model.bias
        assert model.margin(text) == pytest.approx(expected, abs=1e-12), text


def _tiny(weights: list[int], spec: FeatureSpec) -> LinearModel:
    from array import array

    return LinearModel("test-v0", spec, -1.0, 0.001, array("h", weights), 0.5, {"note": "t"})


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    spec = FeatureSpec(buckets_log2=4)
    original = _tiny(list(range(-8, 8)), spec)
    save_model(original, tmp_path / "m.model")
    loaded = load_model(tmp_path / "m.model")
    assert list(loaded.weights) == list(original.weights)
    assert (loaded.bias, loaded.scale, loaded.threshold, loaded.spec) == (-1.0, 0.001, 0.5, spec)
    assert loaded.probability("hello there") == original.probability("hello there")


def _broken(tmp_path: Path, how: str) -> Path:
    path = tmp_path / "m.model"
    spec = FeatureSpec(buckets_log2=4)
    if how == "version":
        spec = replace(spec, version=FEATURES_VERSION + 1)
    save_model(_tiny([1] * 16, spec), path)
    if how == "checksum":
        blob = gzip.decompress(path.read_bytes())
        path.write_bytes(gzip.compress(blob[:-1] + b"\x07"))
    elif how == "garbage":
        path.write_bytes(b"not a model")
    elif how == "missing":
        path.unlink()
    return path


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("missing", "model file not found"),
        ("garbage", "not a policybot model file"),
        ("checksum", "do not match their checksum"),
        ("version", "retrain with python -m bench.train_toxicity"),
    ],
)
def test_bad_model_files_give_one_line_errors(tmp_path: Path, how: str, message: str) -> None:
    path = _broken(tmp_path, how)
    with pytest.raises(ModelFileError) as caught:
        load_model(path)
    text = str(caught.value)
    assert message in text and str(path) in text and "\n" not in text


def test_a_rule_naming_a_missing_model_is_a_rule_error(tmp_path: Path) -> None:
    from bot.detectors.spec import RuleLists, RuleSpec
    from bot.detectors.toxicity_model import build

    spec = RuleSpec(
        id="m",
        label="offensive-or-threatening",
        clauses=("5.2",),
        severity=Severity.LOW,
        kind="linear-model",
        params={"model": "models/nope.model"},
        where=f"{tmp_path / 'rules.yaml'}: rules[0]",
    )
    with pytest.raises(RuleError) as caught:
        build(spec, RuleLists({}, {}))
    [problem] = caught.value.problems
    assert problem.startswith(f"{tmp_path / 'rules.yaml'}: rules[0].model: ")
    assert str(tmp_path / "models" / "nope.model") in problem


# -- retraining ------------------------------------------------------------------------------
# A small fixed sample written for the project: retraining on it must give the same weights.
TRAIN_SAMPLE = [
    ("you are an idiot and everyone knows it", True),
    ("shut up you pathetic loser", True),
    ("what a stupid useless moron", True),
    ("you disgusting little rat", True),
    ("go away nobody wants you here, loser", True),
    ("he is a lying clown", True),
    ("see you at training on thursday", False),
    ("the library is open late this week", False),
    ("good luck with the exam tomorrow", False),
    ("who is bringing snacks to the social", False),
    ("the lecture was moved to room 2.14", False),
    ("thanks for the notes, really helpful", False),
]


def test_retraining_on_a_fixed_sample_is_deterministic(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from bench.train_toxicity import TrainOptions, calibrate, quantize, train

    options = TrainOptions(spec=FeatureSpec(buckets_log2=14))
    texts = [t for t, _ in TRAIN_SAMPLE]
    labels = [y for _, y in TRAIN_SAMPLE]
    files = []
    for run in range(2):
        bias, weights = train(texts, labels, [1.0] * len(texts), options)
        model = quantize(bias, weights, 0.5, options, {"run": 0})
        files.append(tmp_path / f"run{run}.model")
        save_model(model, files[-1])
    assert files[0].read_bytes() == files[1].read_bytes()
    model = load_model(files[0])
    assert model.probability("you pathetic idiot") > model.probability("see you at the library")
    cal = calibrate([model.probability(t) for t in texts], labels, 0.85, 2)
    assert cal.precision >= 0.85 and cal.recall > 0


# -- aimed means aimed: the model's aimed severity, each shape and its twin -------------------
@pytest.mark.parametrize(
    ("text", "mentions", "twin"),
    [
        ("@alex that exam was fucking hard", ("alex",), "@alex you're a fucking idiot"),
        ("Holy shit, you're right!", (), "you're a piece of shit"),
        ("you're not an idiot, the question was confusing", (), "you're an idiot"),
        ("you are a stupidly good cook", (), "you are a stupid cook"),
        ("you won't believe how stupid this assignment is", (), "you are so stupid"),
        ("ur such an idiot lol love u tho", (), "ur such an idiot lol"),
        ("shut up you absolute idiot, ily", (), "shut up you absolute idiot"),
    ],
)
def test_what_aims_at_no_one_does_not_make_the_model_aimed(
    run_rule: Run, text: str, mentions: tuple[str, ...], twin: str
) -> None:
    assert all(f.severity is Severity.LOW for f in run_rule(RULE, text, mentions=mentions))
    found = run_rule(RULE, twin, mentions=mentions)
    assert [f.severity for f in found] == [Severity.MEDIUM]
