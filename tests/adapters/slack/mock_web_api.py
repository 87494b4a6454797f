"""A loopback Slack: Web API methods, response URLs and a Socket Mode websocket on 127.0.0.1.

Modelled on bolt-python's ``tests/mock_web_api_server``: a real HTTP server that records and
counts every request, so tests drive the real ``AsyncWebClient`` (through ``base_url``) and the
real ``AsyncSocketModeHandler``. Waiting is on conditions ("three calls have arrived"), never on
sleeps.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_TOKEN = "xoxb-test-bot-token"
APP_TOKEN = "xapp-test-app-token"
ADMIN_TOKEN = "xoxp-test-admin-token"
TEAM = "T0SOCIETY"
BOT_USER = "UPOLICYBOT"
BOT_ID = "BPOLICYBOT"
# Generous: a reload rebuilds every rule and loads the model (seconds on a busy machine).
WAIT_SECONDS = 20.0


@dataclass(frozen=True, slots=True)
class Call:
    """One request the mock received: the Web API method, its token and its parameters."""

    method: str
    token: str | None
    params: dict[str, Any]
    headers: dict[str, str]


@dataclass(frozen=True, slots=True)
class Scripted:
    """A response to give once, instead of the default one (e.g. a 429 with Retry-After)."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class MockSlack:
    """Serve the Slack endpoints the adapter uses; record every request and websocket frame."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.admins: set[str] = set()
        self.usergroups: dict[str, list[str]] = {}
        self.bot_tokens = {BOT_TOKEN}
        self.ws_frames: list[dict[str, Any]] = []
        self._scripts: dict[str, deque[Scripted]] = {}
        self._changed = asyncio.Condition()
        self._sockets: list[web.WebSocketResponse] = []
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._ts = 0

    # -- lifecycle ---------------------------------------------------------------------------
    async def start(self) -> None:
        """Listen on an ephemeral port on 127.0.0.1."""
        app = web.Application()
        app.add_routes(
            [
                web.get("/link", self._websocket),
                web.route("*", "/api/{method}", self._api),
                web.post("/response_url/{name}", self._response_url),
            ]
        )
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        """Close websockets and the server."""
        for ws in self._sockets:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        """Return the Web API base URL to give ``AsyncWebClient(base_url=...)``."""
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str = "cmd") -> str:
        """Return a response_url on the mock, as Slack puts in commands and actions."""
        return f"http://127.0.0.1:{self.port}/response_url/{name}"

    # -- what tests read and arrange ---------------------------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        """Return the calls made to one method, in order."""
        return [c for c in self.calls if c.method == method]

    def script(self, method: str, *responses: Scripted) -> None:
        """Answer the next calls to ``method`` with these responses, then the default again."""
        self._scripts.setdefault(method, deque()).extend(responses)

    async def wait_for(self, method: str, count: int = 1) -> list[Call]:
        """Wait until ``method`` has been called ``count`` times; return those calls."""
        async with asyncio.timeout(WAIT_SECONDS), self._changed:
            await self._changed.wait_for(lambda: len(self.calls_to(method)) >= count)
        return self.calls_to(method)

    async def wait_for_socket(self) -> None:
        """Wait until a Socket Mode client has connected."""
        async with asyncio.timeout(WAIT_SECONDS), self._changed:
            await self._changed.wait_for(lambda: bool(self._sockets))

    async def send_envelope(self, envelope: dict[str, Any]) -> None:
        """Push a Socket Mode envelope to the connected client."""
        await self._sockets[-1].send_str(json.dumps(envelope))

    async def wait_for_ack(self, envelope_id: str) -> dict[str, Any]:
        """Wait for the client's acknowledgement of an envelope; return the ack frame."""

        def acked() -> list[dict[str, Any]]:
            return [f for f in self.ws_frames if f.get("envelope_id") == envelope_id]

        async with asyncio.timeout(WAIT_SECONDS), self._changed:
            await self._changed.wait_for(lambda: bool(acked()))
        return acked()[0]

    # -- handlers ----------------------------------------------------------------------------
    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                params.update(dict(await request.post()))
        return params

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None
        params = await self._params(request)
        await self._record(Call(method, token, params, dict(request.headers)))
        scripted = self._scripts.get(method)
        if scripted:
            s = scripted.popleft()
            return web.json_response(s.body, status=s.status, headers=s.headers)
        return web.json_response(self._default(method, token, params))

    def _default(self, method: str, token: str | None, params: dict[str, Any]) -> dict[str, Any]:
        if method == "apps.connections.open":
            if token != APP_TOKEN:
                return {"ok": False, "error": "invalid_auth"}
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link"}
        if token not in self.bot_tokens | {ADMIN_TOKEN}:
            return {"ok": False, "error": "invalid_auth"}
        self._ts += 1
        ts = f"1700000999.{self._ts:06d}"
        user = str(params.get("user", ""))
        answers: dict[str, dict[str, Any]] = {
            "auth.test": {
                "url": "https://society.slack.com/",
                "team": "Society",
                "user": "policybot",
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            },
            "chat.postEphemeral": {"message_ts": ts},
            "chat.postMessage": {"channel": params.get("channel"), "ts": ts},
            "conversations.open": {"channel": {"id": "D" + str(params.get("users", ""))}},
            "chat.getPermalink": {
                "channel": params.get("channel"),
                "permalink": f"https://society.slack.com/archives/{params.get('channel')}/p1",
            },
            "users.info": {
                "user": {
                    "id": user,
                    "is_admin": user in self.admins,
                    "is_owner": False,
                    "is_bot": False,
                }
            },
            "usergroups.users.list": {
                "users": self.usergroups.get(str(params.get("usergroup")), [])
            },
            "usergroups.list": {
                "usergroups": [{"id": gid, "handle": gid.lower()} for gid in self.usergroups]
            },
        }
        return {"ok": True, **answers.get(method, {})}

    async def _response_url(self, request: web.Request) -> web.Response:
        params = await request.json()
        await self._record(
            Call("response_url:" + request.match_info["name"], None, params, dict(request.headers))
        )
        return web.Response(text="ok")

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        async with self._changed:
            self._sockets.append(ws)
            self._changed.notify_all()
        async for frame in ws:
            if frame.type == WSMsgType.TEXT:
                async with self._changed:
                    self.ws_frames.append(json.loads(frame.data))
                    self._changed.notify_all()
        return ws
