"""``check --jsonl`` over any input: every line is answered or gets one clear error line.

Hypothesis draws whole streams (messages of the right shape with wrong or hostile values, any
JSON, any bytes) and the stream contract must hold for each: one output line per line that is
not blank, an answer or ``{"line": N, "error": "line N: …"}``, exit code 1 exactly when some
line was refused, and nothing raised.
"""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import build_core
from bot.cli import check_stream
from bot.config import parse_config
from bot.store.sqlite import SqliteStore
from tests.conftest import Rules
from tests.strategies import ANY_JSON, IDS, TEXT, json_bytes

MESSAGES = st.fixed_dictionaries(
    {"id": IDS, "text": st.one_of(TEXT, TEXT, TEXT, ANY_JSON), "author": IDS, "channel": IDS},
    optional={
        "community": IDS,
        "mentions": st.one_of(st.lists(IDS, max_size=3), ANY_JSON),
        "reply_to": IDS,
        "author_name": st.one_of(TEXT, ANY_JSON),
    },
)
LINES = st.one_of(
    st.tuples(MESSAGES, st.booleans()).map(lambda m: json_bytes(*m)),
    MESSAGES.map(lambda m: json_bytes(m, True)),
    st.tuples(ANY_JSON, st.booleans()).map(lambda v: json_bytes(*v)),
    st.binary(max_size=60).map(lambda b: b.replace(b"\n", b" ")),
    st.integers(1, 3000).map(lambda depth: b"[" * depth + b"]" * depth),
)
STREAMS = st.lists(LINES, min_size=1, max_size=8)
ANSWER_KEYS = {"id", "findings", "routes", "action"}


def run_stream(rules: Rules, data: bytes) -> tuple[int, list[str]]:
    """Run ``data`` through ``check --jsonl``'s stream on a fresh in-memory core."""

    async def run() -> tuple[int, list[str]]:
        core = await build_core(
            parse_config({}), store=SqliteStore(":memory:"), loaded=rules.loaded
        )
        out = io.StringIO()
        try:
            code = await check_stream(core, io.BytesIO(data), out)
        finally:
            await core.close()
        return code, out.getvalue().splitlines()

    return asyncio.run(run())


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(lines=STREAMS)
def test_every_line_is_answered_or_gets_one_error_line(rules: Rules, lines: list[bytes]) -> None:
    code, out = run_stream(rules, b"\n".join(lines) + b"\n")
    expected = [n for n, line in enumerate(lines, start=1) if line.strip()]
    assert len(out) == len(expected)
    errors = 0
    for lineno, written in zip(expected, out, strict=True):
        answer: dict[str, Any] = json.loads(written)
        if "error" in answer:
            errors += 1
            assert answer["line"] == lineno
            assert answer["error"].startswith(f"line {lineno}: ")
            assert "\n" not in answer["error"]
        else:
            assert set(answer) == ANSWER_KEYS
            assert answer["action"] in ("none", "remind", "warn", "escalate")
    assert code == (1 if errors else 0)
