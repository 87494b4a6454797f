"""Slack's message markup: turn ``<@U1>``, ``<#C1|x>`` and ``<url|label>`` into what people saw.

Slack stores mentions and links as ``<...>`` tokens and escapes ``&``, ``<`` and ``>`` in the
rest of the text (https://api.slack.com/reference/surfaces/formatting#escaping). Detectors
read the text as people saw it, and mentions and links come out as structured data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_TOKEN = re.compile(r"<([^<>\n]*)>")
_SPECIAL = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}
_WEB = ("http://", "https://")


@dataclass(frozen=True, slots=True)
class SlackText:
    """A Slack message text as displayed, with the user ids it mentions and the links in it."""

    text: str
    mentions: tuple[str, ...] = ()
    links: tuple[str, ...] = ()


def parse_slack_text(
    raw: str,
    names: Mapping[str, str] | None = None,
    channels: Mapping[str, str] | None = None,
) -> SlackText:
    """Render Slack markup in ``raw`` as displayed text, collecting mentions and web links.

    ``names`` maps user ids to display names and ``channels`` channel ids to names, so that
    ``<@U1>`` reads "@Jess" rather than "@U1", as it did on screen.
    """
    names = names or {}
    channels = channels or {}
    mentions: list[str] = []
    links: list[str] = []
    parts: list[str] = []
    last = 0
    for match in _TOKEN.finditer(raw):
        parts.append(_unescape(raw[last : match.start()]))
        parts.append(_render(match.group(1), names, channels, mentions, links))
        last = match.end()
    parts.append(_unescape(raw[last:]))
    return SlackText(
        text="".join(parts),
        mentions=tuple(dict.fromkeys(mentions)),
        links=tuple(dict.fromkeys(links)),
    )


def shared_texts(attachments: object) -> list[str]:
    """Return the raw text of the messages a Slack message shares or forwards.

    Sharing or forwarding a message (and pasting a message link) puts that message's text in
    an attachment marked ``is_share`` or ``is_msg_unfurl``, with the sharer's own ``text``
    often empty. A link preview's attachment holds a web page's words instead: not read.
    """
    if not isinstance(attachments, list):
        return []
    return [
        a["text"]
        for a in attachments
        if isinstance(a, Mapping)
        and (a.get("is_share") or a.get("is_msg_unfurl"))
        and isinstance(a.get("text"), str)
        and a["text"]
    ]


def with_shared(
    own: SlackText,
    attachments: object,
    names: Mapping[str, str] | None = None,
    channels: Mapping[str, str] | None = None,
) -> SlackText:
    """Return a message's text followed by the text of what it shares, as displayed.

    The shared text is the sharer's post too: it is checked as theirs. Its links are read;
    its mentions are not the sharer's, so they are not counted as the sharer mentioning anyone.
    """
    shared = [parse_slack_text(raw, names, channels) for raw in shared_texts(attachments)]
    if not shared:
        return own
    return SlackText(
        text="\n".join(part for part in (own.text, *(s.text for s in shared)) if part),
        mentions=own.mentions,
        links=tuple(dict.fromkeys((*own.links, *(link for s in shared for link in s.links)))),
    )


def _render(
    token: str,
    names: Mapping[str, str],
    channels: Mapping[str, str],
    mentions: list[str],
    links: list[str],
) -> str:
    target, _, label = token.partition("|")
    label = _unescape(label)
    if target.startswith("@"):
        user = target[1:]
        mentions.append(user)
        return "@" + (names.get(user) or label or user)
    if target.startswith("#"):
        channel = target[1:]
        return "#" + (label or channels.get(channel) or channel)
    if target.startswith("!"):
        # <!here>, <!subteam^S1|@team>, <!date^1700000000^{date}|fallback>
        keyword = target[1:].split("^", 1)[0]
        return label or _SPECIAL.get(keyword, "@" + keyword)
    url = _unescape(target)
    if url.startswith(_WEB):
        links.append(url)
    return label or url.removeprefix("mailto:").removeprefix("tel:")


def _unescape(text: str) -> str:
    # &amp; last, so that an escaped "&lt;" ("&amp;lt;") stays literal text.
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
