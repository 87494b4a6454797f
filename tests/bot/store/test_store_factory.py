"""open_store: the database.url forms policybot understands."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.store import StoreError, open_store
from bot.store.postgres import PostgresStore
from bot.store.sqlite import SqliteStore


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:///policybot.db", "policybot.db"),
        ("sqlite:///data/policybot.db", "data/policybot.db"),
        ("sqlite:////var/lib/policybot/bot.db", "/var/lib/policybot/bot.db"),
        ("sqlite://:memory:", ":memory:"),
        ("sqlite:///:memory:", ":memory:"),
        ("SQLite:///bot.db", "bot.db"),
    ],
)
def test_sqlite_urls(url: str, path: str) -> None:
    store = open_store(url)
    assert isinstance(store, SqliteStore)
    assert store.path == path


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://bot@localhost/bot", "postgresql://bot@localhost/bot"),
        ("postgres://bot@db:5433/bot", "postgres://bot@db:5433/bot"),
        ("PostgreSQL://bot:hunter2@db/bot", "PostgreSQL://bot:***@db/bot"),
        ("postgresql:///bot?host=/run/postgresql", "postgresql:///bot?host=/run/postgresql"),
        ("postgresql://bot@db/bot?password=hunter2", "postgresql://bot@db/bot?password=***"),
    ],
)
def test_postgres_urls_never_show_the_password(url: str, shown: str) -> None:
    store = open_store(url)
    assert isinstance(store, PostgresStore)
    assert store.url == shown


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "mysql:///bot",
            "database.url: unsupported scheme 'mysql' (supported: sqlite, postgresql)",
        ),
        ("policybot.db", "database.url: expected a URL such as sqlite:///relative/path.db"),
        ("bot:hunter2@db/bot", "database.url: expected a URL such as sqlite:///relative/path.db"),
        ("sqlite://", "database.url: expected sqlite:///relative/path.db"),
        ("sqlite:///", "database.url: expected sqlite:///relative/path.db"),
        ("sqlite://host/bot.db", "database.url: expected sqlite:///relative/path.db"),
        ("sqlite:///bot.db?mode=ro", "database.url: options after '?' or '#' are not supported"),
    ],
)
def test_bad_urls_give_one_line(url: str, message: str) -> None:
    with pytest.raises(StoreError) as raised:
        open_store(url)
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)
    assert "hunter2" not in str(raised.value)


async def test_the_store_opens_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    async with open_store("sqlite:///bot.db") as store:
        assert not await store.seen_event("discord", "e1")
    assert (tmp_path / "bot.db").is_file()
