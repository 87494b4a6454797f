"""Two stores on one database (two pools, or two SQLite connections) writing at once.

What two bot processes sharing a database do: the same platform event reaches both (a Discord
resume, a Slack retry), users collect strikes through either, and both run the purges.
"""

from __future__ import annotations

import asyncio
import random

from bot.store import AuditEntry, Store

from ..conftest import T0, MakeCase
from .conftest import StoreFactory

EVENTS = 30
USERS = 3
COPIES = 3  # each event is delivered this many times to each store


async def test_overlapping_events_yield_one_case_each_and_exact_strikes(
    store_factory: StoreFactory, make_case: MakeCase
) -> None:
    async with store_factory() as first, store_factory() as second:
        deliveries = [
            (store, event)
            for event in range(EVENTS)
            for store in (first, second)
            for _ in range(COPIES)
        ]
        random.Random(7).shuffle(deliveries)

        async def deliver(store: Store, event: int) -> int | None:
            case = make_case(user=f"u{event % USERS}", message_id=f"m{event}")
            return await store.commit_decision("discord", f"e{event}", case, "general")

        results = await asyncio.gather(*(deliver(store, event) for store, event in deliveries))

        won = [case_id for case_id in results if case_id is not None]
        assert len(won) == EVENTS == len(set(won))
        for user in range(USERS):
            expected = len(range(user, EVENTS, USERS))
            for store in (first, second):
                assert await store.count_strikes("discord", "guild1", f"u{user}", T0) == expected
                cases = await store.cases_for_user("discord", "guild1", f"u{user}")
                assert len({c.message_id for c in cases}) == len(cases) == expected


async def test_a_due_community_is_purged_once_by_two_stores(
    store_factory: StoreFactory, make_case: MakeCase
) -> None:
    async with store_factory() as first, store_factory() as second:
        await first.commit_decision("discord", "e1", make_case(), "general")
        await first.schedule_community_purge("discord", "guild1", T0)

        results = await asyncio.gather(
            *(store.purge_due_communities(T0) for store in (first, second, first, second))
        )

        assert sorted(results) == [[], [], [], [("discord", "guild1")]]
        log = await second.audit_log("discord", "guild1")
        assert [entry.action for entry in log] == ["community-purged"]


async def test_concurrent_pardons_and_new_strikes_leave_a_consistent_count(
    store_factory: StoreFactory, make_case: MakeCase
) -> None:
    audit = AuditEntry("discord", "guild1", "mod1", "pardon", "u1", "by hand", T0)
    async with store_factory() as first, store_factory() as second:
        await asyncio.gather(
            *(
                store.commit_decision("discord", f"before{n}", make_case(), None)
                for n, store in enumerate((first, second) * 5)
            )
        )
        pardoned = await asyncio.gather(
            first.pardon_user("discord", "guild1", "u1", T0, audit),
            second.pardon_user("discord", "guild1", "u1", T0, audit),
        )
        assert sum(pardoned) == 10  # each case pardoned by exactly one of them
        await second.commit_decision("discord", "after", make_case(), None)
        assert await first.count_strikes("discord", "guild1", "u1", T0) == 1
