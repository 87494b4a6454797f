"""The playground's web server: the page, its JSON API, and the operator's routes beside them.

The API answers the page only: a POST must be JSON (``application/json``, which no other site
can send without asking first) and, when the browser names where it comes from, come from
this page's own origin. A page elsewhere cannot pardon, switch shadow mode or post as anyone.
Every request must name this server in its Host header (127.0.0.1, localhost, [::1] or the
address it came in on, on any port): a site that points its own name at
127.0.0.1 (DNS rebinding) is the page's origin to the browser, but its Host gives it away.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Any

from aiohttp import web

from adapters.playground.session import Playground, PlaygroundError
from bot.untrusted import UntrustedJSONError, load_json

STATIC = Path(__file__).resolve().parent / "static"
PLAYGROUND_KEY = web.AppKey("playground", Playground)


def _playground(request: web.Request) -> Playground:
    return request.app[PLAYGROUND_KEY]


async def _body(request: web.Request) -> dict[str, Any]:
    if request.content_type != "application/json":
        raise web.HTTPUnsupportedMediaType(text="expected Content-Type: application/json")
    try:
        # The same reader as every other outside JSON: UTF-8, bounded nesting, clean strings.
        data = load_json(await request.read())
    except UntrustedJSONError:
        raise web.HTTPBadRequest(text="expected a JSON body") from None
    if not isinstance(data, dict):
        raise web.HTTPBadRequest(text="expected a JSON object")
    return data


#: The names a browser on this computer gives the playground: the Host headers it answers
#: (besides the address a request came in on), whatever the port.
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")
#: A Host header's port ("localhost:8765"; "[::1]:8765" keeps its brackets).
_PORT = re.compile(r":\d+$")


def _own_hosts(request: web.Request) -> set[str]:
    """Return the Host headers that name this server for ``request``'s connection."""
    transport = request.transport
    sockname = transport.get_extra_info("sockname") if transport is not None else None
    if not isinstance(sockname, tuple) or len(sockname) < 2:
        return set()
    try:
        ip = ipaddress.ip_address(str(sockname[0]).split("%", 1)[0])
    except ValueError:
        return set()
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # a dual-stack socket: an IPv4 client still writes 127.0.0.1
    return {*LOCAL_NAMES, f"[{ip}]" if ip.version == 6 else str(ip)}


@web.middleware
async def _own_host(request: web.Request, handler: Any) -> web.StreamResponse:
    """Refuse a request whose Host header names another server (DNS rebinding)."""
    # The header as sent: aiohttp's request.host falls back to a DNS lookup of this machine.
    # Any port: a container may publish the playground on another one ("-p 9000:8765"), and
    # a rebinding site is told apart by its name, not its port.
    host = _PORT.sub("", request.headers.get("Host", "").lower())
    if host not in _own_hosts(request):
        raise web.HTTPForbidden(
            text="the playground answers requests for its own address only "
            "(127.0.0.1, localhost or [::1])"
        )
    response: web.StreamResponse = await handler(request)
    return response


@web.middleware
async def _same_origin(request: web.Request, handler: Any) -> web.StreamResponse:
    """Refuse a POST that another site's page sends (its Origin is not this server's)."""
    if request.method == "POST":
        origin = request.headers.get("Origin")
        own = f"{request.scheme}://{request.host}"
        cross_site = request.headers.get("Sec-Fetch-Site") == "cross-site"
        if cross_site or (origin is not None and origin != own):
            raise web.HTTPForbidden(text="the playground answers its own page only")
    response: web.StreamResponse = await handler(request)
    return response


@web.middleware
async def _errors(request: web.Request, handler: Any) -> web.StreamResponse:
    """Turn a playground refusal into a 400 with one line the page shows."""
    try:
        response: web.StreamResponse = await handler(request)
        return response
    except PlaygroundError as exc:
        return web.json_response({"error": str(exc)}, status=400)


async def index(request: web.Request) -> web.FileResponse:
    """Serve the page."""
    return web.FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})


async def state(request: web.Request) -> web.Response:
    """Return what one person (``?as=alex``) sees."""
    return web.json_response(await _playground(request).state(request.query.get("as", "")))


async def post_message(request: web.Request) -> web.Response:
    """Post a message or a command as someone; answer with what they now see."""
    data = await _body(request)
    who, text = data.get("as"), data.get("text")
    if not isinstance(who, str) or not isinstance(text, str):
        raise PlaygroundError("send {'as': person, 'text': message}")
    playground = _playground(request)
    await playground.post(who, text)
    return web.json_response(await playground.state(who))


async def post_settings(request: web.Request) -> web.Response:
    """Switch shadow mode and labels on or off for this playground session."""
    data = await _body(request)
    who = data.get("as")
    shadow = data.get("shadow")
    labels = data.get("labels") or {}
    if not isinstance(who, str):
        raise PlaygroundError("send {'as': person, 'shadow': bool, 'labels': {label: bool}}")
    if shadow is not None and not isinstance(shadow, bool):
        raise PlaygroundError("'shadow' must be true or false")
    if not isinstance(labels, dict) or not all(isinstance(v, bool) for v in labels.values()):
        raise PlaygroundError("'labels' must map label names to true or false")
    playground = _playground(request)
    await playground.settings(who, shadow, labels)
    return web.json_response(await playground.state(who))


_DONE = {"contest": "contested", "dismiss": "dismissed", "uphold": "upheld"}


async def case_action(request: web.Request) -> web.Response:
    """Contest (the author), dismiss or uphold (a moderator) a case."""
    data = await _body(request)
    who = data.get("as")
    if not isinstance(who, str):
        raise PlaygroundError("send {'as': person}")
    try:
        case_id = int(request.match_info["case_id"])
    except ValueError:
        raise web.HTTPNotFound() from None
    playground = _playground(request)
    action = request.match_info["action"]
    if action == "contest":
        ok = await playground.contest(who, case_id)
    elif action == "uphold":
        ok = await playground.uphold(who, case_id)
    else:
        ok = await playground.dismiss(who, case_id)
    if not ok:
        raise PlaygroundError(f"case {case_id} cannot be {_DONE[action]} now")
    return web.json_response(await playground.state(who))


async def pardon(request: web.Request) -> web.Response:
    """Pardon a student's live strikes (a moderator)."""
    data = await _body(request)
    who, user = data.get("as"), data.get("user")
    if not isinstance(who, str) or not isinstance(user, str):
        raise PlaygroundError("send {'as': moderator, 'user': student}")
    playground = _playground(request)
    await playground.pardon(who, user)
    return web.json_response(await playground.state(who))


def make_app(playground: Playground) -> web.Application:
    """Return the aiohttp application for one started playground."""
    app = web.Application(middlewares=[_own_host, _same_origin, _errors], client_max_size=64 * 1024)
    app[PLAYGROUND_KEY] = playground
    app.router.add_get("/", index)
    app.router.add_static("/static/", STATIC)
    app.router.add_get("/api/state", state)
    app.router.add_post("/api/messages", post_message)
    app.router.add_post("/api/settings", post_settings)
    app.router.add_post(r"/api/cases/{case_id}/{action:contest|dismiss|uphold}", case_action)
    app.router.add_post("/api/pardon", pardon)
    if playground.ops is not None:
        playground.ops.routes.add_to(app)
    return app
