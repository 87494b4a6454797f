"""The slash commands: /policy, /report, /mydata, /privacy and the moderators' /policybot group.

Everything a member asks is answered privately (ephemeral). The /policybot group checks the
caller's rights on every use (Manage Messages or a configured moderator role) and refuses
politely; Discord's own command permissions are left open so configured roles work too.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands

from adapters.discord import render
from adapters.discord.buttons import REFUSAL, member_is_moderator, reply
from adapters.discord.events import PLATFORM
from bot.policy import Policy

if TYPE_CHECKING:
    from adapters.discord.bot import PolicyBot

log = logging.getLogger(__name__)

#: Discord shows at most 25 autocomplete choices, each name at most 100 characters.
MAX_CHOICES = 25


class PolicyTree(app_commands.CommandTree):
    """The command tree, answering failures politely instead of leaving the member hanging."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """Stay quiet on refused checks (already answered); log anything else and say sorry."""
        if isinstance(error, app_commands.CheckFailure):
            if not interaction.response.is_done():
                await reply(interaction, REFUSAL)
            return
        log.error("slash command failed", exc_info=error)
        if not interaction.response.is_done():
            await reply(
                interaction, "Sorry, something went wrong. The moderators can check the logs."
            )


def clause_choices(policy: Policy, current: str) -> list[app_commands.Choice[str]]:
    """Return autocomplete choices: clauses whose id or heading contains what was typed."""
    typed = " ".join(current.casefold().split())
    entries = [e for e in policy.toc() if typed in f"{e.id} {e.heading}".casefold()]
    if not entries and typed:
        # Nothing contains the words as typed: fall back to the policy's own fuzzy lookup.
        result = policy.lookup(current)
        entries = [e for e in policy.toc() if e.id in {m.clause.id for m in result.matches}]
    return [
        app_commands.Choice(name=f"{e.id} {e.heading}"[:100], value=e.id)
        for e in entries[:MAX_CHOICES]
    ]


def _guild(interaction: discord.Interaction) -> str:
    return str(interaction.guild_id)


class ModeratorGroup(app_commands.Group):
    """``/policybot``: the moderators' commands, refused politely to everyone else."""

    def __init__(self, bot: PolicyBot) -> None:
        super().__init__(
            name="policybot",
            description="Moderator tools: strikes, pardon, erase, desist, shadow, dry run, reload",
            guild_only=True,
        )
        self.bot = bot

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Let moderators through; answer anyone else with a polite refusal."""
        if member_is_moderator(self.bot.core, interaction):
            return True
        await reply(interaction, REFUSAL)
        return False

    @app_commands.command(name="strikes", description="Show a member's record in this server")
    @app_commands.describe(member="The member to look up")
    async def strikes(self, interaction: discord.Interaction, member: discord.Member) -> None:
        """Show a member's cases and live strikes."""
        record = await self.bot.core.moderation.record(
            PLATFORM, _guild(interaction), str(member.id)
        )
        await _send_text(interaction, f"Record of {member.mention}", record.render())

    @app_commands.command(name="pardon", description="Pardon every live strike of a member")
    @app_commands.describe(member="The member to pardon")
    async def pardon(self, interaction: discord.Interaction, member: discord.Member) -> None:
        """Pardon a member's live strikes."""
        count = await self.bot.core.moderation.pardon(
            PLATFORM, _guild(interaction), str(member.id), str(interaction.user.id)
        )
        await reply(interaction, f"Pardoned {count} strike(s) of {member.mention}.")

    @app_commands.command(name="erase", description="Erase everything held about a member here")
    @app_commands.describe(member="The member whose record to erase")
    async def erase(self, interaction: discord.Interaction, member: discord.Member) -> None:
        """Erase a member's record (the right to erasure)."""
        count = await self.bot.core.moderation.erase(
            PLATFORM, _guild(interaction), str(member.id), str(interaction.user.id)
        )
        await reply(interaction, f"Erased {count} record(s) about {member.mention}.")

    @app_commands.command(
        name="clear-desist", description="Clear the requests to stop made by or to a member"
    )
    @app_commands.describe(member="The member whose requests to stop (either way) to clear")
    async def clear_desist(self, interaction: discord.Interaction, member: discord.Member) -> None:
        """Clear a member's desist records: their messages stop counting as unwanted contact."""
        count = await self.bot.core.moderation.clear_desists(
            PLATFORM, _guild(interaction), str(member.id), str(interaction.user.id)
        )
        await reply(interaction, f"Cleared {count} request(s) to stop involving {member.mention}.")

    @app_commands.command(name="shadow", description="Shadow mode: log to moderators only")
    @app_commands.describe(state="on: members are not told, moderators see every decision")
    async def shadow(self, interaction: discord.Interaction, state: Literal["on", "off"]) -> None:
        """Switch shadow mode for this server."""
        await self.bot.core.moderation.set_shadow(
            PLATFORM, _guild(interaction), state == "on", str(interaction.user.id)
        )
        await reply(interaction, f"Shadow mode is {state} in this server.")

    @app_commands.command(name="check", description="Dry run: what would policybot do with a text?")
    @app_commands.describe(text="The text to check; nothing is stored")
    async def check(self, interaction: discord.Interaction, text: str) -> None:
        """Show the decision a text would get here, changing nothing."""
        decision = await self.bot.core.moderation.dry_run(
            text, PLATFORM, _guild(interaction), str(interaction.channel_id)
        )
        await interaction.response.send_message(
            embed=render.decision_embed(decision), ephemeral=True
        )

    @app_commands.command(name="reload", description="Reload the config and the policy from disk")
    async def reload(self, interaction: discord.Interaction) -> None:
        """Re-read the config and policy files, then re-sync this server's commands."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        problem = await self.bot.reload_core()
        if problem:
            await interaction.followup.send(f"Not reloaded: {problem}"[:2000], ephemeral=True)
            return
        synced = 0
        if interaction.guild is not None:
            synced = await self.bot.sync_guild_commands(interaction.guild)
        await interaction.followup.send(
            f"Reloaded the config and the policy; {synced} command(s) synced here.", ephemeral=True
        )


async def _send_text(interaction: discord.Interaction, title: str, text: str) -> None:
    embed = discord.Embed(title=title[:256], description=text[:4096])
    await interaction.response.send_message(
        embed=embed, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
    )


def register_commands(bot: PolicyBot) -> None:
    """Add every policybot slash command to the bot's tree (global; servers get copies on join)."""
    tree = bot.tree

    @tree.command(name="policy", description="Look up the Student Social Media Policy")
    @app_commands.describe(query="A clause number such as 4.5, or a few words such as recordings")
    async def policy(interaction: discord.Interaction, query: str | None = None) -> None:
        found = bot.core.policy.lookup(query or "")
        view = render.lookup_view(found)
        await interaction.response.send_message(
            embed=render.lookup_embed(bot.core.policy, found),
            view=discord.utils.MISSING if view is None else view,
            ephemeral=True,
        )

    @policy.autocomplete("query")
    async def policy_autocomplete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return clause_choices(bot.core.policy, current)

    @tree.command(name="report", description="How to report something: the official routes")
    async def report(interaction: discord.Interaction) -> None:
        notice = bot.core.moderation.report_notice()
        await interaction.response.send_message(embed=render.notice_embed(notice), ephemeral=True)

    @tree.command(name="mydata", description="See what policybot holds about you in this server")
    @app_commands.guild_only()
    async def mydata(interaction: discord.Interaction) -> None:
        record = await bot.core.moderation.record(
            PLATFORM, _guild(interaction), str(interaction.user.id)
        )
        await _send_text(interaction, "Your record", record.render())

    @tree.command(name="privacy", description="What policybot reads, keeps, and for how long")
    async def privacy(interaction: discord.Interaction) -> None:
        await _send_text(interaction, "Privacy notice", bot.core.moderation.privacy_notice())

    tree.add_command(ModeratorGroup(bot))
