"""Render the core's notices, alerts and decisions as Discord embeds and buttons.

Every word of policy comes from the core; this module only lays it out. Buttons carry their
whole state in the custom id (``policybot:<kind>:<args>``) and are answered by
``adapters.discord.buttons``, so they keep working after a restart. A case is named by its
unguessable ref, never by its sequential id. Views are returned already
stopped: discord.py then sends their components without keeping a copy in memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.decision import Decision, ModeratorAlert, Notice, RouteInfo
from bot.policy import Clause, LookupResult, Policy, Route
from bot.policy_text import did_you_mean

PREFIX = "policybot"
CONTEST = "contest"
PARDON = "pardon"
DISMISS = "dismiss"
UPHOLD = "uphold"
POST_CLAUSE = "post"

_FIELD_MAX = 1024
_DESCRIPTION_MAX = 4096

_NOTICE_COLOURS = {
    "remind": discord.Colour.gold(),
    "warn": discord.Colour.orange(),
    "report": discord.Colour.blurple(),
    "wellbeing": discord.Colour.teal(),
    "privacy-tip": discord.Colour.blurple(),
}


@dataclass(frozen=True, slots=True)
class ButtonAction:
    """What a button press asks for, parsed back from its custom id."""

    kind: str
    args: tuple[str, ...]


def custom_id(kind: str, *args: object) -> str:
    """Return the custom id of a policybot button (Discord allows 100 characters)."""
    value = ":".join((PREFIX, kind, *(str(a) for a in args)))
    if len(value) > 100:
        raise ValueError(f"custom id too long: {value[:40]}…")
    return value


def parse_custom_id(value: str) -> ButtonAction | None:
    """Return the action a custom id names, or None when it is not one of ours."""
    parts = value.split(":")
    if len(parts) < 2 or parts[0] != PREFIX:
        return None
    return ButtonAction(kind=parts[1], args=tuple(parts[2:]))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clause_line(clauses: tuple[str, ...]) -> str:
    """Return clause ids the way the policy cites them: "4.5, 5.2"."""
    return ", ".join(clauses)


def routes_text(routes: tuple[RouteInfo, ...]) -> str:
    """Return the official routes as one line each: name — contact."""
    return "\n".join(f"**{r.name}**: {r.contact}" if r.contact else f"**{r.name}**" for r in routes)


def _stopped(view: discord.ui.View) -> discord.ui.View:
    view.stop()
    return view


def notice_embed(notice: Notice) -> discord.Embed:
    """Return the compact embed for a notice to its author: text, clauses cited, routes."""
    embed = discord.Embed(
        title=_clip(notice.title, 256),
        description=_clip(notice.body, _DESCRIPTION_MAX),
        colour=_NOTICE_COLOURS.get(notice.kind, discord.Colour.blurple()),
    )
    if notice.clauses:
        embed.add_field(
            name="Student Social Media Policy", value=f"Clause {clause_line(notice.clauses)}"
        )
    if notice.routes:
        embed.add_field(name="Where to go", value=_clip(routes_text(notice.routes), _FIELD_MAX))
    if notice.case_id is not None:
        embed.set_footer(text=f"Case #{notice.case_id}")
    return embed


def notice_view(notice: Notice) -> discord.ui.View | None:
    """Return the "This isn't a breach" button for a notice that has a case, else None."""
    if notice.case_key is None:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(
        discord.ui.Button(
            label="This isn't a breach",
            style=discord.ButtonStyle.secondary,
            custom_id=custom_id(CONTEST, notice.case_key),
        )
    )
    return _stopped(view)


def alert_embed(alert: ModeratorAlert, *, show_content: bool) -> discord.Embed:
    """Return the moderators' log entry: label, clause, user, jump link, step; content if opted in."""
    if alert.level == "contest":
        title, colour = "policybot: the member contests this", discord.Colour.gold()
    elif alert.level == "alert":
        title, colour = "policybot alert", discord.Colour.red()
    else:
        title, colour = "policybot log", discord.Colour.orange()
    if alert.shadow:
        title += " (shadow mode: the member was not told)"
    embed = discord.Embed(
        title=title, description=_clip(alert.summary, _DESCRIPTION_MAX), colour=colour
    )
    embed.add_field(name="Label", value=", ".join(alert.labels) or "—")
    embed.add_field(name="Clause", value=clause_line(alert.clauses) or "—")
    # The ladder has three steps but strikes go on counting: the number is the strike.
    embed.add_field(name="Strike", value=str(alert.step))
    embed.add_field(name="Member", value=f"<@{alert.user}>")
    if alert.channel:
        embed.add_field(name="Channel", value=f"<#{alert.channel}>")
    if alert.permalink:
        embed.add_field(name="Message", value=f"[Jump to message]({alert.permalink})")
    if alert.suggested_actions:
        embed.add_field(
            name="Suggested",
            value=_clip("\n".join(f"• {a}" for a in alert.suggested_actions), _FIELD_MAX),
            inline=False,
        )
    if show_content and alert.content:
        embed.add_field(name="Content", value=_clip(alert.content, _FIELD_MAX), inline=False)
    if alert.case_id is not None:
        embed.set_footer(text=f"Case #{alert.case_id}")
    return embed


def alert_view(alert: ModeratorAlert) -> discord.ui.View:
    """Return the moderator's buttons for a log entry: Pardon and Mark as false positive.

    A contested case gets Uphold and Mark as false positive instead: the two answers to it.
    """
    view = discord.ui.View(timeout=None)
    if alert.level == "contest" and alert.case_key is not None:
        view.add_item(
            discord.ui.Button(
                label="Uphold",
                style=discord.ButtonStyle.primary,
                custom_id=custom_id(UPHOLD, alert.case_key),
            )
        )
    else:
        view.add_item(
            discord.ui.Button(
                label="Pardon",
                style=discord.ButtonStyle.success,
                custom_id=custom_id(PARDON, alert.user),
            )
        )
    if alert.case_key is not None:
        view.add_item(
            discord.ui.Button(
                label="Mark as false positive",
                style=discord.ButtonStyle.secondary,
                custom_id=custom_id(DISMISS, alert.case_key),
            )
        )
    return _stopped(view)


def problem_embed(text: str) -> discord.Embed:
    """Return a moderators' alert about something the bot could not do (a missing permission)."""
    return discord.Embed(
        title="policybot could not act",
        description=_clip(text, _DESCRIPTION_MAX),
        colour=discord.Colour.dark_red(),
    )


def decision_embed(decision: Decision) -> discord.Embed:
    """Return a dry-run summary for moderators: the action, each finding, the notice text."""
    embed = discord.Embed(
        title=f"Dry run: {decision.action}",
        colour=discord.Colour.light_grey(),
    )
    lines = [
        f"`{f.label}` (clause {clause_line(f.clauses) or '—'}, {f.severity}, "
        f"{f.score:.2f}): {f.evidence}"
        for f in decision.findings
    ]
    embed.description = _clip("\n".join(lines) or "Nothing found: no action.", _DESCRIPTION_MAX)
    if decision.notice is not None:
        embed.add_field(
            name=f"The member would read: {_clip(decision.notice.title, 200)}",
            value=_clip(decision.notice.body, _FIELD_MAX),
            inline=False,
        )
    return embed


def clause_embed(policy: Policy, clause: Clause, routes: tuple[Route, ...]) -> discord.Embed:
    """Return a clause in the policy's own words, with its section and the routes it cites."""
    text = clause.text
    if clause.items:
        text += "\n" + "\n".join(f"• {item}" for item in clause.items)
    embed = discord.Embed(
        title=_clip(f"{clause.id} {clause.heading}", 256),
        description=_clip(text, _DESCRIPTION_MAX),
        colour=discord.Colour.blurple(),
    )
    embed.set_author(name=_clip(f"{policy.university}: {policy.name}", 256))
    embed.add_field(name="Section", value=_clip(clause.section, _FIELD_MAX), inline=False)
    if routes:
        embed.add_field(
            name="Where to go",
            value=_clip(routes_text(tuple(r.info() for r in routes)), _FIELD_MAX),
            inline=False,
        )
    return embed


def lookup_embed(policy: Policy, result: LookupResult) -> discord.Embed:
    """Return the answer to ``/policy``: the clause found, the best match, or the contents."""
    if result.kind in ("clause", "search") and result.matches:
        embed = clause_embed(policy, result.matches[0].clause, result.routes)
        others = result.matches[1:]
        if others:
            embed.add_field(
                name="Also see",
                value=_clip(
                    "\n".join(f"**{m.clause.id}** {m.clause.heading}" for m in others),
                    _FIELD_MAX,
                ),
                inline=False,
            )
        return embed
    if result.kind == "toc" and result.toc:
        lines = [f"**{e.id}** {e.heading}" for e in result.toc]
        return discord.Embed(
            title=_clip(f"{policy.name}: contents", 256),
            description=_clip("\n".join(lines), _DESCRIPTION_MAX),
            colour=discord.Colour.blurple(),
        )
    return discord.Embed(
        title="Nothing found",
        description=_clip(
            f"Nothing in the {policy.name} matches \u201c{result.query}\u201d. "
            + (f"{did_you_mean(result)} " if result.suggestions else "")
            + "Try a clause number such as 4.5, a few words such as \u201crecordings\u201d, "
            "or `/policy` on its own for the contents.",
            _DESCRIPTION_MAX,
        ),
        colour=discord.Colour.light_grey(),
    )


def lookup_view(result: LookupResult) -> discord.ui.View | None:
    """Return the "Post in channel" button for a lookup that found a clause, else None."""
    if result.kind not in ("clause", "search") or not result.matches:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(
        discord.ui.Button(
            label="Post in channel",
            style=discord.ButtonStyle.primary,
            custom_id=custom_id(POST_CLAUSE, result.matches[0].clause.id),
        )
    )
    return _stopped(view)
