"""Is the bot healthy: the process answers, each adapter is connected, the database takes writes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.store import Store
from bot.store.errors import StoreError

#: Tells whether one adapter is connected to its platform right now.
Probe = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class HealthReport:
    """The answer ``/healthz`` gives: ``ok`` only when every adapter and the database are."""

    ok: bool
    adapters: dict[str, bool]
    database: bool
    problems: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        """Return the JSON body of ``/healthz``."""
        return {
            "status": "ok" if self.ok else "unhealthy",
            "process": True,
            "adapters": self.adapters,
            "database": "writable" if self.database else "not writable",
            "problems": list(self.problems),
        }


class Health:
    """Collect the adapters' connection probes and check them with the database on demand."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._probes: dict[str, Probe] = {}
        self._standing: list[str] = []

    def report_problem(self, problem: str) -> None:
        """Keep the bot unhealthy with ``problem`` until it restarts (a setting it needs is missing)."""
        self._standing.append(problem)

    def register(self, adapter: str, probe: Probe) -> None:
        """Add (or replace) the probe that tells whether ``adapter`` is connected."""
        self._probes[adapter] = probe

    def unregister(self, adapter: str) -> None:
        """Forget an adapter (it was stopped on purpose)."""
        self._probes.pop(adapter, None)

    async def check(self) -> HealthReport:
        """Run every probe and a write check on the database."""
        problems = list(self._standing)
        adapters: dict[str, bool] = {}
        for name, probe in sorted(self._probes.items()):
            try:
                adapters[name] = bool(probe())
            except Exception as exc:  # a probe that fails is a disconnected adapter
                adapters[name] = False
                problems.append(f"{name}: probe failed ({type(exc).__name__})")
                continue
            if not adapters[name]:
                problems.append(f"{name}: not connected")
        try:
            await self.store.check_writable()
            database = True
        except (StoreError, RuntimeError) as exc:
            database = False
            problems.append(f"database: {exc}")
        return HealthReport(
            ok=not problems, adapters=adapters, database=database, problems=tuple(problems)
        )
