"""Common English words and how rare each is, from the wordfreq package's small list."""

from __future__ import annotations

import gzip
import importlib.util
from functools import lru_cache
from pathlib import Path

import msgpack


@lru_cache(maxsize=1)
def english_costs() -> dict[str, float]:
    """Return common English words (wordfreq's small list) with -log10 of their frequency.

    The list's file is read directly (its cBpack format: a header, then one list of words per
    centibel of frequency) rather than through ``import wordfreq``, whose text-processing
    imports would cost the bot about 15 MB for a look-up table.
    """
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the wordfreq package is not installed (pip install wordfreq)")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "small_en.msgpack.gz"
    with gzip.open(path, "rb") as handle:
        data = msgpack.load(handle, raw=False)
    header = data[0]
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        raise RuntimeError(f"{path}: not a wordfreq cBpack file")
    costs: dict[str, float] = {}
    for centibels, bucket in enumerate(data[1:]):
        for word in bucket:
            word = word.replace("'", "")
            if word.isalpha() and word.isascii() and word not in costs:
                costs[word] = centibels / 100
    return costs
