"""Shards: several processes split one bot's Discord shards (``policybot run --shard-ids``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from adapters.discord.bot import PolicyBot
from adapters.discord.shards import Shards, parse_shards
from bot.app import Core, build_core_for_tests
from bot.cli import main


@pytest.mark.parametrize(
    ("ids", "count", "shards"),
    [
        (None, None, None),
        ("0", 1, Shards((0,), 1)),
        ("0,1", 4, Shards((0, 1), 4)),
        (" 3, 2 ", 4, Shards((2, 3), 4)),
    ],
)
def test_parse_shards(ids: str | None, count: int | None, shards: Shards | None) -> None:
    assert parse_shards(ids, count) == shards


@pytest.mark.parametrize(
    ("ids", "count", "message"),
    [
        ("0,1", None, "--shard-ids and --shard-count go together"),
        (None, 4, "--shard-ids and --shard-count go together"),
        ("0", 0, "--shard-count: expected 1 or more, got 0"),
        ("0,x", 4, "--shard-ids: expected numbers such as 0,1, got 'x'"),
        ("-1", 4, "--shard-ids: expected numbers such as 0,1, got '-1'"),
        ("4", 4, "--shard-ids: shard 4 does not exist with --shard-count 4 (shards are numbered"),
        ("1,1", 4, "--shard-ids: shard 1 is named twice"),
    ],
)
def test_bad_shards_give_one_line(ids: str | None, count: int | None, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_shards(ids, count)
    assert str(raised.value).startswith(message)


@pytest_asyncio.fixture
async def core(tmp_path: Path) -> AsyncIterator[Core]:
    core = await build_core_for_tests(tmp_path)
    yield core
    await core.close()


async def test_the_bot_connects_only_its_shards(core: Core) -> None:
    bot = PolicyBot(core, **Shards((1, 3), 4).options())  # not started: nothing to close
    assert (bot.shard_ids, bot.shard_count) == ([1, 3], 4)


def test_run_refuses_bad_shards_before_connecting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database:\n  url: sqlite:///{tmp_path / 'bot.db'}\ndiscord:\n  enabled: true\n"
    )
    monkeypatch.setenv("DISCORD_TOKEN", "not-used")

    code = main(["--config", str(config), "run", "--shard-ids", "2", "--shard-count", "2"])

    assert code == 2
    assert capsys.readouterr().err == (
        "policybot run: --shard-ids: shard 2 does not exist with --shard-count 2 "
        "(shards are numbered 0 to 1)\n"
    )
    assert not (tmp_path / "bot.db").exists()  # refused before opening anything
