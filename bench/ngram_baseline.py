"""The simplest model on the classifier's data: word + character n-grams, one regression per head.

The policy classifier is compared with this baseline on the same rows
(:mod:`bench.classifier_data`), thresholds set on the same dev split, scored on the same test
split. TF-IDF over word 1-2-grams and character 2-5-grams (within word boundaries), and one
L2 logistic regression per head, fitted on the rows where that head is known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bench.classifier_data import HEADS, Row


@dataclass
class NgramBaseline:
    """A fitted vectoriser and one classifier per head (None where a head had one class)."""

    vectoriser: Any
    classifiers: list[Any]

    def score(self, texts: Sequence[str]) -> list[tuple[float, ...]]:
        """Return one tuple of head probabilities per text, in :data:`HEADS` order."""
        x = self.vectoriser.transform(list(texts))
        columns = []
        for clf in self.classifiers:
            columns.append(clf.predict_proba(x)[:, 1] if clf is not None else [0.0] * len(texts))
        return [tuple(float(col[i]) for col in columns) for i in range(len(texts))]


def train_baseline(rows: Sequence[Row], c: float = 4.0) -> NgramBaseline:
    """Fit the baseline on ``rows`` (deterministic: liblinear, fixed vocabulary order)."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion

    vectoriser = FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=200_000
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    min_df=3,
                    sublinear_tf=True,
                    max_features=300_000,
                ),
            ),
        ]
    )
    x = vectoriser.fit_transform([r.text for r in rows])
    weights = np.array([r.weight for r in rows])
    classifiers: list[Any] = []
    for h in range(len(HEADS)):
        known = np.array([r.mask[h] for r in rows])
        y = np.array([r.target[h] > 0 for r in rows])[known]
        if known.sum() == 0 or y.all() or not y.any():
            classifiers.append(None)
            continue
        clf = LogisticRegression(C=c, solver="liblinear", max_iter=2000)
        clf.fit(x[known], y, sample_weight=weights[known])
        classifiers.append(clf)
    return NgramBaseline(vectoriser, classifiers)
