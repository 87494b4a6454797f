"""Read words typed in pig latin: "ill-kay ourself-yay" is "kill yourself".

Pig latin moves a word's first consonants to its end and adds "ay" ("kill" -> "ill-kay"; a
word that starts with a vowel takes "way" or "yay": "exam" -> "exam-way"). Typed with the
hyphen, as it is when meant to be read, it has a shape English does not: two words or more
ending in "-ay" after a hyphen. Each is read as whichever undoing makes the commoner English
word ("i-way" is "i", not "wi"), or, when neither is English, with its consonants put back.
Typed glued ("illkay ourselfyay"), a word is read only when it is no English word and one
undoing of it is, and only in a message where such words are two or more and a third of all.
"""

from __future__ import annotations

import re

from bot.normalize.edits import Edit

#: One pig-latin word: the rest of the word, a hyphen, the moved consonants (maybe none), "ay".
_WORD = re.compile(r"(?<![a-z0-9'-])([a-z']+)-([b-df-hj-np-tv-z]{0,3})ay(?![a-z0-9'-])")
#: How many words a message needs before it is read as pig latin.
_MIN_WORDS = 2
#: Typed without the hyphen ("illkay ourselfyay"): a word ending in "ay" that is no English
#: word, and the share of a message's words such words must make.
_GLUED = re.compile(r"(?<![a-z0-9'-])[a-z]{2,}ay(?![a-z0-9'-])")
_GLUED_SHARE = 1 / 3
_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxyz")  # "y" starts "you" and "yourself"
#: Consonants that mark a vowel-initial word rather than a moved first letter.
_VOWEL_MARKS = frozenset({"w", "y", "h", ""})


def pig_latin_edits(text: str, costs: dict[str, float]) -> list[Edit]:
    """Return an edit for each pig-latin word, when the text holds two or more; else none."""
    if "ay" not in text:
        return []
    found = list(_WORD.finditer(text))
    if len(found) < _MIN_WORDS:
        return _unhyphenated_edits(text, costs)
    unknown = float("inf")
    edits: list[Edit] = []
    for m in found:
        rest, moved = m.group(1), m.group(2)
        readings = [moved + rest] if moved else []
        if moved in _VOWEL_MARKS and rest[:1] in "aeiou":
            readings.append(rest)
        if not readings:
            continue
        word = min(readings, key=lambda r: costs.get(r, unknown))
        if moved and costs.get(word, unknown) == unknown:
            word = moved + rest
        # The moved letters came from the end as typed; the rest from where it stood.
        start = m.start()
        at_moved = m.start(2)
        positions = [at_moved + i for i in range(len(moved))] if word.startswith(moved) else []
        positions += [start + i for i in range(len(word) - len(positions))]
        edits.append(Edit(m.start(), m.end(), word, positions[: len(word)]))
    return edits


def _unhyphenated_edits(text: str, costs: dict[str, float]) -> list[Edit]:
    """Return the edits for pig latin typed without hyphens, where it is plainly that.

    Each word ending in "ay" that is no English word is undone every way (one to three
    consonants moved, or a vowel-initial word's "way", "yay" or "hay"); it is read when one
    undoing is English, the commonest winning. Two such words and a third of the message's
    words are needed: "friday" and "okay" are English, and one odd word is a name.
    """
    words = len(text.split())
    edits: list[Edit] = []
    for m in _GLUED.finditer(text):
        token = m.group()
        if token in costs:
            continue
        body = token[:-2]
        readings = []
        for k in (1, 2, 3):
            moved, rest = body[-k:], body[:-k]
            if len(rest) >= 1 and set(moved) <= _CONSONANTS and rest[0] not in _CONSONANTS:
                readings.append(moved + rest)
        if body[:1] in "aeiou":
            readings.append(body)
            if body[-1:] in ("w", "y", "h"):
                readings.append(body[:-1])
        known = [r for r in readings if r in costs]
        if not known:
            continue
        word = min(known, key=costs.__getitem__)
        start = m.start()
        edits.append(
            Edit(start, m.end(), word, [start + min(i, len(token) - 1) for i in range(len(word))])
        )
    if len(edits) < _MIN_WORDS or len(edits) < _GLUED_SHARE * words:
        return []
    return edits
