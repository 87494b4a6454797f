"""A phrase list compiled into one pattern that matches whole words of normalized text.

Phrases are written plainly in ``lists/*.yaml`` ("watch your back", "you're dead"). Each is
normalized like a message, then compiled so that:

* it matches whole words only: "ass" never matches "assistance" or "classic"; a phrase
  whose last word has three letters or more also matches its plural ("cunts", "rapists");
* ``...`` stands for up to three words ("ring ... on" matches "ring jess on");
* an apostrophe is optional ("you're" matches "youre");
* in words of four letters or more a single letter also matches a doubled one, because the
  normalizer squeezes "stuuupid" to "stuupid" but not to "stupid";
* ``i`` and ``l`` match each other in words of three letters or more, because leetspeak "1"
  stands for either.

All phrases of a matcher go into a single alternation, longest first. The phrases are our own
escaped text, never a user's regex, so the standard library's engine is safe and fast here;
regexes written in rules go through google-re2 instead (see :mod:`bot.detectors.regex`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.normalize import NormalizedText, normalize

#: How many words ``...`` may stand for.
GAP_WORDS = 3
_GAP = rf"(?:[^ ]+ ){{0,{GAP_WORDS}}}"
_SEP = r"[^a-z0-9']{1,3}"
_BEFORE = r"(?<![a-z0-9])"
_AFTER = r"(?![a-z0-9])"


class PhraseMatcher:
    """Find any of a list of phrases, as whole words, in normalized text."""

    def __init__(self, phrases: Iterable[str]) -> None:
        cleaned = sorted({normalize(p).text for p in phrases if p.strip()}, key=len, reverse=True)
        self.phrases: tuple[str, ...] = tuple(p for p in cleaned if p)
        pattern = "|".join(_phrase_pattern(p) for p in self.phrases)
        self._pattern = re.compile(pattern) if pattern else None

    def __bool__(self) -> bool:
        """Return False for a matcher with no phrases, which never matches."""
        return self._pattern is not None

    def search(self, text: NormalizedText | str) -> bool:
        """Return True if any phrase occurs; a plain string is normalized first."""
        return self.find(text) is not None

    def find(self, text: NormalizedText | str) -> tuple[int, int] | None:
        """Return the span in the normalized text of the first phrase found, or None."""
        if self._pattern is None:
            return None
        m = self._pattern.search(_cleaned(text))
        return m.span() if m else None

    def spans(self, text: NormalizedText | str) -> list[tuple[int, int]]:
        """Return the spans in the normalized text of every phrase found, left to right."""
        if self._pattern is None:
            return []
        return [m.span() for m in self._pattern.finditer(_cleaned(text))]


def _cleaned(text: NormalizedText | str) -> str:
    return text.text if isinstance(text, NormalizedText) else normalize(text).text


def _phrase_pattern(phrase: str) -> str:
    """Return the regex for one normalized phrase."""
    parts: list[str] = []
    words = phrase.split(" ")
    # A gap at either end means nothing, so it is dropped.
    words = [w for i, w in enumerate(words) if w != "..." or 0 < i < len(words) - 1]
    for i, word in enumerate(words):
        if word == "...":
            parts.append(_SEP + _GAP)
            continue
        if i and words[i - 1] != "...":
            parts.append(_SEP)
        parts.append(_word_pattern(word))
    if sum(c.isalpha() for c in words[-1]) >= 3 and words[-1][-1].isalpha():
        parts.append("(?:e?s)?")
    body = "".join(parts)
    before = _BEFORE if phrase[0].isalnum() else ""
    after = _AFTER if phrase[-1].isalnum() else ""
    return f"{before}{body}{after}"


def _word_pattern(word: str) -> str:
    """Return the regex for one word, tolerant of squeezed repeats and i/l swaps."""
    letters = sum(c.isalpha() for c in word)
    stretch = letters >= 4
    swap = letters >= 3
    out: list[str] = []
    i = 0
    while i < len(word):
        c = word[i]
        run = 1
        while i + run < len(word) and word[i + run] == c:
            run += 1
        if c == "'":
            out.append("'?")
        elif c.isalpha():
            atom = "[il]" if swap and c in "il" else re.escape(c)
            if run == 1 and stretch:
                out.append(f"{atom}{{1,2}}")
            else:
                out.append(atom * min(run, 2))
        else:
            out.append(re.escape(c) * run)
        i += run
    return "".join(out)
