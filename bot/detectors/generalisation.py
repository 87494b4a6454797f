"""Generalisation rules: a whole identity group said to be something vile, with or without a slur.

"Travellers r all thieves", "the eastern euro lot are scroungers", "Muslims are basically a
disease", "no more Asians in the chess club": discrimination (clause 4.5) that names no person
and uses no slur, so neither an aimed-insult rule nor a slur list sees it. What makes it one is
its shape, not its words: a group, then a predicate that condemns the group, joined only by the
words a generalisation is made of ("are", "r", "all", "basically", "naturally"). Anything else
between them breaks the claim: "Muslims are not terrorists", "women are underpaid and
overworked", "travellers are stuck at the airport". An exclusion wish just before a group
("don't want any more", "ban all") is the other shape.

A group is a phrase from ``groups`` ("muslims", "black people") or a word from ``group_words``
followed at once by one from ``group_heads`` ("polish" + "students", "wheelchair" + "users").

Rule keys (besides the common ones)::

    groups: [identity-groups]            # groups named by themselves
    group_words: identity-words          # words that name a group before a head noun
    group_heads: group-heads             # the head nouns: people, lot, students, lads...
    predicates: group-predicates         # what condemns a group: "thieves", "a disease"
    links: generalising-links            # the only words allowed between group and predicate
    window: 5                            # at most this many link words between them
    exclusions: group-exclusions         # wishes just before a group: "no more", "ban all"
    exclusion_ends: exclusion-ends       # what may follow the group of a wish, besides the
                                         #   message's or a sentence's end ("in", "here")
    negators: negators                   # just before the group: "not all muslims are..."
    not_subject: group-objects           # just before the group, it is no claim's subject:
                                         #   "jokes about disabled people are lazy"
    unless: [prejudice-talk]             # talking about prejudice silences the message
    quote_cues: [reported-speech]        # with one of these, a quoted claim is someone else's
    evidence: "generalisation about an identity group"
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.detectors.base import MessageContext
from bot.detectors.phrase_matcher import PhraseMatcher
from bot.detectors.phrases import words_apart
from bot.detectors.play import inside, others_words
from bot.detectors.spec import BuiltFromRule, RuleLists, RuleSpec
from bot.finding import Finding
from bot.normalize import NormalizedText

Span = tuple[int, int]

#: The rule keys this kind reads, besides the common ones.
PARAMS = frozenset(
    {
        "groups",
        "group_words",
        "group_heads",
        "predicates",
        "links",
        "window",
        "exclusions",
        "exclusion_ends",
        "negators",
        "not_subject",
        "unless",
        "quote_cues",
        "evidence",
    }
)

_WORD = re.compile(r"[a-z0-9']+")
#: Punctuation that ends a claim: what follows it is a new sentence, not the group's predicate.
_CLAUSE_END = re.compile(r"[.!?;:\n]")
#: Word gaps before a group within which a negator counts ("not all muslims": two).
NEGATION_WORDS = 2


@dataclass(frozen=True, slots=True)
class GeneralisationDetector(BuiltFromRule):
    """Fire when a group is followed by a condemning predicate, or preceded by an exclusion wish."""

    spec: RuleSpec
    groups: PhraseMatcher
    predicates: PhraseMatcher
    links: frozenset[str]
    window: int = 5
    group_words: PhraseMatcher | None = None
    group_heads: PhraseMatcher | None = None
    exclusions: PhraseMatcher | None = None
    exclusion_ends: PhraseMatcher | None = None
    negators: PhraseMatcher | None = None
    not_subject: PhraseMatcher | None = None
    unless: PhraseMatcher | None = None
    quote_cues: PhraseMatcher | None = None
    evidence: str = ""

    def detect(self, ctx: MessageContext) -> list[Finding]:
        """Return one finding for the first generalisation that is the author's own."""
        norm = ctx.normalized
        groups = self.group_spans(ctx)
        if not groups:
            return []
        hits = self._claims(norm, groups) + self._exclusion_wishes(norm, groups)
        if not hits:
            return []
        if self.unless is not None and self.unless.search(norm):
            return []
        quoted = others_words(ctx, self.quote_cues)
        hits = [h for h in hits if not inside(h, quoted)]
        if not hits:
            return []
        start, end = min(hits)
        return [self.spec.finding(self.evidence, span=norm.original_span(start, end))]

    def group_spans(self, ctx: MessageContext) -> list[Span]:
        """Return where the message names an identity group, left to right."""
        norm = ctx.normalized
        text = norm.text
        found = list(self.groups.spans(norm))
        if self.group_words is not None and self.group_heads is not None:
            heads = self.group_heads.spans(norm)
            if heads:
                for word in self.group_words.spans(norm):
                    for head in heads:
                        # "polish students", "the wheelchair users": the head follows at once.
                        if head[0] >= word[1] and text.count(" ", word[1], head[0]) <= 1:
                            if not _WORD.search(text, word[1], head[0]):
                                found.append((word[0], head[1]))
                            break
        negated = self.negators.spans(norm) if self.negators is not None else []
        objects = self.not_subject.spans(norm) if self.not_subject is not None else []
        return sorted(
            g
            for g in found
            if not any(n[1] <= g[0] and words_apart(text, n, g) <= NEGATION_WORDS for n in negated)
            and not any(o[1] <= g[0] and not _WORD.search(text, o[1], g[0]) for o in objects)
        )

    def _claims(self, norm: NormalizedText, groups: list[Span]) -> list[Span]:
        """Return the spans from a group to a predicate joined only by link words."""
        text = norm.text
        predicates = self.predicates.spans(norm)
        hits: list[Span] = []
        for group in groups:
            for predicate in predicates:
                if predicate[0] < group[1]:
                    continue
                between = text[group[1] : predicate[0]]
                if _CLAUSE_END.search(between):
                    break
                words = _WORD.findall(between)
                if len(words) > self.window:
                    break
                if all(w in self.links for w in words):
                    hits.append((group[0], predicate[1]))
                    break
        return hits

    def _exclusion_wishes(self, norm: NormalizedText, groups: list[Span]) -> list[Span]:
        """Return the spans of an exclusion wish followed at once by a group."""
        if self.exclusions is None:
            return []
        text = norm.text
        ends = self.exclusion_ends.spans(norm) if self.exclusion_ends is not None else []
        return [
            (wish[0], group[1])
            for wish in self.exclusions.spans(norm)
            for group in groups
            if wish[1] <= group[0]
            and not _WORD.search(text, wish[1], group[0])
            and self._wish_ends(text, group[1], ends)
        ]

    @staticmethod
    def _wish_ends(text: str, end: int, ends: list[Span]) -> bool:
        """Return True when a wish's group is all it wants out ("no more Asians in the club").

        "no more international students can register" or "no more women's football" wants
        nothing kept out: the group there is part of a longer phrase.
        """
        rest = text[end:].lstrip(" ")
        if not rest or _CLAUSE_END.match(rest) or rest[0] in ",)":
            return True
        start = len(text) - len(rest)
        return any(e[0] == start for e in ends)


def build(spec: RuleSpec, lists: RuleLists) -> GeneralisationDetector:
    """Build a generalisation detector from its rule data."""
    where = spec.where
    links = frozenset(
        word
        for name in spec.names("links", required=True)
        for phrase in lists.phrases(name, f"{where}.links")
        for word in _WORD.findall(phrase.lower())
    )
    window = spec.number("window", 5)
    has_words = bool(spec.names("group_words"))
    if has_words != bool(spec.names("group_heads")):
        raise spec.error("group_words", "group_words and group_heads go together")
    return GeneralisationDetector(
        spec=spec,
        groups=lists.matcher(spec.names("groups", required=True), f"{where}.groups"),
        predicates=lists.matcher(spec.names("predicates", required=True), f"{where}.predicates"),
        links=links,
        window=int(window),
        group_words=lists.optional_matcher(spec, "group_words"),
        group_heads=lists.optional_matcher(spec, "group_heads"),
        exclusions=lists.optional_matcher(spec, "exclusions"),
        exclusion_ends=lists.optional_matcher(spec, "exclusion_ends"),
        negators=lists.optional_matcher(spec, "negators"),
        not_subject=lists.optional_matcher(spec, "not_subject"),
        unless=lists.optional_matcher(spec, "unless"),
        quote_cues=lists.optional_matcher(spec, "quote_cues"),
        evidence=spec.text("evidence", f"{spec.label}: generalisation about a group"),
    )
