from __future__ import annotations

import pytest

from bot.detectors.phrase_matcher import PhraseMatcher
from bot.normalize import normalize

LEXICON = PhraseMatcher(
    ["ass", "cunt", "rapist", "cock", "stupid", "kill", "you're dead", "ring ... on", "'s number"]
)


@pytest.mark.parametrize(
    "text",
    [
        "Scunthorpe",
        "assistance",
        "classic",
        "therapist",
        "cocktail",
        "skills",
        "killed",
        "the bus number is 47",
    ],
)
def test_whole_words_only(text: str) -> None:
    assert not LEXICON.search(normalize(text))


@pytest.mark.parametrize(
    "text",
    [
        "what an ass",
        "cunts",
        "stuuuupid",
        "k1ll",
        "youre dead",
        "you're dead",
        "ur ded",
        "yoo r ded",
        "ring jess on 07",
        "ring her up on",
        "jess's number",
        "a-s-s",
    ],
)
def test_matches_variants(text: str) -> None:
    assert LEXICON.search(normalize(text))


@pytest.mark.parametrize(
    ("phrase", "text", "matches"),
    [
        ("tranny", "no trannies in the clan", True),
        ("bully", "stop being bullies", True),
        ("bully", "a bully", True),
        # A vowel before the "y": the plural is "s" alone.
        ("monkey", "monkeies", False),
        ("monkey", "monkeys", True),
    ],
)
def test_a_final_y_makes_its_plural_in_ies(phrase: str, text: str, matches: bool) -> None:
    assert bool(PhraseMatcher([phrase]).search(normalize(text))) is matches


def test_spans_point_into_normalized_text() -> None:
    norm = normalize("well   you're  DEAD mate")
    (span,) = LEXICON.spans(norm)
    assert norm.text[span[0] : span[1]] == "you're dead"
    assert norm.original[slice(*norm.original_span(*span))] == "you're  DEAD"


def test_empty_matcher_never_matches() -> None:
    empty = PhraseMatcher([])
    assert not empty
    assert not empty.search("anything")
    assert empty.spans("anything") == []


def test_plain_string_is_normalized() -> None:
    assert LEXICON.search("k\u200bi\u200bl\u200bl")


SECOND_PERSON = PhraseMatcher(["you're dead", "i'll kill you", "watch your back", "kill yourself"])


@pytest.mark.parametrize(
    ("text", "matches"),
    [
        ("ur dead", True),
        ("u r dead", True),
        ("ill kill u", True),
        ("i'll kill yu", True),
        ("watch ur back", True),
        ("kill urself", True),
        ("kill yor self", True),
        # "your" is not a spelling of "you're": a dead hamster is no threat.
        ("sorry about your dead hamster", False),
        ("urdu dead", False),
        ("u know what", False),
        ("you'll kill it", False),
        # No plural for a pronoun: "u" + "s" is "us".
        ("mum's going to kill us when she sees the kitchen", False),
        ("ill kill yous", True),  # the plural "you" of Liverpool and Glasgow
    ],
)
def test_the_second_person_matches_its_chat_spellings(text: str, matches: bool) -> None:
    assert SECOND_PERSON.search(normalize(text)) is matches
