"""Versioned migrations: numbered files, applied once each, in order, refusing newer databases."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.store import StoreError
from bot.store.schema import Migration, load_migrations, packaged_migrations
from bot.store.sqlite import SqliteStore

from .conftest import TABLES


def versions(path: Path) -> list[int]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT version FROM schema_version ORDER BY 1")]


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def write(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir(exist_ok=True)
    for name, sql in files.items():
        (directory / name).write_text(sql)
    return directory


def test_packaged_migrations_start_at_one_and_hold_the_tables() -> None:
    migrations = packaged_migrations()
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    assert migrations[0].name == "initial"


async def test_a_fresh_database_gets_the_latest_version_and_every_table(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    async with SqliteStore(path):
        pass
    assert versions(path) == [m.version for m in packaged_migrations()]
    assert tables(path) >= TABLES


async def test_reopening_applies_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    async with SqliteStore(path):
        pass
    with sqlite3.connect(path) as conn:
        before = conn.execute("SELECT version, applied_at FROM schema_version").fetchall()
    async with SqliteStore(path):
        pass
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version, applied_at FROM schema_version").fetchall() == before


async def test_new_migrations_are_applied_in_order_on_reopen(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    directory = write(
        tmp_path / "migrations",
        {
            "0002_second.sql": "ALTER TABLE one ADD COLUMN b TEXT;",
            "0001_first.sql": "-- the first\nCREATE TABLE one (a TEXT);\n",
        },
    )
    async with SqliteStore(path, migrations=load_migrations(directory)):
        pass
    assert versions(path) == [1, 2]

    write(directory, {"0003_third.sql": "INSERT INTO one (a, b) VALUES ('x;y', 'z');"})
    async with SqliteStore(path, migrations=load_migrations(directory)):
        pass
    assert versions(path) == [1, 2, 3]
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT a, b FROM one").fetchall() == [("x;y", "z")]


async def test_a_database_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    async with SqliteStore(path):
        pass
    latest = packaged_migrations()[-1].version
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO schema_version VALUES (?, 'later')", (latest + 1,))

    with pytest.raises(StoreError) as raised:
        await SqliteStore(path).open()
    assert str(raised.value) == (
        f"{path}: database schema version {latest + 1} is newer than this policybot "
        f"understands ({latest}); upgrade policybot or use another database file"
    )


async def test_a_failing_migration_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    good = Migration(1, "first", "CREATE TABLE one (a TEXT);")
    bad = Migration(2, "broken", "CREATE TABLE two (a TEXT);\nINSERT INTO nowhere VALUES (1);")

    with pytest.raises(StoreError, match=r"migration 0002_broken\.sql failed: no such table"):
        await SqliteStore(path, migrations=[good, bad]).open()

    assert versions(path) == [1]
    assert "two" not in tables(path)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"0001_first.sql": "", "2_second.sql": ""}, "must be named NNNN_lowercase_name.sql"),
        ({"0001_first.sql": "", "0003_third.sql": ""}, "migration 0002 is missing or doubled"),
        ({"0001_first.sql": "", "0001_again.sql": ""}, "migration 0002 is missing or doubled"),
        ({"0002_second.sql": ""}, "migration 0001 is missing or doubled"),
    ],
)
def test_badly_numbered_files_are_refused(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    with pytest.raises(StoreError, match=message):
        load_migrations(write(tmp_path / "migrations", files))


@pytest.mark.parametrize(
    ("sql", "statements"),
    [
        ("CREATE TABLE a (x TEXT);", ["CREATE TABLE a (x TEXT);"]),
        (
            "-- note; not a statement\nSELECT 1;\nSELECT 2;\n-- trailing",
            ["-- note; not a statement\nSELECT 1;", "SELECT 2;"],
        ),
        ("INSERT INTO a VALUES ('1;2');", ["INSERT INTO a VALUES ('1;2');"]),
        ("-- only a comment\n", []),
    ],
)
def test_statements_split_on_semicolons_outside_strings_and_comments(
    sql: str, statements: list[str]
) -> None:
    assert Migration(1, "x", sql).statements() == statements


def test_a_statement_without_a_semicolon_is_refused() -> None:
    with pytest.raises(StoreError, match="0001_x.sql: last statement has no ';'"):
        Migration(1, "x", "SELECT 1;\nSELECT 2").statements()
