"""A finding: one detector's claim that a message may breach a clause (or needs a route)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.taxonomy import Severity, is_route


@dataclass(frozen=True, slots=True)
class Finding:
    """What fired, which clauses it cites, how sure and how serious, and why.

    ``evidence`` is a short human reason or the matched span *as a description*; ``span`` gives
    offsets into the original text so an adapter can highlight without the core storing it.
    ``rule`` names the rule in ``policy_rules/`` that produced it and ``detector`` its kind, so
    that dismissed findings can be counted per label and detector.
    """

    label: str
    clauses: tuple[str, ...]
    severity: Severity
    score: float
    evidence: str
    rule: str = ""
    detector: str = ""
    span: tuple[int, int] | None = None

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
        }


def strongest_per_label(findings: Iterable[Finding]) -> list[Finding]:
    """Keep one finding per label: the most severe, then the surest (first seen wins ties)."""
    best: dict[str, Finding] = {}
    for f in findings:
        held = best.get(f.label)
        if held is None or (f.severity.rank, f.score) > (held.severity.rank, held.score):
            best[f.label] = f
    return list(best.values())
