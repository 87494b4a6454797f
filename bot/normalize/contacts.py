"""Put back contact details typed to dodge a check: "[at]", "oh seven seven", O for 0.

Digits typed one by one with spaces between are joined too; plain addresses and postcodes
are recognised here so that leetspeak leaves them alone.
"""

from __future__ import annotations

import re

from bot.normalize.edits import Edit, _apply

#: Top-level domains an obfuscated address may end in ("jake at gmail dot com"); a plain
#: "name@host.tld" needs no list.
_TLDS = (
    "com|org|net|edu|gov|mil|int|info|biz|io|co|me|ac|uk|us|ca|au|nz|ie|de|fr|es|it|nl|be|ch|"
    "at|se|no|dk|fi|pl|pt|gr|in|cn|jp|kr|sg|hk|za|ng|ke|br|mx|ar|ru|eu|tv|ly|app|dev|xyz|online"
)
_AT_WORD = r"(?:[\[({<] ?at ?[\])}>]|\bat\b)"
_DOT_WORD = r"(?:[\[({<] ?dot ?[\])}>]|\bdot\b)"
# An address written with [at]/(at)/at, [dot]/(dot)/dot words or spaces around "@".
_OBFUSCATED_EMAIL = re.compile(
    rf"(?<![\w.+@-])[a-z0-9][a-z0-9_+-]*(?:(?: ?{_DOT_WORD} ?|\.)[a-z0-9_+-]+)*"
    rf"(?: ?{_AT_WORD} ?| @ ?| ?@ )"
    rf"[a-z0-9-]+(?:(?: ?{_DOT_WORD} ?|\.)[a-z0-9-]+)*(?: ?{_DOT_WORD} ?|\.)(?:{_TLDS})(?![\w@-])"
)
# Only texts with one of these can hold an obfuscated address: spaces around "@", a bracketed
# "at" or a "dot" word (an address with a bare "at" needs a "dot" word too). A plain
# "name@host" or "@user" needs nothing put back.
_EMAIL_HINT = re.compile(
    r"[a-z0-9] ?@ [a-z0-9]|[a-z0-9] @ ?[a-z0-9-]+\.[a-z]|[\[({<] ?at ?[\])}>]|\bdot\b"
)
_O_NEXT_TO_DIGIT = re.compile(r"[0-9]o|o[0-9]")
_DIGIT = re.compile(r"[0-9]")
_BARE_AT = re.compile(r" at ")
_DOT_WORD_IN = re.compile(_DOT_WORD)
_EMAIL_PART = re.compile(rf"(?P<at> ?{_AT_WORD} ?| ?@ ?)|(?P<dot> ?{_DOT_WORD} ?|\.)|[a-z0-9_+-]+")
#: Plain e-mail addresses and UK postcodes in cleaned text: leetspeak leaves them alone. A
#: one-letter postcode area is one of B, E, G, L, M, N, S, W ("r3c0rd" is no postcode).
_EMAIL = re.compile(r"[a-z0-9_.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")
_POSTCODE = re.compile(
    r"(?<![a-z0-9])(?:[a-z]{2}|[beglmnsw])[0-9][a-z0-9]? ?[0-9][a-z]{2}(?![a-z0-9])"
)
# "O77OO 9OO123": a number typed with the letter o for zero (at least two real digits).
_O_FOR_ZERO = re.compile(
    r"(?<![a-z0-9])(?=[0-9o]*o)(?=[0-9o]*[0-9][0-9o]*[0-9])[0-9o]{3,}(?![a-z0-9])"
)
# Seven or more digits typed one at a time: "0 7 7 0 0 9 0 0 1 2 3", "0-7-7-0-0-...".
# Only a number written whole (a leading 0 or after "+") is read so: "1 2 3 4 5 6 7" is a count.
_SPACED_DIGITS = re.compile(
    r"(?<![0-9])(?:0|(?<=\+)[0-9]|(?<=\+ )[0-9])(?:[ .,/-][0-9]){6,}(?![0-9])"
)
_DIGIT_WORDS = {
    "zero": "0",
    "nought": "0",
    "oh": "0",
    "o": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
_REPEATS = {"double": 2, "triple": 3, "treble": 3}
_NUMBER_WORD = (
    r"(?:zero|nought|oh|o|one|two|three|four|five|six|seven|eight|nine|double|triple|treble|[0-9]+)"  # noqa: E501
)
# Two number words in a row: most messages with "one" have no spelled-out number.
_NUMBER_WORD_HINT = re.compile(
    r"\b(?:zero|nought|oh|one|two|three|four|five|six|seven|eight|nine|double|triple)"
    r"[ ,.-]+(?:zero|nought|oh|o|one|two|three|four|five|six|seven|eight|nine)\b"
)
# Digits spelled out, maybe mixed with digit groups: "oh seven seven oh oh nine oh oh ...".
_SPELLED_NUMBER = re.compile(rf"\b{_NUMBER_WORD}\b(?:[ ,.-]+{_NUMBER_WORD}\b){{3,}}")
_NUMBER_TOKEN = re.compile(rf"\b{_NUMBER_WORD}\b")
#: Digits a spelled-out number must come to before it is read as one.
_SPELLED_MIN_DIGITS = 7


def _contact_details(text: str, offs: list[int] | None) -> tuple[str, list[int] | None]:
    """Put back e-mail addresses and numbers typed to dodge a check.

    Each kind is looked for only where a substring test says it may be: most messages have
    no spaced "@", no "dot" word, no digit next to an o and no number spelled out.
    """
    edits: list[Edit] = []
    if (
        ("@" in text and (" @" in text or "@ " in text))
        or "dot" in text
        or ("at" in text and ("[" in text or "(" in text or "{" in text or "<" in text))
    ) and _EMAIL_HINT.search(text):
        for m in _OBFUSCATED_EMAIL.finditer(text):
            found = m.group()
            if "@" in found and " " not in found and "[" not in found:
                continue  # already a plain address
            if _BARE_AT.search(found) and not _DOT_WORD_IN.search(found):
                # "look at gmail.com" is an instruction; "jsmith at gmail dot com" an address.
                continue
            edits.append(_email_edit(m))
    digits = _DIGIT.search(text) is not None
    if digits and "o" in text and _O_NEXT_TO_DIGIT.search(text):
        for m in _O_FOR_ZERO.finditer(text):
            edits.append(
                Edit(m.start(), m.end(), m.group().replace("o", "0"), range(m.start(), m.end()))
            )
    if digits and ("+" in text or "0" in text):
        for m in _SPACED_DIGITS.finditer(text):
            at = [j for j in range(m.start(), m.end()) if text[j].isdigit()]
            edits.append(Edit(m.start(), m.end(), "".join(text[j] for j in at), at))
    if _names_a_digit(text) and _NUMBER_WORD_HINT.search(text):
        for m in _SPELLED_NUMBER.finditer(text):
            edit = _spelled_number_edit(m)
            if edit is not None:
                edits.append(edit)
    if not edits:
        return text, offs
    return _apply(text, offs, _without_overlaps(edits))


def _names_a_digit(text: str) -> bool:
    """Return True if a digit's name occurs in the text (substring tests, cheaper than a regex)."""
    return (
        "one" in text
        or "two" in text
        or "three" in text
        or "four" in text
        or "five" in text
        or "six" in text
        or "seven" in text
        or "eight" in text
        or "nine" in text
        or "zero" in text
        or "nought" in text
        or "oh" in text
    )


def _email_edit(m: re.Match[str]) -> Edit:
    """Return the edit that writes an obfuscated address plainly: "jake@gmail.com"."""
    out: list[str] = []
    positions: list[int] = []
    for part in _EMAIL_PART.finditer(m.group()):
        at = m.start() + part.start()
        if part.group("at") is not None:
            out.append("@")
            positions.append(at + len(part.group()) - len(part.group().lstrip()))
        elif part.group("dot") is not None:
            out.append(".")
            positions.append(at + len(part.group()) - len(part.group().lstrip()))
        else:
            out.append(part.group())
            positions.extend(range(at, at + len(part.group())))
    return Edit(m.start(), m.end(), "".join(out), positions)


def _spelled_number_edit(m: re.Match[str]) -> Edit | None:
    """Return the edit that writes a spelled-out number as digits, or None if it is not one."""
    digits: list[str] = []
    positions: list[int] = []
    words = 0
    repeat = 1
    for token in _NUMBER_TOKEN.finditer(m.group()):
        value = token.group()
        at = m.start() + token.start()
        if value in _REPEATS:
            repeat = _REPEATS[value]
            continue
        if value.isdigit():
            digits.append(value)
            positions.extend(range(at, at + len(value)))
        else:
            # A digit comes from its word's last letter (the first from the first letter), so
            # the number's span covers every word it was spelled with.
            words += 1
            digits.append(_DIGIT_WORDS[value] * repeat)
            last = at + len(value) - 1
            positions.extend([at if not positions else last] + [last] * (repeat - 1))
        repeat = 1
    number = "".join(digits)
    if words < 2 or not _SPELLED_MIN_DIGITS <= len(number) <= 15:
        return None
    return Edit(m.start(), m.end(), number, positions)


def _without_overlaps(edits: list[Edit]) -> list[Edit]:
    """Return edits sorted, dropping any that overlaps one before it."""
    kept: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (e.start, -e.end)):
        if kept and edit.start < kept[-1].end:
            continue
        kept.append(edit)
    return kept
