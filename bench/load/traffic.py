"""The load test's world and traffic: society servers on the sharded fake, and a message mix.

Most messages are everyday student chat (``bench/data/benign_student_chat.txt``); a share
breach the policy, some by passing on a phone number (personal-info), some by insulting someone
(offensive-or-threatening), so that strikes, reminders and moderators' alerts happen. Which
texts should end in a case is asked of the real engine, once per distinct text, before the run:
the check afterwards follows the rules in force, not a guess.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import discord

from bench.datasets import load_benign
from bot.app import build_core
from bot.config import parse_config
from bot.message import Message
from bot.store.sqlite import MEMORY, SqliteStore
from tests.adapters.discord.fake_discord import Json
from tests.adapters.discord.fake_shards import ShardedFakeDiscord

BENIGN = "benign"
PERSONAL_INFO = "personal-info"
INSULT = "insult"

#: Numbers from Ofcom's drama range: none of them reaches a real person.
_PHONE_TEMPLATES = (
    "ring Jess on 07700 900{n:03d}",
    "Sam's number is 07700 900{n:03d}, text him about the social",
    "call Priya on 07700 900{n:03d} if you need the notes",
)
_INSULTS = (
    "you are such an idiot",
    "you're a stuuupid twat",
    "shut up you absolute idiot",
    "you're dead",
)
_NAMES = ("alex", "sam", "jordan", "priya", "tom", "aisha", "li", "maya", "noah", "zara")

EVERYONE = discord.Permissions(
    view_channel=True, send_messages=True, read_message_history=True, embed_links=True
)
BOT_ROLE = discord.Permissions(manage_messages=True, moderate_members=True)
CANNOT_DM = {"message": "Cannot send messages to this user", "code": 50007}


@dataclass(frozen=True, slots=True)
class Server:
    """One society's server as the fake holds it: where members talk, where moderators read."""

    guild: Json
    general: Json
    mod_log: Json
    members: tuple[Json, ...]


@dataclass(frozen=True, slots=True)
class Line:
    """A text to send, what kind it is, and whether the engine stores a case for it."""

    text: str
    kind: str
    fires: bool


@dataclass(frozen=True, slots=True)
class World:
    """The servers, and the channels that tell reminders from alerts in the fake's requests."""

    servers: tuple[Server, ...]
    dm_channels: dict[str, str]  # DM channel id -> user id, for members whose DMs are open
    closed_dm_channels: frozenset[str]
    general_channels: frozenset[str]
    mod_log_channels: frozenset[str]


def build_world(
    fake: ShardedFakeDiscord, servers: int, members: int, closed_dms: float, rng: random.Random
) -> World:
    """Create ``servers`` guilds spread over the shards, each with ``members`` students.

    A ``closed_dms`` share of the students refuse DMs (Discord's 50007), so their reminders
    fall back to a channel reply, as they would for real.
    """
    built: list[Server] = []
    open_dms: dict[str, str] = {}
    closed: set[str] = set()
    for number in range(servers):
        owner = fake.user(f"owner{number}")
        guild = fake.guild(f"Society {number}", owner)
        fake.role(guild, "@everyone", EVERYONE, 0)
        bot_role = fake.role(guild, "policybot", BOT_ROLE, 1)
        general = fake.channel(guild, "general")
        mod_log = fake.channel(guild, "mod-log")
        fake.member(guild, fake.bot_user, (bot_role,))
        fake.member(guild, owner)
        people = []
        for n in range(members):
            person = fake.user(f"{_NAMES[n % len(_NAMES)]}{number}x{n}")
            fake.member(guild, person)
            people.append(person)
            dm = fake.dm_channel_id(person["id"])
            if rng.random() < closed_dms:
                closed.add(dm)
                fake.fail("POST", f"/channels/{dm}/messages", 403, CANNOT_DM, times=10**9)
            else:
                open_dms[dm] = person["id"]
        built.append(Server(guild, general, mod_log, tuple(people)))
    return World(
        servers=tuple(built),
        dm_channels=open_dms,
        closed_dm_channels=frozenset(closed),
        general_channels=frozenset(s.general["id"] for s in built),
        mod_log_channels=frozenset(s.mod_log["id"] for s in built),
    )


def candidate_texts() -> dict[str, list[str]]:
    """Return the texts of each kind, before the engine says which of them fire."""
    return {
        BENIGN: [sample.text for sample in load_benign().samples],
        PERSONAL_INFO: [t.format(n=n) for t in _PHONE_TEMPLATES for n in range(100, 140)],
        INSULT: list(_INSULTS),
    }


async def classify(config: dict[str, Any], texts: dict[str, list[str]]) -> dict[str, list[Line]]:
    """Ask the engine (on an in-memory store) whether each text ends in a case.

    Each text is checked in a community of its own, so no ladder or rate limit carries over.
    Breach texts that do not fire and benign texts that do are left out of the mix.
    """
    core = await build_core(parse_config(config), store=SqliteStore(MEMORY))
    lines: dict[str, list[Line]] = {}
    try:
        for kind, found in texts.items():
            for n, text in enumerate(found):
                message = Message(
                    id=f"classify-{kind}-{n}",
                    text=text,
                    author="student",
                    channel="general",
                    community=f"classify-{kind}-{n}",
                    platform="discord",
                    author_name="Student",
                )
                decision = await core.engine.handle(message)
                fires = bool(decision.case_id)
                if fires == (kind != BENIGN):
                    lines.setdefault(kind, []).append(Line(text, kind, fires))
    finally:
        await core.close()
    for kind in texts:
        if not lines.get(kind):
            raise RuntimeError(f"bench.load: no {kind} text behaves as expected under these rules")
    return lines


class Mix:
    """Pick the next message: a benign text, or a breach with probability ``breach_share``."""

    def __init__(self, lines: dict[str, list[Line]], breach_share: float, rng: random.Random):
        self._lines = lines
        self._breach_share = breach_share
        self._rng = rng

    def pick(self, world: World) -> tuple[Server, Json, Line]:
        """Return the server, the author and the line of the next message."""
        server = self._rng.choice(world.servers)
        author = self._rng.choice(server.members)
        if self._rng.random() >= self._breach_share:
            kind = BENIGN
        else:
            # Three personal-info breaches to two insults, roughly what a society sees.
            kind = PERSONAL_INFO if self._rng.random() < 0.6 else INSULT
        return server, author, self._rng.choice(self._lines[kind])
