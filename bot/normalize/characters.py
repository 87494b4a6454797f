"""What each character becomes: look-alikes folded to ASCII, invisible ones dropped.

Also URL-encoding decoded, each decoded character pointing at its first "%".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import unquote

from confusable_homoglyphs import confusables

#: Look-alikes the Unicode confusables data maps to non-ASCII letters (or to l for the
#: palochka, which stands for I as often as for l); folded by hand.
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
    "ɩ": "i",
    "Ӏ": "i",
    "ӏ": "i",
    "ǀ": "i",
    # Cyrillic and Greek letters that pass for Latin ones in "faux Cyrillic" ("іммigrаոтѕ").
    "м": "m",
    "т": "t",
    "п": "n",
    "н": "h",
    "в": "b",
    "ь": "b",
    "ш": "w",
    "χ": "x",
    # Faux Cyrillic's own letters, chosen for a Latin letter they resemble in shape, not in
    # sound ("ЄЖДМ ДИЅШЄЯЅ" is "exam answers", "DФCTФЯ" "doctor"). Russian written as Russian
    # folds to no English either way, and English typed by sound is read by sound
    # (transliteration.py) before any of these.
    "Д": "a",
    "д": "a",
    "Я": "r",
    "я": "r",
    "И": "n",
    "и": "n",
    "Й": "n",
    "й": "n",
    "Є": "e",
    "є": "e",
    "Ё": "e",
    "ё": "e",
    "Ж": "x",
    "ж": "x",
    "Ц": "u",
    "ц": "u",
    "Ч": "y",
    "ч": "y",
    "Ф": "o",
    "ф": "o",
    "Б": "b",
    "б": "b",
    "Ъ": "b",
    "ъ": "b",
    "Ѳ": "o",
    "ѳ": "o",
    "Ў": "y",
    "ў": "y",
    "Ї": "i",
    "ї": "i",
    "І": "i",
    "Ш": "w",
    "Щ": "w",
    "щ": "w",
    "П": "n",
    "μ": "u",
    "ω": "w",
    "‘": "'",
    "’": "'",
    "ʼ": "'",
    "`": "'",
}
#: Emoji that stand for a weapon, an injury or a means of harm, read as the word: "i'll 🔪
#: you", "why don't you just 🪢 yourself". Only these: a face or an animal means too many
#: things, and 💀 is laughter.
_EMOJI_WORDS = {
    "\U0001f52a": "knife",
    "\U0001f5e1": "dagger",
    "\U0001f52b": "gun",
    "\U0001fa78": "blood",
    "\U0001f4a3": "bomb",
    "\U0001faa2": "rope",
    "\U0001faa6": "grave",
    "\u26b0": "coffin",
    "\U0001f48a": "pills",
}
# Unicode names of letters that stand for a Latin letter: small capitals, squared, enclosed
# and regional-indicator letters ("LATIN LETTER SMALL CAPITAL R", "NEGATIVE SQUARED LATIN
# CAPITAL LETTER I").
_LETTER_NAME = re.compile(r"\b(?:LATIN|REGIONAL INDICATOR SYMBOL)\b.*\b(?:LETTER|CAPITAL) ([A-Z])$")

#: Invisible characters that are not in the format (Cf) category but still show as nothing.
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")
_DROP_CATEGORIES = frozenset({"Cf", "Cc", "Mn", "Me", "Cs", "Co"})

# A run of URL-encoded bytes ("%27", "%E2%80%99").
_PERCENT_RUN = re.compile(r"(?:%[0-9a-fA-F]{2})+")


def _percent_decode(text: str) -> tuple[str, list[int]]:
    """Decode runs of URL-encoded bytes; each decoded character comes from its first "%"."""
    pieces: list[str] = []
    offs: list[int] = []
    at = 0
    for m in _PERCENT_RUN.finditer(text):
        pieces.append(text[at : m.start()])
        offs.extend(range(at, m.start()))
        decoded = unquote(m.group(), errors="strict") if _utf8(m.group()) else m.group()
        if decoded == m.group():
            offs.extend(range(m.start(), m.end()))
        else:
            # Each decoded character spans its escapes; point at the first "%" of them.
            step = 0
            for ch in decoded:
                offs.append(m.start() + step)
                step += 3 * len(ch.encode())
        pieces.append(decoded)
        at = m.end()
    pieces.append(text[at:])
    offs.extend(range(at, len(text)))
    return "".join(pieces), offs


def _utf8(escapes: str) -> bool:
    """Return True if a run of escapes decodes as UTF-8 text."""
    try:
        bytes.fromhex(escapes.replace("%", "")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


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
    if ch in _EXTRA_CONFUSABLES:
        return _EXTRA_CONFUSABLES[ch]
    if ch in _EMOJI_WORDS:
        return f" {_EMOJI_WORDS[ch]} "
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
    named = _LETTER_NAME.search(unicodedata.name(c, ""))
    if named:
        return named.group(1).lower()
    for glyph in confusables.confusables_data.get(c, ()):
        alike = glyph["c"]
        if len(alike) == 1 and alike.isascii() and (alike.isalnum() or alike == "'"):
            return str(alike)
    base = unicodedata.normalize("NFKD", c)
    if base and base[0].isascii() and base[0].isalpha():
        return base[0]
    return c
