"""Attachment rules: a file whose name (and, optionally, extension or type) gives it away.

Names are matched after case-folding them and turning ``_ - .`` into spaces, so
"Week5_Lecture-Recording.mp4" reads "week5 lecture recording mp4". Patterns are RE2.

Rule keys (besides the common ones)::

    name_patterns: ['\\bmark ?scheme\\b']   # any pattern on the cleaned name fires
    extensions: [mp4, m4a]                  # optional: only these extensions
    content_types: [video/, audio/]         # optional: or these type prefixes
    evidence: "attachment named like a mark scheme or answers"
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from bot.detectors.base import MessageContext
from bot.detectors.regex import compile_re2
from bot.detectors.spec import BuiltFromRule, RuleLists, RuleSpec
from bot.finding import Finding
from bot.message import Attachment

_NAME_SEPARATORS = re.compile(r"[_\-.+]+")


#: The rule keys this kind reads, besides the common ones.
PARAMS = frozenset(
    {
        "name_patterns",
        "extensions",
        "content_types",
        "quiet_in_course_spaces",
        "evidence",
    }
)


@dataclass(frozen=True, slots=True)
class AttachmentDetector(BuiltFromRule):
    """Fire at the first attachment whose cleaned name matches and whose type is in scope."""

    spec: RuleSpec
    patterns: tuple[Any, ...]
    extensions: frozenset[str] = frozenset()
    content_types: tuple[str, ...] = ()
    quiet_in_course_spaces: bool = False
    evidence: str = ""

    def detect(self, ctx: MessageContext) -> list[Finding]:
        """Return one finding for the first matching attachment."""
        if self.quiet_in_course_spaces and ctx.settings.course_space:
            return []
        for attachment in ctx.message.attachments:
            if self.in_scope(attachment) and self.name_matches(attachment.filename):
                return [self.spec.finding(self.evidence)]
        return []

    def in_scope(self, attachment: Attachment) -> bool:
        """Return True if the file's extension or type is one the rule looks at."""
        if not self.extensions and not self.content_types:
            return True
        ext = attachment.filename.rsplit(".", 1)[-1].lower() if "." in attachment.filename else ""
        if ext in self.extensions:
            return True
        kind = (attachment.content_type or "").lower()
        return bool(kind) and any(kind.startswith(t) for t in self.content_types)

    def name_matches(self, filename: str) -> bool:
        """Return True if any pattern matches the cleaned file name."""
        # Case-folded only: leetspeak would read "week5" as "weeks".
        name = _NAME_SEPARATORS.sub(" ", unicodedata.normalize("NFKC", filename).casefold())
        return any(p.search(name) for p in self.patterns)


def build(spec: RuleSpec, lists: RuleLists) -> AttachmentDetector:
    """Build an attachment detector from its rule data."""
    patterns = spec.names("name_patterns", required=True)
    return AttachmentDetector(
        spec=spec,
        patterns=tuple(compile_re2(patterns, f"{spec.where}.name_patterns", spec.id)),
        extensions=frozenset(e.lower().lstrip(".") for e in spec.names("extensions")),
        content_types=tuple(t.lower() for t in spec.names("content_types")),
        quiet_in_course_spaces=spec.flag("quiet_in_course_spaces", False),
        evidence=spec.text("evidence", f"{spec.label} attachment"),
    )
