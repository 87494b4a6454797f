"""Link rules: a link whose host (and, for some hosts, path) is on a domain list.

Links come from ``Message.links`` and from URLs or bare domains typed in the text. A host
matches an entry when it is the entry or ends with ``.`` + the entry, so ``panopto.eu`` covers
``dmu.cloud.panopto.eu``. Domain list items are either a host, or a mapping with a host and
path patterns (RE2, searched in path + query) when only some pages count::

    learning-platform-domains:
      - replay.dmu.ac.uk
      - {domain: teams.microsoft.com, paths: ['(?i)recording', '(?i)/l/meetingrecap']}

A link to a page that shows no content (a login page, an assignment's submission page) is
never content: ``not_content`` names lists of RE2 patterns searched in a link's path and query.
A course's own space expects links to its learning platform: with ``quiet_in_course_spaces``,
the rule is quiet where the channel's settings say ``course_space``. A message that asks
whether something is allowed ("can I post the replay link here?") is a question, not the
breach: ``unless`` names phrase lists any of which silences the rule.

Rule keys (besides the common ones)::

    domains: [learning-platform-domains]   # list names
    not_content: [learning-platform-pages] # path patterns that are never content
    quiet_in_course_spaces: true
    unless: [permission-questions]
    evidence: "link to a learning platform"
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bot.detectors.base import MessageContext
from bot.detectors.phrase_matcher import PhraseMatcher
from bot.detectors.regex import compile_re2
from bot.detectors.spec import BuiltFromRule, RuleError, RuleLists, RuleSpec
from bot.finding import Finding

# URLs with a scheme, or bare "host.tld/path" as students paste them ("chegg.com/homework-help").
_URL = re.compile(
    r"\bhttps?://[^\s<>\"')\]]+|\b(?:www\.)?(?:[a-z0-9-]+\.)+[a-z]{2,24}(?:/[^\s<>\"')\]]*)?",
    re.IGNORECASE,
)

# What every match of _URL holds, without a scheme: a letter, digit or hyphen, a dot, two letters.
_DOTTED = re.compile(r"[a-z0-9-]\.[a-z]{2}", re.IGNORECASE)


#: The rule keys this kind reads, besides the common ones.
PARAMS = frozenset(
    {
        "domains",
        "not_content",
        "quiet_in_course_spaces",
        "unless",
        "evidence",
    }
)


@dataclass(frozen=True, slots=True)
class DomainEntry:
    """One listed host, and the path patterns that must match when there are any."""

    domain: str
    paths: tuple[Any, ...] = ()

    def matches(self, host: str, path: str) -> bool:
        """Return True if a link with this host and path is covered by the entry."""
        if host != self.domain and not host.endswith("." + self.domain):
            return False
        return not self.paths or any(p.search(path) for p in self.paths)


@dataclass(frozen=True, slots=True)
class LinkDetector(BuiltFromRule):
    """Fire at the first link whose host is on the rule's domain lists."""

    spec: RuleSpec
    entries: tuple[DomainEntry, ...]
    not_content: tuple[Any, ...] = ()
    quiet_in_course_spaces: bool = False
    unless: PhraseMatcher | None = None
    evidence: str = ""

    def detect(self, ctx: MessageContext) -> list[Finding]:
        """Return one finding for the first listed link, naming its host."""
        if self.quiet_in_course_spaces and ctx.settings.course_space:
            return []
        original = ctx.normalized.original
        candidates: list[tuple[str, tuple[int, int] | None]] = [
            (link, None) for link in ctx.message.links
        ]
        if "://" in original or _DOTTED.search(original):
            candidates += [(m.group(), m.span()) for m in _URL.finditer(original)]
        for link, span in candidates:
            host, path = split_link(link)
            if not host or not any(e.matches(host, path) for e in self.entries):
                continue
            if any(p.search(path) for p in self.not_content):
                continue
            if self.unless is not None and self.unless.search(ctx.normalized):
                return []
            return [self.spec.finding(f"{self.evidence} ({host})", span=span)]
        return []


def split_link(link: str) -> tuple[str, str]:
    """Return a link's lower-case host and its path with query ("" when it has no host)."""
    raw = link if "://" in link else "https://" + link
    try:
        parts = urlsplit(raw)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return "", ""
    path = parts.path + ("?" + parts.query if parts.query else "")
    return host.lower(), path


def build_entries(spec: RuleSpec, lists: RuleLists) -> tuple[DomainEntry, ...]:
    """Read the domain lists a rule names into entries, checking each item."""
    entries: list[DomainEntry] = []
    for name in spec.names("domains", required=True):
        source = lists.source(name)
        for i, item in enumerate(lists.entries(name, f"{spec.where}.domains")):
            where = f"{source}: {name}[{i}]"
            if isinstance(item, str) and item.strip():
                entries.append(DomainEntry(item.strip().lower()))
            elif isinstance(item, dict) and isinstance(item.get("domain"), str):
                paths = item.get("paths", [])
                if isinstance(paths, str):
                    paths = [paths]
                if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
                    raise RuleError([f"{where}.paths: expected a list of patterns"])
                compiled = compile_re2(paths, f"{where}.paths")
                entries.append(DomainEntry(item["domain"].strip().lower(), tuple(compiled)))
            else:
                raise RuleError([f"{where}: expected a host or {{domain: host, paths: [...]}}"])
    return tuple(entries)


def build(spec: RuleSpec, lists: RuleLists) -> LinkDetector:
    """Build a link detector from its rule data."""
    not_content: list[Any] = []
    for name in spec.names("not_content"):
        patterns = lists.phrases(name, f"{spec.where}.not_content")
        not_content += compile_re2(patterns, f"{lists.source(name)}: {name}", spec.id)
    return LinkDetector(
        spec=spec,
        entries=build_entries(spec, lists),
        not_content=tuple(not_content),
        quiet_in_course_spaces=spec.flag("quiet_in_course_spaces", False),
        unless=lists.optional_matcher(spec, "unless"),
        evidence=spec.text("evidence", f"{spec.label} link"),
    )
