"""Carry out a decision on Discord: the reminder, the moderators' log entry, automatic actions.

Discord has no private reply to a plain message (only an interaction can be answered
ephemerally, and slash commands are), so the reminder goes by DM (the private choice), falls
back to a short self-deleting channel reply when the member's DMs are closed, or is that
channel reply alone, as configured. A pointer to the official routes or to support never goes
in the channel, whatever the style: it goes by DM, and with DMs closed the channel gets only a
content-free nudge that says nothing of why. Anything Discord refuses (403) becomes an alert
for the moderators; nothing here may crash the bot.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import discord

from adapters.discord import render
from adapters.discord.events import PLATFORM
from bot.config import Config, Settings
from bot.decision import Decision, ModeratorAlert, Notice

log = logging.getLogger(__name__)

#: Discord's error code for "Cannot send messages to this user" (DMs closed or blocked).
CANNOT_DM = 50007
#: Notices that point to the official routes or to support: private, always.
PRIVATE_KINDS = frozenset({"report", "wellbeing", "privacy-tip"})
#: All the channel may see when such a notice cannot reach its reader by DM.
NUDGE = (
    "{mention}, policybot has a private note for you but cannot reach your direct messages. "
    "To get notes like it, allow direct messages from this server's members (server menu → "
    "Privacy Settings)."
)


class Delivery:
    """Render decisions and send them, with the fallbacks the config asks for."""

    def __init__(self, config: Config) -> None:
        self.config = config

    def settings(self, guild: discord.Guild, channel: str | None) -> Settings:
        """Return the settings in force in a channel of a guild."""
        return self.config.settings_for(PLATFORM, str(guild.id), channel or None)

    async def deliver(
        self,
        decision: Decision,
        *,
        guild: discord.Guild,
        author: discord.User | discord.Member,
        source: discord.Message | None = None,
    ) -> None:
        """Send the notice, the log entry and the automatic actions a decision calls for."""
        if decision.duplicate or decision.exempt:
            return
        settings = self.settings(guild, decision.message.channel)
        if decision.notice is not None:
            await self.remind(decision.notice, author, source)
        if decision.moderator_alert is not None:
            await self.log_alert(guild, settings, decision.moderator_alert)
        if "delete" in decision.auto_actions and source is not None:
            await self._delete(guild, settings, source, decision)
        if "timeout" in decision.auto_actions and decision.timeout_minutes > 0:
            await self._timeout(guild, settings, author, decision)

    async def remind(
        self,
        notice: Notice,
        author: discord.User | discord.Member,
        source: discord.Message | None,
    ) -> bool:
        """Send a notice in the configured style; return whether the author got it."""
        style = self.config.discord.reminder_style
        private = notice.kind in PRIVATE_KINDS
        if style != "channel" or private:
            try:
                await author.send(embed=render.notice_embed(notice), view=_view(notice))
                return True
            except discord.Forbidden as exc:
                log.info("DMs closed for a member (code %s)", exc.code)
                if style == "dm":
                    return False
            except discord.HTTPException as exc:
                log.warning("could not DM a member: HTTP %s (code %s)", exc.status, exc.code)
                if style == "dm":
                    return False
        if source is None:
            return False
        if private:
            # Someone asking how to report, or who may be at risk, is never answered where
            # others can read it: the channel learns only that a note is waiting.
            await self._nudge(author, source)
            return False
        return await self._channel_reply(notice, author, source)

    async def _nudge(self, author: discord.User | discord.Member, source: discord.Message) -> None:
        """Tell the author, in the channel and without content, that a private note is waiting.

        Not a reply: a reply would point everyone at the message that prompted it.
        """
        try:
            await source.channel.send(
                content=NUDGE.format(mention=author.mention),
                allowed_mentions=discord.AllowedMentions(
                    everyone=False, roles=False, users=[author], replied_user=False
                ),
                delete_after=float(self.config.discord.channel_reply_delete_after),
            )
        except discord.HTTPException as exc:
            log.warning(
                "could not nudge in channel %s: HTTP %s (code %s)",
                source.channel.id,
                exc.status,
                exc.code,
            )

    async def _channel_reply(
        self, notice: Notice, author: discord.User | discord.Member, source: discord.Message
    ) -> bool:
        try:
            await source.channel.send(
                content=f"{author.mention}, a quick note about your message:",
                reference=source.to_reference(fail_if_not_exists=False),
                allowed_mentions=discord.AllowedMentions(
                    everyone=False, roles=False, users=[author], replied_user=True
                ),
                delete_after=float(self.config.discord.channel_reply_delete_after),
                embed=render.notice_embed(notice),
                view=_view(notice),
            )
            return True
        except discord.HTTPException as exc:
            log.warning(
                "could not reply in channel %s: HTTP %s (code %s)",
                source.channel.id,
                exc.status,
                exc.code,
            )
            return False

    def log_channel(
        self, guild: discord.Guild, settings: Settings
    ) -> discord.abc.Messageable | None:
        """Return the moderators' log channel named by id or name in the settings, if it exists."""
        wanted = settings.mod_log_channel
        if not wanted:
            return None
        wanted = wanted.lstrip("#")
        if wanted.isdigit():
            found = guild.get_channel_or_thread(int(wanted))
        else:
            found = discord.utils.get(guild.text_channels, name=wanted)
        return found if isinstance(found, discord.abc.Messageable) else None

    async def log_alert(
        self, guild: discord.Guild, settings: Settings, alert: ModeratorAlert
    ) -> bool:
        """Post a moderators' log entry with its buttons; return whether it was posted."""
        embed = render.alert_embed(alert, show_content=settings.show_content)
        return await self._post_log(guild, settings, embed, render.alert_view(alert))

    async def alert_moderators(self, guild: discord.Guild, settings: Settings, text: str) -> bool:
        """Tell the moderators about something the bot could not do."""
        log.warning("server %s: %s", guild.id, text)
        return await self._post_log(guild, settings, render.problem_embed(text), None)

    async def _post_log(
        self,
        guild: discord.Guild,
        settings: Settings,
        embed: discord.Embed,
        view: discord.ui.View | None,
    ) -> bool:
        channel = self.log_channel(guild, settings)
        if channel is None:
            if settings.mod_log_channel:
                log.warning(
                    "server %s: mod_log_channel %r not found; log entry dropped",
                    guild.id,
                    settings.mod_log_channel,
                )
            return False
        try:
            await channel.send(
                embed=embed,
                view=discord.utils.MISSING if view is None else view,
                allowed_mentions=discord.AllowedMentions.none(),
            )
            return True
        except discord.HTTPException as exc:
            log.warning(
                "server %s: could not post to the moderators' log: HTTP %s (code %s)",
                guild.id,
                exc.status,
                exc.code,
            )
            return False

    async def _delete(
        self, guild: discord.Guild, settings: Settings, source: discord.Message, decision: Decision
    ) -> None:
        try:
            await source.delete()
        except discord.NotFound:
            pass  # already gone: the author or a moderator was quicker
        except discord.Forbidden:
            await self.alert_moderators(
                guild,
                settings,
                f"I could not delete a message by <@{decision.message.author}> in "
                f"<#{decision.message.channel}> (case #{decision.case_id}): I lack the Manage "
                "Messages permission there. Please review it by hand.",
            )
        except discord.HTTPException as exc:
            log.warning("server %s: delete failed: HTTP %s", guild.id, exc.status)

    async def _timeout(
        self,
        guild: discord.Guild,
        settings: Settings,
        author: discord.User | discord.Member,
        decision: Decision,
    ) -> None:
        member = author if isinstance(author, discord.Member) else guild.get_member(author.id)
        if member is None:
            return
        try:
            await member.timeout(
                timedelta(minutes=decision.timeout_minutes),
                reason=f"policybot case #{decision.case_id}",
            )
        except discord.Forbidden:
            await self.alert_moderators(
                guild,
                settings,
                f"I could not time out <@{member.id}> (case #{decision.case_id}): I lack the "
                "Moderate Members permission, or their role is above mine.",
            )
        except discord.HTTPException as exc:
            log.warning("server %s: timeout failed: HTTP %s", guild.id, exc.status)


def _view(notice: Notice) -> discord.ui.View:
    # discord.py's send() takes MISSING, not None, for "no components".
    view = render.notice_view(notice)
    return discord.utils.MISSING if view is None else view
