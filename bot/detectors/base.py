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
class MessageContext:
    """One message as detectors see it: the message, its cleaned text and who is who.

    ``names`` maps user ids the engine knows in this community to display names, so detectors
    can tell a name from a word and resolve mentions. Built once per message by the engine.
    """

    message: Message
    normalized: NormalizedText
    names: Mapping[str, str] = field(default_factory=dict)


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
