"""open_store: the database.url forms policybot understands."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.store import StoreError, open_store
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
    ("url", "message"),
    [
        (
            "postgresql://bot@localhost/bot",
            "database.url: unsupported scheme 'postgresql' (supported: sqlite)",
        ),
        ("mysql:///bot", "database.url: unsupported scheme 'mysql' (supported: sqlite)"),
        ("policybot.db", "database.url: expected a URL such as sqlite:///relative/path.db"),
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


async def test_the_store_opens_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    async with open_store("sqlite:///bot.db") as store:
        assert not await store.seen_event("discord", "e1")
    assert (tmp_path / "bot.db").is_file()
