"""Find where a message names or mentions a person: mentions, handles, members' and given names."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bot.detectors.base import MessageContext
from bot.detectors.spec import RuleError, RuleLists, RuleSpec
from bot.normalize import NormalizedText, normalize

# Platform mentions ("<@123>", "<@U123>") and typed handles ("@jess_x") in normalized text.
_MENTION = re.compile(r"<@!?[a-z0-9]+>|(?<![a-z0-9])@[a-z0-9_.]{2,32}")
_WORD = re.compile(r"[a-z][a-z'\-]*")
#: A title before a word names a person whatever the word ("Dr Whitlock", "prof hughes"): a
#: lecturer's surname is in no list of given names.
_TITLED = re.compile(r"(?<![a-z0-9])(?:dr|prof|professor|mr|mrs|ms|mx)\.? ([a-z][a-z'\-]+)")

#: Shorter display-name words ("jo", "al") are too often ordinary words to count as a name.
_MIN_NAME_LETTERS = 3


def person_spans(
    ctx: MessageContext,
    not_names: frozenset[str],
    first_names: frozenset[str] = frozenset(),
    *,
    titled: bool = True,
) -> list[tuple[int, int]]:
    """Return spans of the normalized text that mention or name a person, left to right.

    ``not_names`` lists words that are names for some members but ordinary words in a
    sentence ("will", "may", "mark"), so they never count. ``first_names`` (from
    :func:`first_names_of`) are given names that count without a member of that name, but only
    as typed with a capital: "Jess is an idiot" names someone, "jess" is left to known members.
    With ``titled``, a title and the word after it name a person ("Dr Whitlock").
    """
    text = ctx.normalized.text
    spans = [m.span() for m in _MENTION.finditer(text)]
    if titled:
        spans += [m.span(1) for m in _TITLED.finditer(text)]
    known = _name_words(frozenset(ctx.names.values())) - not_names if ctx.names else frozenset()
    if known or first_names:
        for m in _WORD.finditer(text):
            word = m.group().removesuffix("'s").rstrip("'")
            if word in known or (word in first_names and _capitalised(ctx.normalized, m.start())):
                spans.append(m.span())
    spans.sort()
    return spans


def possessive_spans(
    ctx: MessageContext, not_names: frozenset[str], first_names: frozenset[str] = frozenset()
) -> list[tuple[int, int]]:
    """Return spans where a person's name or mention is used possessively ("sam's login")."""
    text = ctx.normalized.text
    return [
        (start, end)
        for start, end in person_spans(ctx, not_names, first_names)
        if text.startswith("'s", end - 2) or text.startswith("'s", end)
    ]


def has_person(
    ctx: MessageContext, not_names: frozenset[str], first_names: frozenset[str] = frozenset()
) -> bool:
    """Return True if the message mentions a member or names a person."""
    return bool(ctx.message.mentions) or bool(person_spans(ctx, not_names, first_names))


def first_names_of(spec: RuleSpec, lists: RuleLists, not_names: frozenset[str]) -> frozenset[str]:
    """Return the given names of a rule's ``first_names`` lists, cleaned, less ``not_names``.

    Each item must be one word of letters (an apostrophe or hyphen inside is fine), so a
    two-word entry is a one-line error rather than a name that can never match.
    """
    words: set[str] = set()
    for name in spec.names("first_names"):
        for i, item in enumerate(lists.phrases(name, f"{spec.where}.first_names")):
            word = normalize(item.strip()).text
            if not _WORD.fullmatch(word):
                raise RuleError(
                    [f"{lists.source(name)}: {name}[{i}]: expected one given name, got {item!r}"]
                )
            words.add(word)
    return frozenset(words) - not_names


def _capitalised(normalized: NormalizedText, start: int) -> bool:
    """Return True if the word at ``start`` of the cleaned text began with a capital as typed.

    Small capitals ("ᴊᴇꜱꜱ") are capitals too: a message typed in them has no other kind.
    """
    at = normalized.offsets[start] if start < len(normalized.offsets) else -1
    if not 0 <= at < len(normalized.original):
        return False
    first = normalized.original[at]
    return first.isupper() or (not first.isascii() and _small_capital(first))


@lru_cache(maxsize=256)
def _small_capital(ch: str) -> bool:
    return "SMALL CAPITAL" in unicodedata.name(ch, "")


@lru_cache(maxsize=64)
def _name_words(names: frozenset[str]) -> frozenset[str]:
    """Return each display name's words, normalized, that are long enough to be a name."""
    words: set[str] = set()
    for name in names:
        for word in _WORD.findall(normalize(name).text):
            if len(word) >= _MIN_NAME_LETTERS:
                words.add(word)
    return frozenset(words)
