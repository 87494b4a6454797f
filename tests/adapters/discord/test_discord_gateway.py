"""The connection's life: start-up, the gateway dropping mid-stream (resumed, nothing
said twice), removal from a server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
import pytest_asyncio

from bot.app import Core
from bot.decision import Decision
from tests.adapters.discord.harness import Harness, World, running_bot

pytestmark = pytest.mark.asyncio(loop_scope="module")

CONFIG = {"defaults": {"mod_log_channel": "mod-log"}, "discord": {"reminder_style": "dm"}}
PERSONAL_INFO = "ring Jess on 07700 900123"


FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)


async def removed_while_offline(core: Core, world: World) -> None:
    """The bot was removed from the server, then added back while it was not running."""
    await core.engine.bot_removed("discord", world.guild["id"])


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def env(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Harness]:
    tmp = tmp_path_factory.mktemp("discord")
    async with running_bot(tmp, CONFIG, ("alice", "bob"), removed_while_offline) as h:
        yield h


async def test_a_server_seen_at_start_up_is_not_purged(env: Harness) -> None:
    assert await env.core.store.purge_due_communities(FAR_FUTURE) == []


async def test_a_resumed_session_gives_no_duplicate_warning(env: Harness) -> None:
    fake, world = env.fake, env.world
    sent, _ = await env.post("alice", PERSONAL_INFO)
    assert len(env.dms_to("alice")) == 1
    # Discord may deliver again what the client already had: replay the last event on RESUME.
    fake.replay_overlap = 1
    missed = fake.message(world.guild, world.general, world["bob"], PERSONAL_INFO)
    seen: list[Decision] = []

    async def drop_then_send() -> None:
        await fake.drop(4000)
        await fake.dispatch("MESSAGE_CREATE", missed)  # sent while the client is away

    def both_decided(decision: Decision) -> bool:
        seen.append(decision)
        return {d.message.id for d in seen} >= {sent["id"], missed["id"]}

    await env.expect("policybot_decision", both_decided, drop_then_send)

    assert fake.resumes == 1
    assert fake.identifies == 1
    replayed = next(d for d in seen if d.message.id == sent["id"])
    assert replayed.duplicate
    assert len(env.dms_to("alice")) == 1
    assert len(env.dms_to("bob")) == 1


async def test_removal_from_a_server_schedules_its_purge(env: Harness) -> None:
    guild = env.world.guild

    await env.expect(
        "policybot_guild_removed",
        lambda g: str(g.id) == guild["id"],
        lambda: env.fake.dispatch("GUILD_DELETE", {"id": guild["id"]}),
    )

    assert await env.core.store.purge_due_communities(FAR_FUTURE) == [("discord", guild["id"])]
