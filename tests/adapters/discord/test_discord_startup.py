"""Start-up failures an operator can fix, each said in one clear line, never with the token."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from adapters.discord.bot import run_discord
from bot.app import Core, build_core_for_tests
from tests.adapters.discord.fake_discord import TOKEN, FakeDiscord
from tests.adapters.discord.harness import build_world, pointed_at


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    build_world(fake, ("alice",))
    await fake.start()
    yield fake
    await fake.stop()


@pytest_asyncio.fixture
async def core(tmp_path: Path) -> AsyncIterator[Core]:
    core = await build_core_for_tests(tmp_path)
    yield core
    await core.close()


async def test_a_rejected_token_says_to_reset_it(fake: FakeDiscord, core: Core) -> None:
    fake.fail("GET", "/users/@me", 401, {"message": "401: Unauthorized", "code": 0})

    with pointed_at(fake), pytest.raises(SystemExit) as exc:
        await run_discord(core, TOKEN)

    assert "Discord rejected DISCORD_TOKEN" in str(exc.value)
    assert TOKEN not in str(exc.value)


async def test_privileged_intents_switched_off_are_named(
    fake: FakeDiscord, core: Core, caplog: pytest.LogCaptureFixture
) -> None:
    fake.application_flags = 0
    fake.privileged_intents_allowed = False

    with (
        caplog.at_level(logging.WARNING, logger="adapters.discord"),
        pointed_at(fake),
        pytest.raises(SystemExit) as exc,
    ):
        await run_discord(core, TOKEN)

    assert "Message Content Intent and Server Members Intent" in str(exc.value)
    warnings = [r.getMessage() for r in caplog.records if r.name.startswith("adapters.discord")]
    assert any(w.startswith("Message Content Intent is off") for w in warnings)
    assert any(w.startswith("Server Members Intent is off") for w in warnings)
    assert all(TOKEN not in r.getMessage() for r in caplog.records)
