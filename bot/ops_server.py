"""The operator's local web server: ``/healthz``, ``/metrics`` and the ``/insights`` page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from aiohttp import web

from bot.health import Health
from bot.insights import gather_insights, parse_since
from bot.insights_page import render_html
from bot.metrics import CONTENT_TYPE_LATEST, Metrics
from bot.store import Store


class OpsRoutes:
    """Answer the operator's requests from the health checks, the metrics and the store."""

    def __init__(
        self, *, health: Health, metrics: Metrics, store: Store, clock: Callable[[], datetime]
    ) -> None:
        self.health = health
        self.metrics = metrics
        self.store = store
        self.clock = clock

    def add_to(self, app: web.Application) -> None:
        """Add the three routes to an aiohttp application."""
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.metrics_text)
        app.router.add_get("/insights", self.insights)

    async def healthz(self, request: web.Request) -> web.Response:
        """Return 200 with the checks when healthy, 503 with the problems otherwise."""
        report = await self.health.check()
        return web.json_response(report.to_dict(), status=200 if report.ok else 503)

    async def metrics_text(self, request: web.Request) -> web.Response:
        """Return every metric in the Prometheus text format."""
        return web.Response(
            body=self.metrics.exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )

    async def insights(self, request: web.Request) -> web.Response:
        """Return the insights page; ``?since=30d``, ``?community=``, ``?users=1`` as for the CLI."""
        try:
            span = parse_since(request.query.get("since", "30d"))
        except ValueError as exc:
            raise web.HTTPBadRequest(text=str(exc).replace("--since", "since")) from None
        span = min(span, timedelta(days=3650))
        insights = await gather_insights(
            self.store,
            span,
            self.clock(),
            platform=request.query.get("platform") or None,
            community=request.query.get("community") or None,
            show_users=request.query.get("users") == "1",
        )
        return web.Response(text=render_html(insights), content_type="text/html")


class OpsServer:
    """Run the ops routes on their own local port (``ops.enabled`` in the config)."""

    def __init__(self, routes: OpsRoutes, host: str, port: int) -> None:
        self.app = web.Application()
        routes.add_to(self.app)
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> int:
        """Start listening; return the port (useful when 0 asked for any free one)."""
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        return int(sockets[0].getsockname()[1]) if sockets else self.port

    async def stop(self) -> None:
        """Stop listening, letting requests under way finish."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
