"""Read the word hidden in the first letters of lines, where the message says to.

"Keep / Your / Smile / xx for Jamie, read it down 😉" (one word a line) spells "kys" down the
side; "Such Lovely Amazing Girl, first letters x" spells it across. Only a message that points
at the trick ("first letters", "read it down", "acrostic", a poem's "initials") is read this way, since the first
letters of any three lines spell something by chance. The letters are added after the text as
words of their own, each pointing at the letter it came from, so a rule reads them beside the
message and a finding in them points at the lines. Each hidden word is read as said to the one
the message is for ("you slag", "you kys"): an acrostic hides what its author would not say to
their face, and a hidden "SLAG" beside a name is an insult aimed, not a word alone.
"""

from __future__ import annotations

import re

from bot.normalize.edits import Edit

#: A message that tells its reader to look at the first letters.
_HINT = re.compile(
    r"\b(?:first letters?|first letter of (?:each|every)|read (?:it |this |them |that )?"
    r"(?:down|downwards|vertically)|acrostic|read the (?:caps|capitals))\b",
    re.IGNORECASE,
)
#: A hint only down the lines of a poem ("Generous with the lads (initials tho)"): across one
#: line, "only needs ur size and initials" names a form's field.
_DOWN_HINT = re.compile(r"\binitials\b", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_CAPITALISED = re.compile(r"(?<![\w'])[A-Z][a-z']*")
#: A word, not a handle: "@ben" is who it is for, not a letter of it.
_ANY_WORD = re.compile(r"(?<![\w'@#])[^\W\d_][\w']*")
#: The fewest letters that make a reading.
_MIN_LETTERS = 3
#: The most lines or words read: an acrostic is short.
_MAX_LETTERS = 24


def acrostic_words(text: str) -> list[tuple[str, list[int]]]:
    """Return the words the first letters spell, each with the index of every letter.

    Down the lines when the message has three lines or more: once with every line, once
    without the lines that hold the hint (the note "read it down" is not a line of the
    acrostic), and both again without its first line (a title); otherwise across the
    capitalised words before the hint, or every word before it when fewer than three are
    capitalised.
    """
    hints = [m.span() for m in _HINT.finditer(text)]
    if text.count("\n") >= _MIN_LETTERS - 1:
        hints = sorted(hints + [m.span() for m in _DOWN_HINT.finditer(text)])
    if not hints:
        return []
    lines: list[tuple[int, bool]] = []  # (index of the line's first letter, holds the hint)
    at = 0
    for line in text.split("\n"):
        first = _LETTER.search(line)
        end = at + len(line)
        if first is not None:
            # The hints were found once, over the whole text: a line holds one that lies in it.
            holds_hint = any(at <= start and stop <= end for start, stop in hints)
            lines.append((at + first.start(), holds_hint))
        at = end + 1
    readings: list[list[int]] = []
    if len(lines) >= _MIN_LETTERS:
        readings.append([i for i, _ in lines])
        readings.append([i for i, hinted in lines if not hinted])
        # A first line that dedicates the poem ("ode to Becca 💐") is its title, not a letter.
        if len(lines) > _MIN_LETTERS:
            readings.append([i for i, _ in lines[1:]])
            readings.append([i for i, hinted in lines[1:] if not hinted])
    else:
        capitals = [m.start() for m in _CAPITALISED.finditer(text, 0, hints[0][0])]
        if len(capitals) < _MIN_LETTERS:
            # Typed all in lower case ("@ben keep yourself safe (first letters)"): every word.
            capitals = [m.start() for m in _ANY_WORD.finditer(text, 0, hints[0][0])]
        readings.append(capitals)
    words: list[tuple[str, list[int]]] = []
    for indices in readings:
        if _MIN_LETTERS <= len(indices) <= _MAX_LETTERS:
            word = "".join(text[i] for i in indices).lower()
            if all(word != w for w, _ in words):
                words.append((word, indices))
    return words


def acrostic_edit(text: str) -> Edit | None:
    """Return the edit that adds the acrostic's words after the text, or None when none."""
    words = acrostic_words(text)
    if not words:
        return None
    added = ""
    positions: list[int] = []
    for word, indices in words:
        # "you " points at the word's first letter, as the word does.
        added += "\nyou " + word
        positions += [indices[0]] * 5 + list(indices)
    return Edit(len(text), len(text), added, positions)
