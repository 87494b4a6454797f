"""Read text hidden in an encoding anyone can undo: base64 runs and words typed in rot13.

"S2llcmFuIGlzIGEgbG9zZXI= (decode it yourself)" and "fryyvat gur rknz cncre (rot13)" are
written to be read by the channel and missed by a filter. A base64 run is read where it
decodes to plain words (a key, a hash or a token decodes to bytes or symbols and stays as
typed); rot13 only where the message names it, and then only the words that rot13 turns into
commoner English ones, so the note around them ("rot13 for the smart ones") stays as it is.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re

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
#: A message that says its words are in rot13.
_ROT13_NOTE = re.compile(r"\brot[ -]?13\b")
_WORD = re.compile(r"[a-z]+")


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


def rot13_words(text: str, costs: dict[str, float]) -> str | None:
    """Return a lower-cased text with its rot13 words read, where it names rot13; else None.

    A word is read when rot13 makes a commoner English word of it (``costs``: -log10 of each
    word's frequency; unknown words cost most). Letters map one to one: offsets are unchanged.
    """
    if "rot" not in text or not _ROT13_NOTE.search(text):
        return None
    unknown = float("inf")
    chars = list(text)
    changed = False
    for m in _WORD.finditer(text):
        word = m.group()
        turned = codecs.encode(word, "rot13")
        if costs.get(turned, unknown) < costs.get(word, unknown):
            chars[m.start() : m.end()] = turned
            changed = True
    return "".join(chars) if changed else None
