"""Render policy lookups as plain text for a terminal: a clause, search matches, or the contents."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from bot.policy import Clause, LookupMatch, LookupResult, Route, TocEntry

#: Line width for wrapped clause text.
WIDTH = 88
#: Longest bullet or text excerpt shown for a search match.
EXCERPT = WIDTH - 8
#: Most matched bullets shown under one search match.
MAX_BULLETS = 2


def render_lookup(result: LookupResult) -> str:
    """Return ``result`` as plain text: the clause in full, ranked matches, or the contents."""
    if result.kind == "clause":
        return _join(render_clause(result.matches[0].clause), _routes_block(result.routes))
    if result.kind == "search":
        lines = [f'Clauses matching "{result.query.strip()}":', ""]
        for match in result.matches[:5]:
            lines.extend(_match_lines(match))
        return _join("\n".join(lines).rstrip(), _routes_block(result.routes))
    if result.kind == "toc":
        return render_toc(result.toc)
    guess = did_you_mean(result)
    return (
        f'Nothing in the policy matches "{result.query.strip()}".'
        + (f" {guess}" if guess else "")
        + '\nTry a clause number such as 4.5, a word such as "recordings", or "contents".'
    )


def did_you_mean(result: LookupResult) -> str:
    """Return "Did you mean 4.5 (heading)?" for a mistyped clause number, else ""."""
    if not result.suggestions:
        return ""
    named = [f"{c.id} ({c.heading})" for c in result.suggestions]
    listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " or " + named[-1]
    return f"Did you mean {listed}?"


def render_clause(clause: Clause) -> str:
    """Return one clause in full: id and heading, its section, its text and its bullets."""
    lines = [f"{clause.id}  {clause.heading}", f"({clause.section})", ""]
    for paragraph in clause.text.split("\n\n"):
        lines.append(textwrap.fill(paragraph, WIDTH))
        lines.append("")
    for item in clause.items:
        lines.append(textwrap.fill(item, WIDTH, initial_indent="  - ", subsequent_indent="    "))
    return "\n".join(lines).rstrip()


def render_toc(entries: Sequence[TocEntry]) -> str:
    """Return the table of contents: each section's title, then its clauses' ids and headings."""
    if not entries:
        return "The policy has no clauses."
    width = max(len(e.id) for e in entries) + 2
    lines: list[str] = []
    section = None
    for entry in entries:
        if entry.section != section:
            if lines:
                lines.append("")
            lines.append(entry.section)
            section = entry.section
        lines.append(f"  {entry.id:<{width}}{entry.heading}")
    return "\n".join(lines)


def _match_lines(match: LookupMatch) -> list[str]:
    clause = match.clause
    lines = [f"{clause.id}  {clause.heading}"]
    bullets = [clause.items[i] for i in match.matched_items[:MAX_BULLETS]]
    if bullets:
        lines.extend(f"      - {_excerpt(b)}" for b in bullets)
    else:
        lines.append(f"      {_excerpt(clause.text)}")
    lines.append("")
    return lines


def _excerpt(text: str) -> str:
    return textwrap.shorten(text, EXCERPT, placeholder=" ...")


def _routes_block(routes: Sequence[Route]) -> str:
    if not routes:
        return ""
    lines = ["Official routes:"]
    for route in routes:
        contact = f": {route.contact}" if route.contact else ""
        lines.append(f"  - {route.name}{contact}")
    return "\n".join(lines)


def _join(*blocks: str) -> str:
    return "\n\n".join(b for b in blocks if b)
