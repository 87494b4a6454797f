"""Outside input made safe at the boundary: lone surrogates, deep JSON, bytes that are not UTF-8."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.message import Attachment, Message
from bot.untrusted import REPLACEMENT, UntrustedJSONError, clean_json, clean_text, load_json


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain ascii", "plain ascii"),
        ("café ☕", "café ☕"),
        ("bad \ud800 x", f"bad {REPLACEMENT} x"),
        ("\udcff\udc80", REPLACEMENT * 2),
        ("pair \ud83d\ude00 apart", f"pair {REPLACEMENT}{REPLACEMENT} apart"),
    ],
)
def test_clean_text_replaces_only_what_cannot_be_encoded(text: str, expected: str) -> None:
    assert clean_text(text) == expected
    clean_text(text).encode("utf-8")


def test_a_message_never_holds_a_lone_surrogate() -> None:
    message = Message(
        id="1\ud800",
        text="bad \ud800 x",
        author="a\udcff",
        channel="c",
        author_name="Jess \udc80",
        mentions=("u\ud800",),
        links=("https://x.test/\ud800",),
        attachments=(Attachment(filename="notes\ud800.pdf"),),
        author_roles=("mod\ud800",),
    )
    strings = [
        message.id,
        message.text,
        message.author,
        message.author_name or "",
        *message.mentions,
        *message.links,
        *(a.filename for a in message.attachments),
        *message.author_roles,
    ]
    assert all(REPLACEMENT in s for s in strings)
    for s in strings:
        s.encode("utf-8")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"\xff{}", "not UTF-8 text (at byte 0)"),
        (b"{", "not valid JSON (line 1, column 2: Expecting property name"),
        (b"[" * 100_000, "nested too deeply"),
        ("{" + '"a":{' * 100_000, "nested too deeply"),
    ],
)
def test_load_json_names_the_problem(data: bytes | str, problem: str) -> None:
    with pytest.raises(UntrustedJSONError, match=re.escape(problem)):
        load_json(data)


def test_load_json_cleans_strings_and_keys_at_any_depth() -> None:
    document = load_json(b'{"k\\ud800": [[{"t": "x \\udfff"}]], "n": 1}')
    assert document == {f"k{REPLACEMENT}": [[{"t": f"x {REPLACEMENT}"}]], "n": 1}
    deep = load_json("[" * 900 + '"\\ud800"' + "]" * 900)
    for _ in range(900):
        deep = deep[0]
    assert deep == REPLACEMENT


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200))
def test_load_json_on_any_bytes_answers_or_says_why(data: bytes) -> None:
    try:
        value = load_json(data)
    except UntrustedJSONError as exc:
        assert "\n" not in str(exc)
        return
    json.dumps(value, ensure_ascii=False).encode("utf-8")


@settings(max_examples=150, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
        max_leaves=20,
    )
)
def test_clean_json_leaves_every_string_encodable(value: object) -> None:
    cleaned = clean_json(json.loads(json.dumps(value)))
    json.dumps(cleaned, ensure_ascii=False).encode("utf-8")
