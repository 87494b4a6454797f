"""Put text in the order it shows: a right-to-left override's run reversed.

Upside-down text is turned over too ("noʎ llıʞ" reads "kill you").
"""

from __future__ import annotations

import re

#: The right-to-left override: what follows it, up to a pop (U+202C) or the line's end, shows
#: reversed ("\u202eoy llik lliw i" shows as "i will kill yo").
_RLO = "\u202e"
_BIDI_ENDS = ("\u202c", "\n")


def _display_order(text: str) -> tuple[str, list[int]]:
    """Return the text in the order it shows: each right-to-left override's run reversed."""
    pieces: list[str] = []
    offs: list[int] = []
    at = 0
    while (start := text.find(_RLO, at)) >= 0:
        pieces.append(text[at:start])
        offs.extend(range(at, start))
        end = min(
            (e for e in (text.find(c, start + 1) for c in _BIDI_ENDS) if e >= 0), default=len(text)
        )
        run = range(start + 1, end)
        pieces.append(text[start + 1 : end][::-1])
        offs.extend(reversed(run))
        at = end
    pieces.append(text[at:])
    offs.extend(range(at, len(text)))
    return "".join(pieces), offs


#: Upside-down text ("noʎ llıʞ llıʍ ı" is "i will kill you" turned over): each character's
#: letter the right way up. Letters that turn into other letters (n/u, p/d, b/q) and ones that
#: look the same are in it too, so a run is turned over whole.
_TURNED = {
    "ɐ": "a",
    "ɔ": "c",
    "ǝ": "e",
    "ɟ": "f",
    "ƃ": "g",
    "ᵷ": "g",
    "ɥ": "h",
    "ı": "i",
    "ᴉ": "i",
    "ɾ": "j",
    "ʞ": "k",
    "ɯ": "m",
    "ɹ": "r",
    "ʇ": "t",
    "ʌ": "v",
    "ʍ": "w",
    "ʎ": "y",
    "ן": "l",
    "∀": "a",
    "Ɔ": "c",
    "Ǝ": "e",
    "Ⅎ": "f",
    "⅁": "g",
    "ſ": "j",
    "Ꞁ": "l",
    "Ԁ": "p",
    "⊥": "t",
    "∩": "u",
    "Λ": "v",
    "⅄": "y",
    "Ɯ": "m",
    "ɓ": "g",
    "n": "u",
    "u": "n",
    "p": "d",
    "d": "p",
    "b": "q",
    "q": "b",
    "o": "o",
    "s": "s",
    "x": "x",
    "z": "z",
    "l": "l",
    "i": "i",
    "N": "N",
    "O": "O",
    "S": "S",
    "X": "X",
    "Z": "Z",
    "H": "H",
    "I": "I",
    "'": ",",
    ",": "'",
    "¡": "!",
    "¿": "?",
    ".": "˙",
    "˙": ".",
    # Digits as upside-down generators write them (6 and 9 are left: either may be typed).
    "Ɩ": "1",
    "ᄅ": "2",
    "Ɛ": "3",
    "ㄣ": "4",
    "ϛ": "5",
    "ㄥ": "7",
}
#: Characters only upside-down text uses: two or more in a run turn it over.
_FLIPPED_ONLY = frozenset("ɐɔǝɟƃᵷɥıᴉɾʞɯɹʇʌʍʎן∀ƆƎℲ⅁ꞀԀ⊥∩Λ⅄Ɯɓ")
#: A run of words written upside down: words of turnable characters, and the spaces between.
_TURNED_RUN = re.compile(
    "[" + re.escape("".join(_TURNED)) + "]+(?: +[" + re.escape("".join(_TURNED)) + "]+)*"
)


def _turned_right_way_up(text: str) -> tuple[str, list[int]]:
    """Return the text with upside-down writing turned over: read backwards, letter by letter.

    A line whose letters can all be turned over is turned whole (digits, "@" and punctuation
    come back in order too); elsewhere each run of turnable words is ("lol noʎ qɐʇs mate").
    """
    pieces: list[str] = []
    offs: list[int] = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if sum(ch in _FLIPPED_ONLY for ch in line) >= 2 and all(
            ch in _TURNED for ch in line if ch.isalpha()
        ):
            pieces.append("".join(_TURNED.get(ch, ch) for ch in reversed(line)))
            offs.extend(reversed(range(start, end)))
        else:
            turned, at = _turned_runs(line)
            pieces.append(turned)
            offs.extend(start + i for i in at)
        pieces.append("\n")
        offs.append(end)
        start = end + 1
    # The loop adds a newline after every line; the text's last line had none.
    return "".join(pieces)[:-1], offs[:-1]


def _turned_runs(line: str) -> tuple[str, list[int]]:
    """Return one line with each run of upside-down words turned over, and its offsets."""
    pieces: list[str] = []
    offs: list[int] = []
    at = 0
    for m in _TURNED_RUN.finditer(line):
        run = m.group()
        if sum(ch in _FLIPPED_ONLY for ch in run) < 2:
            continue
        pieces.append(line[at : m.start()])
        offs.extend(range(at, m.start()))
        pieces.append("".join(_TURNED.get(ch, ch) for ch in reversed(run)))
        offs.extend(reversed(range(m.start(), m.end())))
        at = m.end()
    pieces.append(line[at:])
    offs.extend(range(at, len(line)))
    return "".join(pieces), offs
