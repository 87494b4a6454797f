"""Regex rules: patterns written in rule data, compiled with google-re2.

RE2 runs in time linear in the text, so a pattern from config can never hang the bot; it has
no look-around or back-references, and a pattern it cannot compile is a :class:`RuleError`
naming the file, the rule and the pattern.

Rule keys (besides the common ones)::

    patterns: ['\\bp\\d{7,8}\\b']       # one or more patterns; any match fires
    "on": normalized                    # normalized (default), original or both (original
                                        #   first; quoted: YAML reads a bare on as true)
    unless: [idioms]                    # optional phrase lists that silence the rule
    earnest: [threat-earnest]           # optional: where the message says it means it ("not
                                        #   joking", "try me"), the unless lists silence nothing
    games: [games]                      # a game played in the message silences the rule:
                                        #   "at/in/on/playing <game>" ("at pool", "in FIFA"),
                                        #   never the word alone ("smash her face in")
    evidence: "student number"
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import re2

from bot.detectors.base import MessageContext
from bot.detectors.phrase_matcher import PhraseMatcher
from bot.detectors.play import games_played
from bot.detectors.spec import BuiltFromRule, RuleError, RuleLists, RuleSpec
from bot.finding import Finding

#: The rule keys this kind reads, besides the common ones.
PARAMS = frozenset(
    {
        "patterns",
        "on",
        "unless",
        "earnest",
        "games",
        "evidence",
    }
)


def compile_re2(patterns: Sequence[str], where: str, rule_id: str = "") -> list[Any]:
    """Compile each pattern with RE2, or raise one RuleError listing every bad one."""
    rule = f" (rule {rule_id!r})" if rule_id else ""
    options = re2.Options()
    # A bad pattern is reported once, by us, as a one-line rule error; not logged by RE2 too.
    options.log_errors = False
    compiled: list[Any] = []
    problems: list[str] = []
    for i, pattern in enumerate(patterns):
        try:
            compiled.append(re2.compile(pattern, options))
        except re2.error as exc:
            reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
            problems.append(f"{where}[{i}]{rule}: re2 cannot compile {pattern!r}: {reason}")
    if problems:
        raise RuleError(problems)
    return compiled


@dataclass(frozen=True, slots=True)
class RegexDetector(BuiltFromRule):
    """Fire at the first match of any pattern, unless an exclusion phrase occurs."""

    spec: RuleSpec
    patterns: tuple[Any, ...]
    on_original: bool = False
    #: Also the normalized text, after the original: a password keeps its digits in the
    #: original, and "раѕѕwоrd" (Cyrillic) or "p\u200bassword" read as one only once cleaned.
    on_both: bool = False
    unless: PhraseMatcher | None = None
    #: Saying one means it ("not joking", "try me"): the unless lists then silence nothing.
    earnest: PhraseMatcher | None = None
    games: PhraseMatcher | None = None
    evidence: str = ""
    any_pattern: Any = None

    def detect(self, ctx: MessageContext) -> list[Finding]:
        """Return one finding at the first match."""
        norm = ctx.normalized
        readings = [(norm.original, True)] if self.on_original or self.on_both else []
        if not self.on_original or (self.on_both and norm.text != norm.original.lower()):
            readings.append((norm.text, False))
        for text, original in readings:
            # Most messages match none: one search of every pattern at once says so.
            if self.any_pattern is not None and self.any_pattern.search(text) is None:
                continue
            for pattern in self.patterns:
                m = pattern.search(text)
                if m is None:
                    continue
                if (
                    self.unless
                    and self.unless.search(norm)
                    and not (self.earnest and self.earnest.search(norm))
                ):
                    return []
                if games_played(norm, self.games):
                    return []
                span = m.span() if original else norm.original_span(*m.span())
                return [self.spec.finding(self.evidence, span=span)]
        return []


def build(spec: RuleSpec, lists: RuleLists) -> RegexDetector:
    """Build a regex detector from its rule data."""
    patterns = spec.names("patterns", required=True)
    on = spec.choice("on", ("normalized", "original", "both"))
    return RegexDetector(
        spec=spec,
        patterns=tuple(compile_re2(patterns, f"{spec.where}.patterns", spec.id)),
        on_original=on == "original",
        on_both=on == "both",
        unless=lists.optional_matcher(spec, "unless"),
        earnest=lists.optional_matcher(spec, "earnest"),
        games=lists.optional_matcher(spec, "games"),
        evidence=spec.text("evidence", f"{spec.label} pattern"),
        any_pattern=_alternation(patterns),
    )


_ESCAPE = re.compile(r"\\[A-Za-z]")
_PATTERN_WORD = re.compile(r"[a-z]{4,}")


def pattern_words(patterns: Sequence[str]) -> set[str]:
    """Return the plain words (four letters or more) that patterns are written in.

    The normalizer splits a word it does not know: a pattern's "windscreen" or "behead" would
    never match text that now reads "wind screen" and "be head". Escapes ("\\bpaid") are set
    aside first so that no escape letter is glued to a word.
    """
    return {w for p in patterns for w in _PATTERN_WORD.findall(_ESCAPE.sub(" ", p))}


def _alternation(patterns: Sequence[str]) -> Any:
    """Return one RE2 pattern matching where any of several does, or None for one or none."""
    if len(patterns) < 2:
        return None
    try:
        return compile_re2(["|".join(f"(?:{p})" for p in patterns)], "patterns")[0]
    except RuleError:
        return None
