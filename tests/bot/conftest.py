"""Fixtures that build real cores on a SQLite file, with a clock the test moves, and the cases
that the store, insights and operations tests store or summarise."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import Core, build_core_for_tests
from bot.policy import Policy
from bot.rules import RuleSet
from bot.store import CaseRecord, CaseStatus, NewCase

#: A fixed moment the tests count from; well in the past so wall-clock stamps come later.
T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)

MakeCase = Callable[..., NewCase]


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


def make_case(**changes: object) -> NewCase:
    """Return a plausible reminder case for user ``u1`` in ``guild1``, with ``changes`` applied."""
    base = NewCase(
        platform="discord",
        community="guild1",
        channel="general",
        user="u1",
        message_id="m1",
        labels=("personal-info",),
        clauses=("4.5",),
        rules=("dmu.personal-info.phone", "phone"),
        severity="medium",
        action="remind",
        step=1,
        strike=True,
        created_at=T0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def make_record(case_id: int, **changes: object) -> CaseRecord:
    """Return ``make_case()`` as the store gives it back (active, never updated), with ``changes``."""
    case = make_case()
    stored = CaseRecord(
        id=case_id,
        status=CaseStatus.ACTIVE,
        updated_at=case.created_at,
        **{f.name: getattr(case, f.name) for f in fields(case)},
    )
    return replace(stored, **changes)  # type: ignore[arg-type]


@pytest.fixture(name="make_case")
def make_case_fixture() -> MakeCase:
    """Expose ``make_case`` to tests as a fixture."""
    return make_case
