"""The engine: message → findings → one decision, with the ladder, the rate limit and the store.

One decision per message, the harshest of what every detector found; one transaction per
decision. The engine holds no platform knowledge: adapters build ``Message`` and render
``Decision``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from bot.config import Config, Settings
from bot.decision import Action, Decision, ModeratorAlert
from bot.detectors.base import ChannelSettings, MessageContext
from bot.detectors.gate import DetectorGate
from bot.display_names import DisplayNames
from bot.finding import MODEL_KIND, Finding, strongest_per_label
from bot.ladder import Ladder
from bot.message import Message
from bot.notices import NoticeWriter, moderator_phrase
from bot.policy import Policy
from bot.quoted_report import spare_the_reporter
from bot.repeated_unwanted_contact import RepeatedUnwantedContact
from bot.rules import RuleSet
from bot.store import AuditEntry, CaseRecord, CaseStatus, NewCase, Store
from bot.taxonomy import OUTWEIGHS_MODEL, OWNER_READ, SUPERSEDES, Severity

Clock = Callable[[], datetime]
#: Told about every decision and how long it took (metrics); must not raise or block.
Observer = Callable[[Decision, float], None]

SHADOW_KEY = "shadow"
#: A case can be withdrawn only while it still counts (not once pardoned or dismissed).
COUNTING_STATUSES = tuple(s for s in CaseStatus if s.counts_as_strike)
#: How the moderators' log names the ladder's three steps; the strike count can go past three.
_RUNGS = {Action.REMIND: "Reminder", Action.WARN: "Warning", Action.ESCALATE: "Alert"}
#: Messages longer than this are checked piece by piece (Discord's own limit is 4,000).
CHUNK_CHARS = 4000
#: Nothing past this is read: a flood of text cannot stall the bot. It is the longest line
#: `check --jsonl` accepts (1,000,000 bytes), so a breach put at the end of a padded message is
#: read; the platforms' own limits are far lower (Discord 4,000, Slack 40,000).
MAX_CHECKED_CHARS = 1_000_000


def _pieces(text: str) -> list[str]:
    """Split ``text`` into pieces of at most ``CHUNK_CHARS``, at whitespace where there is some."""
    out = []
    start = 0
    while start < len(text):
        end = min(start + CHUNK_CHARS, len(text))
        if end < len(text):
            cut = text.rfind(" ", start + CHUNK_CHARS // 2, end)
            end = cut if cut > start else end
        out.append(text[start:end])
        start = end
    return out


def _violations_and_routes(findings: Sequence[Finding]) -> tuple[list[Finding], tuple[str, ...]]:
    """Split counted findings into the breaches and the labels of the routes, once each."""
    violations = [f for f in findings if not f.is_route]
    routes = tuple(dict.fromkeys(f.label for f in findings if f.is_route))
    return violations, routes


def _harshest(violations: Sequence[Finding]) -> Severity:
    """Return the severity of the gravest breach, which sets the ladder step."""
    return max((f.severity for f in violations), key=lambda s: s.rank)


@dataclass(frozen=True, slots=True)
class Withdrawal:
    """What a deletion or a fixing edit did to the strikes of a message.

    ``withdrawn`` counts the cases withdrawn; ``alert``, when set, is for the moderators' log:
    the author already had a strike withdrawn in the ladder's window, so this one stands.
    """

    withdrawn: int
    alert: ModeratorAlert | None = None


def _channel_settings(settings: Settings) -> ChannelSettings:
    """Return what the detectors need of a channel's settings."""
    return ChannelSettings(
        course_space=settings.course_space,
        published_contacts=frozenset(settings.published_contacts),
        drama_numbers_are_placeholders=settings.drama_numbers_are_placeholders,
    )


def utcnow() -> datetime:
    """Return the current time, timezone-aware UTC."""
    return datetime.now(UTC)


class Engine:
    """Decide what to do about each message, remembering what it must across restarts."""

    def __init__(
        self,
        *,
        policy: Policy,
        rules: RuleSet,
        config: Config,
        store: Store,
        clock: Clock = utcnow,
        observers: Sequence[Observer] = (),
    ) -> None:
        self.policy = policy
        self.rules = rules
        self.config = config
        self.store = store
        self.clock = clock
        self.ladder = Ladder(config.ladder)
        self.gate = DetectorGate(rules.detectors)
        self.notices = NoticeWriter(policy, config.wellbeing)
        self.desist = RepeatedUnwantedContact(rules, store, config.desist)
        # Display names seen per community: lets detectors tell a person's name from a word.
        self.display_names = DisplayNames()
        self.observers = list(observers)
        # Decisions under way, so that a shutdown can let them finish before closing the store.
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def adopt_names(self, other: Engine) -> None:
        """Keep the display names another engine had seen (after a reload)."""
        self.display_names = other.display_names

    # -- detection without state -------------------------------------------------------------
    def context(self, message: Message) -> MessageContext:
        """Build the one context object every detector reads for this message."""
        names = self.display_names.of(message.platform, message.community)
        settings = self.config.settings_for(message.platform, message.community, message.channel)
        return MessageContext(
            message=message,
            normalized=self.rules.normalize(message.text),
            names=names,
            settings=_channel_settings(settings),
        )

    def detect(self, message: Message, *, model: bool = True) -> list[Finding]:
        """Return every raw finding for a message, before config thresholds (the bench signal).

        ``model`` False leaves the policy classifier out (a community that turned it off).

        A long message is checked in pieces of about ``CHUNK_CHARS``, so the cost stays linear
        in its length whatever the detectors do within a piece; only the first
        ``MAX_CHECKED_CHARS`` are read, and a message cut short says so in the evidence of what
        it raised.
        """
        text = message.text
        if len(text) <= CHUNK_CHARS:
            return self.gate.detect(self.context(message), model=model)
        findings: list[Finding] = []
        for n, piece in enumerate(_pieces(text[:MAX_CHECKED_CHARS])):
            # Links and attachments belong to the message, not to a piece: check them once.
            part = (
                replace(message, text=piece)
                if n == 0
                else replace(message, text=piece, links=(), attachments=())
            )
            findings += self.gate.detect(self.context(part), model=model)
        return findings

    def counted(self, findings: list[Finding], settings: Settings) -> list[Finding]:
        """Keep the findings this channel's settings act on: label on, score and severity high enough.

        A label another kept finding supersedes is dropped: details someone found to be another
        person's are never also "your own" (:data:`SUPERSEDES`),
        and the model's guess that details are someone else's yields to a rule that read them as
        the author's own (:data:`OWNER_READ`), as the rule's default for details nobody claimed
        yields to the model's reading that they are the author's. Distress read by a rule
        outweighs the model's reading of menace (:data:`OUTWEIGHS_MODEL`).
        """
        by_rules = [f for f in findings if f.detector != MODEL_KIND]
        read_by_rules = {
            OWNER_READ[f.detector][1]
            for f in by_rules
            if f.detector in OWNER_READ and f.label == OWNER_READ[f.detector][0]
        }
        read_by_rules -= {f.label for f in by_rules}
        findings = [
            f for f in findings if not (f.label in read_by_rules and f.detector == MODEL_KIND)
        ]
        kept = []
        for f in findings:
            if not settings.label_enabled(f.label) or f.score < settings.threshold(f.label):
                continue
            if not settings.model and f.detector == MODEL_KIND:
                continue
            if not f.is_route and f.severity.rank < settings.min_severity.rank:
                continue
            kept.append(f)
        # Details nothing said were anyone's are someone else's by the rule's default; when the
        # model reads them as the author's own and not as another's ("name: Aisha Rahman, DOB
        # 03/04/2004, 21 Fenwick St" posted for a form), the default yields: a tip, no strike.
        by_model = {f.label for f in kept if f.detector == MODEL_KIND}
        for own, other in OWNER_READ.values():
            if own in by_model and other not in by_model:
                kept = [f for f in kept if not (f.whose_unsaid and f.label == other)]
        # Distress read by a rule outweighs the model's reading of menace.
        outweighed = {
            label
            for f in kept
            if f.detector != MODEL_KIND
            for label in OUTWEIGHS_MODEL.get(f.label, ())
        }
        kept = [f for f in kept if not (f.label in outweighed and f.detector == MODEL_KIND)]
        # Only a finding the channel acts on rules others out: a low-severity "e-mail address,
        # whose it does not say" that is dropped must not take the author's password tip with it.
        superseded = {label for f in kept for label in SUPERSEDES.get(f.label, ())}
        return strongest_per_label([f for f in kept if f.label not in superseded])

    def preview(self, message: Message, settings: Settings) -> Decision:
        """Return what the bot would decide about a message from a member with no live strikes.

        Nothing is read from or written to the store: no event is claimed and no case opened,
        shadow mode, the rate limit and desist requests are not consulted, and the notice
        carries no case number.
        """
        findings = self.counted(self.detect(message, model=settings.model), settings)
        violations, routes = _violations_and_routes(findings)
        quiet = Decision(
            message=message, action=Action.NONE, findings=tuple(findings), routes=routes
        )
        if not violations:
            return quiet
        step = self.ladder.step(0, _harshest(violations))
        notice = self.notices.breach(step.action, violations, step.number, None)
        return replace(quiet, action=step.action, step=step.number, notice=notice)

    async def shadow(self, platform: str, community: str, settings: Settings) -> bool:
        """Return whether shadow mode is on: a moderator's switch wins over the config."""
        value = await self.store.get_setting(platform, community, SHADOW_KEY)
        if value is None:
            return settings.shadow
        return value == "on"

    # -- the main path -----------------------------------------------------------------------
    async def handle(self, message: Message) -> Decision:
        """Decide about one new or edited message: at most one notice, one case, one alert."""
        self._in_flight += 1
        self._idle.clear()
        started = time.perf_counter()
        try:
            decision = await self._handle(message)
        finally:
            self._in_flight -= 1
            if not self._in_flight:
                self._idle.set()
        seconds = time.perf_counter() - started
        for observe in self.observers:
            observe(decision, seconds)
        return decision

    async def drain(self) -> None:
        """Wait until no decision is under way (graceful shutdown, before closing the store)."""
        await self._idle.wait()

    async def _handle(self, message: Message) -> Decision:
        if message.is_bot:
            return Decision(message=message, action=Action.NONE)
        if message.author_name:
            self.display_names.remember(
                message.platform, message.community, message.author, message.author_name
            )
        settings = self.config.settings_for(message.platform, message.community, message.channel)
        if message.channel in settings.exempt_channels or (
            set(message.author_roles) & set(settings.exempt_roles)
        ):
            return Decision(message=message, action=Action.NONE, exempt=True)

        now = self.clock()
        text = message.text
        ctx = self.context(
            message
            if len(text) <= MAX_CHECKED_CHARS
            else replace(message, text=text[:MAX_CHECKED_CHARS])
        )
        # Most messages need no store at all: an everyday message leaves nothing behind, and
        # the claim of the event key in commit_decision tells a redelivered breach or route
        # from a new one atomically. Only an event that changes more than its claim (an edit
        # that may withdraw a strike, a desist request) asks first whether it was seen.
        request = self.desist.is_request(message, ctx.normalized)
        if (message.edited_at is not None or request) and await self.store.seen_event(
            message.platform, message.event_key
        ):
            return Decision(message=message, action=Action.NONE, duplicate=True)

        raw = (
            self.gate.detect(ctx, model=settings.model)
            if len(text) <= CHUNK_CHARS
            else self.detect(message, model=settings.model)
        )
        names = self.display_names.of(message.platform, message.community)
        ignored = await self.desist.ignored(message, ctx.normalized, names, now, raw)
        if request:
            await self.desist.record(message, now)
        # A victim quoting what was said to them, or telling what was done, to report it, gets
        # the pointer, not a strike.
        findings = spare_the_reporter(
            self.counted(raw + ignored, settings),
            raw,
            ctx.normalized,
            self.rules.reported_speech,
            self.rules.permission_questions,
            self.rules.told_of_others,
        )

        if message.edited_at is not None:
            earlier = await self.store.cases_for_message(
                message.platform, message.community, message.id
            )
            live = [c for c in earlier if c.status.counts_as_strike]
            if live:
                withdrawal = Withdrawal(0)
                if not [f for f in findings if not f.is_route]:
                    withdrawal = await self._withdraw(live, now, "edited after the reminder")
                # The edit was already answered once: no second notice, no second strike.
                await self.store.commit_decision(message.platform, message.event_key, None, None)
                return Decision(
                    message=message,
                    action=Action.NONE,
                    findings=tuple(findings),
                    moderator_alert=withdrawal.alert,
                )
        return await self.decide(message, findings, settings, now, claim=request)

    async def decide(
        self,
        message: Message,
        findings: list[Finding],
        settings: Settings,
        now: datetime,
        *,
        claim: bool = False,
    ) -> Decision:
        """Turn counted findings into one decision and store it in one transaction.

        A message with nothing found writes nothing, unless ``claim`` asks for its event key
        to be claimed all the same (it changed state elsewhere: a desist request).
        """
        violations, routes = _violations_and_routes(findings)
        if not violations and not routes and not claim:
            return Decision(message=message, action=Action.NONE)
        if not violations:
            return await self._route_only(message, findings, routes)

        shadow = await self.shadow(message.platform, message.community, settings)
        severity = _harshest(violations)
        # Read, decide and commit as one step per user: two messages decided at once (here or
        # in another process on the same database) must not share a ladder step or a reminder.
        async with self.store.decision_lock(message.platform, message.community, message.author):
            # Stamp the decision once the lock is held, so decisions for one user are stamped
            # in the order they commit and the rate limit never sees a reminder "from the future".
            now = max(now, self.clock())
            strikes = await self.store.count_strikes(
                message.platform, message.community, message.author, self.ladder.window_start(now)
            )
            step = self.ladder.step(strikes, severity)
            last = await self.store.last_reminded(
                message.platform, message.community, message.author, message.channel
            )
            notify = not shadow and self.ladder.may_remind(last, now)
            labels = tuple(dict.fromkeys(f.label for f in violations))
            clauses = tuple(dict.fromkeys(c for f in violations for c in f.clauses))
            case = NewCase(
                platform=message.platform,
                community=message.community,
                channel=message.channel,
                user=message.author,
                message_id=message.id,
                labels=labels,
                clauses=clauses,
                rules=tuple(dict.fromkeys(f"{f.detector}:{f.rule}" for f in violations)),
                severity=str(severity),
                action=str(step.action),
                step=step.number,
                strike=not shadow,
                created_at=now,
                permalink=message.permalink,
                content=message.text if self.config.privacy.store_content else None,
            )
            case_id = await self.store.commit_decision(
                message.platform, message.event_key, case, message.channel if notify else None
            )
        if case_id is None:
            return Decision(message=message, action=Action.NONE, duplicate=True)

        notice = None
        if notify:
            notice = replace(
                self.notices.breach(step.action, violations, step.number, case_id),
                case_ref=case.ref,
            )
        alert = None
        if shadow or step.action in (Action.WARN, Action.ESCALATE):
            alert = self._alert(message, violations, step.number, step.action, case_id, settings)
            alert = replace(alert, case_ref=case.ref)
            if shadow:
                alert = replace(alert, shadow=True, level="alert")
        auto: tuple[str, ...] = ()
        if step.action is Action.ESCALATE and not shadow:
            auto = tuple(
                name
                for name, on in (
                    ("delete", settings.actions.delete),
                    ("timeout", settings.actions.timeout),
                )
                if on
            )
        return Decision(
            message=message,
            action=step.action,
            findings=tuple(findings),
            routes=routes,
            step=step.number,
            case_id=case_id,
            notice=notice,
            moderator_alert=alert,
            auto_actions=auto,
            timeout_minutes=settings.actions.timeout_minutes if "timeout" in auto else 0,
            shadow=shadow,
        )

    async def _route_only(
        self, message: Message, findings: list[Finding], routes: tuple[str, ...]
    ) -> Decision:
        # Reports and wellbeing are never stored beyond the event key: no details, no strike.
        if (
            await self.store.commit_decision(message.platform, message.event_key, None, None)
            is None
        ):
            return Decision(message=message, action=Action.NONE, duplicate=True)
        notice = None
        if "wellbeing-risk" in routes:
            notice = self.notices.wellbeing_support()
        elif "report-intent" in routes:
            notice = self.notices.report()
        elif "privacy-tip" in routes:
            notice = self.notices.privacy_tip()
        return Decision(
            message=message,
            action=Action.NONE,
            findings=tuple(findings),
            routes=routes,
            notice=notice,
        )

    def _alert(
        self,
        message: Message,
        violations: list[Finding],
        step: int,
        action: Action,
        case_id: int,
        settings: Settings,
    ) -> ModeratorAlert:
        labels = tuple(dict.fromkeys(f.label for f in violations))
        clauses = tuple(dict.fromkeys(c for f in violations for c in f.clauses))
        what = ", ".join(moderator_phrase(label) for label in labels)
        high = any(f.severity is Severity.HIGH for f in violations)
        suggested = ["review the message", "pardon if it was fine"]
        if action is Action.ESCALATE:
            suggested = ["review the message", "delete it", "time the member out", "talk to them"]
            if high:
                suggested.append("refer to the Security team if anyone is at risk")
        return ModeratorAlert(
            level="alert" if action is Action.ESCALATE else "log",
            summary=f"{_RUNGS[action]} (strike {step}): {what} ({self.notices.clause_line(clauses)})",
            labels=labels,
            clauses=clauses,
            user=message.author,
            channel=message.channel,
            message_id=message.id,
            step=step,
            case_id=case_id,
            permalink=message.permalink,
            suggested_actions=tuple(suggested),
            content=message.text if settings.show_content else None,
        )

    # -- other platform events ---------------------------------------------------------------
    async def message_deleted(self, platform: str, community: str, message_id: str) -> Withdrawal:
        """Withdraw the strike of a message its author deleted soon after a reminder.

        Once per ladder window: a repeated withdrawal keeps its strike and tells the moderators
        (the returned alert, for the adapter to post).
        """
        cases = await self.store.cases_for_message(platform, community, message_id)
        return await self._withdraw(
            [c for c in cases if c.status.counts_as_strike], self.clock(), "deleted by its author"
        )

    async def _withdraw(self, cases: list[CaseRecord], now: datetime, why: str) -> Withdrawal:
        limit = timedelta(minutes=self.config.ladder.withdraw_within_minutes)
        # Alerts stay with the moderators; a reminder that worked costs the author nothing.
        due = [c for c in cases if c.action != str(Action.ESCALATE) and now - c.created_at <= limit]
        if not due:
            return Withdrawal(0)
        first = due[0]
        # A withdrawal is a kindness once, not a loophole: post, delete, repeat (or edit back
        # and forth) would otherwise never reach the moderators. A second one in the ladder's
        # window keeps its strike, and the moderators hear of the pattern.
        earlier = [
            c
            for c in await self.store.cases_for_user(
                first.platform, first.community, first.user, self.ladder.window_start(now)
            )
            if c.status is CaseStatus.WITHDRAWN
        ]
        if earlier:
            return Withdrawal(0, self._withdrawal_alert(first, len(earlier) + 1, why))
        changed = 0
        for case in due:
            audit = AuditEntry(
                platform=case.platform,
                community=case.community,
                actor="policybot",
                action="withdraw",
                subject=f"case:{case.id}",
                detail=why,
                created_at=now,
            )
            if await self.store.set_case_status(
                case.id, CaseStatus.WITHDRAWN, now, audit, only_from=COUNTING_STATUSES
            ):
                changed += 1
        return Withdrawal(changed)

    def _withdrawal_alert(self, case: CaseRecord, times: int, why: str) -> ModeratorAlert:
        """Return the moderators' log entry for a withdrawal refused because it repeats."""
        what = ", ".join(moderator_phrase(label) for label in case.labels)
        days = self.config.ladder.decay_days
        return ModeratorAlert.about_case(
            case,
            level="log",
            summary=(
                f"{times} flagged messages taken back in {days} days (this one {why}): its "
                f"strike stands. {what} ({self.notices.clause_line(case.clauses)})"
            ),
            suggested_actions=("review the member's record", "pardon if it was fine"),
        )

    async def check_member(
        self,
        platform: str,
        community: str,
        user_id: str,
        display_name: str,
        others: Mapping[str, str],
        moderators: Collection[str],
    ) -> Decision | None:
        """Check a joining or renamed member's display name for impersonation."""
        finding = self.rules.display_names.check_display_name(
            user_id, display_name, others, moderators
        )
        if finding is None:
            return None
        now = self.clock()
        message = Message(
            id=f"member:{user_id}:{int(now.timestamp())}",
            text="",
            author=user_id,
            channel="",
            community=community,
            platform=platform,
            author_name=display_name,
            created_at=now,
            idempotency_key=f"member:{user_id}:{display_name}",
        )
        settings = self.config.settings_for(platform, community, None)
        findings = self.counted([finding], settings)
        if not findings:
            return None
        return await self.decide(message, findings, settings, now)

    async def bot_added(self, platform: str, community: str) -> None:
        """Cancel a pending purge: the bot was added back within the grace period."""
        await self.store.cancel_community_purge(platform, community)

    async def bot_removed(self, platform: str, community: str) -> None:
        """Schedule the purge of a community's data after the grace period."""
        at = self.clock() + timedelta(days=self.config.privacy.removal_grace_days)
        await self.store.schedule_community_purge(platform, community, at)

    async def housekeeping(self) -> tuple[int, list[tuple[str, str]]]:
        """Apply the retention purge and purge communities whose grace period is over."""
        now = self.clock()
        removed = await self.store.purge_before(
            now - timedelta(days=self.config.privacy.retention_days)
        )
        communities = await self.store.purge_due_communities(now)
        return removed, communities
