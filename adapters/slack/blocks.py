"""Render the core's notices, alerts and policy answers as Slack Block Kit.

Everything said here comes from the core (notices, alerts, the policy's own text); this module
only lays it out. Slack's limits (3,000 characters a section, 150 a header, 75 a button) are
respected by shortening, never by dropping a clause or a route.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.decision import Decision, ModeratorAlert, Notice, RouteInfo
from bot.policy import Clause, LookupResult, Policy, Route
from bot.policy_text import did_you_mean

Block = dict[str, Any]

#: action_id of the author's "This isn't a breach" button; its value is the case's ref (an
#: unguessable reference; a case from before refs existed has its id there).
CONTEST = "policybot_contest"
#: action_id of the moderators' "Pardon" button; its value is the member's user id.
PARDON = "policybot_pardon"
#: action_id of the moderators' "Mark as false positive" button; its value is the case's ref.
DISMISS = "policybot_dismiss"
#: action_id of the moderators' "Uphold" button on a contested case; its value is the case's ref.
UPHOLD = "policybot_uphold"
#: action_id of the "Share in channel" button under a /policy answer; its value is the query.
SHARE = "policybot_share"

#: Notice kinds that are about a breach and so may be contested.
_CONTESTABLE = frozenset({"remind", "warn", "escalate"})

_SECTION_LIMIT = 3000
_HEADER_LIMIT = 150
_VALUE_LIMIT = 2000
_BOLD = re.compile(r"\*\*(.+?)\*\*")


@dataclass(frozen=True, slots=True)
class Rendered:
    """A Slack message: the notification text (also the fallback) and its blocks."""

    text: str
    blocks: list[Block] = field(default_factory=list)


def escape(text: str) -> str:
    """Escape the three characters Slack reads as markup in message text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn(text: str) -> str:
    """Turn the core's markdown-ish text (``**bold**``) into escaped Slack mrkdwn (``*bold*``)."""
    return _BOLD.sub(r"*\1*", escape(text))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _clip(text, _SECTION_LIMIT)}}


def _sections(lines: Iterable[str]) -> list[Block]:
    """Return as many sections as the lines need, so long policy text is split, never cut."""
    out: list[Block] = []
    chunk = ""
    for line in lines:
        line = _clip(line, _SECTION_LIMIT)
        if chunk and len(chunk) + 1 + len(line) > _SECTION_LIMIT:
            out.append(_section(chunk))
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line
    if chunk:
        out.append(_section(chunk))
    return out


def _header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": _clip(text, _HEADER_LIMIT)}}


def _context(*lines: str) -> Block:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": _clip(line, _SECTION_LIMIT)} for line in lines],
    }


def _button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    button: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
        "value": _clip(value, _VALUE_LIMIT),
    }
    if style:
        button["style"] = style
    return button


def _actions(*buttons: Block) -> Block:
    return {"type": "actions", "elements": list(buttons)}


def clause_line(clauses: Sequence[str]) -> str:
    """Return "Policy clause 4.5" / "Policy clauses 4.5, 5.2" for a context line."""
    if not clauses:
        return ""
    word = "clause" if len(clauses) == 1 else "clauses"
    return f"Student Social Media Policy {word} {', '.join(clauses)}"


def routes_text(routes: Iterable[RouteInfo], heading: str = "Official routes") -> str:
    """Return the routes as a bulleted mrkdwn list under a bold heading ("" when none)."""
    lines = [
        f"• *{escape(r.name)}*" + (f": {escape(r.contact)}" if r.contact else "") for r in routes
    ]
    return f"*{heading}*\n" + "\n".join(lines) if lines else ""


def notice(n: Notice) -> Rendered:
    """Render a private notice: title, body, the clause it cites, the routes, and a contest button."""
    blocks: list[Block] = [_header(n.title), _section(mrkdwn(n.body))]
    routes = routes_text(n.routes)
    if routes:
        blocks.append(_section(routes))
    if n.clauses:
        blocks.append(_context(clause_line(n.clauses)))
    if n.case_key is not None and n.kind in _CONTESTABLE:
        blocks.append(_actions(_button("This isn't a breach", CONTEST, n.case_key)))
    text = f"{n.title}: {n.body}"
    if n.clauses:
        text += f" ({clause_line(n.clauses)})"
    return Rendered(text=_clip(text, _SECTION_LIMIT), blocks=blocks)


def moderator_alert(alert: ModeratorAlert, permalink: str | None, show_content: bool) -> Rendered:
    """Render a log-channel entry: label, clause, member, link, step and the moderators' buttons.

    The message's text appears only when the settings opt in (``show_content``) and the core
    passed it along; otherwise moderators follow the permalink. A contested case gets Uphold and
    Mark as false positive; other entries Pardon and Mark as false positive.
    """
    contested = alert.level == "contest" and alert.case_key is not None
    if contested:
        kind = "Contested by the member"
    else:
        kind = "Policy alert" if alert.level == "alert" else "Policy log"
    if alert.shadow:
        kind += " (shadow mode: the member was not told)"
    fields = [
        f"*Label*\n{escape(', '.join(alert.labels))}",
        f"*Clause*\n{escape(', '.join(alert.clauses))}",
        f"*Member*\n<@{alert.user}>",
        # A display-name check has no channel: the name is the workspace's.
        f"*Channel*\n<#{alert.channel}>" if alert.channel else "*Where*\nDisplay name",
        f"*Strike*\n{alert.step}",  # the ladder has three steps; strikes go on counting
    ]
    if alert.case_id is not None:
        fields.append(f"*Case*\n{alert.case_id}")
    blocks: list[Block] = [
        _header(kind),
        _section(mrkdwn(alert.summary)),
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in fields]},
    ]
    link = permalink or alert.permalink
    if link:
        blocks.append(_section(f"<{link}|View the message>"))
    if show_content and alert.content:
        quoted = "\n".join("> " + line for line in escape(alert.content).splitlines())
        blocks.append(_section(quoted))
    if alert.suggested_actions:
        blocks.append(_context("Suggested: " + escape("; ".join(alert.suggested_actions))))
    if contested and alert.case_key is not None:
        buttons = [_button("Uphold", UPHOLD, alert.case_key, "primary")]
    else:
        buttons = [_button("Pardon", PARDON, alert.user)]
    if alert.case_key is not None:
        buttons.append(_button("Mark as false positive", DISMISS, alert.case_key, "danger"))
    blocks.append(_actions(*buttons))
    where = f"in <#{alert.channel}>" if alert.channel else "(display name)"
    text = f"{kind}: {alert.summary} — <@{alert.user}> {where}"
    return Rendered(text=_clip(text, _SECTION_LIMIT), blocks=blocks)


def reply(text: str) -> Rendered:
    """Render a short answer already in mrkdwn (escape the core's text with :func:`mrkdwn`)."""
    return Rendered(text=_clip(text, _SECTION_LIMIT), blocks=_sections(text.splitlines()))


def document(text: str) -> Rendered:
    """Render a longer core text (the privacy notice) as sections, paragraphs kept."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    blocks = [b for p in paragraphs for b in _sections(mrkdwn(p).splitlines())]
    first = paragraphs[0] if paragraphs else text
    return Rendered(text=_clip(first.replace("**", ""), _SECTION_LIMIT), blocks=blocks)


def about_message(channel: str) -> Block:
    """Return the line that tells a DM's reader which channel a notice is about.

    A notice with no channel is about the reader's display name.
    """
    if not channel:
        return _context("About your display name in this workspace")
    return _context(f"About your message in <#{channel}>")


def dry_run_summary(decision: Decision) -> str:
    """Return, in mrkdwn, what the bot would do with a text (``/policybot check``)."""
    if not decision.findings:
        return "Nothing fires on that text: the bot would stay quiet."
    step = f" (step {decision.step})" if decision.step else ""
    lines = [f"The bot would: *{decision.action}*{step}"]
    for f in decision.findings:
        clauses = ", ".join(f.clauses) or "none"
        lines.append(
            f"• `{f.label}`, clause {escape(clauses)}, score {f.score:.2f}, {f.severity}: "
            f"{escape(f.evidence)}"
        )
    if decision.notice is not None:
        lines.append(f"The author would read: _{escape(decision.notice.title)}_")
    return "\n".join(lines)


def clause_blocks(clause: Clause, matched_items: Sequence[int] = ()) -> list[Block]:
    """Return a clause as the policy words it: heading, text and bullets (matched ones in bold)."""
    lines = [f"*{escape(clause.id)} {escape(clause.heading)}*", escape(clause.text)]
    for i, item in enumerate(clause.items):
        bullet = escape(item)
        lines.append(f"• *{bullet}*" if i in matched_items else f"• {bullet}")
    return [*_sections(lines), _context(escape(clause.section))]


def lookup(result: LookupResult, policy_name: str) -> Rendered:
    """Render a ``/policy`` answer: the clause (or the contents) and a "Share in channel" button."""
    if result.kind == "none":
        text = (
            f"Nothing in the {policy_name} matches “{result.query}”. "
            + (f"{did_you_mean(result)} " if result.suggestions else "")
            + "Try `/policy contents`, a clause number like `/policy 4.5`, or other words."
        )
        return Rendered(text=text, blocks=[_section(escape(text))])
    if result.kind == "toc":
        lines = [f"*{escape(policy_name)}: contents*"]
        lines += [f"{escape(e.id)}  {escape(e.heading)}" for e in result.toc]
        lines.append("Ask `/policy 4.5` or `/policy <words>` to read a clause.")
        return Rendered(text=f"{policy_name}: contents", blocks=_sections(lines))
    best = result.matches[0]
    blocks = clause_blocks(best.clause, best.matched_items)
    routes = routes_text(r.info() for r in result.routes)
    if routes:
        blocks.append(_section(routes))
    others = [m.clause for m in result.matches[1:]]
    if others:
        also = ", ".join(f"{escape(c.id)} {escape(c.heading)}" for c in others)
        blocks.append(_context(f"Also relevant: {also}"))
    blocks.append(_actions(_button("Share in channel", SHARE, best.clause.id)))
    text = f"{policy_name}, clause {best.clause.id}: {best.clause.heading}"
    return Rendered(text=_clip(text, _SECTION_LIMIT), blocks=blocks)


def shared_clause(clause: Clause, policy_name: str, sharer: str) -> Rendered:
    """Render a clause someone shared in the channel from a ``/policy`` answer."""
    blocks = [*clause_blocks(clause), _context(f"{escape(policy_name)}, shared by <@{sharer}>")]
    return Rendered(text=f"{policy_name}, clause {clause.id}: {clause.heading}", blocks=blocks)


def _route_line(route: Route) -> str:
    line = f"• *{escape(route.name)}*"
    if route.contact:
        line += f": {escape(route.contact)}"
    return line + (f"\n    {escape(route.when)}" if route.when else "")


def home(policy: Policy, privacy_notice: str) -> Block:
    """Return the App Home view: the policy's contents, the official routes and the privacy notice."""
    blocks: list[Block] = [
        _header(policy.name),
        _section(
            f"policybot reminds members of the {escape(policy.name)} ({escape(policy.university)})"
            " privately when a message may breach it. Read any clause with `/policy 4.5` or "
            "`/policy <words>`; report something with `/report`; see your record with `/mydata`."
        ),
        {"type": "divider"},
        _header("Contents"),
    ]
    sections: dict[str, list[str]] = {}
    for entry in policy.toc():
        sections.setdefault(entry.section, []).append(
            f"{escape(entry.id)}  {escape(entry.heading)}"
        )
    for title, entries in sections.items():
        blocks += _sections([f"*{escape(title)}*", *entries])
    blocks += [{"type": "divider"}, _header("Official routes")]
    blocks += _sections(_route_line(r) for r in policy.routes.values())
    blocks += [{"type": "divider"}, _header("Privacy")]
    blocks += _sections(mrkdwn(privacy_notice).splitlines())
    return {"type": "home", "blocks": blocks}
