"""Score several hashed n-gram models that share one feature spec, hashing the text once.

The policy model folder holds one n-gram model per head and the cascade's first stage, all with
the same :class:`~bot.detectors.toxicity_model.FeatureSpec`. Scored one by one, each model
hashed every word again (23 times a message, more time than the encoder itself); here a word's
feature buckets are found once and the models' weights are read together, as one int16 matrix
with a column per model. The sums are the ones :meth:`LinearModel.margin` takes, so each
column's probability is exactly that model's.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from typing import Any

from bot.detectors.toxicity_model import (
    _START_PAIR,
    _TOKEN,
    LinearModel,
    _char_grams,
    prepare,
    remember,
)


class NgramHeads:
    """Several :class:`LinearModel` of one feature spec, read in one pass over a text."""

    def __init__(self, models: Sequence[LinearModel]) -> None:
        import numpy as np

        if not models:
            raise ValueError("no models to score")
        spec = models[0].spec
        if any(m.spec != spec for m in models):
            raise ValueError("the models do not share one feature spec")
        self.spec = spec
        self._mask = (1 << spec.buckets_log2) - 1
        # One row per bucket, one column per model: a text's buckets are one fancy index.
        self._weights = np.stack(
            [np.frombuffer(m.weights, dtype="<i2") for m in models], axis=1
        ).astype(np.int32)
        self._bias = np.array([m.bias for m in models])
        self._scale = np.array([m.scale for m in models])
        # Each word's own buckets (the word and its character n-grams), its UTF-8 bytes and the
        # CRC its word pairs start from: chat reuses its words.
        self._tokens: dict[str, tuple[list[int], bytes, int]] = {}

    def __len__(self) -> int:
        return len(self._bias)

    def probabilities(self, text: str) -> Any:
        """Return each model's probability for a text, as a numpy array in model order."""
        import numpy as np

        margins = self._bias.copy()
        buckets = self._buckets(text)
        if buckets:
            totals = self._weights[buckets].sum(axis=0, dtype=np.int64)
            margins += self._scale * totals / math.sqrt(len(buckets))
        # A margin below -60 is a probability of 0 to double precision (as LinearModel says).
        return np.where(margins < -60, 0.0, 1.0 / (1.0 + np.exp(-np.maximum(margins, -60))))

    def _buckets(self, text: str) -> list[int]:
        """Return the text's feature buckets: the multiset ``toxicity_model.features`` returns."""
        tokens = self._tokens
        mask = self._mask
        crc = zlib.crc32
        bigrams = self.spec.word_bigrams
        out: list[int] = []
        previous = _START_PAIR
        for word in _TOKEN.findall(prepare(text)):
            own, utf8, pair_start = tokens.get(word) or remember(tokens, word, self._token)
            out += own
            if bigrams:
                out.append(crc(utf8, previous) & mask)
            previous = pair_start
        return out

    def _token(self, word: str) -> tuple[list[int], bytes, int]:
        """Hash one word's own features (the word, then its character n-grams)."""
        utf8 = word.encode()
        own = [zlib.crc32(b"w " + utf8) & self._mask, *_char_grams(word, self.spec, self._mask)]
        return own, utf8, zlib.crc32(b"b " + utf8 + b" ")
