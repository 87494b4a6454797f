"""Graceful shutdown: SIGTERM (or Ctrl-C) becomes an event the main task waits on."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Iterable
from types import TracebackType

log = logging.getLogger(__name__)

DEFAULT_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class StopSignals:
    """While entered, turn the given signals into ``stopped`` instead of killing the process."""

    def __init__(self, signals: Iterable[signal.Signals] = DEFAULT_SIGNALS) -> None:
        self.signals = tuple(signals)
        self.stopped = asyncio.Event()
        self.received: signal.Signals | None = None

    def _on_signal(self, sig: signal.Signals) -> None:
        if self.received is None:
            log.info("stopping on %s: finishing what is under way", sig.name)
        self.received = sig
        self.stopped.set()

    async def __aenter__(self) -> StopSignals:
        loop = asyncio.get_running_loop()
        for sig in self.signals:
            loop.add_signal_handler(sig, self._on_signal, sig)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        loop = asyncio.get_running_loop()
        for sig in self.signals:
            loop.remove_signal_handler(sig)

    async def wait(self) -> None:
        """Wait until a signal arrives."""
        await self.stopped.wait()
