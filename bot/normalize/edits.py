"""Edit a text and keep, for every character, the index of the original it came from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Span = tuple[int, int]
Offsets = Sequence[int]


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``, each of whose characters came from
    the character of the text at the same index of ``positions``."""

    start: int
    end: int
    replacement: str
    positions: Sequence[int]


def _apply(
    text: str, offs: list[int] | None, edits: Sequence[Edit]
) -> tuple[str, list[int] | None]:
    """Apply sorted, non-overlapping edits to a text and its offsets."""
    if not edits:
        return text, offs
    base: Offsets = offs if offs is not None else range(len(text))
    pieces: list[str] = []
    kept: list[int] = []
    at = 0
    for edit in edits:
        pieces.append(text[at : edit.start])
        kept.extend(base[at : edit.start])
        pieces.append(edit.replacement)
        kept.extend(base[p] for p in edit.positions)
        at = edit.end
    pieces.append(text[at:])
    kept.extend(base[at:])
    return "".join(pieces), kept


def pieces_outside(text: str, spans: Sequence[Span]) -> list[str]:
    """Return the pieces of ``text`` left when ``spans`` are cut out (overlaps cut once)."""
    pieces: list[str] = []
    at = 0
    for start, end in sorted(spans):
        if start >= at:
            pieces.append(text[at:start])
            at = end
    pieces.append(text[at:])
    return pieces
