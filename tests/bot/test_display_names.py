"""Display names per community and the whole-word look-up of members' first names."""

from __future__ import annotations

import pytest

from bot.display_names import CommunityNames, DisplayNames, first_name


@pytest.mark.parametrize(
    ("display_name", "expected"),
    [
        ("Jess Ng", "jess"),
        ("  ÉLODIE  ", "élodie"),
        ("Jo Bloggs", None),  # too short to tell from a word
        ("   ", None),
        ("", None),
    ],
)
def test_first_name(display_name: str, expected: str | None) -> None:
    assert first_name(display_name) == expected


@pytest.mark.parametrize(
    ("names", "text", "found"),
    [
        (["Jess Ng"], "jess is late again", True),
        (["Jess Ng"], "ask jess's flatmate", True),
        (["Jess Ng"], "the jester is late", False),
        (["Jess Ng"], "ng is not a first name", False),
        (["O'Neil"], "tell o'neil about it", True),
        (["O'Neil"], "tell oneil about it", False),
        (["Jean-Luc P"], "ask jean-luc first", True),
        (["Jean-Luc P"], "ask jean first", False),
        ([], "jess is late again", False),
    ],
)
def test_first_name_in_matches_whole_words(names: list[str], text: str, found: bool) -> None:
    community = CommunityNames()
    for n, name in enumerate(names):
        community.remember(f"u{n}", name)
    assert community.first_name_in(text) is found


def test_a_rename_forgets_the_old_first_name_unless_someone_else_has_it() -> None:
    community = CommunityNames()
    community.remember("u1", "Jess Ng")
    community.remember("u2", "Jess Smith")
    community.remember("u1", "Sam Ng")
    assert dict(community) == {"u1": "Sam Ng", "u2": "Jess Smith"}
    assert community.first_name_in("sam said") and community.first_name_in("jess said")
    community.remember("u2", "Kim")
    assert not community.first_name_in("jess said")


def test_names_are_kept_per_community() -> None:
    names = DisplayNames()
    names.remember("discord", "soc", "u1", "Jess")
    assert names.of("discord", "soc") == {"u1": "Jess"}
    assert len(names.of("discord", "other")) == 0
    assert not names.of("slack", "soc").first_name_in("jess")
