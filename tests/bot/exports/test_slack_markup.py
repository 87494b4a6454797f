"""Slack markup renders as people saw it, with mentions and web links pulled out."""

from __future__ import annotations

import pytest

from bot.exports.slack_markup import SlackText, parse_slack_text

NAMES = {"U1": "Jess"}
CHANNELS = {"C1": "events"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hi <@U1>", SlackText("hi @Jess", mentions=("U1",))),
        ("hi <@U9|old.name>", SlackText("hi @old.name", mentions=("U9",))),
        ("hi <@U9>", SlackText("hi @U9", mentions=("U9",))),
        ("<@U1> <@U1>", SlackText("@Jess @Jess", mentions=("U1",))),
        ("see <#C1> and <#C2|misc>", SlackText("see #events and #misc")),
        ("<!here> <!channel> <!subteam^S1|@committee>", SlackText("@here @channel @committee")),
        ("<!date^1700000000^{date}|14 Nov 2023>", SlackText("14 Nov 2023")),
        (
            "read <https://a.example.com/x?a=1&amp;b=2|this>",
            SlackText("read this", links=("https://a.example.com/x?a=1&b=2",)),
        ),
        (
            "<http://a.example.com>",
            SlackText("http://a.example.com", links=("http://a.example.com",)),
        ),
        ("<mailto:jo@example.com|jo@example.com>", SlackText("jo@example.com")),
        ("<tel:07700900123>", SlackText("07700900123")),
        ("a &lt;b&gt; &amp; c &amp;lt;", SlackText("a <b> & c &lt;")),
        ("", SlackText("")),
    ],
)
def test_parse_slack_text(raw: str, expected: SlackText) -> None:
    assert parse_slack_text(raw, NAMES, CHANNELS) == expected
