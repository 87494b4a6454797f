"""Build the store that a ``database.url`` setting names."""

from __future__ import annotations

from bot.store.base import Store
from bot.store.errors import StoreError
from bot.store.postgres import PostgresStore, masked_url
from bot.store.sqlite import MEMORY, SqliteStore

_SUPPORTED = "sqlite, postgresql"
_POSTGRES_SCHEMES = ("postgresql", "postgres")
_SQLITE_FORMS = "sqlite:///relative/path.db, sqlite:////absolute/path.db or sqlite://:memory:"
_FORMS = f"{_SQLITE_FORMS}, or postgresql://user@host:5432/database"


def open_store(url: str) -> Store:
    """Return the (not yet opened) store for ``url``; open it with ``async with``.

    ``sqlite:///relative/path.db`` is relative to the working directory,
    ``sqlite:////abs/path.db`` is absolute and ``sqlite://:memory:`` lives in memory.
    ``postgresql://user@host:port/database`` (or ``postgres://``) is a PostgreSQL database
    that several bot processes may share; its password comes from the URL or from PGPASSWORD
    (or PGPASSFILE), and the other PG* environment variables fill in what the URL leaves out.
    """
    scheme, separator, rest = url.partition("://")
    if not separator:
        raise StoreError(f"database.url: expected a URL such as {_FORMS}, got {masked_url(url)!r}")
    if scheme.lower() in _POSTGRES_SCHEMES:
        return PostgresStore(url)
    if scheme.lower() != "sqlite":
        raise StoreError(f"database.url: unsupported scheme {scheme!r} (supported: {_SUPPORTED})")
    if rest in (MEMORY, "/" + MEMORY):
        return SqliteStore(MEMORY)
    if "?" in rest or "#" in rest:
        raise StoreError(f"database.url: options after '?' or '#' are not supported in {url!r}")
    if not rest.startswith("/") or rest in ("/", "//"):
        raise StoreError(f"database.url: expected {_SQLITE_FORMS}, got {url!r}")
    return SqliteStore(rest[1:])
