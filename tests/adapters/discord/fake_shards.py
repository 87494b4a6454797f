"""A fake Discord whose gateway serves a sharded bot: one connection per shard, any number at once.

It extends ``FakeDiscord`` (the REST routes and the world-building helpers are reused as they
are) for the cases one gateway session cannot show: several ``policybot run`` processes, each an
``AutoShardedBot`` over its own shards, and processes killed and started again.

* Guilds belong to shards by Discord's rule, ``(guild_id >> 22) % shard_count``; ``guild()``
  picks ids that spread them evenly, and every event goes out on its guild's shard.
* Each shard keeps the log of its events across connections. RESUME replays what the client
  missed; an IDENTIFY on a shard whose last connection died (a killed process started again)
  redelivers every event that connection had not acknowledged, as Discord redelivers on resume.
  Some events are therefore seen twice, and none is lost.
* Acknowledged means a heartbeat carried the event's sequence number, and one more heartbeat
  followed: discord.py heartbeats the last sequence it *received*, not the last it finished
  handling, so one heartbeat of grace covers an event received just before the process died.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import uuid
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import discord
from aiohttp import WSMsgType, web

from tests.adapters.discord.fake_discord import FakeDiscord, Json, json_response

#: The close code Discord sends for an IDENTIFY naming a shard that does not exist.
INVALID_SHARD = 4010
#: Events whose guild is the payload itself, not a ``guild_id`` field.
_GUILD_EVENTS = frozenset({"GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE"})


def shard_of(guild_id: str | int, shard_count: int) -> int:
    """Return the shard that carries a guild, by Discord's rule."""
    return (int(guild_id) >> 22) % shard_count


@dataclass
class Shard:
    """One shard's session, its event log and its live connection, if any."""

    number: int
    ws: web.WebSocketResponse | None = None
    session_id: str = ""
    seq: int = 0
    #: Events for this shard, in order, whatever connection they went out on.
    log: list[tuple[str, Json]] = field(default_factory=list)
    #: This session's frames: (seq, index in ``log`` or None for READY and the like, frame).
    sent: list[tuple[int, int | None, Json]] = field(default_factory=list)
    #: The highest log index each heartbeat acknowledged, in order.
    acked: list[int] = field(default_factory=list)
    identifies: int = 0
    resumes: int = 0
    redelivered: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def live(self) -> bool:
        """Return whether a client holds this shard's connection now."""
        return self.ws is not None and not self.ws.closed

    def confirmed(self, grace: int) -> int:
        """Return the last log index acknowledged ``grace`` heartbeats ago (-1 for none)."""
        return self.acked[-1 - grace] if len(self.acked) > grace else -1

    def acknowledge(self, seq: int) -> None:
        """Record a heartbeat that carried ``seq``."""
        indexes = [index for s, index, _ in self.sent if s <= seq and index is not None]
        latest = max(indexes, default=-1)
        self.acked.append(max(latest, self.acked[-1] if self.acked else -1))


class ShardedFakeDiscord(FakeDiscord):
    """The fake Discord for a bot of ``shard_count`` shards, connected by any number of clients."""

    def __init__(self, shard_count: int, *, heartbeat_ms: int = 41250, ack_grace: int = 1) -> None:
        super().__init__()
        self.shard_count = shard_count
        self.heartbeat_ms = heartbeat_ms
        self.ack_grace = ack_grace
        self.shards = [Shard(n) for n in range(shard_count)]
        self._placed = itertools.count()

    # -- the world --------------------------------------------------------------------------
    def guild(self, name: str, owner: Json, *, shard: int | None = None) -> Json:
        """Create a guild on ``shard`` (by default the next one in turn) and return it."""
        wanted = next(self._placed) % self.shard_count if shard is None else shard
        guild = super().guild(name, owner)
        del self.guilds[guild["id"]]
        # Only the timestamp bits (22 and up) decide the shard: move to the next millisecond
        # that lands on the wanted shard, keeping the low bits unique.
        stamp = discord.utils.time_snowflake(datetime.now(UTC)) >> 22
        stamp += (wanted - stamp) % self.shard_count
        guild["id"] = str((stamp << 22) + (int(guild["id"]) & ((1 << 22) - 1)))
        self.guilds[guild["id"]] = guild
        return guild

    def shard_of(self, guild_id: str | int) -> int:
        """Return the shard that carries a guild."""
        return shard_of(guild_id, self.shard_count)

    def guilds_on(self, shard: int) -> list[Json]:
        """Return the guilds a shard carries."""
        return [g for gid, g in self.guilds.items() if self.shard_of(gid) == shard]

    def _shard_for(self, event: str, data: Json) -> Shard:
        guild_id = data.get("id") if event in _GUILD_EVENTS else data.get("guild_id")
        # Events outside any guild (DMs) go to shard 0, as Discord sends them.
        return self.shards[self.shard_of(guild_id) if guild_id else 0]

    # -- lifecycle --------------------------------------------------------------------------
    @property
    def connected(self) -> bool:
        """Return whether every shard has a live connection."""
        return all(shard.live for shard in self.shards)

    async def stop(self) -> None:
        """Close every shard's connection and stop listening."""
        for shard in self.shards:
            if shard.ws is not None:
                await shard.ws.close()
        await super().stop()

    async def drop(self, code: int = 4000, shard: int | None = None) -> None:
        """Close one shard's connection (every shard's by default), as a network blip would."""
        for one in self.shards if shard is None else [self.shards[shard]]:
            if one.ws is not None:
                await one.ws.close(code=code)

    async def _get_gateway(self, request: web.Request, match: Any, body: Any) -> web.Response:
        return json_response(
            {
                "url": self.gateway_url,
                "shards": self.shard_count,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 0,
                    "max_concurrency": self.shard_count,
                },
            }
        )

    # -- events -----------------------------------------------------------------------------
    async def dispatch(self, event: str, data: Json) -> None:
        """Send an event on its guild's shard, logged for redelivery even while disconnected."""
        shard = self._shard_for(event, data)
        async with shard.lock:
            shard.log.append((event, data))
            await self._send(shard, event, data, len(shard.log) - 1)
        await self._notify()

    async def _send(
        self,
        shard: Shard,
        event: str,
        data: Json,
        index: int | None,
        ws: web.WebSocketResponse | None = None,
    ) -> None:
        """Number a frame in the shard's session and send it (to ``ws``, or the live one)."""
        shard.seq += 1
        frame = {"op": 0, "t": event, "s": shard.seq, "d": data}
        shard.sent.append((shard.seq, index, frame))
        target = ws or shard.ws
        if target is not None and not target.closed:
            # A client gone mid-send leaves the frame unacknowledged, to be sent again.
            with suppress(ConnectionError):
                await target.send_str(json.dumps(frame))

    # -- the gateway ------------------------------------------------------------------------
    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        hello = {"op": 10, "d": {"heartbeat_interval": self.heartbeat_ms}, "s": None, "t": None}
        await ws.send_str(json.dumps(hello))
        shard: Shard | None = None
        async for message in ws:
            if message.type is not WSMsgType.TEXT:
                break
            payload = json.loads(message.data)
            op, data = payload["op"], payload.get("d")
            if op == 1:
                if shard is not None:
                    async with shard.lock:
                        shard.acknowledge(int(data or 0))
                await ws.send_str(json.dumps({"op": 11}))
            elif op == 2:
                shard = await self._identify_shard(ws, data)
            elif op == 6:
                shard = await self._resume_shard(ws, data)
            elif op == 8 and shard is not None:
                await self._chunk_on(shard, data)
            await self._notify()
        if shard is not None and shard.ws is ws:
            shard.ws = None
        await self._notify()
        return ws

    async def _identify_shard(self, ws: web.WebSocketResponse, data: Json) -> Shard | None:
        number, count = data.get("shard") or [0, 1]
        if count != self.shard_count or not 0 <= number < count:
            await ws.close(code=INVALID_SHARD, message=b"Invalid shard.")
            return None
        self.identifies += 1
        self.intents = data.get("intents")
        privileged = discord.Intents(members=True, presences=True, message_content=True).value
        if not self.privileged_intents_allowed and (self.intents or 0) & privileged:
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return None
        shard = self.shards[number]
        async with shard.lock:
            if shard.live and shard.ws is not ws:
                assert shard.ws is not None
                await shard.ws.close(code=4000)  # one session per shard: the newer one wins
            shard.identifies += 1
            pending = list(enumerate(shard.log))[shard.confirmed(self.ack_grace) + 1 :]
            shard.session_id, shard.seq, shard.sent = uuid.uuid4().hex, 0, []
            guilds = self.guilds_on(number)
            ready = {
                "v": 10,
                "user": self.bot_user,
                "guilds": [{"id": g["id"], "unavailable": True} for g in guilds],
                "session_id": shard.session_id,
                "resume_gateway_url": self.gateway_url,
                "shard": [number, count],
                "application": {"id": self.application_id, "flags": self.application_flags},
            }
            await self._send(shard, "READY", ready, None, ws)
            for guild in guilds:
                await self._send(shard, "GUILD_CREATE", guild, None, ws)
            for index, (event, payload) in pending:
                shard.redelivered += 1
                await self._send(shard, event, payload, index, ws)
            shard.ws = ws
        return shard

    async def _resume_shard(self, ws: web.WebSocketResponse, data: Json) -> Shard | None:
        self.resumes += 1
        shard = next((s for s in self.shards if s.session_id == data.get("session_id")), None)
        if shard is None:
            await ws.send_str(json.dumps({"op": 9, "d": False}))
            return None
        async with shard.lock:
            shard.resumes += 1
            since = (data.get("seq") or 0) - self.replay_overlap
            for seq, _, frame in shard.sent:
                if seq > since:
                    await ws.send_str(json.dumps(frame))
            await self._send(shard, "RESUMED", {}, None, ws)
            shard.ws = ws
        return shard

    async def _chunk_on(self, shard: Shard, data: Json) -> None:
        guild = self.guilds[str(data["guild_id"])]
        chunk = {
            "guild_id": guild["id"],
            "members": guild["members"],
            "chunk_index": 0,
            "chunk_count": 1,
            "nonce": data.get("nonce"),
        }
        async with shard.lock:
            await self._send(shard, "GUILD_MEMBERS_CHUNK", chunk, None)
