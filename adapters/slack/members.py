"""Who is in a Slack workspace, for the display-name check on ``team_join`` and ``user_change``.

The check needs every other member's display name and who moderates. ``Directory`` reads a
workspace once with ``users.list`` (all its pages) and then keeps it up to date from the member
events themselves, so a ``user_change`` that is only a new status costs no call to Slack.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.events import display_name

#: Slack's own bot, which every workspace has and nobody impersonates by accident.
SLACKBOT = "USLACKBOT"
_PAGE = 200


@dataclass(frozen=True, slots=True)
class Member:
    """A person in a workspace: id, the name Slack shows, and whether they are an admin."""

    user_id: str
    display_name: str
    admin: bool


def member_from(user: object) -> Member | None:
    """Return the person a Slack user object describes; None for bots, the deactivated, no name."""
    if not isinstance(user, Mapping):
        return None
    user_id = str(user.get("id") or "")
    if not user_id or user_id == SLACKBOT or user.get("is_bot") or user.get("deleted"):
        return None
    name = display_name(user.get("profile"))
    if not name:
        return None
    return Member(user_id, name, bool(user.get("is_admin") or user.get("is_owner")))


@dataclass
class Roster:
    """One workspace's members by id, and its admins and owners."""

    names: dict[str, str] = field(default_factory=dict)
    admins: set[str] = field(default_factory=set)

    def update(self, member: Member) -> str | None:
        """Record a member as they are now; return the display name they had before, if known."""
        before = self.names.get(member.user_id)
        self.names[member.user_id] = member.display_name
        if member.admin:
            self.admins.add(member.user_id)
        else:
            self.admins.discard(member.user_id)
        return before


class Directory:
    """Every workspace's roster, read from Slack on first need and kept current by events."""

    def __init__(self) -> None:
        self._rosters: dict[str, Roster] = {}
        self._loading: dict[str, asyncio.Lock] = {}

    def known(self, team: str) -> bool:
        """Return whether the workspace's roster has been read already."""
        return team in self._rosters

    async def roster(self, team: str, client: AsyncWebClient) -> Roster:
        """Return the workspace's roster, reading every page of ``users.list`` the first time."""
        async with self._loading.setdefault(team, asyncio.Lock()):
            if team not in self._rosters:
                roster = Roster()
                cursor: str | None = None
                while True:
                    page: Any = await client.users_list(limit=_PAGE, cursor=cursor)
                    for user in page.get("members") or []:
                        if (member := member_from(user)) is not None:
                            roster.update(member)
                    cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
                    if cursor is None:
                        break
                self._rosters[team] = roster
        return self._rosters[team]

    def forget(self, team: str) -> None:
        """Drop a workspace's roster (the app was uninstalled there)."""
        self._rosters.pop(team, None)
