"""The clause index takes a misspelling for the word meant, never one real word for another."""

from __future__ import annotations

import pytest

from bot.policy_search import ClauseIndex, SearchDoc

DOCS = [
    SearchDoc("a", "Sharing other people's details", "4", "Never share someone's address."),
    SearchDoc("b", "Bullying", "5", "Bullying and harassment are not accepted."),
]
KNOWN = frozenset({"swearing", "sharing", "bulling", "bullying", "recordings"})


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        # A real word the clauses lack is not a typo of a near one (ratio 80 to "sharing").
        ("swearing", []),
        # A real word one letter from the clause's word still finds it (ratio 93).
        ("bulling", ["b"]),
        # Not a word: a misspelling, read at the looser cut.
        ("sharring", ["a"]),
        ("harrasment", ["b"]),
    ],
)
def test_known_words_need_a_near_identical_match(query: str, keys: list[str]) -> None:
    assert [hit.key for hit in ClauseIndex(DOCS, KNOWN).search(query)] == keys


def test_without_a_word_list_every_word_may_be_a_typo() -> None:
    assert [hit.key for hit in ClauseIndex(DOCS).search("swearing")] == ["a"]
