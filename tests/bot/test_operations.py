"""Operations: decisions are counted, SIGTERM stops the adapters and lets decisions finish."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from bot.app import Core
from bot.message import Message
from bot.operations import Operations

BREACH = Message(id="1", text="ring Jess on 07700 900123", author="alex", channel="general")


async def test_drain_waits_for_a_decision_under_way(core: Core) -> None:
    task = asyncio.create_task(core.engine.handle(BREACH))
    await asyncio.sleep(0)  # let the task start: it is now in flight
    await core.engine.drain()
    assert task.done() and task.result().case_id is not None


async def test_observers_hear_every_decision_with_its_time(core: Core) -> None:
    heard = []
    core.engine.observers.append(lambda decision, seconds: heard.append((decision, seconds)))
    decision = await core.engine.handle(BREACH)
    assert len(heard) == 1 and heard[0][0] is decision and heard[0][1] >= 0


async def test_operations_count_the_cores_decisions(core: Core) -> None:
    ops = Operations(core)
    try:
        await core.engine.handle(BREACH)
        text = ops.metrics.exposition().decode()
    finally:
        await ops.close()
    assert 'policybot_messages_checked_total{platform="cli"} 1.0' in text


async def test_sigterm_stops_the_adapters_and_reports_it(core: Core) -> None:
    ops = Operations(core)
    started = asyncio.Event()
    stopped = []

    async def adapter() -> None:
        started.set()
        try:
            await asyncio.Event().wait()  # an adapter runs until cancelled
        finally:
            stopped.append(True)

    async def send_sigterm() -> None:
        await started.wait()
        os.kill(os.getpid(), signal.SIGTERM)

    try:
        killer = asyncio.create_task(send_sigterm())
        assert await ops.run({"discord": adapter()}) is True
        await killer
        report = await ops.health.check()
    finally:
        await ops.close()
    assert stopped == [True]
    assert report.adapters == {"discord": False}


async def test_an_adapter_that_fails_stops_the_others_and_raises(core: Core) -> None:
    ops = Operations(core)
    cancelled = []

    async def broken() -> None:
        raise ConnectionError("gateway refused")

    async def healthy() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            cancelled.append(True)

    try:
        with pytest.raises(ConnectionError):
            await ops.run({"discord": broken(), "slack": healthy()})
    finally:
        await ops.close()
    assert cancelled == [True]


async def test_adapters_that_end_by_themselves_end_the_run(core: Core) -> None:
    ops = Operations(core)

    async def done() -> None:
        return None

    try:
        assert await ops.run({"discord": done()}) is False
    finally:
        await ops.close()
