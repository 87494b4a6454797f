"""The rule data a detector is built from: one parsed rule, the named lists, and their errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.detectors.phrase_matcher import PhraseMatcher
from bot.finding import Finding
from bot.taxonomy import ALL_LABELS, ROUTE_LABELS, VIOLATION_LABELS, Severity

#: The ending of a list's name that holds words of other languages.
OTHER_LANGUAGES = "-other-languages"


class RuleError(Exception):
    """Rule data that cannot be used; ``problems`` holds one line per mistake, naming where."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems: list[str] = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One rule from ``rules.yaml`` after defaults are applied.

    ``params`` keeps the kind-specific keys as written; the typed getters below read them and
    raise :class:`RuleError` naming ``where`` (file and rule index) and the key on a mistake.
    """

    id: str
    label: str
    clauses: tuple[str, ...]
    severity: Severity
    kind: str
    score: float = 1.0
    enabled: bool = True
    params: Mapping[str, Any] = field(default_factory=dict)
    where: str = "rules.yaml: rules[?]"

    def finding(
        self,
        evidence: str,
        *,
        span: tuple[int, int] | None = None,
        score: float | None = None,
        label: str | None = None,
        severity: Severity | None = None,
        whose_unsaid: bool = False,
    ) -> Finding:
        """Return a finding of this rule; another ``label`` brings that label's own clauses."""
        clauses = self.clauses
        if label is not None and label != self.label:
            clauses = VIOLATION_LABELS.get(label) or ROUTE_LABELS.get(label, ())
        return Finding(
            label=label or self.label,
            clauses=clauses,
            severity=severity or self.severity,
            score=self.score if score is None else score,
            evidence=evidence,
            rule=self.id,
            detector=self.kind,
            span=span,
            whose_unsaid=whose_unsaid,
        )

    def error(self, key: str, message: str) -> RuleError:
        """Return a one-line error about ``key`` of this rule."""
        return RuleError([f"{self.where}.{key}: {message}"])

    def text(self, key: str, default: str | None = None) -> str:
        """Return a string parameter, or ``default`` when absent."""
        value = self.params.get(key, default)
        if not isinstance(value, str):
            if value is None:
                raise self.error(key, "is required")
            raise self.error(key, f"expected text, got {type(value).__name__}")
        return value

    def choice(self, key: str, options: tuple[str, ...]) -> str:
        """Return a text parameter that must be one of ``options``; the first is the default."""
        value = self.text(key, options[0])
        if value not in options:
            expected = " or ".join(repr(option) for option in options)
            raise self.error(key, f"expected {expected}, got {value!r}")
        return value

    def number(self, key: str, default: float) -> float:
        """Return a numeric parameter, or ``default`` when absent."""
        value = self.params.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(key, f"expected a number, got {value!r}")
        return float(value)

    def flag(self, key: str, default: bool) -> bool:
        """Return a true/false parameter, or ``default`` when absent."""
        value = self.params.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"expected true or false, got {value!r}")
        return value

    def names(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        """Return a parameter holding one name or a list of names (lists, patterns, domains)."""
        value = self.params.get(key)
        if value is None:
            if required:
                raise self.error(key, "is required")
            return ()
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise self.error(key, "expected a name or a list of names")

    def groups(self, key: str) -> tuple[tuple[str, ...], ...]:
        """Return a list whose items are names or lists of names (all items must hold)."""
        value = self.params.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.error(key, "expected a list of list names (or of lists of list names)")
        out: list[tuple[str, ...]] = []
        for i, item in enumerate(value):
            if isinstance(item, str):
                out.append((item,))
            elif isinstance(item, list) and item and all(isinstance(v, str) for v in item):
                out.append(tuple(item))
            else:
                raise self.error(f"{key}[{i}]", "expected a list name or a list of list names")
        return tuple(out)

    def label_param(self, key: str, default: str) -> str:
        """Return a parameter that names a taxonomy label, checked against the taxonomy."""
        value = self.text(key, default)
        if value not in ALL_LABELS:
            raise self.error(key, f"unknown label {value!r}")
        return value

    def severity_param(self, key: str, default: Severity) -> Severity:
        """Return a parameter that names a severity."""
        value = self.params.get(key, str(default))
        try:
            return Severity(value)
        except ValueError:
            raise self.error(
                key, f"unknown severity {value!r} (known: low, medium, high)"
            ) from None


class RuleLists:
    """The named lists from ``lists/*.yaml``, and the phrase matchers compiled from them.

    Matchers are compiled once per distinct combination of lists and shared by every rule
    that names it, so a list used by ten rules costs one compile.
    """

    def __init__(self, entries: Mapping[str, Sequence[Any]], sources: Mapping[str, str]) -> None:
        self._entries = {name: tuple(items) for name, items in entries.items()}
        self._sources = dict(sources)
        self._matchers: dict[tuple[str, ...], PhraseMatcher] = {}

    @property
    def names(self) -> tuple[str, ...]:
        """Return the names of all lists, sorted."""
        return tuple(sorted(self._entries))

    def source(self, name: str) -> str:
        """Return the file a list came from."""
        return self._sources.get(name, "?")

    def entries(self, name: str, where: str) -> tuple[Any, ...]:
        """Return a list's raw items; ``where`` names the rule key asking for it."""
        if name not in self._entries:
            known = ", ".join(self.names) or "none"
            raise RuleError([f"{where}: unknown list {name!r} (known: {known})"])
        return self._entries[name]

    def phrases(self, name: str, where: str) -> tuple[str, ...]:
        """Return a list's items, which must all be text."""
        items = self.entries(name, where)
        bad = [i for i, item in enumerate(items) if not isinstance(item, str) or not item.strip()]
        if bad:
            got = items[bad[0]]
            hint = (
                " (quote words YAML reads as true/false: on, off, yes, no)"
                if isinstance(got, bool)
                else ""
            )
            raise RuleError(
                [
                    f"{self.source(name)}: {name}[{bad[0]}]: expected a phrase (text), got {got!r}{hint}"
                ]
            )
        return tuple(str(item) for item in items)

    def matched_phrases(self) -> tuple[str, ...]:
        """Return the phrases of every list compiled into a matcher so far (the rules' words).

        Lists named ``*-other-languages`` are left out: their words ("ist", "eine") are matched
        as typed, and as pieces they would cut English words up ("codeine" read "cod eine").
        """
        names = sorted(
            {name for key in self._matchers for name in key if not name.endswith(OTHER_LANGUAGES)}
        )
        return tuple(p for name in names for p in self._entries[name] if isinstance(p, str))

    def optional_matcher(self, spec: RuleSpec, key: str) -> PhraseMatcher | None:
        """Return one matcher for the lists a rule names under ``key``; None when it names none."""
        names = spec.names(key)
        return self.matcher(names, f"{spec.where}.{key}") if names else None

    def matcher(self, names: Sequence[str], where: str) -> PhraseMatcher:
        """Return one matcher for the phrases of all ``names`` together."""
        key = tuple(names)
        if key not in self._matchers:
            phrases: list[str] = []
            for name in key:
                phrases.extend(self.phrases(name, where))
            self._matchers[key] = PhraseMatcher(phrases)
        return self._matchers[key]


class BuiltFromRule:
    """Give a detector built from one rule the ``rule_id`` the engine reports it by.

    A mixin for the detector dataclasses: each holds its ``spec`` and names itself after it.
    """

    __slots__ = ()
    spec: RuleSpec

    @property
    def rule_id(self) -> str:
        """Return the id of the rule this detector was built from."""
        return self.spec.id
