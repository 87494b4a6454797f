"""A fake Discord on 127.0.0.1: the REST routes policybot uses and a websocket gateway.

It drives the real discord.py client. Every REST request is recorded; faults (403, 429) can be
queued per route. The gateway speaks HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats,
RESUME → replay + RESUMED, and can drop the connection mid-stream.

What discord.py insists on, or it fails in confusing ways: ``Content-Type: application/json``
exactly (no charset), READY with ``resume_gateway_url`` and ``shard``, 429 answers with a
``Via`` header and a JSON ``retry_after``, and the interaction callback answering
``with_response`` with an ``interaction`` object.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import discord
from aiohttp import WSMsgType, web

API = "/api/v10"
TOKEN = "fake-token"  # never a real one: the fake accepts anything

# Application flags the Developer Portal sets when the privileged intents are switched on
# for a bot in fewer than 100 servers.
GATEWAY_GUILD_MEMBERS_LIMITED = 1 << 15
GATEWAY_MESSAGE_CONTENT_LIMITED = 1 << 19

Json = dict[str, Any]
Handler = Callable[[web.Request, re.Match[str], Any], Awaitable[web.Response]]


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """Answer with JSON and exactly ``application/json``, as discord.py checks the header verbatim."""
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=json.dumps(data).encode(), status=status, headers=all_headers)


@dataclass(frozen=True)
class Recorded:
    """One REST request as the fake received it."""

    method: str
    path: str
    query: dict[str, str]
    body: Any


@dataclass
class Fault:
    """An answer to give instead of the real one, ``times`` times, to requests matching a route."""

    method: str
    pattern: re.Pattern[str]
    status: int
    body: Json
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 1


def now_iso() -> str:
    """Return the current time as Discord writes timestamps."""
    return datetime.now(UTC).isoformat()


class FakeDiscord:
    """The fake: state for one guild world, recorded requests, a gateway with one session."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self.users: dict[str, Json] = {}
        self.bot_user = self.user("policybot", bot=True)
        self.application_id = self.bot_user["id"]
        self.application_flags = GATEWAY_GUILD_MEMBERS_LIMITED | GATEWAY_MESSAGE_CONTENT_LIMITED
        self.requests: list[Recorded] = []
        # Told of every REST request as it arrives (the load test times reminders with it).
        self.request_observers: list[Callable[[Recorded], None]] = []
        self.faults: list[Fault] = []
        self.guilds: dict[str, Json] = {}
        self.dm_channels: dict[str, str] = {}  # user id -> DM channel id
        self.messages: dict[str, Json] = {}  # messages the bot sent, by id
        self.identifies = 0
        self.resumes = 0
        self.intents: int | None = None
        self.replay_overlap = 0  # how many already-delivered events a RESUME sends again
        self.privileged_intents_allowed = True  # False: close with 4014, as Discord does
        self._ws: web.WebSocketResponse | None = None
        self._session_id = ""
        self._seq = 0
        self._sent: list[Json] = []
        self._changed: asyncio.Condition | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = [
            ("GET", re.compile(r"/users/@me"), self._get_me),
            ("GET", re.compile(r"/oauth2/applications/@me"), self._get_application),
            ("GET", re.compile(r"/gateway(/bot)?"), self._get_gateway),
            ("POST", re.compile(r"/users/@me/channels"), self._open_dm),
            ("POST", re.compile(r"/channels/(?P<channel>\d+)/messages"), self._send_message),
            (
                "DELETE",
                re.compile(r"/channels/(?P<channel>\d+)/messages/(?P<message>\d+)"),
                self._no_content,
            ),
            (
                "PATCH",
                re.compile(r"/guilds/(?P<guild>\d+)/members/(?P<user>\d+)"),
                self._edit_member,
            ),
            (
                "POST",
                re.compile(r"/interactions/(?P<id>\d+)/(?P<token>[^/]+)/callback"),
                self._callback,
            ),
            ("POST", re.compile(r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)"), self._followup),
            (
                "PATCH",
                re.compile(r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<message>[^/]+)"),
                self._followup,
            ),
            (
                "PUT",
                re.compile(r"/applications/(?P<app>\d+)(/guilds/(?P<guild>\d+))?/commands"),
                self._commands,
            ),
        ]

    # -- ids and payloads ---------------------------------------------------------------------
    def snowflake(self) -> str:
        """Return a new id that discord.py can turn back into a creation time."""
        return str(discord.utils.time_snowflake(datetime.now(UTC)) + next(self._ids))

    def user(self, name: str, *, bot: bool = False) -> Json:
        """Return a new user payload (not yet a member of any guild)."""
        user_id = self.snowflake()
        user = {
            "id": user_id,
            "username": name,
            "global_name": name.title(),
            "discriminator": "0",
            "avatar": None,
            "bot": bot,
        }
        self.users[user_id] = user
        return user

    def role(self, guild: Json, name: str, permissions: discord.Permissions, position: int) -> Json:
        """Add a role to a guild and return it."""
        role = {
            "id": guild["id"] if name == "@everyone" else self.snowflake(),
            "name": name,
            "permissions": str(permissions.value),
            "position": position,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }
        guild["roles"].append(role)
        return role

    def channel(self, guild: Json, name: str, *, kind: int = 0, parent: str | None = None) -> Json:
        """Add a text channel (kind 0) or a thread (kind 11, with ``parent``) and return it."""
        channel: Json = {
            "id": self.snowflake(),
            "type": kind,
            "guild_id": guild["id"],
            "name": name,
            "position": len(guild["channels"]),
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": parent,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
        }
        if kind == 11:
            channel.update(
                owner_id=self.bot_user["id"],
                member_count=1,
                message_count=0,
                thread_metadata={
                    "archived": False,
                    "auto_archive_duration": 1440,
                    "archive_timestamp": now_iso(),
                    "locked": False,
                },
            )
            guild["threads"].append(channel)
        else:
            guild["channels"].append(channel)
        return channel

    def member(
        self, guild: Json, user: Json, roles: tuple[Json, ...] = (), nick: str | None = None
    ) -> Json:
        """Add a user to a guild with roles and return the member payload."""
        member = {
            "user": user,
            "roles": [r["id"] for r in roles],
            "nick": nick,
            "joined_at": now_iso(),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "avatar": None,
            "communication_disabled_until": None,
        }
        guild["members"].append(member)
        guild["member_count"] = len(guild["members"])
        return member

    def guild(self, name: str, owner: Json) -> Json:
        """Create a guild with an @everyone role and the bot as a member; return it."""
        guild_id = self.snowflake()
        guild: Json = {
            "id": guild_id,
            "name": name,
            "owner_id": owner["id"],
            "icon": None,
            "roles": [],
            "channels": [],
            "threads": [],
            "members": [],
            "member_count": 0,
            "emojis": [],
            "stickers": [],
            "features": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "large": False,
            "system_channel_id": None,
            "preferred_locale": "en-GB",
            "premium_tier": 0,
            "mfa_level": 0,
            "verification_level": 0,
            "nsfw_level": 0,
        }
        self.guilds[guild_id] = guild
        return guild

    def member_of(self, guild_id: str, user_id: str) -> Json:
        """Return a user's member payload in a guild."""
        for m in self.guilds[guild_id]["members"]:
            if m["user"]["id"] == user_id:
                return dict(m)
        raise KeyError(user_id)

    def message(
        self,
        guild: Json,
        channel: Json,
        author: Json,
        content: str,
        *,
        message_id: str | None = None,
        edited: str | None = None,
        reply_to: Json | None = None,
        mentions: tuple[Json, ...] = (),
        attachments: tuple[Json, ...] = (),
        forwards: str | None = None,
    ) -> Json:
        """Return a MESSAGE_CREATE/MESSAGE_UPDATE payload for a member's message.

        ``forwards`` makes it a Forward of a message with that text: Discord sends the text in
        ``message_snapshots`` and leaves ``content`` empty.
        """
        member = self.member_of(guild["id"], author["id"])
        member.pop("user")
        data: Json = {
            "id": message_id or self.snowflake(),
            "channel_id": channel["id"],
            "guild_id": guild["id"],
            "author": author,
            "member": member,
            "content": content,
            "timestamp": now_iso(),
            "edited_timestamp": edited,
            "tts": False,
            "mention_everyone": False,
            "mentions": list(mentions),
            "mention_roles": [],
            "attachments": list(attachments),
            "embeds": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
            "components": [],
        }
        if reply_to is not None:
            data["type"] = 19
            data["message_reference"] = {
                "type": 0,
                "message_id": reply_to["id"],
                "channel_id": reply_to["channel_id"],
                "guild_id": guild["id"],
            }
            data["referenced_message"] = reply_to
        if forwards is not None:
            data["message_reference"] = {
                "type": 1,  # FORWARD
                "message_id": self.snowflake(),
                "channel_id": channel["id"],
                "guild_id": guild["id"],
            }
            data["message_snapshots"] = [
                {
                    "message": {
                        "type": 0,
                        "content": forwards,
                        "embeds": [],
                        "attachments": [],
                        "timestamp": now_iso(),
                        "edited_timestamp": None,
                        "flags": 0,
                        "mentions": [],
                        "mention_roles": [],
                        "components": [],
                    }
                }
            ]
        return data

    def interaction(
        self,
        guild: Json | None,
        channel: Json | None,
        user: Json,
        data: Json,
        *,
        kind: int = 2,
        permissions: discord.Permissions | None = None,
    ) -> Json:
        """Return an INTERACTION_CREATE payload: a slash command (2), button (3), autocomplete (4).

        With ``guild`` None it comes from the user's DM with the bot.
        """
        payload: Json = {
            "id": self.snowflake(),
            "application_id": self.application_id,
            "type": kind,
            "data": data,
            "token": f"itoken-{uuid.uuid4().hex}",
            "version": 1,
            "app_permissions": str(discord.Permissions.all().value),
            "locale": "en-GB",
            "entitlements": [],
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if guild is None or channel is None:
            dm = self.dm_channel_id(user["id"])
            payload.update(
                user=user,
                channel_id=dm,
                channel={"id": dm, "type": 1, "recipients": [user]},
                authorizing_integration_owners={"1": user["id"]},
                context=1,
            )
            return payload
        member = self.member_of(guild["id"], user["id"])
        perms = permissions if permissions is not None else self.permissions_of(guild, member)
        member["permissions"] = str(perms.value)
        payload.update(
            guild_id=guild["id"],
            guild_locale="en-GB",
            channel_id=channel["id"],
            channel={k: channel[k] for k in ("id", "type", "guild_id", "name", "parent_id")},
            member=member,
            authorizing_integration_owners={"0": guild["id"]},
            context=0,
        )
        return payload

    def permissions_of(self, guild: Json, member: Json) -> discord.Permissions:
        """Return a member's server-wide permissions from @everyone and their roles."""
        value = 0
        for role in guild["roles"]:
            if role["id"] == guild["id"] or role["id"] in member["roles"]:
                value |= int(role["permissions"])
        return discord.Permissions(value)

    # -- server lifecycle ---------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """Return the REST base discord.py's Route.BASE should point at."""
        return f"http://127.0.0.1:{self.port}{API}"

    @property
    def gateway_url(self) -> str:
        """Return the gateway's websocket URL."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> None:
        """Listen on 127.0.0.1 on a free port."""
        self._changed = asyncio.Condition()
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        """Close the gateway and stop listening."""
        if self._ws is not None:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _notify(self) -> None:
        assert self._changed is not None
        async with self._changed:
            self._changed.notify_all()

    async def wait_until(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Wait until ``predicate()`` is truthy (checked on every request and gateway event)."""
        assert self._changed is not None

        async def waiter() -> Any:
            assert self._changed is not None
            async with self._changed:
                while not (value := predicate()):
                    await self._changed.wait()
                return value

        return await asyncio.wait_for(waiter(), timeout)

    # -- REST ---------------------------------------------------------------------------------
    def fail(
        self,
        method: str,
        path: str,
        status: int,
        body: Json,
        *,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` requests to ``method path`` (a regex) with an error."""
        self.faults.append(Fault(method, re.compile(path), status, body, headers or {}, times))

    def rate_limit(self, method: str, path: str, retry_after: float, *, times: int = 1) -> None:
        """Answer the next requests to a route with a 429, as Discord's edge does."""
        self.fail(
            method,
            path,
            429,
            {"message": "You are being rate limited.", "retry_after": retry_after, "global": False},
            headers={"Via": "1.1 google", "Retry-After": str(retry_after)},
            times=times,
        )

    def sent(self, method: str, path: str) -> list[Recorded]:
        """Return the recorded requests to ``method path`` (a regex matched in full)."""
        pattern = re.compile(path)
        return [r for r in self.requests if r.method == method and pattern.fullmatch(r.path)]

    def dm_channel_id(self, user_id: str) -> str:
        """Return the DM channel id the fake gives for a user (created on first use)."""
        if user_id not in self.dm_channels:
            self.dm_channels[user_id] = self.snowflake()
        return self.dm_channels[user_id]

    def dms_to(self, user_id: str) -> list[Recorded]:
        """Return the messages the bot posted (successfully or not) in a user's DM channel."""
        return self.sent("POST", f"/channels/{self.dm_channel_id(user_id)}/messages")

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.can_read_body:
            text = await request.text()
            body = json.loads(text) if text else None
        recorded = Recorded(request.method, path, dict(request.query), body)
        self.requests.append(recorded)
        for observe in self.request_observers:
            observe(recorded)
        try:
            for fault in self.faults:
                if (
                    fault.times > 0
                    and fault.method == request.method
                    and fault.pattern.fullmatch(path)
                ):
                    fault.times -= 1
                    return json_response(fault.body, fault.status, fault.headers)
            for method, pattern, handler in self._routes:
                match = pattern.fullmatch(path)
                if match and method == request.method:
                    return await handler(request, match, body)
            return json_response({"message": "404: Not Found", "code": 0}, 404)
        finally:
            await self._notify()

    async def _get_me(self, request: web.Request, match: re.Match[str], body: Any) -> web.Response:
        return json_response(self.bot_user)

    async def _get_application(
        self, request: web.Request, match: re.Match[str], body: Any
    ) -> web.Response:
        owner = next(iter(self.users.values()))
        return json_response(
            {
                "id": self.application_id,
                "name": "policybot",
                "description": "",
                "icon": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": owner,
                "verify_key": "0" * 64,
                "flags": self.application_flags,
                "team": None,
                "summary": "",
            }
        )

    async def _get_gateway(
        self, request: web.Request, match: re.Match[str], body: Any
    ) -> web.Response:
        return json_response(
            {
                "url": self.gateway_url,
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            }
        )

    async def _open_dm(self, request: web.Request, match: re.Match[str], body: Any) -> web.Response:
        user_id = str(body["recipient_id"])
        return json_response(
            {
                "id": self.dm_channel_id(user_id),
                "type": 1,
                "recipients": [self.users[user_id]],
                "last_message_id": None,
            }
        )

    def _bot_message(self, channel_id: str, body: Json) -> Json:
        message = {
            "id": self.snowflake(),
            "channel_id": channel_id,
            "author": self.bot_user,
            "content": body.get("content") or "",
            "timestamp": now_iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "type": 19 if body.get("message_reference") else 0,
            "flags": body.get("flags") or 0,
        }
        self.messages[message["id"]] = message
        return message

    async def _send_message(
        self, request: web.Request, match: re.Match[str], body: Any
    ) -> web.Response:
        return json_response(self._bot_message(match["channel"], body or {}))

    async def _no_content(
        self, request: web.Request, match: re.Match[str], body: Any
    ) -> web.Response:
        return web.Response(status=204)

    async def _edit_member(
        self, request: web.Request, match: re.Match[str], body: Any
    ) -> web.Response:
        member = self.member_of(match["guild"], match["user"])
        member.update(body or {})
        return json_response(member)

    async def _callback(
        self, request: web.Request, match: re.Match[str], body: Any
    ) -> web.Response:
        kind = body["type"]
        data = body.get("data") or {}
        answer: Json = {
            "interaction": {
                "id": match["id"],
                "type": 2,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool((data.get("flags") or 0) & 64),
            }
        }
        if kind in (4, 7):
            message = self._bot_message("0", data)
            answer["interaction"]["response_message_id"] = message["id"]
            answer["resource"] = {"type": kind, "message": message}
        return json_response(answer)

    async def _followup(
        self, request: web.Request, match: re.Match[str], body: Any
    ) -> web.Response:
        return json_response(self._bot_message("0", body or {}))

    async def _commands(
        self, request: web.Request, match: re.Match[str], body: Any
    ) -> web.Response:
        synced = []
        for command in body or []:
            synced.append(
                {
                    **command,
                    "id": self.snowflake(),
                    "application_id": self.application_id,
                    "guild_id": match["guild"],
                    "version": self.snowflake(),
                    "default_member_permissions": command.get("default_member_permissions"),
                }
            )
        return json_response(synced)

    # -- gateway ------------------------------------------------------------------------------
    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        await ws.send_str(
            json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        )
        async for frame in ws:
            if frame.type is not WSMsgType.TEXT:
                break
            payload = json.loads(frame.data)
            op, data = payload["op"], payload.get("d")
            if op == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif op == 2:
                await self._identify(data)
            elif op == 6:
                await self._resume(ws, data)
            elif op == 8:
                await self._chunk(data)
            await self._notify()
        if self._ws is ws:
            self._ws = None
        await self._notify()
        return ws

    async def _identify(self, data: Json) -> None:
        self.identifies += 1
        self.intents = data.get("intents")
        privileged = discord.Intents(members=True, presences=True, message_content=True).value
        if not self.privileged_intents_allowed and (self.intents or 0) & privileged:
            if self._ws is not None:
                await self._ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        self._session_id = uuid.uuid4().hex
        self._seq = 0
        self._sent = []
        await self.dispatch(
            "READY",
            {
                "v": 10,
                "user": self.bot_user,
                "guilds": [{"id": gid, "unavailable": True} for gid in self.guilds],
                "session_id": self._session_id,
                "resume_gateway_url": self.gateway_url,
                "shard": data.get("shard", [0, 1]),
                "application": {"id": self.application_id, "flags": self.application_flags},
            },
        )
        for guild in self.guilds.values():
            await self.dispatch("GUILD_CREATE", guild)

    async def _resume(self, ws: web.WebSocketResponse, data: Json) -> None:
        self.resumes += 1
        if data.get("session_id") != self._session_id:
            await ws.send_str(json.dumps({"op": 9, "d": False}))
            return
        since = (data.get("seq") or 0) - self.replay_overlap
        for frame in self._sent:
            if frame["s"] > since:
                await ws.send_str(json.dumps(frame))
        await self.dispatch("RESUMED", {})

    async def _chunk(self, data: Json) -> None:
        guild = self.guilds[str(data["guild_id"])]
        await self.dispatch(
            "GUILD_MEMBERS_CHUNK",
            {
                "guild_id": guild["id"],
                "members": guild["members"],
                "chunk_index": 0,
                "chunk_count": 1,
                "nonce": data.get("nonce"),
            },
        )

    @property
    def connected(self) -> bool:
        """Return whether a gateway session is open."""
        return self._ws is not None and not self._ws.closed

    async def dispatch(self, event: str, data: Json) -> None:
        """Send a gateway event (kept for a RESUME to replay, even while disconnected)."""
        self._seq += 1
        frame = {"op": 0, "t": event, "s": self._seq, "d": data}
        self._sent.append(frame)
        if self._ws is not None and not self._ws.closed:
            await self._ws.send_str(json.dumps(frame))
        await self._notify()

    async def drop(self, code: int = 4000) -> None:
        """Close the gateway connection from Discord's side, as a network blip would."""
        if self._ws is not None:
            await self._ws.close(code=code)
