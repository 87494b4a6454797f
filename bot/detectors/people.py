"""Find where a message names or mentions a person: mentions, handles and known display names."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.detectors.base import MessageContext
from bot.normalize import normalize

# Platform mentions ("<@123>", "<@U123>") and typed handles ("@jess_x") in normalized text.
_MENTION = re.compile(r"<@!?[a-z0-9]+>|(?<![a-z0-9])@[a-z0-9_.]{2,32}")
_WORD = re.compile(r"[a-z][a-z'\-]*")

#: Shorter display-name words ("jo", "al") are too often ordinary words to count as a name.
_MIN_NAME_LETTERS = 3


def person_spans(ctx: MessageContext, not_names: frozenset[str]) -> list[tuple[int, int]]:
    """Return spans of the normalized text that mention or name a member, left to right.

    ``not_names`` lists words that are names for some members but ordinary words in a
    sentence ("will", "may", "mark"), so they never count.
    """
    text = ctx.normalized.text
    spans = [m.span() for m in _MENTION.finditer(text)]
    if ctx.names:
        known = _name_words(frozenset(ctx.names.values())) - not_names
        for m in _WORD.finditer(text):
            word = m.group().removesuffix("'s").rstrip("'")
            if word in known:
                spans.append(m.span())
    spans.sort()
    return spans


def possessive_spans(ctx: MessageContext, not_names: frozenset[str]) -> list[tuple[int, int]]:
    """Return spans where a member's name or mention is used possessively ("sam's login")."""
    text = ctx.normalized.text
    return [
        (start, end)
        for start, end in person_spans(ctx, not_names)
        if text.startswith("'s", end - 2) or text.startswith("'s", end)
    ]


def has_person(ctx: MessageContext, not_names: frozenset[str]) -> bool:
    """Return True if the message mentions a member or names one."""
    return bool(ctx.message.mentions) or bool(person_spans(ctx, not_names))


@lru_cache(maxsize=64)
def _name_words(names: frozenset[str]) -> frozenset[str]:
    """Return each display name's words, normalized, that are long enough to be a name."""
    words: set[str] = set()
    for name in names:
        for word in _WORD.findall(normalize(name).text):
            if len(word) >= _MIN_NAME_LETTERS:
                words.add(word)
    return frozenset(words)
