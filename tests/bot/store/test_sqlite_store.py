"""What only the SQLite engine promises: its file, pragmas, errors and concurrency."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.store import AuditEntry, CaseStatus, StoreError
from bot.store.errors import DatabaseInUse
from bot.store.sqlite import SqliteStore

from ..conftest import T0, MakeCase


def read(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


async def test_file_is_in_wal_mode_and_the_wal_is_checkpointed_on_close(
    tmp_path: Path, make_case: MakeCase
) -> None:
    path = tmp_path / "bot.db"
    async with SqliteStore(path) as store:
        await store.commit_decision("discord", "e1", make_case(), None)
        assert Path(f"{path}-wal").exists()
    assert read(path, "PRAGMA journal_mode") == [("wal",)]
    wal = Path(f"{path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0


async def test_memory_database_works(make_case: MakeCase) -> None:
    async with SqliteStore(":memory:") as store:
        case_id = await store.commit_decision("discord", "e1", make_case(), None)
        assert case_id and await store.get_case(case_id) is not None


async def test_naive_datetimes_are_refused(tmp_path: Path) -> None:
    async with SqliteStore(tmp_path / "bot.db") as store:
        with pytest.raises(ValueError, match="naive datetime"):
            await store.mark_reminded("discord", "g", "u", "c", datetime(2024, 1, 1))


async def test_times_in_other_zones_are_stored_as_utc(tmp_path: Path) -> None:
    local = datetime(2024, 7, 1, 13, 0, tzinfo=ZoneInfo("Europe/London"))  # BST: 12:00 UTC
    async with SqliteStore(tmp_path / "bot.db") as store:
        await store.mark_reminded("discord", "g", "u", "c", local)
        stored = await store.last_reminded("discord", "g", "u", "c")
    assert stored == local and stored is not None and stored.utcoffset() == timedelta(0)
    assert read(tmp_path / "bot.db", "SELECT reminded_at FROM reminders") == [
        ("2024-07-01T12:00:00.000000+00:00",)
    ]


async def test_concurrent_coroutines_share_one_store(tmp_path: Path, make_case: MakeCase) -> None:
    async with SqliteStore(tmp_path / "bot.db") as store:
        distinct = [
            store.commit_decision("discord", f"e{n}", make_case(message_id=f"m{n}"), "general")
            for n in range(20)
        ]
        same = [store.commit_decision("discord", "dup", make_case(), None) for _ in range(5)]
        results = await asyncio.gather(*distinct, *same)
        assert all(results[:20])
        assert sum(result is not None for result in results[20:]) == 1
        assert len(await store.cases_for_user("discord", "guild1", "u1")) == 21


async def test_two_stores_on_one_file_wait_for_each_other(
    tmp_path: Path, make_case: MakeCase
) -> None:
    path = tmp_path / "bot.db"
    async with SqliteStore(path) as first, SqliteStore(path) as second:
        results = await asyncio.gather(
            *(
                store.commit_decision("discord", f"e{n}", make_case(), None)
                for n in range(10)
                for store in (first, second)
            )
        )
        assert sum(result is not None for result in results) == 10
        assert len(await first.cases_for_user("discord", "guild1", "u1")) == 10


async def test_a_second_process_is_refused_and_operator_commands_share_the_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bot.db"
    writer = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("kill_writer.py")), str(path), "t"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    try:
        first_case = int(writer.stdout.readline())  # committed: the writer holds the file
        with pytest.raises(DatabaseInUse) as info:
            await SqliteStore(path).open()
        problem = str(info.value)
        assert problem.startswith(f"{path}: another policybot process (pid {writer.pid})")
        assert "PostgreSQL" in problem and "\n" not in problem
        # purge, export, insights and doctor decide nothing: they may run beside the bot
        async with SqliteStore(path, exclusive=False) as shared:
            assert await shared.get_case(first_case) is not None
    finally:
        writer.kill()
        writer.wait()
        writer.stdout.close()
    async with SqliteStore(path) as store:  # the claim ended with the process
        assert await store.get_case(first_case) is not None


async def test_the_lock_file_goes_with_the_last_store_closed(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    lock = tmp_path / "bot.db-lock"
    async with SqliteStore(path):
        async with SqliteStore(path):
            assert lock.exists()
        assert lock.exists()  # the first store still holds the file
    assert not lock.exists()
    # A lock file a killed process left behind is claimed as it is, then removed in turn.
    lock.write_text("99999\n")
    async with SqliteStore(path):
        assert lock.read_text() == f"{os.getpid()}\n"
    assert not lock.exists()


# -- user mistakes: one line naming the file ---------------------------------------------------
def not_a_database(tmp_path: Path) -> Path:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 200)
    return path


def in_missing_directory(tmp_path: Path) -> Path:
    return tmp_path / "no-such-dir" / "bot.db"


def a_directory(tmp_path: Path) -> Path:
    return tmp_path


@pytest.mark.parametrize(
    ("make_path", "reason"),
    [
        (not_a_database, "not a database"),
        (in_missing_directory, "does not exist"),
        (a_directory, "directory"),
    ],
)
async def test_a_bad_file_gives_one_line_naming_it(
    tmp_path: Path, make_path: Callable[[Path], Path], reason: str
) -> None:
    path = make_path(tmp_path)
    with pytest.raises(StoreError) as raised:
        await SqliteStore(path).open()
    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    assert reason in message
    assert "\n" not in message


async def test_using_a_closed_store_is_a_programming_error(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "bot.db")
    with pytest.raises(RuntimeError, match="not open"):
        await store.seen_event("discord", "e1")


async def test_a_failure_inside_a_transaction_rolls_all_of_it_back(
    tmp_path: Path, make_case: MakeCase
) -> None:
    naive = AuditEntry("discord", "guild1", "mod1", "erase", "u1", "", datetime(2024, 1, 1))
    async with SqliteStore(tmp_path / "bot.db") as store:
        case_id = await store.commit_decision("discord", "e1", make_case(), "general")
        assert case_id

        # the audit line fails after the change itself has run: both must go
        with pytest.raises(ValueError):
            await store.set_case_status(case_id, CaseStatus.DISMISSED, T0, naive)
        with pytest.raises(ValueError):
            await store.erase_user("discord", "guild1", "u1", naive)

        record = await store.get_case(case_id)
        assert record is not None and record.status is CaseStatus.ACTIVE
        assert await store.last_reminded("discord", "guild1", "u1", "general") == T0
        assert await store.audit_log("discord", "guild1") == []
        # and the connection is usable afterwards
        assert await store.commit_decision("discord", "e2", make_case(), None)


async def test_decisions_without_a_case_are_stamped_by_the_clock(tmp_path: Path) -> None:
    async with SqliteStore(tmp_path / "bot.db", clock=lambda: T0) as store:
        await store.commit_decision("discord", "quiet", None, None)
        assert await store.purge_before(T0) == 0
        assert await store.purge_before(T0 + timedelta(microseconds=1)) == 1
