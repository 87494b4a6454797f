"""Impersonation by display name: a new or changed name that imitates a moderator's or a member's.

Names are compared after normalizing them (look-alike letters, leetspeak, zero-width
characters), dropping everything but letters and digits, reading l as i and rn as m, and, for moderators, dropping role
words the impersonator adds ("Mod", "Admin"). "M0d Sarah" then reads "sarah", like the
moderator "Sarah"; "Jess  Smith." reads "jesssmith", like "Jess Smith". RapidFuzz's ratio
scores the rest; thresholds are stricter for ordinary members because two real people may
share a name, and names shorter than ``min_length`` letters are never compared.

This is not a message detector: the engine calls :meth:`DisplayNameCheck.check_display_name`
on member join and rename. Messages that *say* they are posting as someone else are caught
by phrase rules (``third-party-account-misuse``, ``impersonation``) in ``rules.yaml``.

Rule keys (kind ``display-name``, besides the common ones)::

    role_words: role-words          # list: words stripped before comparing with moderators
    moderator_threshold: 90
    member_threshold: 95
    min_length: 4
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from bot.detectors.base import MessageContext
from bot.detectors.spec import RuleLists, RuleSpec
from bot.finding import Finding
from bot.normalize import normalize
from bot.taxonomy import VIOLATION_LABELS, Severity

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
DEFAULT_ROLE_WORDS = frozenset({"mod", "moderator", "admin", "staff", "official", "real", "the"})


#: The rule keys this kind reads, besides the common ones.
PARAMS = frozenset(
    {
        "role_words",
        "moderator_threshold",
        "member_threshold",
        "min_length",
        "member_severity",
    }
)


@dataclass(frozen=True, slots=True)
class DisplayNameCheck:
    """Compare a display name with moderators' and members' names."""

    rule_id: str = "impersonation-display-name"
    label: str = "impersonation"
    clauses: tuple[str, ...] = VIOLATION_LABELS["impersonation"]
    role_words: frozenset[str] = field(default=DEFAULT_ROLE_WORDS)
    moderator_threshold: float = 90.0
    member_threshold: float = 95.0
    min_length: int = 4
    moderator_severity: Severity = Severity.HIGH
    member_severity: Severity = Severity.MEDIUM

    def detect(self, ctx: MessageContext) -> list[Finding]:
        """Return nothing: display names are checked on join and rename, not per message."""
        return []

    def key(self, name: str, *, strip_roles: bool = False) -> str:
        """Return the comparable form of a display name."""
        words = normalize(name).text.split()
        if strip_roles:
            kept = [w for w in words if _NOT_ALNUM.sub("", w) not in self.role_words]
            words = kept or words
        joined = _NOT_ALNUM.sub("", "".join(words))
        # Letter pairs that read alike in most fonts: "Smlth" for "Smith", "rn" for "m".
        return joined.replace("rn", "m").replace("vv", "w").replace("l", "i")

    def check_display_name(
        self,
        user_id: str,
        name: str,
        others: Mapping[str, str],
        moderators: Collection[str],
    ) -> Finding | None:
        """Return a finding if ``name`` imitates a moderator's or another member's name.

        ``others`` maps user ids to display names; ``moderators`` holds moderators' user ids
        (an entry that is not a key of ``others`` is taken as a moderator's display name).
        """
        plain = self.key(name)
        stripped = self.key(name, strip_roles=True)
        if len(stripped) < self.min_length:
            return None
        mod_names = [(uid, others[uid]) for uid in moderators if uid in others and uid != user_id]
        mod_names += [("", m) for m in moderators if m not in others]
        best: tuple[float, str] | None = None
        for uid, mod_name in mod_names:
            if name == mod_name and uid == user_id:
                continue
            score = fuzz.ratio(stripped, self.key(mod_name, strip_roles=True))
            if score >= self.moderator_threshold and (best is None or score > best[0]):
                best = (score, uid)
        if best is not None:
            who = f"moderator {best[1]}" if best[1] else "a moderator"
            return self._finding(f"display name imitates {who} ({best[0]:.0f}% alike)", True)
        for uid, other in others.items():
            if uid == user_id or uid in moderators:
                continue
            other_key = self.key(other)
            if len(other_key) < self.min_length:
                continue
            score = fuzz.ratio(plain, other_key)
            if score >= self.member_threshold:
                return self._finding(
                    f"display name imitates member {uid} ({score:.0f}% alike)", False
                )
        return None

    def _finding(self, evidence: str, moderator: bool) -> Finding:
        return Finding(
            label=self.label,
            clauses=self.clauses,
            severity=self.moderator_severity if moderator else self.member_severity,
            score=0.9 if moderator else 0.7,
            evidence=evidence,
            rule=self.rule_id,
            detector="display-name",
        )


def check_display_name(
    user_id: str,
    name: str,
    others: Mapping[str, str],
    moderators: Collection[str],
    check: DisplayNameCheck | None = None,
) -> Finding | None:
    """Return a finding if ``name`` imitates a moderator's or member's (default thresholds)."""
    return (check or DisplayNameCheck()).check_display_name(user_id, name, others, moderators)


def build(spec: RuleSpec, lists: RuleLists) -> DisplayNameCheck:
    """Build the display-name check from its rule data."""
    role_words = DEFAULT_ROLE_WORDS
    names = spec.names("role_words")
    if names:
        words: set[str] = set()
        for name in names:
            words.update(w.lower() for w in lists.phrases(name, f"{spec.where}.role_words"))
        role_words = frozenset(words)
    return DisplayNameCheck(
        rule_id=spec.id,
        label=spec.label,
        clauses=spec.clauses,
        role_words=role_words,
        moderator_threshold=spec.number("moderator_threshold", 90),
        member_threshold=spec.number("member_threshold", 95),
        min_length=int(spec.number("min_length", 4)),
        moderator_severity=spec.severity,
        member_severity=spec.severity_param("member_severity", Severity.MEDIUM),
    )
