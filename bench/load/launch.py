"""Start ``policybot`` against the loopback fake Discord: run by the load test, never deployed.

    POLICYBOT_LOAD_FAKE=http://127.0.0.1:PORT POLICYBOT_LOAD_RECORD=slot1.jsonl \
        python -m bench.load.launch --config CONFIG run --shard-ids 0,1 --shard-count 4

The product has no option to talk to another Discord, and gets none: this launcher points
discord.py's REST base and default gateway (the one a bot with ``--shard-count`` connects to)
at the fake, appends a JSON line to the record file for every decision the bot has carried out
and every shard that became ready, then hands over to ``bot.cli.main`` unchanged.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any, TextIO

import discord
import yarl

from adapters.discord.bot import PolicyBot
from bot.cli import main as policybot_main
from bot.decision import Decision

FAKE_ENV = "POLICYBOT_LOAD_FAKE"
RECORD_ENV = "POLICYBOT_LOAD_RECORD"


class Recorder:
    """Append one JSON line per finished decision and per ready shard; flushed at once.

    Each line is written as the event happens, so a process killed with SIGKILL leaves every
    line it wrote before dying: the load test learns which decisions were carried out.
    """

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._pid = os.getpid()

    def write(self, kind: str, **fields: Any) -> None:
        """Write one line: what happened, when (wall clock, shared by every process), who."""
        line = {"kind": kind, "at": time.time(), "pid": self._pid, **fields}
        self._out.write(json.dumps(line) + "\n")
        self._out.flush()

    async def decision(self, decision: Decision) -> None:
        """Record a decision the bot has delivered (the ``policybot_decision`` event)."""
        self.write(
            "decision",
            message=decision.message.id,
            duplicate=decision.duplicate,
            case=decision.case_id,
            notice=decision.notice is not None,
            alert=decision.moderator_alert is not None,
        )

    async def shard_ready(self, shard_id: int) -> None:
        """Record a shard that finished connecting (the ``shard_ready`` event)."""
        self.write("shard", shard=shard_id)


def point_at(fake: str) -> None:
    """Point discord.py's REST base and default gateway at the fake Discord at ``fake``."""
    base = yarl.URL(fake)
    discord.http.Route.BASE = str(base / "api" / "v10")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = base.with_scheme("ws") / "gateway"


def main(argv: list[str]) -> int:
    """Patch, listen, and run ``policybot`` with ``argv``."""
    point_at(os.environ[FAKE_ENV])
    with open(os.environ[RECORD_ENV], "a", encoding="utf-8") as out:
        recorder = Recorder(out)
        # discord.py calls the on_<event> attributes it finds on the client (PolicyBot defines
        # neither); a bound method stays bound to the recorder.
        PolicyBot.on_policybot_decision = recorder.decision  # type: ignore[attr-defined]
        PolicyBot.on_shard_ready = recorder.shard_ready  # type: ignore[attr-defined]
        return policybot_main(argv)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
