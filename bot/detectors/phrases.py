"""Phrase-list rules: a phrase that fires, optionally only with a second cue and never with an excuse.

Rule keys (besides the common ones)::

    lists: [assessment-leaks]            # phrases that fire (one list name or several)
    requires: [share-cues, [third-person, $person]]
                                         # every item must also match somewhere; an item that
                                         # is a list of names holds when any of them matches
    requires_window: 8                   # optional: the cue must be this many words away at most
    unless: [exam-hyperbole]             # exclusions (hyperbole, negation, idioms)
    unless_scope: overlap                # overlap (default): drop the hits an exclusion overlaps;
                                         # message: any exclusion silences the rule
    quiet_in_course_spaces: true         # quiet where the channel is a course's own space
    not_names: not-names                 # optional list of words never taken for a name
    first_names: first-names             # optional given names that count when Capitalised
    evidence: "assessment material offered"

Besides list names, ``requires`` accepts ``$person`` (a mention, handle, a member's display
name or a Capitalised given name from ``first_names``) and ``$possessive`` (the same,
followed by 's: "sam's login").
"""

from __future__ import annotations

import itertools
from array import array
from dataclasses import dataclass
from functools import lru_cache

from bot.detectors.base import MessageContext
from bot.detectors.people import first_names_of, has_person, person_spans, possessive_spans
from bot.detectors.phrase_matcher import PhraseMatcher
from bot.detectors.spec import BuiltFromRule, RuleLists, RuleSpec
from bot.finding import Finding

Span = tuple[int, int]
SPECIAL_CUES = ("$person", "$possessive")


#: The rule keys this kind reads, besides the common ones.
PARAMS = frozenset(
    {
        "lists",
        "requires",
        "requires_window",
        "unless",
        "unless_scope",
        "quiet_in_course_spaces",
        "not_names",
        "first_names",
        "evidence",
    }
)


@dataclass(frozen=True, slots=True)
class Cue:
    """One ``requires`` item: phrases from some lists, or the special person cues."""

    matcher: PhraseMatcher | None
    specials: tuple[str, ...]

    def spans(
        self,
        ctx: MessageContext,
        not_names: frozenset[str],
        first_names: frozenset[str] = frozenset(),
    ) -> list[Span]:
        """Return where this cue occurs in the normalized text."""
        found = self.matcher.spans(ctx.normalized) if self.matcher else []
        if "$person" in self.specials:
            found += person_spans(ctx, not_names, first_names)
            if ctx.message.mentions and not found:
                found.append((0, len(ctx.normalized.text)))
        if "$possessive" in self.specials:
            found += possessive_spans(ctx, not_names, first_names)
        return found

    def present(
        self,
        ctx: MessageContext,
        not_names: frozenset[str],
        first_names: frozenset[str] = frozenset(),
    ) -> bool:
        """Return True if the cue occurs anywhere in the message."""
        if self.matcher and self.matcher.search(ctx.normalized):
            return True
        if "$person" in self.specials and has_person(ctx, not_names, first_names):
            return True
        return "$possessive" in self.specials and bool(
            possessive_spans(ctx, not_names, first_names)
        )


@dataclass(frozen=True, slots=True)
class PhraseDetector(BuiltFromRule):
    """Fire when a phrase occurs, every required cue occurs, and no exclusion applies."""

    spec: RuleSpec
    matcher: PhraseMatcher
    requires: tuple[Cue, ...] = ()
    requires_window: int | None = None
    unless: PhraseMatcher | None = None
    unless_whole_message: bool = False
    quiet_in_course_spaces: bool = False
    not_names: frozenset[str] = frozenset()
    first_names: frozenset[str] = frozenset()
    evidence: str = ""

    def trigger_keys(self) -> frozenset[str] | None:
        """Return the word keys a message must hold one of to set this off (its phrases')."""
        return self.matcher.trigger_keys()

    def detect(self, ctx: MessageContext) -> list[Finding]:
        """Return one finding at the first phrase that survives the cues and exclusions."""
        if self.quiet_in_course_spaces and ctx.settings.course_space:
            return []
        hits = self.matcher.spans(ctx.normalized)
        if not hits:
            return []
        if self.unless:
            excluded = self.unless.spans(ctx.normalized)
            if excluded and self.unless_whole_message:
                return []
            hits = [h for h in hits if not any(_overlap(h, e) for e in excluded)]
        for cue in self.requires:
            if not hits:
                return []
            if self.requires_window is None:
                if not cue.present(ctx, self.not_names, self.first_names):
                    return []
                continue
            text = ctx.normalized.text
            cue_spans = cue.spans(ctx, self.not_names, self.first_names)
            hits = [
                h
                for h in hits
                if any(words_apart(text, h, c) <= self.requires_window for c in cue_spans)
            ]
        if not hits:
            return []
        return [self.spec.finding(self.evidence, span=ctx.normalized.original_span(*hits[0]))]


#: Texts at least this long count word gaps from a table of spaces made once per text:
#: counting between two far spans, for every pair, made a flood of insults cubic.
LONG_TEXT = 2_000


def words_apart(text: str, a: Span, b: Span) -> int:
    """Return how many word gaps separate two spans of normalized text (0 if they overlap)."""
    if a[1] <= b[0]:
        start, end = a[1], b[0]
    elif b[1] <= a[0]:
        start, end = b[1], a[0]
    else:
        return 0
    if len(text) < LONG_TEXT:
        return text.count(" ", start, end)
    spaces = spaces_before(text)
    return spaces[end] - spaces[start]


@lru_cache(maxsize=8)
def spaces_before(text: str) -> array[int]:
    """Return, for each index of a text (and its end), how many spaces come before it."""
    return array("l", itertools.accumulate((c == " " for c in text), initial=0))


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def build_cue(names: tuple[str, ...], lists: RuleLists, where: str) -> Cue:
    """Return the cue for one ``requires`` item."""
    specials = tuple(n for n in names if n in SPECIAL_CUES)
    plain = tuple(n for n in names if n not in SPECIAL_CUES)
    return Cue(lists.matcher(plain, where) if plain else None, specials)


def not_names_of(spec: RuleSpec, lists: RuleLists) -> frozenset[str]:
    """Return the rule's words that never count as a member's name."""
    names = spec.names("not_names")
    words: set[str] = set()
    for name in names:
        words.update(p.lower() for p in lists.phrases(name, f"{spec.where}.not_names"))
    return frozenset(words)


def build(spec: RuleSpec, lists: RuleLists) -> PhraseDetector:
    """Build a phrase detector from its rule data."""
    where = spec.where
    matcher = lists.matcher(spec.names("lists", required=True), f"{where}.lists")
    requires = tuple(
        build_cue(group, lists, f"{where}.requires[{i}]")
        for i, group in enumerate(spec.groups("requires"))
    )
    window = spec.params.get("requires_window")
    if window is not None and (isinstance(window, bool) or not isinstance(window, int)):
        raise spec.error("requires_window", f"expected a whole number of words, got {window!r}")
    scope = spec.choice("unless_scope", ("overlap", "message"))
    return PhraseDetector(
        spec=spec,
        matcher=matcher,
        requires=requires,
        requires_window=window,
        unless=lists.optional_matcher(spec, "unless"),
        unless_whole_message=scope == "message",
        quiet_in_course_spaces=spec.flag("quiet_in_course_spaces", False),
        not_names=not_names_of(spec, lists),
        first_names=first_names_of(spec, lists, not_names_of(spec, lists)),
        evidence=spec.text("evidence", f"{spec.label} phrase ({', '.join(spec.names('lists'))})"),
    )
