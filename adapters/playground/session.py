"""One playground: a pretend society channel in memory, the real core deciding about it.

The channel's messages live only in this process (as they would on Discord or Slack); what the
bot keeps (cases, the ladder, shadow mode, the audit log) goes to the SQLite file as it would in
production, so reloading the page or restarting the playground keeps the ladder.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from adapters.playground.cli import PLAYGROUND_RATE_LIMIT_MINUTES
from bot.app import Core, build_core, load_policy_and_rules
from bot.config import Config, parse_config
from bot.decision import Action, Decision, ModeratorAlert, Notice
from bot.message import Message
from bot.operations import Operations
from bot.policy import Policy
from bot.policy_text import render_lookup
from bot.rules import RuleSet
from bot.store import CaseRecord
from bot.store.sqlite import SqliteStore
from bot.taxonomy import ROUTE_LABELS, VIOLATION_LABELS

PLATFORM = "playground"
COMMUNITY = "film-society"
SOCIETY = "DMU Film Society"
CHANNEL = "general"
BOT = "policybot"
COMMANDS = ("/policy", "/report", "/mydata", "/privacy", "/help")
HELP = (
    "Commands (answered privately):\n"
    "  /policy 4.5        a clause of the policy\n"
    "  /policy recordings clauses matching some words\n"
    "  /report            the official routes to report something\n"
    "  /mydata            what the bot holds about you\n"
    "  /privacy           what the bot stores, for how long, and how to erase it"
)
_MENTION = re.compile(r"@(\w+)")


@dataclass(frozen=True, slots=True)
class Person:
    """Someone you can be in the playground."""

    id: str
    name: str
    role: str
    moderator: bool = False


CAST = (
    Person("alex", "Alex", "student"),
    Person("jess", "Jess", "student"),
    Person("sam", "Sam", "moderator", moderator=True),
)


class PlaygroundError(Exception):
    """A request the playground cannot honour; the message is shown to the person."""


@dataclass
class Post:
    """One item in the channel: a message, a private answer or notice, or a system line.

    ``visible_to`` is None for everyone, or the one person id who sees it (private).
    """

    id: str
    kind: str  # message | notice | answer | system
    author: str
    at: str
    text: str = ""
    title: str = ""
    body: str = ""
    clauses: tuple[str, ...] = ()
    routes: tuple[dict[str, str], ...] = ()
    case_id: int | None = None
    visible_to: str | None = None
    removed: bool = False
    contested: bool = False


@dataclass
class LogEntry:
    """One line of the moderators' log."""

    id: str
    at: str
    level: str
    summary: str
    user: str
    user_name: str
    labels: tuple[str, ...]
    clauses: tuple[str, ...]
    step: int
    case_id: int | None
    suggested_actions: tuple[str, ...]
    shadow: bool
    content: str | None = None
    status: str = "active"


@dataclass
class _Timeline:
    posts: list[Post] = field(default_factory=list)
    log: list[LogEntry] = field(default_factory=list)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _new_id() -> str:
    # Unique across restarts: the store remembers every event key it decided.
    return uuid.uuid4().hex[:16]


class Playground:
    """The playground's state and actions; the web layer only translates JSON to these calls."""

    def __init__(
        self,
        base: Config,
        store: SqliteStore,
        loaded: tuple[Policy, RuleSet] | None = None,
        rate_limit_minutes: int = PLAYGROUND_RATE_LIMIT_MINUTES,
    ) -> None:
        self.base = base
        self.rate_limit_minutes = rate_limit_minutes
        self.store = store
        # Label switches change settings, not the policy folder: its rules are compiled once.
        self._loaded = loaded
        self.labels: dict[str, bool] = {}
        self.config = base
        self.core: Core | None = None
        self.ops: Operations | None = None
        self.people = {p.id: p for p in CAST}
        self._timeline = _Timeline()
        # One action at a time: a settings change rebuilds the core under everyone's feet.
        self._lock = asyncio.Lock()

    # -- life cycle ----------------------------------------------------------------------------
    async def start(self) -> Core:
        """Open the store and build the core from the config in force."""
        self.config = self._configured()
        if self._loaded is None:
            self._loaded = load_policy_and_rules(self.config)
        self.core = await build_core(self.config, store=self.store, loaded=self._loaded)
        self.ops = Operations(self.core)
        self.ops.health.register(PLATFORM, lambda: self.core is not None)
        return self.core

    def _core(self) -> Core:
        if self.core is None:
            raise RuntimeError("the playground is not started")
        return self.core

    async def close(self) -> None:
        """Let decisions under way finish, then close the database cleanly."""
        async with self._lock:
            if self.core is not None:
                await self.core.engine.drain()
                await self.core.close()
                self.core = None
            if self.ops is not None:
                await self.ops.close()

    def person(self, person_id: str | None) -> Person:
        """Return the person with this id, or raise PlaygroundError."""
        person = self.people.get((person_id or "").casefold())
        if person is None:
            raise PlaygroundError(f"nobody called {person_id!r} here (try alex, jess or sam)")
        return person

    # -- the composer --------------------------------------------------------------------------
    async def post(self, person_id: str, text: str) -> None:
        """Post a message as someone, or run the command they typed."""
        person = self.person(person_id)
        text = text.strip()
        if not text:
            raise PlaygroundError("type a message first")
        if len(text) > 4000:
            raise PlaygroundError("that message is longer than 4000 characters")
        async with self._lock:
            if text.startswith("/"):
                await self._command(person, text)
            else:
                await self._message(person, text)

    async def _message(self, person: Person, text: str) -> None:
        core = self._core()
        names = {p.name.casefold(): p.id for p in CAST}
        mentions = tuple(
            dict.fromkeys(
                names[m.casefold()] for m in _MENTION.findall(text) if m.casefold() in names
            )
        )
        post = Post(id=_new_id(), kind="message", author=person.id, at=_now(), text=text)
        self._timeline.posts.append(post)
        message = Message(
            id=post.id,
            text=text,
            author=person.id,
            author_name=person.name,
            channel=CHANNEL,
            community=COMMUNITY,
            platform=PLATFORM,
            mentions=mentions,
            author_roles=("moderator",) if person.moderator else (),
        )
        decision = await core.engine.handle(message)
        self._render(person, post, decision)

    def _render(self, person: Person, post: Post, decision: Decision) -> None:
        if decision.notice is not None:
            self._timeline.posts.append(self._notice_post(person.id, decision.notice))
        elif decision.violations and not decision.shadow and not decision.duplicate:
            self._timeline.posts.append(
                Post(
                    id=_new_id(),
                    kind="system",
                    author=BOT,
                    at=_now(),
                    text=(
                        "policybot stayed quiet: you were reminded in this channel a few minutes "
                        "ago (the rate limit), but the moderators' ladder still counts it."
                    ),
                    visible_to=person.id,
                )
            )
        if decision.moderator_alert is not None:
            self._timeline.log.append(self._log_entry(decision.moderator_alert))
        if "delete" in decision.auto_actions:
            post.removed = True
        if "timeout" in decision.auto_actions:
            self._timeline.posts.append(
                Post(
                    id=_new_id(),
                    kind="system",
                    author=BOT,
                    at=_now(),
                    text=f"{person.name} was timed out for {decision.timeout_minutes} minutes.",
                )
            )

    def _notice_post(self, to: str, notice: Notice, kind: str = "notice") -> Post:
        return Post(
            id=_new_id(),
            kind=kind,
            author=BOT,
            at=_now(),
            title=notice.title,
            body=notice.body,
            clauses=notice.clauses,
            routes=tuple({"name": r.name, "contact": r.contact} for r in notice.routes),
            case_id=notice.case_id,
            visible_to=to,
        )

    def _log_entry(self, alert: ModeratorAlert) -> LogEntry:
        who = self.people.get(alert.user)
        return LogEntry(
            id=_new_id(),
            at=_now(),
            level=alert.level,
            summary=alert.summary,
            user=alert.user,
            user_name=who.name if who else alert.user,
            labels=alert.labels,
            clauses=alert.clauses,
            step=alert.step,
            case_id=alert.case_id,
            suggested_actions=alert.suggested_actions,
            shadow=alert.shadow,
            content=alert.content,
        )

    async def _command(self, person: Person, text: str) -> None:
        core = self._core()
        name, _, rest = text.partition(" ")
        name = name.casefold()
        answer = Post(id=_new_id(), kind="answer", author=BOT, at=_now(), visible_to=person.id)
        answer.title = text
        if name == "/policy":
            answer.body = render_lookup(core.policy.lookup(rest))
        elif name == "/report":
            notice = core.moderation.report_notice()
            self._timeline.posts.append(self._notice_post(person.id, notice, kind="answer"))
            return
        elif name == "/mydata":
            record = await core.moderation.record(PLATFORM, COMMUNITY, person.id)
            answer.body = record.render()
        elif name == "/privacy":
            answer.body = core.moderation.privacy_notice()
        elif name == "/help":
            answer.body = HELP
        else:
            answer.body = f"Unknown command {name}.\n\n{HELP}"
        self._timeline.posts.append(answer)

    # -- buttons -------------------------------------------------------------------------------
    async def contest(self, person_id: str, case_id: int) -> bool:
        """Contest a reminder ("this isn't a breach"); only its author can.

        The moderators' log gets the contested case, to uphold or dismiss.
        """
        person = self.person(person_id)
        async with self._lock:
            alert = await self._core().moderation.contest(case_id, person.id, PLATFORM)
            if alert is None:
                return False
            for post in self._timeline.posts:
                if post.case_id == case_id:
                    post.contested = True
            self._timeline.log.append(self._log_entry(alert))
            return True

    async def uphold(self, person_id: str, case_id: int) -> bool:
        """Uphold a contested case: it keeps counting (moderators only)."""
        person = self._moderator(person_id)
        async with self._lock:
            case = await self._core().moderation.uphold(PLATFORM, COMMUNITY, case_id, person.id)
            return case is not None

    async def dismiss(self, person_id: str, case_id: int) -> bool:
        """Dismiss a case as a false positive (moderators only)."""
        person = self._moderator(person_id)
        async with self._lock:
            case = await self._core().moderation.dismiss(PLATFORM, COMMUNITY, case_id, person.id)
            return case is not None

    async def pardon(self, person_id: str, user: str) -> int:
        """Pardon every live strike of a student (moderators only)."""
        person = self._moderator(person_id)
        target = self.person(user)
        async with self._lock:
            return await self._core().moderation.pardon(PLATFORM, COMMUNITY, target.id, person.id)

    def _moderator(self, person_id: str) -> Person:
        person = self.person(person_id)
        if not person.moderator:
            raise PlaygroundError(f"{person.name} is not a moderator; switch to Sam")
        return person

    # -- the sidebar ---------------------------------------------------------------------------
    async def settings(self, person_id: str, shadow: bool | None, labels: dict[str, bool]) -> None:
        """Switch shadow mode (audited) and labels (config override): moderators only, as on
        Discord and Slack."""
        person = self._moderator(person_id)
        unknown = sorted(set(labels) - set(VIOLATION_LABELS) - set(ROUTE_LABELS))
        if unknown:
            raise PlaygroundError(f"unknown label {unknown[0]!r}")
        async with self._lock:
            core = self._core()
            if shadow is not None:
                await core.moderation.set_shadow(PLATFORM, COMMUNITY, shadow, person.id)
            if labels:
                self.labels.update(labels)
                await self._rebuild()

    def _configured(self) -> Config:
        """Return the base config with the label switches and the playground's rate limit."""
        data = self.base.model.model_dump(mode="json")
        for label, on in self.labels.items():
            data["defaults"]["labels"].setdefault(label, {})["enabled"] = on
        data["ladder"]["rate_limit_minutes"] = self.rate_limit_minutes
        return parse_config(data, self.base.source)

    async def _rebuild(self) -> None:
        """Apply the label switches as a config override and rebuild the core on the same file."""
        config = self._configured()
        core = self._core()
        await core.engine.drain()
        await core.close()
        self.core = None
        self.config = config
        self.core = await build_core(config, store=self.store, loaded=self._loaded)
        if self.ops is not None:
            self.ops.attach(self.core)

    # -- what one person sees ------------------------------------------------------------------
    async def state(self, person_id: str) -> dict[str, Any]:
        """Return everything the page shows to one person, and nothing they should not see."""
        person = self.person(person_id)
        async with self._lock:
            core = self._core()
            posts = [
                _post_dict(p, self.people)
                for p in self._timeline.posts
                if p.visible_to in (None, person.id)
            ]
            whom = CAST if person.moderator else (person,)
            window_start = core.engine.ladder.window_start(core.engine.clock())
            ladder = []
            statuses: dict[int, str] = {}
            for p in whom:
                if p.moderator:
                    continue
                record = await core.moderation.record(PLATFORM, COMMUNITY, p.id)
                statuses.update((c.id, str(c.status)) for c in record.cases)
                action = _ladder_action(record.cases, window_start)
                ladder.append(
                    {
                        "user": p.id,
                        "name": p.name,
                        "strikes": record.active_strikes,
                        "step": action.rank,
                        "action": str(action),
                    }
                )
            log = None
            if person.moderator:
                # The store says where each case stands now: a pardon, a dismissal or an
                # erasure shows on every entry about the case, whoever pressed what.
                log = [
                    {**asdict(e), "status": _log_status(e, statuses)} for e in self._timeline.log
                ]
            config = await self._config_view(core)
        return {
            "me": asdict(person),
            "people": [asdict(p) for p in CAST],
            "society": SOCIETY,
            "channel": CHANNEL,
            "posts": posts,
            "modlog": log,
            "ladder": ladder,
            "config": config,
        }

    async def _config_view(self, core: Core) -> dict[str, Any]:
        settings = self.config.settings_for(PLATFORM, COMMUNITY, CHANNEL)
        ladder = self.config.ladder
        return {
            "policy": core.policy.name,
            "source": str(self.base.source) if self.base.source else "built-in defaults",
            "database": self.store.path,
            "shadow": await core.engine.shadow(PLATFORM, COMMUNITY, settings),
            "labels": [
                {
                    "label": label,
                    "enabled": settings.label_enabled(label),
                    "threshold": settings.threshold(label),
                    "route": label in ROUTE_LABELS,
                }
                for label in [*VIOLATION_LABELS, *ROUTE_LABELS]
            ],
            "min_severity": str(settings.min_severity),
            "ladder": {
                "warn_at": ladder.warn_at,
                "escalate_at": ladder.escalate_at,
                "decay_days": ladder.decay_days,
                "rate_limit_minutes": ladder.rate_limit_minutes,
                "config_rate_limit_minutes": self.base.ladder.rate_limit_minutes,
            },
            "actions": {
                "delete": settings.actions.delete,
                "timeout": settings.actions.timeout,
            },
            "store_content": self.config.privacy.store_content,
            "show_content": settings.show_content,
        }


def _ladder_action(cases: tuple[CaseRecord, ...], window_start: datetime) -> Action:
    """Return the harshest step a strike still counting reached: where the student stands."""
    counting = [
        Action(c.action)
        for c in cases
        if c.strike and c.status.counts_as_strike and c.created_at >= window_start
    ]
    return max(counting, key=lambda a: a.rank, default=Action.NONE)


def _log_status(entry: LogEntry, statuses: dict[int, str]) -> str:
    """Return the case's status now; a case no longer in the store was erased."""
    if entry.case_id is None:
        return entry.status
    return statuses.get(entry.case_id, "erased")


def _post_dict(post: Post, people: dict[str, Person]) -> dict[str, Any]:
    data = asdict(post)
    data["private"] = post.visible_to is not None
    who = people.get(post.author)
    data["author_name"] = who.name if who else post.author
    if post.removed:
        data["text"] = ""
    return data
