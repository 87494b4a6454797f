"""Fixtures that build real cores on a SQLite file, with a clock the test moves."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import Core, build_core_for_tests
from bot.policy import Policy
from bot.rules import RuleSet


@dataclass
class Clock:
    """A clock the test moves by hand, so decay and rate limits need no sleeping."""

    now: datetime = field(default_factory=lambda: datetime(2026, 11, 2, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock()


CoreFactory = Callable[..., Awaitable[Core]]


@pytest.fixture
async def make_core(
    tmp_path: Path, clock: Clock, loaded: tuple[Policy, RuleSet]
) -> AsyncIterator[CoreFactory]:
    """Build cores on one database file; every core built is closed at the end."""
    built: list[Core] = []

    async def make(overrides: dict[str, Any] | None = None) -> Core:
        core = await build_core_for_tests(tmp_path, overrides, clock=clock, loaded=loaded)
        built.append(core)
        return core

    yield make
    for core in built:
        await core.close()


@pytest.fixture
async def core(make_core: CoreFactory) -> Core:
    return await make_core()
