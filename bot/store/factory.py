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


def url_problem(url: str) -> str | None:
    """Return what is wrong with a ``database.url`` (without the key's name), or None.

    The same check :func:`open_store` makes, without connecting: ``validate-config`` says no to
    exactly the URLs that ``run`` would refuse.
    """
    scheme, separator, rest = url.partition("://")
    if not separator:
        return f"expected a URL such as {_FORMS}, got {masked_url(url)!r}"
    if "\0" in url:
        return "a URL cannot hold a NUL character"
    if scheme.lower() in _POSTGRES_SCHEMES:
        return None
    if scheme.lower() != "sqlite":
        return f"unsupported scheme {scheme!r} (supported: {_SUPPORTED})"
    if rest in (MEMORY, "/" + MEMORY):
        return None
    if "?" in rest or "#" in rest:
        return f"options after '?' or '#' are not supported in {url!r}"
    if not rest.startswith("/") or rest in ("/", "//"):
        return f"expected {_SQLITE_FORMS}, got {url!r}"
    return None


def open_store(url: str, *, exclusive: bool = True) -> Store:
    """Return the (not yet opened) store for ``url``; open it with ``async with``.

    ``sqlite:///relative/path.db`` is relative to the working directory,
    ``sqlite:////abs/path.db`` is absolute and ``sqlite://:memory:`` lives in memory.
    ``postgresql://user@host:port/database`` (or ``postgres://``) is a PostgreSQL database
    that several bot processes may share; its password comes from the URL or from PGPASSWORD
    (or PGPASSFILE), and the other PG* environment variables fill in what the URL leaves out.

    ``exclusive`` claims a SQLite file for this process (see :class:`SqliteStore`); operator
    commands that make no decisions pass False to run beside the bot.
    """
    problem = url_problem(url)
    if problem is not None:
        raise StoreError(f"database.url: {problem}")
    scheme, _, rest = url.partition("://")
    if scheme.lower() in _POSTGRES_SCHEMES:
        return PostgresStore(url)
    if rest in (MEMORY, "/" + MEMORY):
        return SqliteStore(MEMORY)
    return SqliteStore(rest[1:], exclusive=exclusive)
