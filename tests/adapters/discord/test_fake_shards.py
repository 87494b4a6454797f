"""The sharded fake gateway itself, driven by a bare websocket client: placement, routing and
redelivery after a connection dies (what the load test's kills rely on)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from tests.adapters.discord.fake_discord import Json
from tests.adapters.discord.fake_shards import INVALID_SHARD, ShardedFakeDiscord, shard_of

SHARDS = 2


@pytest.fixture
async def fake() -> AsyncIterator[ShardedFakeDiscord]:
    fake = ShardedFakeDiscord(SHARDS)
    owner = fake.user("owner")
    for n in range(4):
        fake.guild(f"society {n}", owner)
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


class Client:
    """A bare gateway client for one shard: identify, read frames, heartbeat."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws

    async def frame(self) -> Json:
        data: Json = await self.ws.receive_json(timeout=5)
        return data

    async def events(self, count: int) -> list[tuple[str, Any]]:
        """Read ``count`` dispatches; return their names and data."""
        return [((f := await self.frame())["t"], f["d"]) for _ in range(count)]

    async def heartbeat(self, seq: int) -> None:
        await self.ws.send_json({"op": 1, "d": seq})
        assert (await self.frame())["op"] == 11


async def connect(
    session: aiohttp.ClientSession, fake: ShardedFakeDiscord, shard: int, count: int = SHARDS
) -> Client:
    ws = await session.ws_connect(fake.gateway_url)
    client = Client(ws)
    assert (await client.frame())["op"] == 10
    shard_info = [shard, count]
    await ws.send_json({"op": 2, "d": {"token": "t", "intents": 0, "shard": shard_info}})
    return client


def test_guilds_spread_over_the_shards_by_discords_rule(fake: ShardedFakeDiscord) -> None:
    shards = [shard_of(gid, SHARDS) for gid in fake.guilds]
    assert sorted(shards) == [0, 0, 1, 1]
    assert [len(fake.guilds_on(n)) for n in range(SHARDS)] == [2, 2]


async def test_each_shard_gets_its_own_guilds_and_events(
    fake: ShardedFakeDiscord, session: aiohttp.ClientSession
) -> None:
    clients = [await connect(session, fake, n) for n in range(SHARDS)]
    for n, client in enumerate(clients):
        ready, *created = await client.events(3)
        assert ready[0] == "READY" and ready[1]["shard"] == [n, SHARDS]
        assert {g["id"] for _, g in created} == {g["id"] for g in fake.guilds_on(n)}
    for guild in fake.guilds.values():
        await fake.dispatch("TYPING_START", {"guild_id": guild["id"]})
    for n, client in enumerate(clients):
        got = [data["guild_id"] for _, data in await client.events(2)]
        assert got == [g["id"] for g in fake.guilds_on(n)]


async def test_a_new_connection_gets_the_unacknowledged_events_again(
    fake: ShardedFakeDiscord, session: aiohttp.ClientSession
) -> None:
    guild = fake.guilds_on(0)[0]["id"]
    client = await connect(session, fake, 0)
    await client.events(3)  # READY and two GUILD_CREATEs: seq 1 to 3
    for n in range(3):
        await fake.dispatch("TYPING_START", {"guild_id": guild, "n": n})
    await client.events(3)  # seq 4, 5, 6
    await client.heartbeat(5)  # received up to n=1 ...
    await client.heartbeat(6)  # ... and n=2, but only n=0 and n=1 count as acknowledged
    await client.ws.close()
    await fake.wait_until(lambda: not fake.shards[0].live)
    await fake.dispatch("TYPING_START", {"guild_id": guild, "n": 3})  # while nobody listens

    again = await connect(session, fake, 0)
    names = [name for name, _ in await again.events(3)]
    redelivered = [data["n"] for _, data in await again.events(2)]

    assert names == ["READY", "GUILD_CREATE", "GUILD_CREATE"]
    assert redelivered == [2, 3]
    assert fake.shards[0].redelivered == 2
    assert fake.shards[0].identifies == 2


async def test_a_shard_outside_the_count_is_refused(
    fake: ShardedFakeDiscord, session: aiohttp.ClientSession
) -> None:
    client = await connect(session, fake, 0, count=SHARDS + 1)
    closed = await client.ws.receive(timeout=5)
    assert closed.type is aiohttp.WSMsgType.CLOSE
    assert closed.data == INVALID_SHARD
