"""Toxicity rules: abuse that is aimed at someone, scored by a small formula, not a bare word list.

A term alone ("idiot") is not enough: it must be aimed. Terms come from lists with a weight;
targets are second-person words ("you", "ur") or third-person address ("she's a") that come
*before* the term within ``window`` words (or either side with ``target_order: either``), or a mention, handle or member's name on either
side. Some terms carry their own aim (threat templates, slurs, "no one likes you").

Score, per message::

    for each term hit h not overlapping an exclusion (idiom), not negated, not in a game or
    a petty aside ("kill you at Mario Kart", "if you spoil it"), not quoted from a film:
        w = weight of h's list
        t = 1                                    if h's list is self-aimed
            max(target weight x closeness)       otherwise; closeness = 1 within 2 words,
                                                 0.8 up to the window; 0 with no target
        s(h) = w * t
    score = max s(h)
          + 0.1 for each other aimed hit (at most +0.2: piling on)
          + 0.1 if the message is shouted (8+ letters, 70%+ capitals)
          x the softener weight if a softener is present ("lol", "jk": banter halves
            swearing at a friend; threat rules have no softener, so "lol" never cancels a
            threat or "kys")
    fire when score >= threshold; Finding.score = min(1, score) x the rule's score

Aimed means aimed: a mention or a member's name aims a term only within ``window`` words (a
mention does not aim the swearing in "@alex that exam was fucking hard"); a negator just
before a term ("you're not an idiot") and a term praising ("stupidly good") are not insults.

Undirected swearing ("fuck yeah we won") has no target and so scores 0 in an aimed rule; the
default rules carry it only as a disabled low-severity rule. The lexicons are data in
``policy_rules/<university>/lists/``.

Rule keys (besides the common ones)::

    terms: {insults: 0.9, mild-insults: 0.65}   # list -> weight; need a target
    aimed_terms: {threats: 1.0}                 # list -> weight; aimed by themselves
    targets: {second-person: 1.0}               # list -> weight (must come before the term)
    person_weight: 1.0                          # mentions/names as targets (0 turns off)
    window: 4                                   # words between target and term
    target_order: before                        # before (default) or either side
    negators: negators                          # list: "not an idiot" does not count
    endearments: endearments                    # list: just before a term, it is fond
                                                #   ("you beautiful idiot", "you lovely muppet")
    unless: [idioms]                            # hits these overlap never count
    softeners: {banter: 0.5}                    # list -> multiplier when present
    games: [games]                              # "at/in/on/playing <game>" near a hit: play
    asides: [threat-asides]                     # near a hit, a petty aside: "if you spoil it"
    earnest: [threat-earnest]                   # "not joking", "try me": asides and quotes excuse nothing
    quote_cues: [fiction-cues]                  # with one of these, quoted hits are quoted
    context_window: 6                           # words within which a game or aside counts
    threshold: 0.6
    first_names: first-names                    # given names, Capitalised, count as people
    evidence: "insult aimed at a person"
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass

from bot.detectors.base import MessageContext
from bot.detectors.people import first_names_of, person_spans
from bot.detectors.phrase_matcher import PhraseMatcher
from bot.detectors.phrases import not_names_of, words_apart
from bot.detectors.play import games_played, inside, others_words
from bot.detectors.spec import BuiltFromRule, RuleLists, RuleSpec
from bot.finding import Finding

Span = tuple[int, int]

#: Words within which a target counts fully; further out, up to the window, it counts 0.8.
CLOSE_WORDS = 2
#: The most words a target phrase holds ("you are the most", "third-person-address-close").
MAX_TARGET_WORDS = 8
FAR_CLOSENESS = 0.8
PILE_ON_BONUS = 0.1
PILE_ON_CAP = 0.2
SHOUT_BONUS = 0.1
NEGATION_WORDS = 3


#: The rule keys this kind reads, besides the common ones.
PARAMS = frozenset(
    {
        "terms",
        "aimed_terms",
        "targets",
        "person_weight",
        "window",
        "negators",
        "endearments",
        "unless",
        "softeners",
        "threshold",
        "target_order",
        "games",
        "asides",
        "earnest",
        "quote_cues",
        "context_window",
        "not_names",
        "first_names",
        "evidence",
    }
)


@dataclass(frozen=True, slots=True)
class Weighted:
    """A compiled phrase list and the weight the rule gives it."""

    name: str
    matcher: PhraseMatcher
    weight: float


@dataclass(frozen=True, slots=True)
class ToxicityDetector(BuiltFromRule):
    """Score aimed abuse in one message and fire above the threshold."""

    spec: RuleSpec
    terms: tuple[Weighted, ...] = ()
    aimed_terms: tuple[Weighted, ...] = ()
    targets: tuple[Weighted, ...] = ()
    person_weight: float = 1.0
    window: int = 4
    negators: PhraseMatcher | None = None
    endearments: PhraseMatcher | None = None
    unless: PhraseMatcher | None = None
    softeners: tuple[Weighted, ...] = ()
    threshold: float = 0.6
    targets_before: bool = True
    games: PhraseMatcher | None = None
    asides: PhraseMatcher | None = None
    #: Saying one means it ("not joking", "try me"): a petty aside then excuses nothing.
    earnest: PhraseMatcher | None = None
    quote_cues: PhraseMatcher | None = None
    context_window: int = 6
    not_names: frozenset[str] = frozenset()
    first_names: frozenset[str] = frozenset()
    evidence: str = ""

    def trigger_keys(self) -> frozenset[str] | None:
        """Return the word keys a message must hold one of to set this off (its terms')."""
        keys: set[str] = set()
        for term in (*self.terms, *self.aimed_terms):
            needed = term.matcher.trigger_keys()
            if needed is None:
                return None
            keys |= needed
        return frozenset(keys)

    def detect(self, ctx: MessageContext) -> list[Finding]:
        """Return one finding when the message's score reaches the threshold."""
        best, span = self.score(ctx)
        if best < self.threshold or span is None:
            return []
        score = round(min(1.0, best) * self.spec.score, 3)
        return [
            self.spec.finding(self.evidence, span=ctx.normalized.original_span(*span), score=score)
        ]

    def score(self, ctx: MessageContext) -> tuple[float, Span | None]:
        """Return the message's score and the span of its strongest hit."""
        text = ctx.normalized.text
        hits = self._term_hits(ctx)
        if not hits:
            return 0.0, None
        targets: list[tuple[Span, float, bool]] = []
        if any(not aimed for _, _, aimed in hits):
            for t in self.targets:
                targets += [
                    (s, t.weight, self.targets_before) for s in t.matcher.spans(ctx.normalized)
                ]
            if self.person_weight > 0:
                targets += [
                    (s, self.person_weight, False)
                    for s in person_spans(ctx, self.not_names, self.first_names)
                ]
        targets.sort(key=lambda t: t[0])
        scored = sorted(
            (
                (w * (1.0 if aimed else self._aim(text, span, targets)), span)
                for span, w, aimed in hits
            ),
            reverse=True,
        )
        best, best_span = scored[0]
        if best <= 0:
            return 0.0, None
        others = sum(1 for s, _ in scored[1:] if s > 0)
        total = best + min(PILE_ON_CAP, PILE_ON_BONUS * others)
        if _shouted(ctx.normalized.original):
            total += SHOUT_BONUS
        for softener in self.softeners:
            if softener.matcher.search(ctx.normalized):
                total *= softener.weight
        return total, best_span

    def _term_hits(self, ctx: MessageContext) -> list[tuple[Span, float, bool]]:
        """Return (span, weight, self-aimed) for each term hit that counts."""
        text = ctx.normalized.text
        hits: list[tuple[Span, float, bool]] = []
        for group, aimed in ((self.terms, False), (self.aimed_terms, True)):
            for term in group:
                hits += [(s, term.weight, aimed) for s in term.matcher.spans(ctx.normalized)]
        if not hits:
            return hits
        excluded = self.unless.spans(ctx.normalized) if self.unless else []
        negations = self.negators.spans(ctx.normalized) if self.negators else []
        fond = self.endearments.spans(ctx.normalized) if self.endearments else []
        kept = [
            (span, w, aimed)
            for span, w, aimed in hits
            if not any(span[0] < e[1] and e[0] < span[1] for e in excluded)
            and not any(
                n[1] <= span[0] and words_apart(text, n, span) <= NEGATION_WORDS for n in negations
            )
            # Only the word right before: "you beautiful idiot" is fond, "beautiful day, you
            # idiot" is not.
            and not any(e[1] <= span[0] and words_apart(text, e, span) <= 1 for e in fond)
        ]
        if kept:
            kept = self._not_play(ctx, kept)
        return kept

    def _not_play(
        self, ctx: MessageContext, hits: list[tuple[Span, float, bool]]
    ) -> list[tuple[Span, float, bool]]:
        """Drop hits that are play: in a game, beside a petty aside or quoted from fiction,
        unless the message says it means it ("not joking", a quote "dedicated to @amy")."""
        norm = ctx.normalized
        text = norm.text
        near = games_played(norm, self.games)
        earnest = self.earnest is not None and self.earnest.search(norm)
        if self.asides is not None and not earnest:
            near += self.asides.spans(norm)
        quoted = [] if earnest else others_words(ctx, self.quote_cues)
        return [
            (span, w, aimed)
            for span, w, aimed in hits
            if not any(words_apart(text, c, span) <= self.context_window for c in near)
            and not inside(span, quoted)
        ]

    def _aim(self, text: str, term: Span, targets: list[tuple[Span, float, bool]]) -> float:
        """Return how squarely a term is aimed: the best target weight times closeness.

        ``targets`` are sorted by where they start; only those near the term are read, so a
        flood of insults and "you"s costs each insult a few look-ups, not the whole message.
        """
        best = 0.0
        at = bisect.bisect_left(targets, term[0], key=lambda t: t[0][0])
        # Leftwards, a target may be a phrase of several words ending near the term: stop once
        # its start is further than any target phrase could reach.
        reach = self.window + MAX_TARGET_WORDS
        for i in range(at - 1, -1, -1):
            span = targets[i][0]
            if words_apart(text, (span[0], span[0]), term) > reach:
                break
            best = max(best, self._aimed_by(text, term, targets[i]))
        for i in range(at, len(targets)):
            span = targets[i][0]
            if words_apart(text, (span[0], span[0]), term) > self.window:
                break
            best = max(best, self._aimed_by(text, term, targets[i]))
        return best

    def _aimed_by(self, text: str, term: Span, target: tuple[Span, float, bool]) -> float:
        """Return how squarely one target aims a term (0 when it does not)."""
        span, weight, must_precede = target
        if must_precede and span[0] >= term[0]:
            return 0.0
        # A target may overlap a term it leads into ("he is such a" + "such a creep").
        if span[0] < term[1] and term[0] < span[1] and span[0] >= term[0]:
            return 0.0
        apart = words_apart(text, span, term)
        if apart > self.window:
            return 0.0
        return weight * (1.0 if apart <= CLOSE_WORDS else FAR_CLOSENESS)


def _shouted(original: str) -> bool:
    letters = [c for c in original if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) >= 0.7 * len(letters)


def _weighted(spec: RuleSpec, lists: RuleLists, key: str) -> tuple[Weighted, ...]:
    """Read a ``{list: weight}`` parameter into compiled, weighted matchers."""
    value = spec.params.get(key)
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise spec.error(key, "expected a mapping of list name to weight")
    out: list[Weighted] = []
    for name, weight in value.items():
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight < 0:
            raise spec.error(f"{key}.{name}", f"expected a weight >= 0, got {weight!r}")
        out.append(Weighted(str(name), lists.matcher([str(name)], f"{spec.where}.{key}"), weight))
    return tuple(out)


def build(spec: RuleSpec, lists: RuleLists) -> ToxicityDetector:
    """Build a toxicity detector from its rule data."""
    terms = _weighted(spec, lists, "terms")
    aimed = _weighted(spec, lists, "aimed_terms")
    if not terms and not aimed:
        raise spec.error("terms", "a toxicity rule needs terms or aimed_terms")
    window = spec.number("window", 4)
    order = spec.choice("target_order", ("before", "either"))
    return ToxicityDetector(
        spec=spec,
        terms=terms,
        aimed_terms=aimed,
        targets=_weighted(spec, lists, "targets"),
        person_weight=spec.number("person_weight", 1.0),
        window=int(window),
        negators=lists.optional_matcher(spec, "negators"),
        endearments=lists.optional_matcher(spec, "endearments"),
        unless=lists.optional_matcher(spec, "unless"),
        softeners=_weighted(spec, lists, "softeners"),
        threshold=spec.number("threshold", 0.6),
        targets_before=order == "before",
        games=lists.optional_matcher(spec, "games"),
        asides=lists.optional_matcher(spec, "asides"),
        earnest=lists.optional_matcher(spec, "earnest"),
        quote_cues=lists.optional_matcher(spec, "quote_cues"),
        context_window=int(spec.number("context_window", 6)),
        not_names=not_names_of(spec, lists),
        first_names=first_names_of(spec, lists, not_names_of(spec, lists)),
        evidence=spec.text("evidence", f"{spec.label}: aimed abuse"),
    )
