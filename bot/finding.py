"""A finding: one detector's claim that a message may breach a clause (or needs a route)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from bot.taxonomy import Severity, is_route

#: The detector kind of the policy classifier (``kind: classifier`` in rules.yaml).
MODEL_KIND = "classifier"


@dataclass(frozen=True, slots=True)
class Finding:
    """What fired, which clauses it cites, how sure and how serious, and why.

    ``evidence`` is a short human reason or the matched span *as a description*; ``span`` gives
    offsets into the original text so an adapter can highlight without the core storing it.
    ``rule`` names the rule in ``policy_rules/`` that produced it and ``detector`` its kind, so
    that dismissed findings can be counted per label and detector. ``origin`` says where it came
    from in a word a student and a moderator understand: ``rule`` (a list or pattern matched),
    ``model`` (the policy classifier read it so) or ``rule+model`` (both agree).
    ``whose_unsaid`` marks a rule's finding about details nothing in the message said were
    anyone's: the rule's default reading, which a reading of whose they are may overturn.
    """

    label: str
    clauses: tuple[str, ...]
    severity: Severity
    score: float
    evidence: str
    rule: str = ""
    detector: str = ""
    span: tuple[int, int] | None = None
    source: str = ""
    whose_unsaid: bool = False

    @property
    def origin(self) -> str:
        """Return ``rule``, ``model`` or ``rule+model``: what raised this finding."""
        if self.source:
            return self.source
        return "model" if self.detector == MODEL_KIND else "rule"

    @property
    def is_route(self) -> bool:
        """Return True when this finding steers to a route and is never a breach."""
        return is_route(self.label)

    def to_dict(self) -> dict[str, object]:
        """Return the public JSON shape of a finding (the ``check --jsonl`` contract)."""
        return {
            "label": self.label,
            "clauses": list(self.clauses),
            "severity": str(self.severity),
            "score": round(self.score, 3),
            "evidence": self.evidence,
            "source": self.origin,
        }


def strongest_per_label(findings: Iterable[Finding]) -> list[Finding]:
    """Keep one finding per label: the most severe, then the surest (first seen wins ties).

    When a rule and the model both raised a label, the kept finding says ``rule+model``.
    """
    best: dict[str, Finding] = {}
    origins: dict[str, set[str]] = {}
    for f in findings:
        origins.setdefault(f.label, set()).update(f.origin.split("+"))
        held = best.get(f.label)
        if held is None or (f.severity.rank, f.score) > (held.severity.rank, held.score):
            best[f.label] = f
    return [
        replace(f, source="rule+model") if len(origins[label]) > 1 else f
        for label, f in best.items()
    ]
