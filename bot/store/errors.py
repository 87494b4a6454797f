"""The one error a store raises for problems a user can fix: a bad URL, file or schema."""

from __future__ import annotations


class StoreError(Exception):
    """Report a storage problem in one line that names the database and what is wrong."""


class DatabaseInUse(StoreError):
    """A SQLite file another process already serves: SQLite's locks cover one process only."""
