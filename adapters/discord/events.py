"""Translate discord.py objects into the core's messages and member checks.

This is the one place that reads Discord objects. A thread or forum post is its own channel
(the thread id), with the parent channel noted in ``Message.thread``; roles are given both by
id and by name so that config may name them either way.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import discord

from adapters.discord.permissions import is_moderator
from bot.message import Attachment, Message

PLATFORM = "discord"

# Discord's own autolink rule: a scheme, then anything up to whitespace or angle brackets
# (``<url>`` is a link without a preview), less trailing punctuation that ends a sentence.
_LINK = re.compile(r"https?://[^\s<>]+[^\s<>.,:;\"')\]]")


@dataclass(frozen=True, slots=True)
class MemberCheck:
    """What the engine needs to check a member's display name for impersonation."""

    community: str
    user_id: str
    display_name: str
    others: Mapping[str, str]
    moderators: frozenset[str]


def links_in(text: str) -> tuple[str, ...]:
    """Return the links Discord would make clickable in ``text``, in order, once each."""
    return tuple(dict.fromkeys(_LINK.findall(text)))


def role_keys(member: discord.Member) -> tuple[str, ...]:
    """Return a member's roles (not @everyone) as ids and names, for config matching."""
    keys: list[str] = []
    for role in member.roles:
        if role.is_default():
            continue
        keys.extend((str(role.id), role.name))
    return tuple(dict.fromkeys(keys))


def idempotency_key(message: discord.Message) -> str:
    """Return the key naming this version of a message: its id plus its edit time."""
    edited = message.edited_at.isoformat() if message.edited_at else ""
    return f"{message.id}:{edited}"


def _reply(message: discord.Message) -> tuple[str | None, str | None]:
    ref = message.reference
    if ref is None or ref.message_id is None or message.type is not discord.MessageType.reply:
        return None, None
    resolved = ref.resolved if isinstance(ref.resolved, discord.Message) else ref.cached_message
    author = str(resolved.author.id) if resolved is not None else None
    return str(ref.message_id), author


def shown_text(message: discord.Message) -> str:
    """Return the text a message shows: its own content, then the text of what it forwards.

    Discord's Forward puts the forwarded message in ``message_snapshots`` and leaves
    ``content`` empty; the forwarder posts that text, so it is checked as theirs.
    """
    parts = [message.content]
    parts += [snapshot.content for snapshot in message.message_snapshots]
    return "\n".join(part for part in parts if part)


def message_from_discord(message: discord.Message) -> Message | None:
    """Return the core message for a server message, or None for a DM (never moderated)."""
    guild = message.guild
    if guild is None:
        return None
    channel = message.channel
    parent = str(channel.parent_id) if isinstance(channel, discord.Thread) else None
    author = message.author
    reply_to, reply_to_author = _reply(message)
    text = shown_text(message)
    return Message(
        id=str(message.id),
        text=text,
        author=str(author.id),
        channel=str(channel.id),
        community=str(guild.id),
        platform=PLATFORM,
        author_name=author.display_name,
        created_at=message.created_at,
        mentions=tuple(dict.fromkeys(str(user.id) for user in message.mentions)),
        reply_to=reply_to,
        reply_to_author=reply_to_author,
        thread=parent,
        links=links_in(text),
        attachments=tuple(
            Attachment(filename=a.filename, content_type=a.content_type, url=a.url)
            for a in (
                *message.attachments,
                *(a for snapshot in message.message_snapshots for a in snapshot.attachments),
            )
        ),
        author_roles=role_keys(author) if isinstance(author, discord.Member) else (),
        edited_at=message.edited_at,
        idempotency_key=idempotency_key(message),
        permalink=message.jump_url,
        is_bot=author.bot or message.webhook_id is not None,
    )


def member_check(member: discord.Member, moderator_roles: Collection[str]) -> MemberCheck:
    """Return the impersonation check input for a member: the other names and the moderators."""
    others: dict[str, str] = {}
    moderators: set[str] = set()
    for other in member.guild.members:
        if other.id == member.id or other.bot:
            continue
        others[str(other.id)] = other.display_name
        if is_moderator(other.guild_permissions, role_keys(other), moderator_roles):
            moderators.add(str(other.id))
    return MemberCheck(
        community=str(member.guild.id),
        user_id=str(member.id),
        display_name=member.display_name,
        others=others,
        moderators=frozenset(moderators),
    )
