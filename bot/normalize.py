"""Clean a message's text for matching while remembering where each character came from.

Students dodge word lists with zero-width characters, look-alike letters from other scripts,
leetspeak, spaced-out letters and stretched words. :func:`normalize` undoes those tricks and
keeps, for every character of the cleaned text, the index of the original character it came
from, so a detector can point at the original span without the core keeping the text.

The cleaned text is for matching only: digits inside numbers, phone numbers and ids are kept
as typed, but detectors that read numbers should read ``original``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from confusable_homoglyphs import confusables

#: Leetspeak digits and symbols, applied only inside tokens that also hold letters.
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
#: Symbols read as letters only when letters flank them ("sh!t", "ki|l"), never at a word's end.
_LEET_INNER = {"!": "i", "|": "l"}

#: Look-alikes the Unicode confusables data maps to non-ASCII letters; folded by hand.
_EXTRA_CONFUSABLES = {
    "κ": "k",
    "к": "k",
    "τ": "t",
    "ε": "e",
    "β": "b",
    "η": "n",
    "ɑ": "a",
    "ѡ": "w",
    "ß": "ss",
    "ı": "i",
    "‘": "'",
    "’": "'",
    "ʼ": "'",
    "`": "'",
}

#: Invisible characters that are not in the format (Cf) category but still show as nothing.
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")
_DROP_CATEGORIES = frozenset({"Cf", "Cc", "Mn", "Me", "Cs", "Co"})

# A token for leetspeak: letters, digits and the symbols that stand for letters.
_LEET_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789@$!|")
_LEET_PAIR = re.compile(r"[a-z][0-9@$!|]|[0-9@$!|][a-z]")
_DIGIT_RUN = re.compile(r"[0-9]+")
# Tokens that look like ordinals, times or sizes keep their digits ("2nd", "10am", "5k").
_NUMERIC_SHAPE = re.compile(r"[0-9]+(?:st|nd|rd|th|am|pm|k|kg|km|m|mb|gb|p|x|s|h|hr|hrs|min|mins)")
# Three or more single letters each separated by one separator: "y o u", "f.u.c.k".
_SPACED = re.compile(r"(?<![a-z0-9'])[a-z](?:(?: ?[._*\-·+] ?| )[a-z]){2,}(?![a-z0-9])")
# In a message that spaces out its words, two-letter words are spaced out too ("m e").
_SPACED_PAIRS = re.compile(r"(?<![a-z0-9'])[a-z](?:(?: ?[._*\-·+] ?| )[a-z]){1,}(?![a-z0-9])")
#: Letters that are words in chat ("u r a star", "i c u"); a run of only these stays apart.
_CHAT_LETTERS = frozenset("aiurcynkbx")
_SQUEEZE = re.compile(r"([a-z])\1{2,}")
# Every kind of space is folded to " " first, so only runs of " " are left to collapse.
_SPACE_RUN = re.compile(r" {2,}")
# Control characters other than ASCII's are dropped or become spaces: only those need folding.
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Only these characters can stand for letters (see _LEET and _LEET_INNER).
_LEET_CHARS = re.compile(r"[0-9@$!|]")


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A message's cleaned, case-folded text and the map back to the original.

    ``offsets[i]`` is the index in ``original`` of the character that produced ``text[i]``.
    """

    original: str
    text: str
    offsets: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Return the span of ``original`` that produced ``text[start:end]``."""
        if not self.offsets:
            return (0, 0)
        if end <= start:
            at = self.offsets[min(start, len(self.offsets) - 1)]
            return (at, at)
        return (self.offsets[start], self.offsets[end - 1] + 1)


def normalize(text: str) -> NormalizedText:
    """Clean ``text`` for matching and keep the offsets back to it.

    Steps, in order: per-character NFKC, removal of zero-width/control/combining characters,
    look-alike letters folded to ASCII, case folding; leetspeak inside tokens that contain
    letters; spaced-out letters joined; runs of three or more equal letters squeezed to two;
    whitespace collapsed to single spaces.
    """
    # Offsets stay the identity (None) until a step drops or adds characters: most messages
    # need no such step, and plain ASCII needs no folding beyond lower-casing.
    offs: list[int] | None = None
    if text.isascii() and not _ASCII_CONTROL.search(text):
        cleaned = text.lower()
    else:
        if len(_FOLDS) > _FOLDS_KEPT:
            _FOLDS.clear()
        cleaned = text.translate(_FOLDS)
        if not _FOLDS.wide.isdisjoint(text):
            offs = [i for i, ch in enumerate(text) for _ in _FOLDS[ord(ch)]]
    if _LEET_CHARS.search(cleaned):
        cleaned = _apply_leet(cleaned)
    if _SPACED.search(cleaned):
        cleaned, offs = _join_spaced_letters(cleaned, offs)
    if "  " in cleaned or cleaned[:1] == " " or cleaned[-1:] == " " or _SQUEEZE.search(cleaned):
        cleaned, offs = _squeeze_and_collapse(cleaned, offs)
    return NormalizedText(text, cleaned, tuple(range(len(cleaned)) if offs is None else offs))


class _FoldTable(dict[int, str]):
    """What each character becomes, for ``str.translate``: worked out once per character.

    ``wide`` holds the characters that become none or several, which shift the offsets.
    """

    def __init__(self) -> None:
        super().__init__()
        self.wide: set[str] = set()

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = ch.lower() if ch.isascii() and ch.isprintable() else _fold_char(ch)
        if len(folded) != 1:
            self.wide.add(ch)
        self[code] = folded
        return folded

    def clear(self) -> None:
        """Forget every character (and which are wide) together."""
        super().clear()
        self.wide.clear()


#: A cache of a pure function, like ``_fold_char``'s; emptied between messages when it grows.
_FOLDS = _FoldTable()
_FOLDS_KEPT = 20_000


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """Return what one original character becomes: "", one or more ASCII-ish characters."""
    if ch in _INVISIBLE:
        return ""
    if ch.isspace():
        return " "
    out = []
    for c in unicodedata.normalize("NFKC", ch):
        if c.isspace():
            out.append(" ")
            continue
        if c in _INVISIBLE or unicodedata.category(c) in _DROP_CATEGORIES:
            continue
        out.append(_unconfuse(c))
    return "".join(out).casefold()


def _unconfuse(c: str) -> str:
    """Return the ASCII look-alike of ``c``, its base letter without accents, or ``c``."""
    if c.isascii():
        return c
    if c in _EXTRA_CONFUSABLES:
        return _EXTRA_CONFUSABLES[c]
    for glyph in confusables.confusables_data.get(c, ()):
        alike = glyph["c"]
        if len(alike) == 1 and alike.isascii() and (alike.isalnum() or alike == "'"):
            return str(alike)
    base = unicodedata.normalize("NFKD", c)
    if base and base[0].isascii() and base[0].isalpha():
        return base[0]
    return c


def _apply_leet(text: str) -> str:
    """Read digits and symbols as letters inside word-like tokens, leave numbers alone."""
    chars: list[str] | None = None
    done = 0
    # Only a token with a letter next to a digit or symbol can change: start from those.
    for pair in _LEET_PAIR.finditer(text):
        start = pair.start()
        if start < done:
            continue
        while start and text[start - 1] in _LEET_TOKEN_CHARS:
            start -= 1
        done = pair.end()
        while done < len(text) and text[done] in _LEET_TOKEN_CHARS:
            done += 1
        token = text[start:done]
        if _NUMERIC_SHAPE.fullmatch(token):
            continue
        # A long digit run is a number ("P12345678"), unless it is one digit stretched ("n000b").
        if any(len(run) > 2 and len(set(run)) > 1 for run in _DIGIT_RUN.findall(token)):
            continue
        for j, c in enumerate(token):
            if c in _LEET and not (c == "@" and j == 0):
                chars = chars or list(text)
                chars[start + j] = _LEET[c]
            elif (
                c in _LEET_INNER
                and 0 < j < len(token) - 1
                and token[j - 1].isalpha()
                and token[j + 1].isalpha()
            ):
                chars = chars or list(text)
                chars[start + j] = _LEET_INNER[c]
    return text if chars is None else "".join(chars)


def _join_spaced_letters(text: str, offs: list[int] | None) -> tuple[str, list[int]]:
    """Join "y o u" and "f.u.c.k" into words, keeping each letter's offset."""
    drops: list[tuple[int, int]] = []
    for m in _SPACED_PAIRS.finditer(text):
        if all(c in _CHAT_LETTERS for c in m.group() if c.isalpha()):
            continue
        drops += [(j, j + 1) for j in range(m.start(), m.end()) if not text[j].isalpha()]
    return _without(text, offs, drops)


def _squeeze_and_collapse(text: str, offs: list[int] | None) -> tuple[str, list[int]]:
    """Squeeze letter runs to two and space runs to one space; trim the ends."""
    drops = [(m.start() + 2, m.end()) for m in _SQUEEZE.finditer(text)]
    drops += [(m.start() + 1, m.end()) for m in _SPACE_RUN.finditer(text)]
    text, kept = _without(text, offs, sorted(drops))
    if text[:1] == " ":
        text, kept = text[1:], kept[1:]
    if text[-1:] == " ":
        text, kept = text[:-1], kept[:-1]
    return text, kept


def _without(
    text: str, offs: list[int] | None, drops: list[tuple[int, int]]
) -> tuple[str, list[int]]:
    """Return the text and its offsets without the given spans (sorted, not overlapping)."""
    if offs is None:
        offs = list(range(len(text)))
    pieces: list[str] = []
    kept: list[int] = []
    at = 0
    for start, end in drops:
        pieces.append(text[at:start])
        kept += offs[at:start]
        at = end
    pieces.append(text[at:])
    kept += offs[at:]
    return "".join(pieces), kept
