"""Clause 5.2's "repeatedly posting … about an individual … not complying to requests to desist".

A desist request is a message matching the desist phrase list that replies to or mentions X.
For the configured days after it, X's messages that mention, reply to or name the requester raise
``repeated-unwanted-contact``. Requests are stored, so they survive a restart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta

from bot.config import DesistConfig
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

    async def observe(
        self,
        message: Message,
        normalized: NormalizedText,
        names: Mapping[str, str],
        now: datetime,
    ) -> list[Finding]:
        """Store a desist request if this is one; return a finding if it ignores one."""
        findings: list[Finding] = []
        requests = await self.store.active_desists(
            message.platform, message.community, message.author, now
        )
        for req in requests:
            if self._contacts(message, normalized, req.requester, names):
                findings.append(
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
                )
                break
        if self.rules.desist.search(normalized):
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
        return findings

    @staticmethod
    def _contacts(
        message: Message, normalized: NormalizedText, requester: str, names: Mapping[str, str]
    ) -> bool:
        if requester in message.mentions or message.reply_to_author == requester:
            return True
        name = names.get(requester)
        if name:
            first = name.split()[0].casefold()
            # A first name of 3+ letters as a whole word: "Jess", not "je" inside "jester".
            if len(first) >= 3 and re.search(rf"\b{re.escape(first)}\b", normalized.text):
                return True
        return False
