"""Read words spelt out as the names of their letters: "see oh kay ee" is "coke".

"kay why ess", "em dee em ay" and "ee ex ay em paper" are typed so that a filter sees only
short words while the channel reads the word. A run of three or more letter names is read as
the word its letters spell, when that is a listed or an English word and at least two of the
names are no word of chat themselves: "oh see you there" (three names that are all words) and
"why are you here" stay as typed, and so does any run whose letters spell nothing.

The NATO alphabet spells too ("kilo yankee sierra" is "kys"): its names are mostly words of
chat ("golf", "hotel", "charlie"), but three of them in a row, and nothing else, are spelling.
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
#: The NATO alphabet, as radio and chat spell with it ("kilo yankee sierra").
_NATO: dict[str, str] = {
    "alpha": "a", "alfa": "a", "bravo": "b", "charlie": "c", "delta": "d", "echo": "e",
    "foxtrot": "f", "golf": "g", "hotel": "h", "india": "i", "juliet": "j", "juliett": "j",
    "kilo": "k", "lima": "l", "mike": "m", "november": "n", "oscar": "o", "papa": "p",
    "quebec": "q", "romeo": "r", "sierra": "s", "tango": "t", "uniform": "u", "victor": "v",
    "whiskey": "w", "whisky": "w", "xray": "x", "x-ray": "x", "yankee": "y", "zulu": "z",
}  # fmt: skip
_NAMES.update(_NATO)
#: Names that are words of chat in their own right: a run needs two names besides these,
#: unless every name in it is from the NATO alphabet (three of those in a row spell).
_WORDS_TOO = frozenset(
    {"see", "sea", "oh", "are", "you", "why", "tea", "bee", "pee", "ex", "es"}
    | {"golf", "hotel", "mike", "charlie", "india", "victor", "oscar", "november", "uniform"}
    | {"echo", "delta", "papa", "romeo", "juliet", "alpha", "bravo", "kilo", "whiskey", "tango"}
)
_NAME = "|".join(sorted(_NAMES, key=len, reverse=True))
#: Three or more names in a row, apart by spaces, dots, commas or dashes.
_RUN = re.compile(rf"(?<![a-z0-9'])(?:{_NAME})(?:[ .,-]{{1,2}}(?:{_NAME})){{2,}}(?![a-z0-9'])")
_EACH = re.compile(rf"{_NAME}")
#: A cheap test first: a name that is no word of chat, or a NATO name, standing alone.
_HINT_NAMES = sorted((set(_NAMES) - _WORDS_TOO) | set(_NATO), key=len, reverse=True)
LETTER_NAME_HINT = re.compile(rf"(?<![a-z0-9'])(?:{'|'.join(_HINT_NAMES)})(?![a-z0-9'])")
#: The fewest letters a run must spell to be read.
_MIN_LETTERS = 3


def letter_name_edits(text: str, is_word: Callable[[str], bool]) -> list[Edit]:
    """Return an edit for each run of letter names that spells a word ``is_word`` knows.

    Each letter of the word points at the first character of the name it was spelt by.
    """
    edits: list[Edit] = []
    for m in _RUN.finditer(text):
        names = [(n.start(), n.group()) for n in _EACH.finditer(m.group())]
        spelt = all(n in _NATO for _, n in names) or sum(n not in _WORDS_TOO for _, n in names) >= 2
        if len(names) < _MIN_LETTERS or not spelt:
            continue
        word = "".join(_NAMES[n] for _, n in names)
        if not is_word(word):
            continue
        edits.append(Edit(m.start(), m.end(), word, [m.start() + at for at, _ in names]))
    return edits
