"""Run the real PolicyBot against the fake Discord: one society server, its people, helpers.

Only the test fixture points discord.py at the fake (``Route.BASE`` and ``DEFAULT_GATEWAY``);
the product has no base-URL option. Keep one bot per test module: discord.py waits 5 s before
every IDENTIFY but the first.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import pytest
import yarl

from adapters.discord.bot import PolicyBot
from bot.app import Core, build_core_for_tests
from bot.decision import Decision
from tests.adapters.discord.fake_discord import TOKEN, FakeDiscord, Json, Recorded

EVERYONE = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    read_message_history=True,
    embed_links=True,
    use_application_commands=True,
)
BOT_ROLE = discord.Permissions(manage_messages=True, moderate_members=True)
COMMITTEE = discord.Permissions(manage_messages=True)


@dataclass
class World:
    """The DMU Film Society server as the fake holds it."""

    guild: Json
    general: Json
    mod_log: Json
    thread: Json
    committee: Json
    people: dict[str, Json]

    def __getitem__(self, name: str) -> Json:
        return self.people[name]


def build_world(fake: FakeDiscord, names: tuple[str, ...]) -> World:
    """Create the server: channels, a thread, roles, a moderator, the bot and ``names`` members."""
    owner = fake.user("owner")
    guild = fake.guild("DMU Film Society", owner)
    fake.role(guild, "@everyone", EVERYONE, 0)
    bot_role = fake.role(guild, "policybot", BOT_ROLE, 2)
    committee = fake.role(guild, "Committee", COMMITTEE, 1)
    general = fake.channel(guild, "general")
    mod_log = fake.channel(guild, "mod-log")
    thread = fake.channel(guild, "film night", kind=11, parent=general["id"])
    guild["system_channel_id"] = general["id"]
    fake.member(guild, fake.bot_user, (bot_role,))
    fake.member(guild, owner)
    people = {"mo": fake.user("mo")}
    fake.member(guild, people["mo"], (committee,), nick="Morgan Lee")
    for name in names:
        people[name] = fake.user(name)
        fake.member(guild, people[name])
    return World(guild, general, mod_log, thread, committee, people)


@dataclass
class Harness:
    """The fake, its world, the running bot and its core, with helpers that wait properly."""

    fake: FakeDiscord
    world: World
    bot: PolicyBot
    core: Core

    async def expect(self, event: str, check: Any, send: Any) -> Any:
        """Run ``send()`` and return the args of the bot's next ``event`` passing ``check``."""
        waiter = asyncio.ensure_future(self.bot.wait_for(event, check=check, timeout=10))
        await asyncio.sleep(0)  # let wait_for register its listener before the event can arrive
        await send()
        return await waiter

    async def post(
        self, author: str, content: str, *, channel: Json | None = None, **extra: Any
    ) -> tuple[Json, Decision]:
        """Send a member's message through the gateway; return it and the bot's decision."""
        payload = self.fake.message(
            self.world.guild, channel or self.world.general, self.world[author], content, **extra
        )
        decision = await self.expect(
            "policybot_decision",
            lambda d: d.message.id == payload["id"],
            lambda: self.fake.dispatch("MESSAGE_CREATE", payload),
        )
        return payload, decision

    async def edit(self, payload: Json, content: str, edited: str) -> Decision:
        """Send an edit of a message; return the bot's decision about it."""
        updated = {**payload, "content": content, "edited_timestamp": edited}
        return await self.expect(
            "policybot_decision",
            lambda d: d.message.id == payload["id"] and d.message.edited_at is not None,
            lambda: self.fake.dispatch("MESSAGE_UPDATE", updated),
        )

    async def interact(
        self, user: str, data: Json, *, kind: int = 2, dm: bool = False, **extra: Any
    ) -> Recorded:
        """Send an interaction (command, button, autocomplete); return the bot's callback.

        With ``dm`` it comes from the person's DM with the bot, as a press on a DM'd reminder.
        """
        guild, channel = (None, None) if dm else (self.world.guild, self.world.general)
        payload = self.fake.interaction(guild, channel, self.world[user], data, kind=kind, **extra)
        path = f"/interactions/{payload['id']}/{payload['token']}/callback"
        await self.fake.dispatch("INTERACTION_CREATE", payload)
        found = await self.fake.wait_until(lambda: self.fake.sent("POST", path))
        return found[0]

    def dms_to(self, name: str) -> list[Recorded]:
        """Return the DMs the bot sent a person."""
        return self.fake.dms_to(self.world[name]["id"])

    def log_entries(self) -> list[Recorded]:
        """Return the messages the bot posted in the moderators' log channel."""
        return self.fake.sent("POST", f"/channels/{self.world.mod_log['id']}/messages")


def embed_text(request: Recorded) -> str:
    """Return the content and every word of a posted message's embeds, for assertions."""
    body = request.body.get("data", request.body)  # an interaction callback wraps its message
    parts: list[str] = [body.get("content") or ""]
    for embed in body.get("embeds") or []:
        parts += [embed.get("title", ""), embed.get("description", "")]
        parts += [f"{f['name']}: {f['value']}" for f in embed.get("fields", [])]
        parts.append((embed.get("footer") or {}).get("text", ""))
    return "\n".join(parts)


def custom_ids(request: Recorded) -> list[str]:
    """Return the custom ids of a posted message's buttons."""
    body = request.body.get("data", request.body)
    return [
        item["custom_id"]
        for row in body.get("components") or []
        for item in row.get("components", [])
        if "custom_id" in item
    ]


@contextmanager
def pointed_at(fake: FakeDiscord) -> Iterator[None]:
    """Point discord.py's REST base and default gateway at the fake, for the test only."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(discord.http.Route, "BASE", fake.base_url)
        patch.setattr(
            discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url)
        )
        yield


@asynccontextmanager
async def running_bot(
    tmp_path: Path,
    overrides: dict[str, Any],
    names: tuple[str, ...],
    prepare: Callable[[Core, World], Awaitable[None]] | None = None,
) -> AsyncIterator[Harness]:
    """Start the fake and a connected PolicyBot on a fresh core; tear both down afterwards.

    ``prepare`` runs on the core before the bot connects (state left by an earlier run).
    """
    fake = FakeDiscord()
    world = build_world(fake, names)
    await fake.start()
    core = await build_core_for_tests(tmp_path, overrides)
    if prepare is not None:
        await prepare(core, world)
    with pointed_at(fake):
        # guild_ready_timeout: how long discord.py waits for more GUILD_CREATEs before READY.
        bot = PolicyBot(core, guild_ready_timeout=0.05)
        task: asyncio.Task[None] | None = None
        try:
            await bot.login(TOKEN)
            # Ready once the bot has done its start-of-server work for the society's server.
            guild_ready = asyncio.ensure_future(
                bot.wait_for(
                    "policybot_guild_ready", check=lambda g: str(g.id) == world.guild["id"]
                )
            )
            await asyncio.sleep(0)  # let wait_for register its listener
            task = asyncio.create_task(bot.connect())
            await asyncio.wait_for(guild_ready, 15)
            yield Harness(fake, world, bot, core)
        finally:
            await bot.close()
            if task is not None:
                await asyncio.wait_for(task, 10)
            await core.close()
            await fake.stop()
