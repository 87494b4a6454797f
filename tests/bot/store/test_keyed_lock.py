"""KeyedLock: one lock per key, gone once nobody holds or awaits it."""

from __future__ import annotations

import asyncio

import pytest

from bot.store.keyed_lock import KeyedLock


async def test_holders_of_one_key_take_turns() -> None:
    locks = KeyedLock()
    inside: list[int] = []
    overlaps = 0

    async def hold(number: int) -> None:
        nonlocal overlaps
        async with locks.hold("u1"):
            overlaps += bool(inside)
            inside.append(number)
            await asyncio.sleep(0)  # yield to the others while holding
            inside.remove(number)

    await asyncio.gather(*(hold(n) for n in range(5)))
    assert overlaps == 0


async def test_other_keys_are_not_held_up() -> None:
    locks = KeyedLock()
    async with locks.hold("u1"), asyncio.timeout(5), locks.hold("u2"):
        assert len(locks) == 2


async def test_locks_go_once_idle_even_after_an_error() -> None:
    locks = KeyedLock()
    with pytest.raises(LookupError):
        async with locks.hold("u1"):
            raise LookupError
    await asyncio.gather(*(_hold(locks, f"u{n % 3}") for n in range(9)))
    assert len(locks) == 0


async def _hold(locks: KeyedLock, key: str) -> None:
    async with locks.hold(key):
        await asyncio.sleep(0)
