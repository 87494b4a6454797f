"""Clause 5.2's "repeatedly posting … about an individual … not complying to requests to desist".

A desist request is a message matching the desist phrase list that replies to or mentions X.
For the configured days after it, X's messages that mention, reply to or name the requester raise
``repeated-unwanted-contact``. Requests are stored, so they survive a restart.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from bot.config import DesistConfig
from bot.display_names import CommunityNames, first_name, names_word
from bot.finding import Finding
from bot.message import Message
from bot.normalize import NormalizedText
from bot.rules import RuleSet
from bot.store import DesistRequest, Store
from bot.taxonomy import VIOLATION_LABELS, Severity

LABEL = "repeated-unwanted-contact"


class RepeatedUnwantedContact:
    """Record desist requests and flag later contact that ignores them."""

    def __init__(self, rules: RuleSet, store: Store, config: DesistConfig) -> None:
        self.rules = rules
        self.store = store
        self.config = config

    def targets_of(self, message: Message) -> tuple[str, ...]:
        """Return who a message is aimed at: the replied-to author and the mentioned users."""
        out = list(message.mentions)
        if message.reply_to_author:
            out.append(message.reply_to_author)
        return tuple(dict.fromkeys(t for t in out if t != message.author))

    def is_request(self, message: Message, normalized: NormalizedText) -> bool:
        """Return True if the message asks someone to stop: a desist phrase aimed at someone."""
        return bool(self.targets_of(message)) and self.rules.desist.search(normalized)

    async def record(self, message: Message, now: datetime) -> None:
        """Store the desist request a message makes to each of its targets."""
        for target in self.targets_of(message):
            await self.store.add_desist(
                DesistRequest(
                    platform=message.platform,
                    community=message.community,
                    channel=message.channel,
                    requester=message.author,
                    target=target,
                    message_id=message.id,
                    created_at=now,
                    expires_at=now + timedelta(days=self.config.days),
                )
            )

    async def ignored(
        self,
        message: Message,
        normalized: NormalizedText,
        names: CommunityNames,
        now: datetime,
    ) -> list[Finding]:
        """Return a finding if the message contacts someone who asked its author to stop.

        Only a message that mentions someone, replies to someone or names a member can contact
        a requester, so any other message is answered without reading the store.
        """
        if not (
            message.mentions or message.reply_to_author or names.first_name_in(normalized.text)
        ):
            return []
        requests = await self.store.active_desists(
            message.platform, message.community, message.author, now
        )
        for req in requests:
            if self._contacts(message, normalized, req.requester, names):
                return [
                    Finding(
                        label=LABEL,
                        clauses=VIOLATION_LABELS[LABEL],
                        severity=Severity.MEDIUM,
                        score=0.9,
                        evidence=(
                            f"kept posting about <@{req.requester}> after being asked to stop "
                            f"on {req.created_at:%d %b %Y}"
                        ),
                        rule="desist-request",
                        detector="repeated-unwanted-contact",
                    )
                ]
        return []

    @staticmethod
    def _contacts(
        message: Message, normalized: NormalizedText, requester: str, names: Mapping[str, str]
    ) -> bool:
        if requester in message.mentions or message.reply_to_author == requester:
            return True
        name = names.get(requester)
        first = first_name(name) if name else None
        # A first name of 3+ letters as a whole word: "Jess", not "je" inside "jester".
        return first is not None and names_word(first, normalized.text)
