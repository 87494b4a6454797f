"""Hypothesis strategies for outside input: any Unicode (lone surrogates too), any JSON, bytes.

The property suites (check --jsonl, the export readers, the config loader) draw from these, so
each feeds the same hostile shapes: strings that cannot be encoded, values of the wrong type
where a string belongs, deep and odd JSON, and bytes that are not UTF-8.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

#: Every code point, lone surrogates included (Hypothesis leaves them out unless asked).
SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, exclude_categories=())
ANY_CHAR = st.one_of(*[st.characters(exclude_categories=())] * 4, SURROGATES)
#: Text as people and exports type it, and text no encoder accepts: a lone surrogate set
#: between other characters (a high one next to a low one would pair up in JSON).
ANY_TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=40),
    st.builds(
        lambda before, lone, after: f"{before}{lone}x{after}",
        st.text(max_size=10),
        SURROGATES,
        st.text(max_size=10),
    ),
)
#: Words the detectors act on, so that drawn messages reach the ladder, routes and desists.
LOADED_WORDS = st.sampled_from(
    [
        "ring Jess on 07700 900123",
        "please stop messaging me",
        "how do I report someone?",
        "I want to die",
        "you are an idiot",
        "bad",
        "@mods help",
        "lol",
        "\ud800",
        "",
    ]
)
#: Both mixed: hostile characters inside messages the detectors read closely.
TEXT = st.one_of(
    ANY_TEXT,
    LOADED_WORDS,
    st.builds(" ".join, st.lists(st.one_of(LOADED_WORDS, ANY_TEXT), max_size=4)),
)
#: JSON scalars of every kind.
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
)
#: Any JSON value, a few levels deep.
ANY_JSON: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(ANY_TEXT, inner, max_size=4)
    ),
    max_leaves=12,
)
#: Ids as they come: mostly strings and numbers, sometimes anything else in their place.
VALID_IDS = st.one_of(st.sampled_from(["u1", "u2", "1", "C1", "U1"]), st.integers(0, 3))
IDS = st.one_of(VALID_IDS, VALID_IDS, VALID_IDS, ANY_TEXT, ANY_JSON)


def json_bytes(value: Any, ascii_only: bool) -> bytes:
    """Serialise ``value`` as one line of JSON.

    ``ascii_only`` escapes lone surrogates (``"\\ud800"``); otherwise they are written raw with
    ``surrogatepass``, which makes bytes that are not UTF-8, as a broken producer would.
    """
    text = json.dumps(value, ensure_ascii=ascii_only)
    return text.encode("utf-8", "surrogatepass")
