"""The university's social media policy as data: its clauses, its official routes, and lookup.

A policy folder (``policy_rules/dmu/`` for De Montfort University) holds ``policy.yaml``;
``load_policy`` reads and checks it. Clause ids are the policy's own numbers ("4.5") or a
name for an unnumbered part ("annex").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.decision import RouteInfo
from bot.normalize.wordlist import english_costs
from bot.policy_file import PolicyError, PolicyModel, read_policy_file
from bot.policy_search import ClauseIndex, SearchDoc

__all__ = [
    "Clause",
    "LookupKind",
    "LookupMatch",
    "LookupResult",
    "Policy",
    "PolicyError",
    "PolicySource",
    "Route",
    "TocEntry",
    "load_policy",
]

#: The route whose name and contact come from the config, as the policy names no service.
WELLBEING_ROUTE = "wellbeing"

LookupKind = Literal["clause", "search", "toc", "none"]

_TOC_QUERIES = frozenset({"", "toc", "contents", "table of contents", "index"})
_ID_PREFIX = re.compile(r"^(?:clause|section|paragraph|para|§|#)\s*")
_NUMBERED = re.compile(r"^\d+(?:\.\d+)*$")


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause: the policy's own text and bullets, a short heading, and words for lookup.

    ``section`` is the section's number and title, e.g. "4 Behaviour and conduct on social media".
    """

    id: str
    section: str
    heading: str
    text: str
    items: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Route:
    """An official route or support service; ``contact`` is empty when nobody has given one."""

    id: str
    name: str
    description: str
    when: str
    contact: str
    clauses: tuple[str, ...] = ()

    def info(self) -> RouteInfo:
        """Return the route as a decision carries it to the author."""
        return RouteInfo(id=self.id, name=self.name, contact=self.contact)


@dataclass(frozen=True, slots=True)
class PolicySource:
    """Where the policy comes from and when it was approved, as free text."""

    document: str = ""
    originating_directorate: str = ""
    created: str = ""
    approved_by: str = ""
    approval_date: str = ""
    effective_date: str = ""
    review_date: str = ""


@dataclass(frozen=True, slots=True)
class TocEntry:
    """One line of the table of contents."""

    id: str
    section: str
    heading: str


@dataclass(frozen=True, slots=True)
class LookupMatch:
    """A clause found by a lookup, its 0-1 score and the indexes of its bullets that matched."""

    clause: Clause
    score: float
    matched_items: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class LookupResult:
    """What a lookup found.

    ``kind`` is "clause" (the query named a clause), "search" (clauses matching its words,
    best first), "toc" (``toc`` lists the contents, or one section's) or "none". ``routes``
    are the official routes the first match cites.
    """

    query: str
    kind: LookupKind
    matches: tuple[LookupMatch, ...] = ()
    routes: tuple[Route, ...] = ()
    toc: tuple[TocEntry, ...] = ()
    #: With "none" for a number: the clauses it most likely meant (4.55, 45, 4.5.1 → 4.5).
    suggestions: tuple[Clause, ...] = ()


@dataclass(frozen=True, eq=False)
class Policy:
    """A loaded policy: clauses in document order and routes by id, indexed for lookup."""

    name: str
    university: str
    clauses: Mapping[str, Clause]
    routes: Mapping[str, Route]
    folder: Path
    source: PolicySource = PolicySource()
    _index: ClauseIndex = field(init=False, repr=False)

    def with_contacts(self, contacts: Mapping[str, tuple[str, str]]) -> Policy:
        """Return the policy with a deployment's (name, contact) for some routes; "" keeps the policy's."""
        if not contacts:
            return self
        routes = {
            rid: replace(
                route,
                name=contacts.get(rid, ("", ""))[0] or route.name,
                contact=contacts.get(rid, ("", ""))[1] or route.contact,
            )
            for rid, route in self.routes.items()
        }
        return replace(self, routes=routes)

    def __post_init__(self) -> None:
        docs = [
            SearchDoc(c.id, c.heading, c.section, c.text, c.items, c.keywords)
            for c in self.clauses.values()
        ]
        # A real word the policy lacks is a different word, not a typo of a near one.
        object.__setattr__(self, "_index", ClauseIndex(docs, english_costs().keys()))

    def clause(self, clause_id: str) -> Clause:
        """Return the clause with this id ("4.5", "4.5.", "clause 4.5"); raise KeyError if none."""
        found = self._clause_id(clause_id)
        if found is None:
            raise KeyError(f"{self.name} has no clause {clause_id!r}")
        return self.clauses[found]

    def route(self, route_id: str) -> Route:
        """Return the route with this id; raise KeyError if none."""
        return self.routes[route_id]

    def routes_for(self, clause_ids: Iterable[str]) -> tuple[Route, ...]:
        """Return the routes that cite any of ``clause_ids``, in the policy's order."""
        wanted = set(clause_ids)
        return tuple(r for r in self.routes.values() if wanted.intersection(r.clauses))

    def check_clause_refs(self, clause_ids: Iterable[str], where: str) -> list[str]:
        """Return one problem line per id that names no clause; ``where`` prefixes each line."""
        return [
            f"{where}: unknown clause {cid!r} (not in {self.folder / 'policy.yaml'})"
            for cid in clause_ids
            if cid not in self.clauses
        ]

    def toc(self) -> list[TocEntry]:
        """Return the table of contents, in document order."""
        return [TocEntry(c.id, c.section, c.heading) for c in self.clauses.values()]

    def lookup(self, query: str, limit: int = 5) -> LookupResult:
        """Find what ``query`` asks for: a clause by id, a section, the contents, or matching words."""
        wanted = " ".join(query.casefold().split())
        if wanted in _TOC_QUERIES:
            return LookupResult(query, "toc", toc=tuple(self.toc()))
        clause_id = self._clause_id(wanted)
        if clause_id is not None:
            clause = self.clauses[clause_id]
            return LookupResult(
                query, "clause", (LookupMatch(clause, 1.0),), self.routes_for([clause_id])
            )
        section = self._section(wanted)
        if section:
            return LookupResult(query, "toc", toc=tuple(e for e in self.toc() if e.id in section))
        number = _ID_PREFIX.sub("", wanted).rstrip(".:")
        if _NUMBERED.match(number):
            # A number the policy does not have, e.g. 3.4: say which ones it might have meant.
            return LookupResult(query, "none", suggestions=self._nearest_clauses(number))
        hits = self._index.search(wanted, limit)
        if not hits:
            return LookupResult(query, "none")
        matches = tuple(
            LookupMatch(self.clauses[h.key], round(h.score, 3), h.matched_items) for h in hits
        )
        return LookupResult(query, "search", matches, self.routes_for([hits[0].key]))

    def _clause_id(self, query: str) -> str | None:
        """Return the clause id ``query`` names, or None: "Clause 4.5." and "annex a" count."""
        wanted = _ID_PREFIX.sub("", " ".join(query.casefold().split())).rstrip(".:").strip()
        for clause_id in self.clauses:
            if clause_id.casefold() == wanted:
                return clause_id
        section = self._section(wanted)
        # A section with one clause ("Annex A", "8") is that clause.
        return section[0] if len(section) == 1 else None

    def _nearest_clauses(self, number: str, most: int = 3) -> tuple[Clause, ...]:
        """Return the clauses a mistyped clause number most likely meant, likeliest first.

        The same digits without their dots (45 → 4.5), then the longest clause number it starts
        with (4.55, 4.5.1 → 4.5), then numbers one keystroke away (4.6 → 4.5, 4.7).
        """
        ids = [cid for cid in self.clauses if _NUMBERED.match(cid)]
        digits = number.replace(".", "")
        found = [cid for cid in ids if cid.replace(".", "") == digits]
        prefixes = [cid for cid in ids if number.startswith(cid) and len(number) > len(cid)]
        found += sorted(prefixes, key=len, reverse=True)[:1]
        near = process.extract(number, ids, scorer=Levenshtein.distance, score_cutoff=1, limit=None)
        section = number.split(".")[0]
        # Fewest keystrokes away first; of those, the same section's first, in document order.
        found += [
            cid
            for cid, _, _ in sorted(
                near, key=lambda hit: (hit[1], hit[0].split(".")[0] != section, hit[2])
            )
        ]
        return tuple(self.clauses[cid] for cid in dict.fromkeys(found))[:most]

    def _section(self, wanted: str) -> list[str]:
        """Return the ids of the clauses in the section ``wanted`` names ("4", "annex a")."""
        wanted = _ID_PREFIX.sub("", wanted).rstrip(".:").strip()
        if not wanted:
            return []
        return [
            c.id
            for c in self.clauses.values()
            if (s := c.section.casefold()) == wanted or s.startswith(wanted + " ")
        ]


def load_policy(folder: Path, wellbeing_contact: str = "", wellbeing_name: str = "") -> Policy:
    """Read and check ``folder``'s policy.yaml; raise PolicyError listing every problem.

    The policy names no wellbeing service, so the config supplies the ``wellbeing`` route's
    contact (and, optionally, its name).
    """
    return policy_from_model(read_policy_file(folder), folder, wellbeing_contact, wellbeing_name)


def policy_from_model(
    model: PolicyModel, folder: Path, wellbeing_contact: str = "", wellbeing_name: str = ""
) -> Policy:
    """Build a Policy from a validated model (see ``bot.policy_file``)."""
    clauses = {
        c.id: Clause(
            id=c.id,
            section=f"{s.number} {s.title}",
            heading=c.heading,
            text=c.text,
            items=tuple(c.items),
            keywords=tuple(c.keywords),
        )
        for s in model.sections
        for c in s.clauses
    }
    routes = {}
    for r in model.routes:
        name, contact = r.name, r.contact
        if r.id == WELLBEING_ROUTE:
            name = wellbeing_name.strip() or name
            contact = wellbeing_contact.strip() or contact
        routes[r.id] = Route(r.id, name, r.description, r.when, contact, tuple(r.clauses))
    return Policy(
        name=model.name,
        university=model.university,
        clauses=clauses,
        routes=routes,
        folder=folder,
        source=PolicySource(**model.source.model_dump()),
    )
