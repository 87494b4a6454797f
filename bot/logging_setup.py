"""Set up logging: JSON lines when stderr is not a terminal, plain lines when a person watches.

Logs carry ids, labels, clauses and counts, never message content; anything shaped like a
platform token is masked before a record is written, whoever logged it.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import TextIO

#: Slack tokens (xoxb-, xoxp-, xapp-, …) and Discord bot tokens (three base64url parts).
TOKEN_SHAPES = re.compile(
    r"\bx(?:ox[abposr]|app)-[A-Za-z0-9-]{8,}"
    r"|\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}"
)
MASK = "[token hidden]"

#: LogRecord attributes that are not extra fields someone passed with ``extra=``.
_STANDARD = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", (), None)).keys() | {"message", "asctime"}
)


def mask_tokens(text: str) -> str:
    """Return ``text`` with anything shaped like a token replaced."""
    return TOKEN_SHAPES.sub(MASK, text)


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object: time, level, logger, message and its extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as a JSON line with tokens masked."""
        data: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": mask_tokens(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                data[key] = mask_tokens(value) if isinstance(value, str) else value
        if record.exc_info:
            data["error"] = mask_tokens(self.formatException(record.exc_info))
        return json.dumps(data, default=str)


class _MaskingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask_tokens(super().format(record))


def setup_logging(
    json_logs: bool | None = None, *, stream: TextIO | None = None, level: int = logging.INFO
) -> logging.Handler:
    """Send the root logger to ``stream`` (stderr); JSON unless it is a terminal or told otherwise.

    Return the handler installed, replacing any this function installed before.
    """
    stream = stream if stream is not None else sys.stderr
    if json_logs is None:
        json_logs = not stream.isatty()
    handler = logging.StreamHandler(stream)
    handler.set_name("policybot")
    handler.setFormatter(
        JsonFormatter()
        if json_logs
        else _MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "policybot"]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    return handler
