"""The operator's side of a running bot: metrics, health, the ops server and a clean stop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from prometheus_client import CollectorRegistry

from bot.app import Core
from bot.health import Health
from bot.metrics import Metrics
from bot.ops_server import OpsRoutes, OpsServer
from bot.shutdown import StopSignals

log = logging.getLogger(__name__)


class Operations:
    """Count what a core decides, answer health checks, and stop it cleanly on SIGTERM."""

    def __init__(self, core: Core, registry: CollectorRegistry | None = None) -> None:
        self.core = core
        self.metrics = Metrics(registry)
        self.health = Health(core.store)
        self.routes = OpsRoutes(
            health=self.health, metrics=self.metrics, store=core.store, clock=core.engine.clock
        )
        self.attach(core)
        self._log_handler = self.metrics.log_handler()
        logging.getLogger().addHandler(self._log_handler)
        self._server: OpsServer | None = None

    def attach(self, core: Core) -> None:
        """Count the decisions of ``core`` (again, after a playground rebuilds its core)."""
        self.core = core
        if self.metrics.on_decision not in core.engine.observers:
            core.engine.observers.append(self.metrics.on_decision)

    async def start_server(self, host: str, port: int) -> int:
        """Serve /healthz, /metrics and /insights on their own port; return the port."""
        self._server = OpsServer(self.routes, host, port)
        bound = await self._server.start()
        log.info("ops server listening", extra={"host": host, "port": bound})
        return bound

    async def run(self, jobs: Mapping[str, Coroutine[Any, Any, Any]]) -> bool:
        """Run the adapters' jobs until all end or SIGTERM/SIGINT; return True on a signal.

        On a signal the adapters stop taking events, then the decisions under way finish.
        An adapter that fails stops the others and its error is raised.
        """
        tasks = {name: asyncio.ensure_future(job) for name, job in jobs.items()}
        for name, task in tasks.items():
            self.health.register(name, _running(task))
        waiter: asyncio.Future[Any] | None = None
        try:
            async with StopSignals() as stop:
                waiter = asyncio.ensure_future(stop.wait())
                pending: set[asyncio.Future[Any]] = {*tasks.values(), waiter}
                while not stop.stopped.is_set() and pending - {waiter}:
                    done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                    for finished in done:
                        error = None if finished is waiter else finished.exception()
                        if error is not None:
                            raise error
                return stop.stopped.is_set()
        finally:
            for task in tasks.values():
                task.cancel()
            await asyncio.gather(*tasks.values(), return_exceptions=True)
            if waiter is not None:
                waiter.cancel()
            await self.core.engine.drain()

    async def close(self) -> None:
        """Stop the ops server and stop counting platform errors."""
        if self._server is not None:
            await self._server.stop()
            self._server = None
        logging.getLogger().removeHandler(self._log_handler)


def _running(task: asyncio.Future[Any]) -> Callable[[], bool]:
    """Return a health probe: an adapter is connected while its task runs."""
    return lambda: not task.done()
