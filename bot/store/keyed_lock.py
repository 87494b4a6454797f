"""One asyncio lock per key, made on first use and dropped once nobody holds or awaits it."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager


class KeyedLock:
    """Serialise the coroutines that share a key; coroutines with other keys run freely."""

    def __init__(self) -> None:
        self._locks: dict[Hashable, asyncio.Lock] = {}
        # Holders and waiters per key: the lock goes when the last of them leaves, so the
        # table does not grow with every user ever seen.
        self._users: Counter[Hashable] = Counter()

    def __len__(self) -> int:
        """Return how many keys are held or awaited now."""
        return len(self._locks)

    @asynccontextmanager
    async def hold(self, key: Hashable) -> AsyncIterator[None]:
        """Wait for ``key``'s lock and hold it for the block (not re-entrant)."""
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] += 1
        try:
            async with lock:
                yield
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key]
                del self._locks[key]
