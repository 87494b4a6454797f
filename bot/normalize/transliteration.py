"""Read English typed in Cyrillic or Greek letters by sound: "сэллинг экзам ансэрз" is "selling ekzam anserz".

Typing English words in another alphabet, letter for sound ("I'll рип йор хэд офф"), hides them
from a reader that folds look-alike letters by shape: "рип" looks like "pnn". A word written
wholly in Cyrillic or Greek whose shape reads as no English word is read by its sound
(``anyascii``, the transliteration tables of Unicode's CLDR), but only in a message where that
reading makes English words of two such words or more, or of one beside words typed in Latin
letters. Russian or Greek written as Russian or Greek ("Привет, как дела?") reads as no
English and stays as typed; a word whose shape is English ("ехам" in Cyrillic letters) is left
to the look-alike folding.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from anyascii import anyascii

from bot.normalize.edits import Edit

#: A run of Cyrillic or Greek letters (combining marks included) standing as a word of its own.
_SCRIPT_WORD = re.compile(
    r"(?<![^\W\d_])[\u0370-\u03ff\u1f00-\u1fff\u0400-\u04ff\u0500-\u052f\u0300-\u036f]+"
    r"(?![^\W\d_])"
)
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
#: Where English typed in these letters means another sound than the language's own: "х"
#: stands for an English "h" ("хэд" is "head"), not Russian "kh".
_ENGLISH_SOUNDS = {"х": "h", "Х": "h"}
#: How long a reading must be to count as an English word ("on", "my" are Russian too).
_MIN_LENGTH = 3
#: English words the readings must make in a message without Latin words.
_MIN_KNOWN = 2


def transliteration_edits(
    text: str, costs: dict[str, float], shape: Callable[[str], str]
) -> list[Edit]:
    """Return an edit per Cyrillic or Greek word read by sound, when the message is English so.

    ``shape`` is the reading by look-alike letters that would apply otherwise.
    """
    # A short word's shape proves little ("ми" folds to "mn", an abbreviation): read by sound.
    found = [
        m
        for m in _SCRIPT_WORD.finditer(text)
        if len(m.group()) < _MIN_LENGTH or shape(m.group()) not in costs
    ]
    if not found:
        return []
    edits: list[Edit] = []
    known = 0
    for m in found:
        reading = ""
        positions: list[int] = []
        for i, ch in enumerate(m.group()):
            piece = _ENGLISH_SOUNDS.get(ch) or anyascii(ch).lower()
            reading += piece
            positions += [m.start() + i] * len(piece)
        if len(reading) >= _MIN_LENGTH and reading in costs:
            known += 1
        edits.append(Edit(m.start(), m.end(), reading, positions))
    latin = _LATIN_WORD.search(_SCRIPT_WORD.sub(" ", text)) is not None
    if known >= _MIN_KNOWN or (latin and known >= 1):
        return edits
    return []
