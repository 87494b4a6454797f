"""Clause 5.2's "repeatedly posting … about an individual … not complying to requests to desist".

A desist request is a message matching the desist phrase list, aimed at exactly one person (it
replies to or mentions X and no one else) and sincere: said laughing ("please stop 😂") or to a
group ("stop it lads") it asks nothing of anyone. For the configured days after it, X's
messages aimed at the requester raise ``repeated-unwanted-contact``: a mention of them, a reply
to them, or a message that talks about them, naming them and no other member. A message that
names the requester among others (plans, lists) is not aimed at them.

The rule must never turn on the people it protects: asking the moderators for help, reporting,
saying one wants to report, and reaching out for support are never unwanted contact, whoever
they name. Requests are stored, so they survive a restart; moderators can list and clear them.
"""

from __future__ import annotations

from collections.abc import Sequence
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

#: Route findings (report-intent, wellbeing-risk): a person asking for a way out.
_ROUTES = frozenset({"report-intent", "wellbeing-risk"})


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
        """Return True if the message sincerely asks one person to stop.

        A desist phrase aimed at exactly one person, not laughing and not to a group.
        """
        if len(self.targets_of(message)) != 1:
            return False
        if not self.rules.desist.search(normalized):
            return False
        return not (
            self.rules.desist_laughter.search(normalized)
            or self.rules.desist_laughter.search(message.text)
            or self._to_a_group(normalized)
        )

    def _to_a_group(self, normalized: NormalizedText) -> bool:
        """Return True if a message addresses a group: "stop it lads", "guys please stop".

        A group word counts where it opens or closes the message; "you lot" and the like
        (more than one word) wherever it stands.
        """
        text = normalized.text
        for start, end in self.rules.group_address.spans(normalized):
            if " " in text[start:end].strip() or not text[:start].strip(" ,.!?"):
                return True
            if not text[end:].strip(" ,.!?"):
                return True
        return False

    async def record(self, message: Message, now: datetime) -> None:
        """Store the desist request a message makes to its one target."""
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

    def asks_for_help(self, normalized: NormalizedText, raw: Sequence[Finding] = ()) -> bool:
        """Return True for a message that asks for help, reports, or asks to be left alone.

        Such a message is never unwanted contact, whoever it names: a harasser who asked first
        must not be able to put the person they target on the ladder for reporting them, for
        asking the moderators for help, or for asking them to stop in turn.
        """
        if any(f.label in _ROUTES for f in raw):
            return True
        return self.rules.desist_help.search(normalized) or self.rules.desist.search(normalized)

    async def ignored(
        self,
        message: Message,
        normalized: NormalizedText,
        names: CommunityNames,
        now: datetime,
        raw: Sequence[Finding] = (),
    ) -> list[Finding]:
        """Return a finding if the message is aimed at someone who asked its author to stop.

        ``raw`` is what the detectors found in the message (a report or a call for support
        exempts it). Only a message that mentions someone, replies to someone or names a member
        can contact a requester, so any other message is answered without reading the store.
        """
        if not (
            message.mentions or message.reply_to_author or names.first_name_in(normalized.text)
        ):
            return []
        if self.asks_for_help(normalized, raw):
            return []
        requests = await self.store.active_desists(
            message.platform, message.community, message.author, now
        )
        for req in requests:
            if self._aimed_at(message, normalized, req.requester, names):
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
    def _aimed_at(
        message: Message, normalized: NormalizedText, requester: str, names: CommunityNames
    ) -> bool:
        """Return True if the message mentions, replies to or talks about the requester."""
        if requester in message.mentions or message.reply_to_author == requester:
            return True
        name = names.get(requester)
        first = first_name(name) if name else None
        # A first name of 3+ letters as a whole word: "Jess", not "je" inside "jester".
        if first is None or not names_word(first, normalized.text):
            return False
        # Talking about them: they are the one member the message names or mentions. Naming
        # them among others ("Sam, Jess and I are going") is not aimed at them.
        others = {m for m in message.mentions if m != message.author}
        others |= {
            user
            for user, other in names.items()
            if user not in (requester, message.author)
            and (found := first_name(other)) is not None
            and found != first
            and names_word(found, normalized.text)
        }
        return not others
