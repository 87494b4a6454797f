"""Versioned schema migrations: numbered plain-SQL files, each applied once and in order.

The files live in ``bot/store/migrations/`` as ``NNNN_name.sql`` and are written to run on
every engine; each engine applies them and records the version in ``schema_version``.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from bot.store.errors import StoreError

_FILE_NAME = re.compile(r"(?P<version>\d{4})_(?P<name>[a-z0-9_]+)\.sql")


@dataclass(frozen=True, slots=True)
class Migration:
    """One numbered migration file: its version, its name and its SQL text."""

    version: int
    name: str
    sql: str

    @property
    def file_name(self) -> str:
        """Return the name of the file the migration came from, ``NNNN_name.sql``."""
        return f"{self.version:04d}_{self.name}.sql"

    def statements(self) -> list[str]:
        """Split the file into single statements, dropping comment-only remainders."""
        statements: list[str] = []
        pending = ""
        for line in self.sql.splitlines(keepends=True):
            pending += line
            # complete_statement knows about quotes and comments, so a ';' inside a string
            # literal or a comment does not end a statement.
            if sqlite3.complete_statement(pending):
                statements.append(pending.strip())
                pending = ""
        if _strip_comments(pending):
            raise StoreError(f"migration {self.file_name}: last statement has no ';'")
        return statements


def _strip_comments(sql: str) -> str:
    return "\n".join(line for line in sql.splitlines() if not line.strip().startswith("--")).strip()


def pending_migrations(
    migrations: Sequence[Migration], current: int, label: str, database: str
) -> list[Migration]:
    """Return the migrations newer than schema version ``current``, oldest first.

    Raise StoreError when the database (``label``, a ``database`` such as "database file") is
    newer than every migration this policybot has: it cannot know what the later ones changed.
    """
    latest = migrations[-1].version if migrations else 0
    if current > latest:
        raise StoreError(
            f"{label}: database schema version {current} is newer than this policybot "
            f"understands ({latest}); upgrade policybot or use another {database}"
        )
    return [migration for migration in migrations if migration.version > current]


def packaged_migrations() -> tuple[Migration, ...]:
    """Return the migrations shipped with policybot, oldest first."""
    return load_migrations(resources.files("bot.store") / "migrations")


def load_migrations(directory: Traversable | Path) -> tuple[Migration, ...]:
    """Read the ``NNNN_name.sql`` files of ``directory``; versions must run 1, 2, 3 … N."""
    found: list[Migration] = []
    for entry in directory.iterdir():
        if not entry.name.endswith(".sql"):
            continue
        match = _FILE_NAME.fullmatch(entry.name)
        if match is None:
            raise StoreError(f"{entry}: a migration file must be named NNNN_lowercase_name.sql")
        found.append(
            Migration(int(match["version"]), match["name"], entry.read_text(encoding="utf-8"))
        )
    found.sort(key=lambda migration: migration.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise StoreError(
                f"{directory}: migration {expected:04d} is missing or doubled "
                f"(found {migration.version:04d}_{migration.name}.sql in its place)"
            )
    return tuple(found)
