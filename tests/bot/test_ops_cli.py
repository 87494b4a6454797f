"""``policybot insights``, ``doctor`` and ``healthcheck`` from the command line."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.health import Health
from bot.metrics import Metrics
from bot.ops_server import OpsRoutes, OpsServer
from bot.store.sqlite import SqliteStore

from .conftest import make_case


def config_file(tmp_path: Path, extra: str = "") -> str:
    path = tmp_path / "config.yaml"
    path.write_text(f"database:\n  url: sqlite:///bot.db\n{extra}", encoding="utf-8")
    return str(path)


async def _one_case(db: Path) -> None:
    case = make_case(community="g1", user="student-42", created_at=datetime.now(UTC))
    async with SqliteStore(db) as store:
        await store.commit_decision("discord", "e1", case, None)


def test_insights_counts_without_naming_users(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_one_case(tmp_path / "bot.db"))
    assert main(["--config", config_file(tmp_path), "insights", "--since", "30d"]) == 0
    out = capsys.readouterr().out
    assert "1 case(s)" in out and "personal-info" in out and "student-42" not in out


def test_insights_names_users_when_asked_and_speaks_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_one_case(tmp_path / "bot.db"))
    args = ["--config", config_file(tmp_path), "insights", "--show-users", "--format", "json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["users"] == {"discord:g1:student-42": 1}
    assert data["by_clause"]["4.5"][-1] == 1


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["insights", "--since", "forever"], "expected a span such as 30d"),
        (["insights"], "no database at"),
    ],
)
def test_insights_mistakes_get_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], error: str
) -> None:
    assert main(["--config", config_file(tmp_path), *args]) == 2
    err = capsys.readouterr().err
    assert error in err and "Traceback" not in err
    assert not (tmp_path / "bot.db").exists()


def test_doctor_exit_code_says_whether_anything_needs_fixing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert main(["--config", config_file(tmp_path), "doctor"]) == 0
    assert main(["--config", config_file(tmp_path, "discord:\n  enabled: true\n"), "doctor"]) == 1
    assert "export DISCORD_TOKEN=" in capsys.readouterr().out


def test_healthcheck_fails_when_ops_is_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--config", config_file(tmp_path), "healthcheck"]) == 1
    assert "ops.enabled is false" in capsys.readouterr().err


async def test_healthcheck_asks_the_running_server(tmp_path: Path) -> None:
    async with SqliteStore(tmp_path / "bot.db") as store:
        health = Health(store)
        routes = OpsRoutes(
            health=health, metrics=Metrics(), store=store, clock=lambda: datetime.now(UTC)
        )
        server = OpsServer(routes, "127.0.0.1", 0)
        port = await server.start()
        try:
            config = config_file(tmp_path, f"ops:\n  enabled: true\n  port: {port}\n")
            assert await asyncio.to_thread(main, ["--config", config, "healthcheck"]) == 0
            health.register("discord", lambda: False)
            assert await asyncio.to_thread(main, ["--config", config, "healthcheck"]) == 1
            await server.stop()
            assert await asyncio.to_thread(main, ["--config", config, "healthcheck"]) == 1
        finally:
            await server.stop()
