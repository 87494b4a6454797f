"""The ``policybot run`` processes of a load test: started, killed with SIGKILL, started again.

Each slot is one process serving its own shards (``--shard-ids`` of ``--shard-count``) through
``bench.load.launch``, so it is the real command line, the real ``AutoShardedBot`` and the real
store, only pointed at the fake Discord. A killed slot is started again at once; what it was
doing when it died is the fake gateway's to redeliver and the database's to de-duplicate.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.load.launch import FAKE_ENV, RECORD_ENV
from tests.adapters.discord.fake_discord import TOKEN
from tests.adapters.discord.fake_shards import ShardedFakeDiscord

REPO = Path(__file__).resolve().parents[2]
#: Seconds a process gets to stop after SIGTERM before it is killed.
STOP_SECONDS = 15.0


@dataclass
class Slot:
    """One process's place in the fleet: its shards, its files, its life so far."""

    number: int
    shard_ids: tuple[int, ...]
    record: Path
    log: Path
    process: asyncio.subprocess.Process | None = None
    started_at: list[float] = field(default_factory=list)
    killed_at: float | None = None
    back_at: float | None = None  # every shard connected again after the kill

    @property
    def label(self) -> str:
        """Return the shards as the command line names them."""
        return ",".join(str(n) for n in self.shard_ids)

    def records(self) -> list[dict[str, Any]]:
        """Return every line the slot's processes recorded (a killed one's included)."""
        if not self.record.exists():
            return []
        lines = self.record.read_text(encoding="utf-8").splitlines()
        # A process killed mid-write may leave half a line.
        return [json.loads(line) for line in lines if line.endswith("}")]


class Fleet:
    """Start, kill and stop the slots' processes against one fake Discord and one database."""

    def __init__(
        self,
        fake: ShardedFakeDiscord,
        config: Path,
        workdir: Path,
        processes: int,
        shards_per_process: int,
    ) -> None:
        self.fake = fake
        self.config = config
        self.shard_count = processes * shards_per_process
        self.slots = [
            Slot(
                number=n + 1,
                shard_ids=tuple(range(n * shards_per_process, (n + 1) * shards_per_process)),
                record=workdir / f"process{n + 1}.jsonl",
                log=workdir / f"process{n + 1}.log",
            )
            for n in range(processes)
        ]

    async def start(self, slot: Slot) -> None:
        """Start the slot's process; return once the fake sees every one of its shards."""
        env = {
            **os.environ,
            "DISCORD_TOKEN": TOKEN,
            FAKE_ENV: f"http://127.0.0.1:{self.fake.port}",
            RECORD_ENV: str(slot.record),
        }
        command = [
            *("-m", "bench.load.launch", "--config", str(self.config), "run"),
            *("--shard-ids", slot.label, "--shard-count", str(self.shard_count)),
        ]
        with slot.log.open("a", encoding="utf-8") as log:
            slot.process = await asyncio.create_subprocess_exec(
                sys.executable, *command, cwd=REPO, env=env, stdout=log, stderr=log
            )
        slot.started_at.append(time.time())
        await self.connected(slot)

    async def connected(self, slot: Slot, timeout: float = 60.0) -> None:
        """Wait until every shard of the slot has a live connection; fail if the process exits."""
        process = slot.process
        assert process is not None
        live = asyncio.ensure_future(
            self.fake.wait_until(
                lambda: all(self.fake.shards[n].live for n in slot.shard_ids), timeout
            )
        )
        exited = asyncio.ensure_future(process.wait())
        await asyncio.wait({live, exited}, return_when=asyncio.FIRST_COMPLETED)
        if live.done():
            exited.cancel()
            live.result()
            return
        live.cancel()
        raise RuntimeError(
            f"process {slot.number} exited with {process.returncode}; see {slot.log}"
        )

    async def kill_and_restart(self, slot: Slot) -> None:
        """SIGKILL the slot's process, start it again, and note how long it was away."""
        process = slot.process
        assert process is not None
        slot.killed_at = time.time()
        process.send_signal(signal.SIGKILL)
        await process.wait()
        await self.start(slot)
        slot.back_at = time.time()

    async def stop(self) -> None:
        """SIGTERM every process (they finish the decisions under way), killing stragglers."""
        running = [s.process for s in self.slots if s.process and s.process.returncode is None]
        for process in running:
            process.send_signal(signal.SIGTERM)
        for process in running:
            try:
                await asyncio.wait_for(process.wait(), STOP_SECONDS)
            except TimeoutError:
                process.kill()
                await process.wait()
