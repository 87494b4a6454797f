"""A writer killed with SIGKILL mid-loop loses no committed case and leaves a sound file."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.store.sqlite import SqliteStore

WRITER = Path(__file__).with_name("kill_writer.py")
ROUNDS = 3
IDS_BEFORE_KILL = 20


def run_and_kill(path: Path, tag: str) -> list[int]:
    """Start the writer, read some committed ids, SIGKILL it; return every id it printed."""
    writer = subprocess.Popen(
        [sys.executable, str(WRITER), str(path), tag], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None
    printed: list[int] = []
    try:
        while len(printed) < IDS_BEFORE_KILL:
            line = writer.stdout.readline()
            assert line, f"writer exited early with {writer.wait()}"
            printed.append(int(line))
        writer.send_signal(signal.SIGKILL)
        # ids printed between our last read and the kill were committed too
        printed += [int(word) for word in writer.stdout.read().split()]
        assert writer.wait() == -signal.SIGKILL
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
        writer.stdout.close()
    return printed


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killed_writer_loses_no_committed_case(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    printed: list[int] = []
    for round_number in range(ROUNDS):
        printed += run_and_kill(path, f"r{round_number}")
        # killed, not closed: the last commits live only in the WAL until recovery
        assert Path(f"{path}-wal").stat().st_size > 0

        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        missing = asyncio.run(missing_cases(path, printed))
        assert missing == [], f"committed cases lost after kill {round_number + 1}"
    assert len(set(printed)) == len(printed) >= ROUNDS * IDS_BEFORE_KILL


async def missing_cases(path: Path, case_ids: list[int]) -> list[int]:
    async with SqliteStore(path) as store:
        return [case_id for case_id in case_ids if await store.get_case(case_id) is None]
