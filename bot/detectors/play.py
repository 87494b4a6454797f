"""Play and other people's words: a game being played, a passage quoted from someone else.

Shared by the rules that read threats and abuse (toxicity, regex, generalisation) and the
policy classifier, so each reads "kill you at Mario Kart" and "'I know where you live' in the
film" the same way.
"""

from __future__ import annotations

import re

from bot.detectors.base import MessageContext
from bot.detectors.phrase_matcher import PhraseMatcher
from bot.normalize import NormalizedText
from bot.quoted_report import attributed_quotation

Span = tuple[int, int]

#: What comes before a game's name when a hit is play: "kill you at Mario Kart", "in FIFA".
GAME_LEAD = re.compile(r"(?:^|\s)(?:at|in|on|playing|play|vs|versus|against)\s+(?:the\s+)?$")

_QUOTE_MARKS = "\"'“”«»"


def games_played(norm: NormalizedText, games: PhraseMatcher | None) -> list[Span]:
    """Return the spans of games the message plays ("at pool", "in FIFA"), not merely names.

    "smash" is a game and a verb: "i will smash her face in" plays nothing.
    """
    if games is None:
        return []
    text = norm.text
    return [g for g in games.spans(norm) if GAME_LEAD.search(text, 0, g[0])]


def quoted_spans(text: str) -> list[Span]:
    """Return the spans of text inside quotation marks ("'I know where you live' in the film").

    A mark opens a quote when no letter or digit is before it and one is after it, and closes
    it the other way round; an apostrophe inside a word ("you're") does neither.
    """
    spans: list[Span] = []
    start: int | None = None
    for i, c in enumerate(text):
        if c not in _QUOTE_MARKS:
            continue
        before = text[i - 1].isalnum() if i else False
        after = text[i + 1].isalnum() if i + 1 < len(text) else False
        if start is None and not before and after:
            start = i
        elif start is not None and not after and (before or text[i - 1] in ".!?,"):
            spans.append((start, i + 1))
            start = None
    return spans


def others_words(ctx: MessageContext, quote_cues: PhraseMatcher | None) -> list[Span]:
    """Return the quoted passages of a message that says whose words they are, else none.

    A quote counts as someone else's only with a cue ("in the film", "he told me") or a named
    speaker ("Dr Morris today: '...'"): a quotation mark alone may be the author's own emphasis.
    """
    if quote_cues is None:
        return []
    if not (quote_cues.search(ctx.normalized) or attributed_quotation(ctx.message.text)):
        return []
    return quoted_spans(ctx.normalized.text)


def inside(span: Span, passages: list[Span]) -> bool:
    """Return True when a span lies wholly inside one of the passages."""
    return any(q[0] <= span[0] and span[1] <= q[1] for q in passages)
