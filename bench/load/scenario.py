"""One load-test run: fake Discord up, processes started, traffic sent, each process killed once.

The run only observes; ``bench.load.report`` judges. What it keeps: when each message went out
on the gateway and whether it should end in a case, every message the bots posted (reminders by
DM or channel reply, moderators' alerts) with the moment it arrived, what each process recorded
it had carried out, and the cases the shared database holds at the end.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bench.load.database import create_schema, drop_schema, read_cases, url_in_schema
from bench.load.fleet import Fleet, Slot
from bench.load.traffic import Line, Mix, World, build_world, candidate_texts, classify
from bot.store import CaseRecord
from tests.adapters.discord.fake_discord import Recorded
from tests.adapters.discord.fake_shards import ShardedFakeDiscord

#: The gateway heartbeat the fake asks for: acknowledgements (and so redelivery) every second.
HEARTBEAT_MS = 1000
#: How often the run looks at the processes' records while waiting for the last decisions.
POLL_SECONDS = 0.2


@dataclass(frozen=True, slots=True)
class Plan:
    """What to run: how many processes, shards, servers, messages a second, for how long."""

    processes: int = 3
    shards_per_process: int = 2
    servers: int = 60
    members: int = 8
    rate: float = 60.0
    seconds: float = 40.0
    breach_share: float = 0.2
    closed_dms: float = 0.2
    kills: int | None = None  # how many processes are killed once; None: every one
    settle_seconds: float = 60.0
    seed: int = 7

    @property
    def shard_count(self) -> int:
        """Return the bot's shards in all."""
        return self.processes * self.shards_per_process

    def config(self, database_url: str) -> dict[str, Any]:
        """Return the bots' config: no reminder rate limit, so every strike gets its reminder."""
        return {
            "database": {"url": database_url},
            "discord": {"enabled": True, "reminder_style": "dm-then-channel"},
            "defaults": {"mod_log_channel": "mod-log"},
            "ladder": {"rate_limit_minutes": 0},
        }


@dataclass(frozen=True, slots=True)
class Sent:
    """A message the fake dispatched: where, when (wall clock), and what it should cause."""

    message_id: str
    guild: str
    shard: int
    line: Line
    at: float


@dataclass
class Observations:
    """Everything a run saw, for the report."""

    plan: Plan
    world: World
    slots: list[Slot]
    started_at: float = 0.0
    sending_ended_at: float = 0.0
    ended_at: float = 0.0
    sent: dict[str, Sent] = field(default_factory=dict)
    posts: list[tuple[float, Recorded]] = field(default_factory=list)
    records: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    cases: list[CaseRecord] = field(default_factory=list)
    redelivered: dict[int, int] = field(default_factory=dict)  # per shard
    undecided: int = 0


async def run(
    plan: Plan, database_url: str, workdir: Path, *, keep_schema: bool = False
) -> Observations:
    """Run the plan against a fresh schema of ``database_url``; return what was observed."""
    rng = random.Random(plan.seed)
    lines = await classify(plan.config("sqlite://:memory:"), candidate_texts())
    fake = ShardedFakeDiscord(plan.shard_count, heartbeat_ms=HEARTBEAT_MS)
    world = build_world(fake, plan.servers, plan.members, plan.closed_dms, rng)
    schema = await create_schema(database_url)
    config = workdir / "config.yaml"
    config.write_text(yaml.safe_dump(plan.config(url_in_schema(database_url, schema))))
    fleet = Fleet(fake, config, workdir, plan.processes, plan.shards_per_process)
    seen = Observations(plan, world, fleet.slots)

    def observe(request: Recorded) -> None:
        if request.method == "POST" and request.path.endswith("/messages"):
            seen.posts.append((time.time(), request))

    fake.request_observers.append(observe)
    await fake.start()
    try:
        await asyncio.gather(*(fleet.start(slot) for slot in fleet.slots))
        seen.started_at = time.time()
        kills = asyncio.create_task(_kill_each_once(fleet, plan))
        await _send(fake, world, Mix(lines, plan.breach_share, rng), plan, seen)
        seen.sending_ended_at = time.time()
        await kills
        seen.undecided = await _settle(fleet, seen, plan.settle_seconds)
        seen.ended_at = time.time()
        await fleet.stop()
        seen.records = {slot.number: slot.records() for slot in fleet.slots}
        seen.redelivered = {shard.number: shard.redelivered for shard in fake.shards}
        seen.cases = await read_cases(database_url, schema)
    finally:
        await fleet.stop()
        await fake.stop()
        if not keep_schema:
            await drop_schema(database_url, schema)
    return seen


async def _kill_each_once(fleet: Fleet, plan: Plan) -> None:
    """Kill the processes one after another, evenly spread over the sending time."""
    killed = fleet.slots[: plan.kills if plan.kills is not None else len(fleet.slots)]
    start = time.monotonic()
    for n, slot in enumerate(killed, start=1):
        due = start + plan.seconds * n / (len(killed) + 1)
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        await fleet.kill_and_restart(slot)


async def _send(
    fake: ShardedFakeDiscord, world: World, mix: Mix, plan: Plan, seen: Observations
) -> None:
    """Dispatch ``rate`` messages a second for ``seconds``, on time (catching up if late)."""
    start = time.monotonic()
    for n in range(int(plan.rate * plan.seconds)):
        due = start + n / plan.rate
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        server, author, line = mix.pick(world)
        payload = fake.message(server.guild, server.general, author, line.text)
        guild = server.guild["id"]
        seen.sent[payload["id"]] = Sent(
            payload["id"], guild, fake.shard_of(guild), line, time.time()
        )
        await fake.dispatch("MESSAGE_CREATE", payload)


async def _settle(fleet: Fleet, seen: Observations, timeout: float) -> int:
    """Wait until some process has carried out a decision on every message sent.

    Return how many messages were still undecided when ``timeout`` ran out (0 when settled).
    """
    deadline = time.monotonic() + timeout
    while True:
        decided = {
            line["message"]
            for slot in fleet.slots
            for line in slot.records()
            if line["kind"] == "decision"
        }
        left = len(seen.sent.keys() - decided)
        if not left or time.monotonic() >= deadline:
            return left
        await asyncio.sleep(POLL_SECONDS)
