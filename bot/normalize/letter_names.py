"""Read words spelt out as the names of their letters: "see oh kay ee" is "coke".

"kay why ess", "em dee em ay" and "ee ex ay em paper" are typed so that a filter sees only
short words while the channel reads the word. A run of three or more letter names is read as
the word its letters spell, when that is a listed or an English word and at least two of the
names are no word of chat themselves: "oh see you there" (three names that are all words) and
"why are you here" stay as typed, and so does any run whose letters spell nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.normalize.edits import Edit

#: Each letter's spoken names, as people type them.
_NAMES: dict[str, str] = {
    "ay": "a",
    "bee": "b",
    "see": "c",
    "cee": "c",
    "sea": "c",
    "dee": "d",
    "ee": "e",
    "eee": "e",
    "ef": "f",
    "eff": "f",
    "gee": "g",
    "aitch": "h",
    "haitch": "h",
    "eye": "i",
    "jay": "j",
    "kay": "k",
    "el": "l",
    "ell": "l",
    "em": "m",
    "en": "n",
    "oh": "o",
    "pee": "p",
    "cue": "q",
    "queue": "q",
    "ar": "r",
    "arr": "r",
    "are": "r",
    "ess": "s",
    "es": "s",
    "tee": "t",
    "tea": "t",
    "you": "u",
    "yoo": "u",
    "vee": "v",
    "ex": "x",
    "why": "y",
    "wye": "y",
    "zed": "z",
    "zee": "z",
}
#: Names that are words of chat in their own right: a run needs two names besides these.
_WORDS_TOO = frozenset({"see", "sea", "oh", "are", "you", "why", "tea", "bee", "pee", "ex", "es"})
_NAME = "|".join(sorted(_NAMES, key=len, reverse=True))
#: Three or more names in a row, apart by spaces, dots, commas or dashes.
_RUN = re.compile(rf"(?<![a-z0-9'])(?:{_NAME})(?:[ .,-]{{1,2}}(?:{_NAME})){{2,}}(?![a-z0-9'])")
_EACH = re.compile(rf"{_NAME}")
#: A cheap test first: a name that is no word of chat, standing alone.
LETTER_NAME_HINT = re.compile(
    rf"(?<![a-z0-9'])(?:{'|'.join(sorted(set(_NAMES) - _WORDS_TOO, key=len, reverse=True))})"
    r"(?![a-z0-9'])"
)
#: The fewest letters a run must spell to be read.
_MIN_LETTERS = 3


def letter_name_edits(text: str, is_word: Callable[[str], bool]) -> list[Edit]:
    """Return an edit for each run of letter names that spells a word ``is_word`` knows.

    Each letter of the word points at the first character of the name it was spelt by.
    """
    edits: list[Edit] = []
    for m in _RUN.finditer(text):
        names = [(n.start(), n.group()) for n in _EACH.finditer(m.group())]
        if len(names) < _MIN_LETTERS or sum(n not in _WORDS_TOO for _, n in names) < 2:
            continue
        word = "".join(_NAMES[n] for _, n in names)
        if not is_word(word):
            continue
        edits.append(Edit(m.start(), m.end(), word, [m.start() + at for at, _ in names]))
    return edits
