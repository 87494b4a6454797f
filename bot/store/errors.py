"""The one error a store raises for problems a user can fix: a bad URL, file or schema."""

from __future__ import annotations


class StoreError(Exception):
    """Report a storage problem in one line that names the database and what is wrong."""
