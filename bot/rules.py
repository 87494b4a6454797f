"""Load a university's rules (``rules.yaml`` + ``lists/*.yaml``) into detectors that run per message.

``rules.yaml`` holds a ``defaults:`` block and a ``rules:`` list. Each rule has ``id``,
``label`` (a taxonomy label), ``clauses`` (default: the label's clauses in
:mod:`bot.taxonomy`; each must be a clause of the policy), ``severity``, ``kind`` (a key of
:data:`bot.detectors.registry.DETECTOR_KINDS`), ``score``, ``enabled`` (default true) and the
kind's own keys. Defaults apply to every rule that does not set the key, where the key fits
the rule's kind. ``lists/*.yaml`` each map list names to lists of phrases (or, for domain
lists, hosts). Every mistake is reported, one line each, in one :class:`RuleError`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.detectors.base import Detector, MessageContext
from bot.detectors.impersonation import DisplayNameCheck
from bot.detectors.phrase_matcher import PhraseMatcher
from bot.detectors.regex import pattern_words
from bot.detectors.registry import DETECTOR_KINDS, DETECTOR_PARAMS
from bot.detectors.spec import RuleError, RuleLists, RuleSpec
from bot.finding import Finding
from bot.normalize import NormalizedText, Normalizer
from bot.taxonomy import ALL_LABELS, ROUTE_LABELS, VIOLATION_LABELS, Severity

__all__ = ["RuleError", "RuleSet", "load_rules"]

#: The list the engine reads requests to desist from.
DESIST_LIST = "desist"
#: Lists the desist check reads when a university has them: asking for help or reporting (never
#: unwanted contact), laughter that makes a "stop" a joke, and words that address a group.
DESIST_HELP_LIST = "desist-help"
DESIST_LAUGHTER_LIST = "desist-laughter"
GROUP_ADDRESS_LIST = "desist-group-words"
#: Cues that what follows is someone else's words ("told me", "called me"), when a university
#: has the list: a report that quotes them spares its author (:mod:`bot.quoted_report`).
REPORTED_SPEECH_LIST = "reported-speech"
#: Asking whether something is allowed ("is that allowed?"): with someone else's words quoted,
#: a question about what was done to the author (:mod:`bot.quoted_report`).
PERMISSION_QUESTIONS_LIST = "permission-questions"
#: Telling what someone else did ("filmed me", "is selling"): with a report asked for by a rule,
#: the breach told of spares its author (:mod:`bot.quoted_report`).
TOLD_OF_OTHERS_LIST = "told-of-others"
#: The list of words read through one slip of the keyboard ("kil urself", "stabb"): the few
#: whose misspelling must not hide a threat or an essay-mill offer.
MISSPELT_WORDS_LIST = "misspelt-words"
COMMON_KEYS = frozenset({"id", "label", "clauses", "severity", "kind", "score", "enabled"})


@dataclass(frozen=True)
class RuleSet:
    """Every rule of a university, built; ``detectors`` holds the enabled ones, in file order."""

    rules: tuple[RuleSpec, ...]
    detectors: tuple[Detector, ...]
    desist: PhraseMatcher
    display_names: DisplayNameCheck
    lists: RuleLists
    built: Mapping[str, Detector] = field(default_factory=dict)
    #: The desist check's cues (:data:`DESIST_HELP_LIST` and the others); empty when absent.
    desist_help: PhraseMatcher = field(default_factory=lambda: PhraseMatcher([]))
    desist_laughter: PhraseMatcher = field(default_factory=lambda: PhraseMatcher([]))
    group_address: PhraseMatcher = field(default_factory=lambda: PhraseMatcher([]))
    reported_speech: PhraseMatcher = field(default_factory=lambda: PhraseMatcher([]))
    permission_questions: PhraseMatcher = field(default_factory=lambda: PhraseMatcher([]))
    told_of_others: PhraseMatcher = field(default_factory=lambda: PhraseMatcher([]))
    #: Cleans each message for every detector; knows the words of the rules' lists.
    normalizer: Normalizer = field(default_factory=Normalizer)

    def normalize(self, text: str) -> NormalizedText:
        """Return a message's text cleaned as every detector reads it."""
        return self.normalizer(text)

    def detect(self, ctx: MessageContext) -> list[Finding]:
        """Run every enabled detector on one message and return all their findings."""
        findings: list[Finding] = []
        for detector in self.detectors:
            findings.extend(detector.detect(ctx))
        return findings

    def detector(self, rule_id: str) -> Detector:
        """Return the detector built from a rule, enabled or not (for tests and tools)."""
        return self.built[rule_id]


def load_rules(folder: Path, clause_ids: Collection[str]) -> RuleSet:
    """Load ``folder/rules.yaml`` and ``folder/lists/*.yaml``; raise RuleError on any mistake."""
    problems: list[str] = []
    lists = _load_lists(folder / "lists", problems)
    rules_file = folder / "rules.yaml"
    shown = _shown(rules_file)
    document = _read_yaml(rules_file, problems)
    specs: list[RuleSpec] = []
    built: dict[str, Detector] = {}
    if isinstance(document, Mapping):
        defaults = document.get("defaults") or {}
        if not isinstance(defaults, Mapping):
            problems.append(f"{shown}: defaults: expected a mapping of key: value")
            defaults = {}
        raw_rules = document.get("rules")
        if not isinstance(raw_rules, list):
            problems.append(f"{shown}: rules: expected a list of rules")
            raw_rules = []
        for i, raw in enumerate(raw_rules):
            spec = _parse_rule(raw, defaults, f"{shown}: rules[{i}]", clause_ids, problems)
            if spec is None:
                continue
            if spec.id in built or any(s.id == spec.id for s in specs):
                problems.append(f"{spec.where}.id: duplicate rule id {spec.id!r}")
                continue
            try:
                built[spec.id] = DETECTOR_KINDS[spec.kind](spec, lists)
            except RuleError as exc:
                problems.extend(exc.problems)
                continue
            specs.append(spec)
    elif document is not None or rules_file.exists():
        problems.append(f"{shown}: expected a mapping with 'defaults' and 'rules'")
    desist = PhraseMatcher([])
    cues = {}
    misspelt: tuple[str, ...] = ()
    given_names: tuple[str, ...] = ()
    try:
        desist = lists.matcher([DESIST_LIST], f"{_shown(folder / 'lists')}")
        for name in (
            DESIST_HELP_LIST,
            DESIST_LAUGHTER_LIST,
            GROUP_ADDRESS_LIST,
            REPORTED_SPEECH_LIST,
            PERMISSION_QUESTIONS_LIST,
            TOLD_OF_OTHERS_LIST,
        ):
            if name in lists.names:
                cues[name] = lists.matcher([name], f"{_shown(folder / 'lists')}")
        misspelt = (
            lists.phrases(MISSPELT_WORDS_LIST, f"{_shown(folder / 'lists')}")
            if MISSPELT_WORDS_LIST in lists.names
            else ()
        )
        # The given names the rules know are read as typed: never split ("themba" is not "the
        # mba") nor respelt ("ciara" is not "clara").
        given_names = tuple(
            name
            for list_name in sorted({n for spec in specs for n in spec.names("first_names")})
            if list_name in lists.names
            for name in lists.phrases(list_name, f"{_shown(folder / 'lists')}")
        )
    except RuleError as exc:
        problems.extend(exc.problems)
    if problems:
        raise RuleError(problems)
    enabled = tuple(built[s.id] for s in specs if s.enabled)
    names = [d for d in enabled if isinstance(d, DisplayNameCheck)]
    return RuleSet(
        rules=tuple(specs),
        detectors=tuple(d for d in enabled if not isinstance(d, DisplayNameCheck)),
        desist=desist,
        display_names=names[0] if names else DisplayNameCheck(),
        lists=lists,
        built=built,
        desist_help=cues.get(DESIST_HELP_LIST, PhraseMatcher([])),
        desist_laughter=cues.get(DESIST_LAUGHTER_LIST, PhraseMatcher([])),
        group_address=cues.get(GROUP_ADDRESS_LIST, PhraseMatcher([])),
        reported_speech=cues.get(REPORTED_SPEECH_LIST, PhraseMatcher([])),
        permission_questions=cues.get(PERMISSION_QUESTIONS_LIST, PhraseMatcher([])),
        told_of_others=cues.get(TOLD_OF_OTHERS_LIST, PhraseMatcher([])),
        normalizer=_normalizer(lists.matched_phrases(), misspelt, given_names, specs),
    )


def _normalizer(
    phrases: Collection[str],
    misspelt: Collection[str],
    given_names: Collection[str],
    specs: Collection[RuleSpec],
) -> Normalizer:
    """Return the normalizer that knows the lists' words and the words the patterns need.

    A word a pattern is written in that the normalizer would read as something else
    ("windscreen" as "wind screen", "behead" as "be head") could never match: those words are
    known too. Only those: every word of every pattern would change how chat reads.
    """
    first = Normalizer.with_lexicon(phrases, misspelt, given_names)
    needed = [
        word
        for word in sorted(pattern_words([p for spec in specs for p in spec.names("patterns")]))
        if first(word).text != word
    ]
    if not needed:
        return first
    return Normalizer.with_lexicon((*phrases, *needed), misspelt, given_names)


def _parse_rule(
    raw: object,
    defaults: Mapping[str, Any],
    where: str,
    clause_ids: Collection[str],
    problems: list[str],
) -> RuleSpec | None:
    """Check one rule's common keys and return its spec, or None after noting problems."""
    if not isinstance(raw, Mapping):
        problems.append(f"{where}: expected a mapping (id, label, kind, ...)")
        return None
    before = len(problems)
    kind = raw.get("kind", defaults.get("kind"))
    if kind not in DETECTOR_KINDS:
        known = ", ".join(sorted(DETECTOR_KINDS))
        problems.append(f"{where}.kind: unknown detector kind {kind!r} (known: {known})")
        return None
    allowed = COMMON_KEYS | DETECTOR_PARAMS[kind]
    merged: dict[str, Any] = {k: v for k, v in defaults.items() if k in allowed}
    merged.update(raw)
    for key in raw:
        if key not in allowed:
            # YAML reads a bare on/off/yes/no key as true or false.
            hint = ' (YAML reads on, off, yes and no as true/false: quote the key, "on":)'
            problems.append(
                f"{where}.{key}: unknown key for kind {kind!r} (known: {', '.join(sorted(allowed))})"
                + (hint if isinstance(key, bool) else "")
            )
    rule_id = merged.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        problems.append(f"{where}.id: expected a rule id (text)")
    label = merged.get("label")
    if label not in ALL_LABELS:
        problems.append(
            f"{where}.label: unknown label {label!r} (known: {', '.join(sorted(ALL_LABELS))})"
        )
        label = None
    clauses = _clauses(merged, label, where, clause_ids, problems)
    severity = merged.get("severity", "medium")
    if severity not in {str(s) for s in Severity}:
        problems.append(f"{where}.severity: expected low, medium or high, got {severity!r}")
    score = merged.get("score", 1.0)
    if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1:
        problems.append(f"{where}.score: expected a number from 0 to 1, got {score!r}")
    enabled = merged.get("enabled", True)
    if not isinstance(enabled, bool):
        problems.append(f"{where}.enabled: expected true or false, got {enabled!r}")
    if len(problems) > before:
        return None
    params = {k: v for k, v in merged.items() if k not in COMMON_KEYS}
    return RuleSpec(
        id=str(rule_id),
        label=str(label),
        clauses=clauses,
        severity=Severity(severity),
        kind=str(kind),
        score=float(score),
        enabled=bool(enabled),
        params=params,
        where=where,
    )


def _clauses(
    merged: Mapping[str, Any],
    label: str | None,
    where: str,
    clause_ids: Collection[str],
    problems: list[str],
) -> tuple[str, ...]:
    """Return a rule's clauses (the label's by default), noting any the policy lacks."""
    raw = merged.get("clauses")
    if raw is None:
        if label is None:
            return ()
        return VIOLATION_LABELS.get(label) or ROUTE_LABELS.get(label, ())
    if isinstance(raw, str | int | float):
        raw = [raw]
    if not isinstance(raw, list):
        problems.append(f"{where}.clauses: expected a list of clause ids")
        return ()
    clauses = tuple(str(c) for c in raw)
    for j, clause in enumerate(clauses):
        if clause not in clause_ids:
            problems.append(f"{where}.clauses[{j}]: clause {clause!r} is not in the policy")
    return clauses


def _load_lists(folder: Path, problems: list[str]) -> RuleLists:
    """Read every ``*.yaml`` in the lists folder into named lists."""
    entries: dict[str, list[Any]] = {}
    sources: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        shown = _shown(path)
        document = _read_yaml(path, problems)
        if document is None:
            continue
        if not isinstance(document, Mapping):
            problems.append(f"{shown}: expected a mapping of list name to a list of phrases")
            continue
        for name, items in document.items():
            if not isinstance(items, list):
                problems.append(f"{shown}: {name}: expected a list")
                continue
            if name in entries:
                problems.append(f"{shown}: {name}: list already defined in {sources[name]}")
                continue
            entries[str(name)] = items
            sources[str(name)] = shown
    return RuleLists(entries, sources)


def _read_yaml(path: Path, problems: list[str]) -> Any:
    """Return a YAML file's document, or None after noting why it cannot be read."""
    shown = _shown(path)
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        problems.append(f"{shown}: file not found")
    except UnicodeDecodeError as exc:
        problems.append(f"{shown}: not UTF-8 text ({exc.reason})")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"line {mark.line + 1}: " if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.append(f"{shown}: {at}invalid YAML ({reason})")
    return None


def _shown(path: Path) -> str:
    """Return a path as the user would type it: relative to the working folder when inside."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
