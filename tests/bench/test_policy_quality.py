"""The policy tables: per-label counts, everyday acted on, minimal pairs, average precision."""

from __future__ import annotations

import pytest

from bench.corpus import ChatSample
from bench.policy_quality import average_precision, score_predictions


def sample(text: str, labels: set[str], pair: str = "") -> ChatSample:
    return ChatSample(text, frozenset(labels), "w", pair)


def test_per_label_counts_everyday_and_pairs() -> None:
    samples = [
        sample("leak", {"assessment-content"}, "p1"),
        sample("quiz", set(), "p1"),
        sample("rumour", {"rumours"}),
        sample("hello", set()),
    ]
    predicted = [{"assessment-content"}, {"assessment-content"}, set(), {"report-intent"}]
    result = score_predictions("x", samples, predicted, ["assessment-content", "rumours"])
    leak = result.labels["assessment-content"]
    assert (leak.tp, leak.fp, leak.fn) == (1, 1, 0)
    assert result.labels["rumours"].recall == 0.0
    # A route on an everyday message is a private pointer, not an action.
    assert (result.everyday_acted, result.everyday) == (1, 2)
    assert (result.pairs_right, result.pairs) == (0, 1)  # the twin was acted on too


@pytest.mark.parametrize(
    ("scores", "truth", "expected"),
    [
        ([0.9, 0.8, 0.1], [True, True, False], 1.0),
        ([0.9, 0.8, 0.1], [False, True, True], (1 / 2 + 2 / 3) / 2),
    ],
)
def test_average_precision(scores: list[float], truth: list[bool], expected: float) -> None:
    assert average_precision(scores, truth) == pytest.approx(expected)
