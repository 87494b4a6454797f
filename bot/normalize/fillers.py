"""Read a message chopped up by commas and filler words: "kill, um, like, your, like, self".

A breach typed a word or two at a time between commas, with "um", "like" and "basically"
thrown in, keeps any phrase list from seeing its words side by side. A message is read this
way only when it is mostly such pieces: four or more comma-separated pieces, at least three in
four of them one or two words long, and two or more of them fillers. The fillers are dropped
and the commas between the pieces become spaces, so "i, honestly, will, like, hurt, you"
reads "i will hurt you". A list ("eggs, milk, bread") reads the same with or without commas.

Without commas, two thinking sounds ("um", "uh", "erm") in a message are enough: they go, with
a "like" beside them, so "i um will like uh hurt you" reads "i will hurt you" and "i like it"
keeps its verb.
"""

from __future__ import annotations

import re

from bot.normalize.edits import Edit

#: Words said to fill a pause, not to mean anything.
_FILLERS = frozenset(
    {
        "um", "umm", "uh", "uhh", "er", "erm", "like", "so", "basically", "literally",
        "honestly", "yeah", "yea", "ok", "okay", "right", "innit", "actually", "anyway",
        "well", "you know", "i mean", "kinda", "sort of", "ngl", "tbh", "lowkey",
    }
)  # fmt: skip
#: The fewest pieces, the share of short ones, and the fewest fillers.
_MIN_PIECES = 4
_SHORT_SHARE = 0.75
_MIN_FILLERS = 2
_SHORT_WORDS = 2
_PIECE = re.compile(r"[^,\n]+")
#: Sounds made while thinking, never words; and the fillers dropped once two of them occur.
THINKING_SOUND = re.compile(r"(?<![a-z'])(?:um+|uh+|e+rm+|uhm+|hmm+)(?![a-z'])")
_SPOKEN_FILLER = re.compile(
    r" (?:um+|uh+|e+rm+|uhm+|hmm+)(?: like| literally| basically)?(?= |$|[,.!?])"
    # "like" only beside a sound ("um like", "like uh"): "i like it" keeps its verb.
    r"| (?:like|literally|basically)(?= (?:um+|uh+|e+rm+|uhm+|hmm+)(?: |$|[,.!?]))"
)


def filler_edits(text: str) -> list[Edit]:
    """Return the edits that drop fillers (and commas from a comma-chopped line); else none."""
    edits: list[Edit] = []
    if text.count(",") >= _MIN_PIECES - 1:
        at = 0
        for line in text.split("\n"):
            edits += _line_edits(line, at)
            at += len(line) + 1
    if edits:
        return edits
    # No commas: "kill um like your uh self". Two sounds that are never words ("um", "uh")
    # mark the message, and then the fillers between its words go.
    if len(THINKING_SOUND.findall(text)) < _MIN_FILLERS:
        return []
    return [Edit(m.start(), m.end(), "", ()) for m in _SPOKEN_FILLER.finditer(text)]


def _line_edits(line: str, at: int) -> list[Edit]:
    """Return the edits for one line, offset by ``at``."""
    pieces = [m for m in _PIECE.finditer(line) if m.group().strip()]
    if len(pieces) < _MIN_PIECES:
        return []
    words = [m.group().split() for m in pieces]
    short = sum(len(w) <= _SHORT_WORDS for w in words)
    fillers = [" ".join(w).strip(".!?") in _FILLERS for w in words]
    if short < _SHORT_SHARE * len(pieces) or sum(fillers) < _MIN_FILLERS:
        return []
    edits: list[Edit] = []
    for i, m in enumerate(pieces):
        if fillers[i]:
            # The filler and the comma before it go.
            start = pieces[i - 1].end() if i else m.start()
            edits.append(Edit(at + start, at + m.end(), "", ()))
        elif i:
            # The comma before a word that stays becomes the space already beside it.
            comma = line.index(",", pieces[i - 1].end())
            edits.append(Edit(at + comma, at + comma + 1, "", ()))
    return edits
