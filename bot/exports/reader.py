"""The export-reader contract: what ``policybot scan`` needs from any chat export."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Protocol, Self
from urllib.parse import urlsplit, urlunsplit

from bot.message import Message
from bot.untrusted import UntrustedJSONError, load_json


class ExportError(Exception):
    """A chat export that cannot be read at all; the message is one line naming the file."""


class ExportReader(Protocol):
    """A chat export opened for scanning.

    ``community`` is the id the live adapter would use (Slack team id, Discord guild id) so
    that scan results and live moderation share a store; ``community_name`` is for display.
    ``warnings`` collects one line per skipped item (a broken message or file) as
    :meth:`messages` runs; a skipped item never stops the scan. A reader that subclasses this
    protocol gets its ``with`` block from here.
    """

    platform: str
    community: str
    community_name: str
    warnings: list[str]

    @property
    def names(self) -> Mapping[str, str]:
        """Return the display name of every user id the export knows."""
        ...

    @property
    def channel_names(self) -> Mapping[str, str]:
        """Return the name of every channel id the export knows."""
        ...

    def count_hint(self) -> int | None:
        """Return roughly how many messages :meth:`messages` will yield, or None if unknown."""
        ...

    def messages(self) -> Iterator[Message]:
        """Yield the export's messages in chronological order."""
        ...

    def close(self) -> None:
        """Release any open file."""
        ...

    def __enter__(self) -> Self:
        """Return the reader itself, closing it when the ``with`` block ends."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the reader."""
        self.close()


def parse_json(data: bytes, where: str) -> Any:
    """Decode ``data`` as JSON, raising a one-line :class:`ExportError` naming ``where``.

    Strings come back with any lone surrogate replaced (see :mod:`bot.untrusted`), and JSON
    nested deeper than the parser can follow is an error like any other.
    """
    try:
        return load_json(data)
    except UntrustedJSONError as err:
        raise ExportError(f"{where}: {err}") from None


#: What a terminal or a markdown viewer would act on rather than show: C0 and C1 controls,
#: DEL, the line and paragraph separators, and the bidi overrides and isolates that reorder
#: what follows them (a name ending in U+202E reverses the rest of its row).
_UNSHOWABLE = {
    code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    for code in (
        *range(0x00, 0x20),
        *range(0x7F, 0xA0),
        0x2028,
        0x2029,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    )
} | {ord("\t"): "\\t", ord("\n"): "\\n", ord("\r"): "\\r"}


def printable(value: str) -> str:
    """Return text from an export with every control and bidi character written as an escape.

    A scan prints names, ids and paths an export's author chose: an escape sequence there
    would retitle or recolour the reader's terminal, and a line break would forge a row. Each
    such character becomes an escape (``\\n``, ``\\x1b``, ``\\u202e``); the rest is left as typed.
    """
    return value.translate(_UNSHOWABLE)


def json_kind(value: Any) -> str:
    """Return what kind of JSON value ``value`` is, for a warning ("a number", "a list")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "a string" if isinstance(value, str) else type(value).__name__


def shown(value: str) -> str:
    """Return a value from an export as a warning shows it: as it is, or quoted with escapes
    when it holds a line break or other unprintable character (a warning is one line)."""
    return value if value.isprintable() else repr(value)


def without_query(url: Any) -> str | None:
    """Return an attachment's URL without its query and fragment; None when there is no URL.

    Exports keep what grants access to a file in the query string (a Slack token, a Discord
    CDN signature): a scan must never keep it.
    """
    if not isinstance(url, str) or not url:
        return None
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
