"""Logs are JSON lines when nobody watches, and never carry a token."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.logging_setup import MASK, mask_tokens, setup_logging


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def restore_root() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.parametrize(
    "token",
    [
        "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp",
        "xapp-1-A0123456789-1234567890123-abcdef0123456789",
        "MTIzNDU2Nzg5MDEyMzQ1Njc4.GAbCdE.abcdefghijklmnopqrstuvwxyz0123",
    ],
)
def test_tokens_are_masked(token: str) -> None:
    assert mask_tokens(f"token={token} end") == f"token={MASK} end"


@pytest.mark.parametrize("text", ["case 12 step 2 clause 4.5", "ring 07700 900123", "u.s.a"])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert mask_tokens(text) == text


def test_json_lines_when_stderr_is_not_a_terminal(restore_root: None) -> None:
    stream = io.StringIO()
    setup_logging(stream=stream)
    logging.getLogger("bot.test").info(
        "decided with xoxb-1234567890-abcdefghij", extra={"case_id": 7}
    )
    line = json.loads(stream.getvalue().splitlines()[-1])
    assert line["level"] == "info" and line["logger"] == "bot.test" and line["case_id"] == 7
    assert "xoxb" not in stream.getvalue()


def test_plain_lines_on_a_terminal_and_one_handler_however_often_set_up(
    restore_root: None,
) -> None:
    stream = _Tty()
    setup_logging(stream=stream)
    setup_logging(stream=stream)
    logging.getLogger("bot.test").warning("hello")
    assert stream.getvalue().count("hello") == 1
    assert not stream.getvalue().startswith("{")


def test_json_can_be_forced_on_a_terminal(restore_root: None) -> None:
    stream = _Tty()
    setup_logging(True, stream=stream)
    logging.getLogger("bot.test").warning("hello")
    assert json.loads(stream.getvalue())["message"] == "hello"
