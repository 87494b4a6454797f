"""The display names the bot has seen per community, and which first names they begin with.

Detectors read a community's names to tell a person's name from a word; the engine asks
whether a message names any member at all before it reads desist requests from the store, so a
message that cannot contact anyone costs no round trip. Names live in memory only: they are
learnt again from the messages after a restart.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping

_WORD = re.compile(r"\w+")

#: Shorter first names ("jo", "al") are too often ordinary words to count as naming someone.
MIN_FIRST_NAME = 3


def first_name(display_name: str) -> str | None:
    """Return the case-folded first word of a display name, or None when it is too short."""
    words = display_name.split()
    if not words:
        return None
    first = words[0].casefold()
    return first if len(first) >= MIN_FIRST_NAME else None


def names_word(first: str, text: str) -> bool:
    """Return True if ``first`` occurs in ``text`` as a whole word: "jess", not inside "jester"."""
    return re.search(rf"\b{re.escape(first)}\b", text) is not None


class CommunityNames(Mapping[str, str]):
    """One community's members (user id → display name) and a count of their first names."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        # First names that are one run of word characters are found by set look-up of the
        # text's words; the few others ("o'neil-smith", "★jess") by their own pattern.
        self._plain: Counter[str] = Counter()
        self._odd: Counter[str] = Counter()

    def __getitem__(self, user: str) -> str:
        return self._names[user]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def remember(self, user: str, name: str) -> None:
        """Record a member's display name, replacing an earlier one."""
        old = self._names.get(user)
        if old == name:
            return
        self._names[user] = name
        if old is not None:
            self._count(first_name(old), -1)
        self._count(first_name(name), 1)

    def first_name_in(self, text: str) -> bool:
        """Return True if the first name of any member occurs in ``text`` as a whole word."""
        if self._plain and any(word in self._plain for word in _WORD.findall(text)):
            return True
        return any(names_word(first, text) for first in self._odd)

    def _count(self, first: str | None, change: int) -> None:
        if first is None:
            return
        counter = self._plain if _WORD.fullmatch(first) else self._odd
        counter[first] += change
        if counter[first] <= 0:
            del counter[first]


class DisplayNames:
    """Every community's names, by (platform, community)."""

    def __init__(self) -> None:
        self._communities: dict[tuple[str, str], CommunityNames] = {}
        self._empty = CommunityNames()

    def remember(self, platform: str, community: str, user: str, name: str) -> None:
        """Record a member's display name in a community."""
        names = self._communities.get((platform, community))
        if names is None:
            names = self._communities[(platform, community)] = CommunityNames()
        names.remember(user, name)

    def of(self, platform: str, community: str) -> CommunityNames:
        """Return a community's names (empty when the bot has seen none there)."""
        return self._communities.get((platform, community), self._empty)
