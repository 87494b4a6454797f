"""The fixed label taxonomy: every label a finding may carry and the clauses it cites by default.

Labels are the policy's own words, hyphenated. Rules in ``policy_rules/`` may cite other
clauses, but may only use these labels. Route labels are never violations: they steer the
author to the official routes or to support.
"""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    """How serious a finding is; ordered low < medium < high."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """Return 0, 1 or 2 so severities can be compared."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2}

#: Violation labels and the clauses they cite by default.
VIOLATION_LABELS: dict[str, tuple[str, ...]] = {
    # 4.5: material that should never be posted
    "confidential-info": ("4.5",),
    "personal-info": ("4.5",),
    "impersonation": ("4.5", "5.2"),
    "account-details": ("4.5",),
    "abusive-content": ("4.5",),
    "non-consensual-recording": ("4.5",),
    "learning-platform-content": ("4.5",),
    "criminal-content": ("4.5",),
    "academic-misconduct": ("4.5",),
    "assessment-content": ("4.5",),
    "coursework-sharing": ("4.5",),
    "disrepute": ("4.5",),
    # 5.2: cyber bullying
    "rumours": ("5.2",),
    "intimidation": ("5.2",),
    "offensive-or-threatening": ("5.2",),
    "mocking": ("5.2",),
    "repeated-unwanted-contact": ("5.2",),
    "third-party-account-misuse": ("5.2",),
    # 4.9: speaking for the university
    "implied-official-view": ("4.9",),
}

#: Labels that need a human's judgement (what is confidential, what brings the university into
#: disrepute): off unless a community's config turns them on.
OFF_BY_DEFAULT: frozenset[str] = frozenset({"confidential-info", "disrepute"})

#: Route labels: the bot answers privately with routes or support, never a strike.
ROUTE_LABELS: dict[str, tuple[str, ...]] = {
    "report-intent": ("4.2", "7.5"),
    "wellbeing-risk": (),
    "privacy-tip": ("3.11",),
}

#: A finding of the key label rules out findings of these in the same message: personal details
#: found to be someone else's are not also the author's own (a rule reads whose they are; the
#: model may read a bare number as the author's).
SUPERSEDES: dict[str, tuple[str, ...]] = {"personal-info": ("privacy-tip",)}

#: Detector kind -> (the label it gives details it read as the author's own, the model's label
#: that reading rules out). With no rule finding the second label, the model's finding of it
#: goes: the rule that read whose the details are and found only the author's ("can someone
#: check my details? passport no ..., DOB ...") outweighs the model's guess that they are
#: someone else's. Only a kind that reads owners counts (not a phrase rule's privacy tip).
OWNER_READ: dict[str, tuple[str, str]] = {"personal-info": ("privacy-tip", "personal-info")}

#: A rule's finding of the key label rules out the model's findings of these in the same
#: message. A student telling of distress ("you ever stand on the platform and think how easy
#: it would be to take one step forward") is menacing no one, whatever the model reads into it.
#: A rule's finding of intimidation stays, and a threat is another label. A wish to report is
#: not here: "... who do i tell lol" stuck on an offer would hide it; a report that tells what
#: someone else did is spared by :func:`bot.quoted_report.spare_the_reporter`.
OUTWEIGHS_MODEL: dict[str, tuple[str, ...]] = {"wellbeing-risk": ("intimidation",)}

ALL_LABELS: frozenset[str] = frozenset(VIOLATION_LABELS) | frozenset(ROUTE_LABELS)


def is_route(label: str) -> bool:
    """Return True when ``label`` points to a route rather than a breach."""
    return label in ROUTE_LABELS
