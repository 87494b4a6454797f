"""The store queries behind /healthz and insights, run on every engine of the contract suite."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from bot.store import Store
from bot.store.errors import StoreError
from bot.store.sqlite import SqliteStore

from ..conftest import T0, MakeCase


async def test_check_writable_passes_on_an_open_store(store: Store) -> None:
    await store.check_writable()


async def test_check_writable_fails_while_another_writer_holds_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    async with SqliteStore(path) as store:
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            # The busy timeout is 5 s; shorten it so the test stays fast.
            await store._connected().execute("PRAGMA busy_timeout = 0")
            with pytest.raises(StoreError):
                await store.check_writable()
        finally:
            other.execute("ROLLBACK")
            other.close()


async def test_cases_since_filters_by_time_and_community_and_drops_content(
    store: Store, make_case: MakeCase
) -> None:
    await store.commit_decision("discord", "e1", make_case(content="secret text"), None)
    later = T0 + timedelta(days=2)
    await store.commit_decision("discord", "e2", make_case(message_id="m2", created_at=later), None)
    await store.commit_decision(
        "discord", "e3", make_case(message_id="m3", community="guild2", created_at=later), None
    )
    await store.commit_decision(
        "slack", "e4", make_case(platform="slack", message_id="m4", created_at=later), None
    )

    every = await store.cases_since(T0)
    assert [c.message_id for c in every] == ["m1", "m2", "m3", "m4"]
    assert all(c.content is None for c in every)
    assert [c.message_id for c in await store.cases_since(T0 + timedelta(days=1))] == [
        "m2",
        "m3",
        "m4",
    ]
    assert [c.message_id for c in await store.cases_since(T0, "discord", "guild1")] == [
        "m1",
        "m2",
    ]
    assert [c.message_id for c in await store.cases_since(T0, "slack")] == ["m4"]
