"""The Discord bot: gateway events in, core calls, decisions out through ``Delivery``.

An ``AutoShardedBot`` so one process can serve every society server of a university. It holds
no policy logic: ``events`` builds core messages, the core decides, ``delivery`` acts.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord.ext import commands

from adapters.discord import events, permissions
from adapters.discord.buttons import ButtonHandler
from adapters.discord.commands import PolicyTree, register_commands
from adapters.discord.delivery import Delivery
from adapters.discord.events import PLATFORM
from adapters.discord.shards import Shards
from bot.app import Core
from bot.config import Config
from bot.decision import ModeratorAlert

log = logging.getLogger(__name__)


class PolicyBot(commands.AutoShardedBot):
    """policybot on Discord: every event goes through the core passed in."""

    def __init__(self, core: Core, **options: Any) -> None:
        options.setdefault("intents", permissions.required_intents())
        options.setdefault("help_command", None)
        options.setdefault("tree_cls", PolicyTree)
        # Nobody should trigger anything by mentioning the bot; prefix commands are unused.
        options.setdefault("allowed_mentions", discord.AllowedMentions.none())
        super().__init__(command_prefix=commands.when_mentioned, **options)
        self.core = core
        self.delivery = Delivery(core.config)
        self.buttons = ButtonHandler(core, self.log_for_moderators)
        self._checked_startup = False

    @property
    def config(self) -> Config:
        """Return the config in force (the core's, which ``/policybot reload`` replaces)."""
        return self.core.config

    async def reload_core(self) -> str | None:
        """Re-read the config and policy files into the core; return the problem, if any."""
        problem = self.core.reload()
        if problem is None:
            self.delivery = Delivery(self.core.config)
            log.info("reloaded the config and the policy")
        return problem

    async def setup_hook(self) -> None:
        """Register the slash commands and say which privileged intents are missing."""
        register_commands(self)
        if self.application is not None:
            permissions.log_problems(permissions.intent_problems(self.application.flags))
        if self.config.discord.sync_commands_globally:
            synced = await self.tree.sync()
            log.info("synced %d slash commands globally", len(synced))

    async def on_ready(self) -> None:
        """Check, once, what each server lets the bot do."""
        if self._checked_startup:
            return
        self._checked_startup = True
        log.info("connected as %s to %d server(s)", self.user, len(self.guilds))
        for guild in self.guilds:
            self.check_guild(guild)

    def check_guild(self, guild: discord.Guild) -> None:
        """Log which permission bits the bot lacks in a server and what stops working."""
        me = guild.me
        if me is None:
            return
        permissions.log_problems(
            permissions.permission_problems(guild.name, me.guild_permissions, self.config)
        )

    # -- messages -------------------------------------------------------------------------
    async def on_message(self, message: discord.Message) -> None:
        """Check a new message and act on the decision."""
        await self.check_message(message)

    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        """Check an edited message again, once per edit (its key carries the edit time)."""
        message = payload.message
        # Link previews arrive as updates too, without a new edit time: nothing to re-check.
        if message.edited_at is None:
            return
        await self.check_message(message)

    async def check_message(self, message: discord.Message) -> None:
        """Run one message through the core and deliver the decision."""
        core_message = events.message_from_discord(message)
        if core_message is None or core_message.is_bot or message.guild is None:
            return
        decision = await self.core.engine.handle(core_message)
        await self.delivery.deliver(
            decision, guild=message.guild, author=message.author, source=message
        )
        # Listeners (extensions, tests) learn that a decision has been fully carried out.
        self.dispatch("policybot_decision", decision)

    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        """Tell the core a message is gone: a quick delete after a reminder withdraws the strike."""
        if payload.guild_id is None:
            return
        withdrawal = await self.core.engine.message_deleted(
            PLATFORM, str(payload.guild_id), str(payload.message_id)
        )
        guild = self.get_guild(payload.guild_id)
        if withdrawal.alert is not None and guild is not None:
            # A repeated post-and-delete: the strike stands and the moderators hear of it.
            settings = self.delivery.settings(guild, withdrawal.alert.channel)
            await self.delivery.log_alert(guild, settings, withdrawal.alert)
        self.dispatch("policybot_message_deleted", str(payload.message_id), withdrawal.withdrawn)

    # -- members --------------------------------------------------------------------------
    async def on_member_join(self, member: discord.Member) -> None:
        """Check a new member's display name for impersonation."""
        await self.check_member(member)

    async def on_member_update(self, before: discord.Member, after: discord.Member) -> None:
        """Check a member's new display name after a rename."""
        if before.display_name != after.display_name:
            await self.check_member(after)

    async def check_member(self, member: discord.Member) -> None:
        """Run a member's display name through the core and deliver any decision."""
        if member.bot:
            return
        settings = self.delivery.settings(member.guild, None)
        check = events.member_check(member, settings.moderator_roles)
        decision = await self.core.engine.check_member(
            PLATFORM,
            check.community,
            check.user_id,
            check.display_name,
            check.others,
            check.moderators,
        )
        if decision is not None:
            await self.delivery.deliver(decision, guild=member.guild, author=member)
        self.dispatch("policybot_member_checked", member, decision)

    # -- servers --------------------------------------------------------------------------
    async def on_guild_join(self, guild: discord.Guild) -> None:
        """Sync commands to a new server, post the privacy notice, cancel any pending purge."""
        await self.core.engine.bot_added(PLATFORM, str(guild.id))
        await self.sync_guild_commands(guild)
        await self.post_privacy_notice(guild)
        self.check_guild(guild)
        self.dispatch("policybot_guild_ready", guild)

    async def on_guild_available(self, guild: discord.Guild) -> None:
        """Cancel any pending purge of a server seen at start-up (re-added while offline)."""
        await self.core.engine.bot_added(PLATFORM, str(guild.id))
        self.dispatch("policybot_guild_ready", guild)

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Schedule the purge of a server's data after the grace period."""
        await self.core.engine.bot_removed(PLATFORM, str(guild.id))
        self.dispatch("policybot_guild_removed", guild)

    async def sync_guild_commands(self, guild: discord.Guild) -> int:
        """Copy the slash commands to one server so they appear there at once."""
        self.tree.copy_global_to(guild=guild)
        try:
            synced = await self.tree.sync(guild=guild)
        except discord.HTTPException as exc:
            log.warning("server %s: could not sync commands: HTTP %s", guild.id, exc.status)
            return 0
        return len(synced)

    def privacy_channel(self, guild: discord.Guild) -> discord.TextChannel | None:
        """Return the configured privacy channel (id or name), else the server's system channel."""
        wanted = (self.config.discord.privacy_channel or "").lstrip("#")
        channel: Any = None
        if wanted.isdigit():
            channel = guild.get_channel(int(wanted))
        elif wanted:
            channel = discord.utils.get(guild.text_channels, name=wanted)
        if channel is None and not wanted:
            channel = guild.system_channel
        return channel if isinstance(channel, discord.TextChannel) else None

    async def post_privacy_notice(self, guild: discord.Guild) -> bool:
        """Post the core's privacy notice in the server; return whether it was posted."""
        channel = self.privacy_channel(guild)
        if channel is None:
            log.warning(
                "server %s: no channel for the privacy notice (set discord.privacy_channel)",
                guild.id,
            )
            return False
        notice = self.core.moderation.privacy_notice()
        try:
            if len(notice) <= 2000:
                await channel.send(notice, allowed_mentions=discord.AllowedMentions.none())
            else:
                # Too long for a message: an embed holds 4096 characters.
                await channel.send(embed=discord.Embed(description=notice[:4096]))
        except discord.HTTPException as exc:
            log.warning(
                "server %s: could not post the privacy notice: HTTP %s", guild.id, exc.status
            )
            return False
        return True

    async def log_for_moderators(self, community: str, alert: ModeratorAlert) -> bool:
        """Post an alert about a server's case to its moderators' log; return whether posted.

        For alerts that come from no message in the server, such as a contest pressed in a DM.
        """
        guild = self.get_guild(int(community)) if community.isdigit() else None
        if guild is None:
            # With shards split over processes, DMs reach shard 0's: the server may be another's.
            log.warning("server %s is not served by this process: log entry dropped", community)
            return False
        return await self.delivery.log_alert(
            guild, self.delivery.settings(guild, alert.channel), alert
        )

    # -- buttons --------------------------------------------------------------------------
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Answer presses of policybot's buttons (slash commands go through the tree)."""
        if interaction.type is discord.InteractionType.component:
            await self.buttons.handle(interaction)


async def run_discord(core: Core, token: str, shards: Shards | None = None) -> None:
    """Connect to Discord with ``token`` and serve until stopped; clear errors, never the token.

    ``shards`` limits this process to some of the bot's shards (others serve the rest).
    """
    async with PolicyBot(core, **(shards.options() if shards else {})) as bot:
        try:
            await bot.start(token)
        except discord.LoginFailure:
            raise SystemExit(
                "Discord rejected DISCORD_TOKEN: reset the token on the Developer Portal's Bot "
                "page and set it again (see docs/discord.md)"
            ) from None
        except discord.PrivilegedIntentsRequired:
            raise SystemExit(
                "Discord refused the privileged intents: on the Developer Portal's Bot page switch "
                "on Message Content Intent and Server Members Intent (see docs/discord.md)"
            ) from None
