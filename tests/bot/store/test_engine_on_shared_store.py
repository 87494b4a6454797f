"""The engine on a store shared by several deciders: one ladder step and one reminder each.

On PostgreSQL two cores stand for two bot processes (two pools on one database); on SQLite,
which serves one process, one core decides many messages at once.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.app import Core, build_core
from bot.config import parse_config
from bot.message import Message
from bot.policy import Policy
from bot.rules import RuleSet
from bot.store.postgres import PostgresStore

from .conftest import StoreFactory

PHONE = "ring Jess on 07700 900123, tell her what you think of her"
MESSAGES = 6
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def message(number: int) -> Message:
    return Message(
        id=f"m{number}",
        text=PHONE,
        author="alex",
        channel="general",
        community="soc",
        platform="discord",
    )


async def test_one_user_posting_at_once_climbs_the_ladder_one_step_per_message(
    store_factory: StoreFactory, loaded: tuple[Policy, RuleSet]
) -> None:
    config = parse_config({})
    cores: list[Core] = []
    try:
        for _ in range(2):
            store = store_factory()
            cores.append(await build_core(config, store=store, clock=lambda: NOW, loaded=loaded))
            if not isinstance(store, PostgresStore):
                break  # SQLite: one process, one store
        # every message reaches every core, as a gateway resume replays events to a process
        decisions = await asyncio.gather(
            *(core.engine.handle(message(n)) for n in range(MESSAGES) for core in cores)
        )
    finally:
        for core in cores:
            await core.close()

    decided = [d for d in decisions if not d.duplicate]
    assert len(decided) == MESSAGES
    assert sorted(d.step for d in decided) == list(range(1, MESSAGES + 1))
    assert sum(d.notice is not None for d in decided) == 1  # the rate limit held
