"""The pure parts of event translation (the rest runs in the loopback tests)."""

from __future__ import annotations

import pytest

from adapters.discord.events import links_in


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("no links here", ()),
        ("see https://dmu.ac.uk/policy.", ("https://dmu.ac.uk/policy",)),
        ("(https://example.com/a?b=c)", ("https://example.com/a?b=c",)),
        (
            "<https://example.com/quiet> and http://x.io/1, http://x.io/1",
            (
                "https://example.com/quiet",
                "http://x.io/1",
            ),
        ),
        ("ftp://not.a.link www.nor-this.com", ()),
    ],
)
def test_links_in_follows_discords_autolinking(text: str, links: tuple[str, ...]) -> None:
    assert links_in(text) == links
