"""Whether a message gives someone else's words: quotations and reported-speech cues."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.detectors.phrase_matcher import PhraseMatcher
from bot.normalize import normalize
from bot.quoted_report import attributed_quotation, has_quotation, quotes_someone

CUES = PhraseMatcher(["told me", "called me"])


@pytest.mark.parametrize(
    ("text", "quotes"),
    [
        ('he said "watch your back" after the match', True),
        ("she wrote 'you'll regret this' under my post", True),
        ("“you’re finished here” was the whole message", True),
        ("«tu vas voir» he wrote", True),
        ("he told me to watch my back", True),  # a cue, no marks
        # Apostrophes inside words never open a quotation.
        ("don't you dare, it's mine", False),
        ("the lads' kit is in tom's car", False),
        ('a single "word" is not a passage', False),
        ("i'm going to kill you", False),
    ],
)
def test_quotations_and_cues(text: str, quotes: bool) -> None:
    assert bool(quotes_someone(normalize(text), CUES)) is quotes


@given(st.text(alphabet=st.characters(blacklist_characters="\"“”«»„'‘’"), max_size=300))
def test_text_without_quote_marks_or_cues_quotes_no_one(text: str) -> None:
    if not CUES.search(normalize(text)):
        assert not quotes_someone(normalize(text), CUES)


@given(st.text(alphabet=st.sampled_from(list("ab \n\"'‘’“”«».,")), max_size=400))
def test_any_arrangement_of_quote_marks_is_read_without_error(text: str) -> None:
    # Each answer is consistent with the definition: a True needs two quote marks.
    if has_quotation(text):
        assert sum(text.count(c) for c in "\"'‘’“”«»") >= 2


@pytest.mark.parametrize(
    ("text", "attributed"),
    [
        ("Dr Morris today: 'Turnitin will find you, and then I will find you.' Iconic.", True),
        ('my flatmate: "if you touch my cheese again you\'re dead" 😂', True),
        ("'i will find you and i will kill you' - liam neeson, also me", True),
        # A colon and no quotation, a quotation and no speaker, a colon inside a sentence.
        ("reminder: I will find you, whoever took my charger", False),
        ("'i will find you' is what i'd say to whoever took it", False),
        ("josh, listen to this: i will find you", False),
    ],
)
def test_a_quotation_with_its_speaker_named(text: str, attributed: bool) -> None:
    assert attributed_quotation(text) is attributed
