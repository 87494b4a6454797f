"""The detector contract and the per-message context every detector reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from bot.finding import Finding
from bot.message import Message

if TYPE_CHECKING:
    from bot.normalize import NormalizedText


@dataclass(frozen=True, slots=True)
class ChannelSettings:
    """What a community or channel says about itself that changes what counts as a breach.

    ``course_space``: a course's own space, where links to the learning platform are expected;
    ``published_contacts``: the community's own published e-mail addresses and numbers;
    ``drama_numbers_are_placeholders``: numbers from the ranges set aside for drama and
    examples (Ofcom's 07700 900xxx, North America's 555-01xx) are not real people's.
    """

    course_space: bool = False
    published_contacts: frozenset[str] = frozenset()
    drama_numbers_are_placeholders: bool = False


@dataclass(frozen=True, slots=True)
class MessageContext:
    """One message as detectors see it: the message, its cleaned text and who is who.

    ``names`` maps user ids the engine knows in this community to display names, so detectors
    can tell a name from a word and resolve mentions. ``settings`` is what the message's
    channel says about itself. Built once per message by the engine.
    """

    message: Message
    normalized: NormalizedText
    names: Mapping[str, str] = field(default_factory=dict)
    settings: ChannelSettings = field(default_factory=ChannelSettings)


class Detector(Protocol):
    """Something that reads a message context and returns findings (possibly none).

    Detectors are synchronous and pure: CPU-bound, no I/O, no state between messages. State
    (desist requests, the ladder) lives in the engine and the store.
    """

    @property
    def rule_id(self) -> str:
        """Return the id of the rule this detector was built from."""
        ...

    def detect(self, ctx: MessageContext) -> list[Finding]:
        """Return the findings for one message."""
        ...


@runtime_checkable
class WordTriggered(Protocol):
    """A detector that can only fire when the message holds one of some word keys."""

    def trigger_keys(self) -> frozenset[str] | None:
        """Return the word keys a message must hold one of to set this off; None if none.

        Keys as :func:`bot.detectors.phrase_matcher.text_keys` makes them from the text.
        """
        ...
