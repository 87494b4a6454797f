"""Answer presses of policybot's buttons: contest, uphold, pardon, mark as false positive, post a
clause.

Each button's state is in its custom id (see ``render``), so presses on messages sent before a
restart still work. Moderator buttons check the presser's rights on every press. A contest goes
to the moderators' log of the case's server, with Uphold and Mark as false positive.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import discord

from adapters.discord import render
from adapters.discord.events import PLATFORM, role_keys
from adapters.discord.permissions import is_moderator
from bot.app import Core
from bot.decision import ModeratorAlert

log = logging.getLogger(__name__)

#: Posts an alert to the moderators' log of a community (a server id); True if posted.
LogAlert = Callable[[str, ModeratorAlert], Awaitable[bool]]

REFUSAL = (
    "Sorry, only this server's moderators can do that (Manage Messages permission or a "
    "moderator role)."
)
CONTESTED = (
    "Thanks: the moderators will review it. Until they do, it stays on your record; if they "
    "agree it wasn't a breach, it stops counting against you."
)
NOT_CONTESTABLE = (
    "This reminder can't be contested any more (you already contested it, it was reviewed, or "
    "it isn't yours)."
)


def member_is_moderator(core: Core, interaction: discord.Interaction) -> bool:
    """Return whether the person behind an interaction moderates the server it came from."""
    user = interaction.user
    if interaction.guild_id is None or not isinstance(user, discord.Member):
        return False
    channel = str(interaction.channel_id) if interaction.channel_id else None
    settings = core.config.settings_for(PLATFORM, str(interaction.guild_id), channel)
    return is_moderator(interaction.permissions, role_keys(user), settings.moderator_roles)


async def reply(interaction: discord.Interaction, text: str) -> None:
    """Answer an interaction privately with a short text."""
    await interaction.response.send_message(
        text[:2000], ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
    )


class ButtonHandler:
    """Route a button press to the core by the action its custom id names."""

    def __init__(self, core: Core, log_alert: LogAlert) -> None:
        self.core = core
        self.log_alert = log_alert

    async def handle(self, interaction: discord.Interaction) -> bool:
        """Answer a press of one of our buttons; return False when it is not ours."""
        value = interaction.data.get("custom_id") if interaction.data else None
        action = render.parse_custom_id(value) if isinstance(value, str) else None
        if action is None:
            return False
        try:
            await self._dispatch(interaction, action)
        except (ValueError, IndexError):
            log.warning("malformed policybot button id %r", value)
            await reply(interaction, "That button is out of date.")
        return True

    async def _dispatch(
        self, interaction: discord.Interaction, action: render.ButtonAction
    ) -> None:
        actor = str(interaction.user.id)
        if action.kind == render.CONTEST:
            await self._contest(interaction, action.args[0], actor)
        elif action.kind == render.POST_CLAUSE:
            await self._post_clause(interaction, action.args[0])
        elif action.kind in (render.PARDON, render.DISMISS, render.UPHOLD):
            if not member_is_moderator(self.core, interaction):
                await reply(interaction, REFUSAL)
                return
            if action.kind == render.PARDON:
                user = action.args[0]
                count = await self.core.moderation.pardon(
                    PLATFORM, str(interaction.guild_id), user, actor
                )
                await reply(interaction, f"Pardoned {count} strike(s) of <@{user}>.")
            elif action.kind == render.UPHOLD:
                # The case must be this server's: the presser's rights were checked here.
                case = await self.core.moderation.uphold(
                    PLATFORM, str(interaction.guild_id), action.args[0], actor
                )
                await reply(
                    interaction,
                    f"Case #{case.id} upheld: it keeps counting."
                    if case is not None
                    else "That case is not awaiting review in this server.",
                )
            else:
                case = await self.core.moderation.dismiss(
                    PLATFORM, str(interaction.guild_id), action.args[0], actor
                )
                await reply(
                    interaction,
                    f"Case #{case.id} marked as a false positive."
                    if case is not None
                    else "That case is not on record in this server.",
                )
        else:
            await reply(interaction, "That button is out of date.")

    async def _contest(self, interaction: discord.Interaction, case_key: str, actor: str) -> None:
        alert = await self.core.moderation.contest(case_key, actor, PLATFORM)
        await reply(interaction, CONTESTED if alert is not None else NOT_CONTESTABLE)
        if alert is None:
            return
        # The press usually comes from a DM, which names no server: the case does.
        case = await self.core.moderation.find_case(case_key)
        if case is not None and not await self.log_alert(case.community, alert):
            log.warning(
                "server %s: case #%s was contested; no log entry posted", case.community, case.id
            )

    async def _post_clause(self, interaction: discord.Interaction, clause_id: str) -> None:
        try:
            clause = self.core.policy.clause(clause_id)
        except KeyError:
            await reply(interaction, "That clause is no longer in the policy.")
            return
        policy = self.core.policy
        embed = render.clause_embed(policy, clause, policy.routes_for([clause.id]))
        embed.set_footer(text=f"Shared by {interaction.user.display_name} with /policy")
        await interaction.response.send_message(
            embed=embed, allowed_mentions=discord.AllowedMentions.none()
        )
