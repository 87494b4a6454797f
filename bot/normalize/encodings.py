"""Read text hidden in an encoding anyone can undo: base64 runs and words typed in rot13.

"S2llcmFuIGlzIGEgbG9zZXI= (decode it yourself)" and "fryyvat gur rknz cncre (rot13)" are
written to be read by the channel and missed by a filter. A base64 run is read where it
decodes to plain words (a key, a hash or a token decodes to bytes or symbols and stays as
typed). Rot13 words are read where the message points at the cipher ("rot13", "(13)", "rot
it") and rot13 turns them into commoner English ones, so the note around them ("rot13 for the
smart ones") stays as it is; and, without a pointer, where two words or more are
English only in rot13 and at least twice as many as those English only as typed ("xvyy
lbhefrys @theo"), since a chat message of English words is never half rot13 by chance.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from collections.abc import Callable, Iterable, Mapping

#: A run that may be base64: 16 characters or more of its alphabet, padded to a multiple of 4.
_BASE64_MIN = 16
_BASE64_RUN = re.compile(
    rf"(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{{{_BASE64_MIN},}}={{0,2}}(?![A-Za-z0-9+/=])"
)
#: What decoded text must be made of to count as words: letters, digits, spaces, punctuation.
_PLAIN = re.compile(r"[A-Za-z0-9 ,.!?'£:;()-]")
#: The share of decoded characters that must be plain, and the words it must hold.
_PLAIN_SHARE = 0.9
_MIN_WORDS = 2
#: A message that points at the cipher.
_ROT13_NOTE = re.compile(r"\brot[ -]?13\b|\(13\)|\brot(?:ate)? it\b")
_WORD = re.compile(r"[a-z]+")
#: Without a pointer: the fewest words English only in rot13, and how many times as many as
#: the words English only as typed. Words of one or two letters say nothing either way.
_ROT13_WORDS = 2
_ROT13_SHARE = 2
_ROT13_SHORTEST = 3


def base64_decoded(text: str) -> tuple[str, list[int]] | None:
    """Return the text with each base64 run of plain words decoded, and its offsets; or None.

    Each decoded character points back into the run it came from, spread evenly, so a finding
    in it points at the run.
    """
    if len(text) < _BASE64_MIN:
        return None
    pieces: list[str] = []
    offsets: list[int] = []
    at = 0
    for m in _BASE64_RUN.finditer(text):
        run = m.group()
        if len(run) % 4:
            continue
        words = _decoded_words(run)
        if words is None:
            continue
        pieces.append(text[at : m.start()])
        offsets.extend(range(at, m.start()))
        pieces.append(words)
        offsets.extend(m.start() + i * len(run) // len(words) for i in range(len(words)))
        at = m.end()
    if not pieces:
        return None
    pieces.append(text[at:])
    offsets.extend(range(at, len(text)))
    return "".join(pieces), offsets


def _decoded_words(run: str) -> str | None:
    """Return what a base64 run decodes to when that is plain words, else None."""
    try:
        decoded = base64.b64decode(run, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    plain = sum(1 for _ in _PLAIN.finditer(decoded))
    if not decoded or plain < _PLAIN_SHARE * len(decoded):
        return None
    if len(decoded.split()) < _MIN_WORDS:
        return None
    return decoded


def rot13(word: str) -> str:
    """Return a word in rot13 (its own inverse)."""
    return codecs.encode(word, "rot13")


def one_way_counts(
    words: Iterable[str], turn: Callable[[str], str], costs: Mapping[str, float]
) -> tuple[int, int]:
    """Return how many words are English only as typed, and how many only once turned.

    A word English both ways ("evil"/"live", "lol") or neither way says nothing about which
    way a text was written: backwards, or in rot13.
    """
    typed = turned = 0
    for word in words:
        known, known_turned = word in costs, turn(word) in costs
        typed += known and not known_turned
        turned += known_turned and not known
    return typed, turned


def rot13_words(text: str, costs: dict[str, float]) -> str | None:
    """Return a lower-cased text with its rot13 words read, where it reads as rot13; else None.

    A word is read when rot13 makes a commoner English word of it (``costs``: -log10 of each
    word's frequency; unknown words cost most). Letters map one to one: offsets are unchanged.
    """
    unknown = float("inf")
    if not ("rot" in text or "13" in text) or not _ROT13_NOTE.search(text):
        # No pointer: read only a text that is mostly rot13. Most messages have fewer than two
        # words no list knows, and are done with after one look-up a word.
        words = {w for w in _WORD.findall(text) if len(w) >= _ROT13_SHORTEST}
        strange = {w for w in words if w not in costs}
        if len(strange) < _ROT13_WORDS:
            return None
        forwards, backwards = one_way_counts(words, rot13, costs)
        if backwards < _ROT13_WORDS or backwards < _ROT13_SHARE * forwards:
            return None
    chars = list(text)
    changed = False
    for m in _WORD.finditer(text):
        start, end, word = m.start(), m.end(), m.group()
        rot = rot13(word)
        if costs.get(rot, unknown) < costs.get(word, unknown):
            chars[start:end] = rot
            changed = True
    return "".join(chars) if changed else None
