"""Make outside input safe before the core reads it: text, JSON and bytes from anyone.

Platforms, exports, stdin and the playground's page can all hand the bot strings that Python
holds but cannot encode (a lone surrogate such as ``"\\ud800"``, from a JSON escape or from
undecodable bytes read with ``surrogateescape``), JSON nested deeper than the interpreter
recurses, or bytes that are not UTF-8. Each entry point passes what it receives through here,
so no detector, store or writer ever meets such a value and nothing raises on it.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: What replaces a character that cannot be encoded: U+FFFD REPLACEMENT CHARACTER.
REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")
# A JSON text can only produce a lone surrogate through a \uD800-\uDFFF escape.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE_ESCAPE_TEXT = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class UntrustedJSONError(ValueError):
    """JSON that cannot be read; the message says why in a few words (no location prefix).

    For a syntax error, ``reason``, ``line`` and ``column`` are the parser's (else None).
    """

    def __init__(
        self,
        message: str,
        reason: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.line = line
        self.column = column


def clean_text(text: str) -> str:
    """Return ``text`` with every lone surrogate replaced by U+FFFD (``text`` itself if none)."""
    # isascii() is O(1) in CPython, so the common case costs next to nothing.
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub(REPLACEMENT, text)
    return text


def clean_json(value: Any) -> Any:
    """Return parsed JSON with every string (keys too) passed through :func:`clean_text`.

    Walks with an explicit stack, so a document as deep as the parser accepted cannot exhaust
    the interpreter's recursion limit here, and visits each container once, so YAML's aliases
    (a list that holds itself) end the walk too.
    """
    if isinstance(value, str):
        return clean_text(value)
    if not isinstance(value, dict | list):
        return value
    root: list[Any] = [value]
    stack: list[tuple[Any, Any]] = [(root, 0)]
    seen: set[int] = set()
    while stack:
        container, key = stack.pop()
        item = container[key]
        if isinstance(item, str):
            container[key] = clean_text(item)
        elif isinstance(item, dict | list) and id(item) in seen:
            continue
        elif isinstance(item, list):
            seen.add(id(item))
            stack.extend((item, i) for i in range(len(item)))
        elif isinstance(item, dict):
            seen.add(id(item))
            if any(isinstance(k, str) and not k.isascii() for k in item):
                renamed = {clean_text(k): v for k, v in item.items()}
                item.clear()
                item.update(renamed)
            stack.extend((item, k) for k in item)
    return root[0]


def decode_utf8(data: bytes) -> str:
    """Decode UTF-8 (a leading byte-order mark is dropped); raise UntrustedJSONError if not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise UntrustedJSONError(f"not UTF-8 text (at byte {err.start})") from None


def load_json(data: bytes | str) -> Any:
    """Parse JSON from outside: UTF-8, nesting within the interpreter's limit, strings clean.

    Raise :class:`UntrustedJSONError` naming what is wrong: not UTF-8, not JSON (with the line
    and column), or nested too deeply.
    """
    raw = data if isinstance(data, bytes) else None
    text = decode_utf8(data) if isinstance(data, bytes) else data
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise UntrustedJSONError(
            f"not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})",
            err.msg,
            err.lineno,
            err.colno,
        ) from None
    except RecursionError:
        raise UntrustedJSONError("not readable JSON: nested too deeply") from None
    if raw is not None:
        needs_cleaning = _SURROGATE_ESCAPE.search(raw) is not None
    else:
        # A str may also hold a raw lone surrogate (stdin read with surrogateescape).
        needs_cleaning = _SURROGATE_ESCAPE_TEXT.search(text) is not None or (
            not text.isascii() and _SURROGATE.search(text) is not None
        )
    return clean_json(value) if needs_cleaning else value
