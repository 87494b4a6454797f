"""Commit decisions forever, printing each case id once committed; test_sqlite_kill kills it.

Usage: python kill_writer.py DATABASE TAG  (TAG keeps event keys unique across runs)
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta

from bot.store import NewCase
from bot.store.sqlite import SqliteStore

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


async def write_forever(path: str, tag: str) -> None:
    """Commit one case (with its reminder) at a time and announce it only after the commit."""
    store = SqliteStore(path)
    await store.open()
    number = 0
    while True:
        case = NewCase(
            platform="discord",
            community="guild1",
            channel="general",
            user=f"u{number % 7}",
            message_id=f"{tag}-m{number}",
            labels=("personal-info",),
            clauses=("4.5",),
            rules=("dmu.personal-info.phone",),
            severity="medium",
            action="remind",
            step=1,
            strike=True,
            created_at=T0 + timedelta(seconds=number),
            # padding makes each transaction span several pages, so a kill lands mid-write
            content="x" * 8000,
        )
        case_id = await store.commit_decision("discord", f"{tag}-e{number}", case, "general")
        print(case_id, flush=True)
        number += 1


if __name__ == "__main__":
    asyncio.run(write_forever(sys.argv[1], sys.argv[2]))
