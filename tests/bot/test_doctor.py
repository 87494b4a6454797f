"""The doctor checks config, policy, database and tokens, and asks the platforms when online."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.doctor import Doctor, render

GOOD = {
    "DISCORD_TOKEN": "discord-secret",
    "SLACK_BOT_TOKEN": "xoxb-good",
    "SLACK_APP_TOKEN": "xapp-good",
}


def write_config(tmp_path: Path, body: str = "") -> str:
    path = tmp_path / "config.yaml"
    path.write_text(f"database:\n  url: sqlite:///bot.db\n{body}", encoding="utf-8")
    return str(path)


def by_name(checks: list) -> dict[str, tuple[str, str]]:  # type: ignore[type-arg]
    return {c.name: (c.status, c.detail) for c in checks}


@pytest.fixture
async def platforms() -> AsyncIterator[str]:
    """A loopback stand-in for the Discord and Slack APIs: 'discord-secret' and 'xoxb-good' pass."""

    async def me(request: web.Request) -> web.Response:
        if request.headers.get("Authorization") == "Bot discord-secret":
            return web.json_response({"username": "policybot"})
        return web.json_response({"message": "401: Unauthorized"}, status=401)

    async def auth_test(request: web.Request) -> web.Response:
        if request.headers.get("Authorization") == "Bearer xoxb-good":
            return web.json_response({"ok": True, "user": "policybot", "team": "Film Soc"})
        return web.json_response({"ok": False, "error": "invalid_auth"})

    app = web.Application()
    app.router.add_get("/discord/users/@me", me)
    app.router.add_post("/slack/auth.test", auth_test)
    server = TestServer(app)
    await server.start_server()
    yield str(server.make_url("")).rstrip("/")
    await server.close()


async def test_a_fresh_default_setup_passes_and_says_no_adapter_is_enabled(
    tmp_path: Path,
) -> None:
    checks = await Doctor(write_config(tmp_path), env={}).run()
    found = by_name(checks)
    assert found["config"][0] == "ok"
    assert found["policy"][0] == "ok"
    assert found["database"] == ("ok", f"{tmp_path / 'bot.db'} will be created on first start")
    assert found["tokens"][0] == "skip"
    assert not (tmp_path / "bot.db").exists()
    assert render(checks).endswith("All checks passed.\n")


async def test_an_existing_database_is_checked_for_writes(tmp_path: Path) -> None:
    from bot.store.sqlite import SqliteStore

    async with SqliteStore(tmp_path / "bot.db"):
        pass
    found = by_name(await Doctor(write_config(tmp_path), env={}).run())
    assert found["database"][0] == "ok" and "writable" in found["database"][1]


async def test_a_database_in_a_missing_folder_fails_with_a_fix(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("database:\n  url: sqlite:///nowhere/bot.db\n", encoding="utf-8")
    checks = await Doctor(str(path), env={}).run()
    assert by_name(checks)["database"][0] == "fail"
    assert "fix: create the folder" in render(checks)


async def test_a_broken_config_stops_with_one_line_per_problem(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("ladder:\n  warn_at: zero\n", encoding="utf-8")
    checks = await Doctor(str(path), env={}).run()
    assert [(c.name, c.status) for c in checks] == [("config", "fail")]
    assert "ladder.warn_at" in checks[0].detail


async def test_missing_tokens_are_named_but_values_never_printed(tmp_path: Path) -> None:
    config = write_config(tmp_path, "discord:\n  enabled: true\nslack:\n  enabled: true\n")
    checks = await Doctor(config, env={"DISCORD_TOKEN": "discord-secret"}).run()
    found = by_name(checks)
    assert found["token DISCORD_TOKEN"] == ("ok", "set")
    assert found["token SLACK_BOT_TOKEN"][0] == "fail"
    assert found["token SLACK_APP_TOKEN"][0] == "fail"
    report = render(checks)
    assert "discord-secret" not in report
    assert "2 problem(s) to fix." in report


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        # Whitespace only is no token to the adapters, which strip what they read.
        (
            {**GOOD, "DISCORD_TOKEN": "  \t "},
            {"token DISCORD_TOKEN": ("fail", "not set")},
        ),
        (
            {**GOOD, "SLACK_BOT_TOKEN": " ", "SLACK_APP_TOKEN": "\n"},
            {
                "token SLACK_BOT_TOKEN": ("fail", "not set"),
                "token SLACK_APP_TOKEN": ("fail", "not set"),
            },
        ),
        # The two Slack tokens swapped: each line says which kind it holds and which it needs.
        (
            {**GOOD, "SLACK_BOT_TOKEN": "xapp-1-A0-secret", "SLACK_APP_TOKEN": "xoxb-1-secret"},
            {
                "token SLACK_BOT_TOKEN": (
                    "fail",
                    "holds an app-level token (xapp-…), not a bot token: it must start with xoxb-",
                ),
                "token SLACK_APP_TOKEN": (
                    "fail",
                    "holds a bot token (xoxb-…), not an app-level token: it must start with xapp-",
                ),
            },
        ),
        (
            {**GOOD, "SLACK_BOT_TOKEN": "xoxp-user-secret", "SLACK_APP_TOKEN": "secret"},
            {
                "token SLACK_BOT_TOKEN": (
                    "fail",
                    "holds a user token (xoxp-…), not a bot token: it must start with xoxb-",
                ),
                "token SLACK_APP_TOKEN": (
                    "fail",
                    "is not an app-level token: it must start with xapp-",
                ),
            },
        ),
        # Surrounding whitespace is stripped, as the adapters do.
        (
            {**GOOD, "SLACK_BOT_TOKEN": " xoxb-good\n", "DISCORD_TOKEN": " discord-secret "},
            {
                "token DISCORD_TOKEN": ("ok", "set"),
                "token SLACK_BOT_TOKEN": ("ok", "set"),
                "token SLACK_APP_TOKEN": ("ok", "set"),
            },
        ),
    ],
    ids=["blank discord", "blank slack", "slack swapped", "slack wrong kinds", "padded"],
)
async def test_blank_and_wrong_kind_tokens_fail_offline_without_their_values(
    tmp_path: Path, env: dict[str, str], expected: dict[str, tuple[str, str]]
) -> None:
    config = write_config(tmp_path, "discord:\n  enabled: true\nslack:\n  enabled: true\n")
    checks = await Doctor(config, env=env).run()
    found = by_name(checks)
    assert {name: found[name] for name in expected} == expected
    report = render(checks)
    assert "secret" not in report
    for name, (status, _) in expected.items():
        if status == "fail":
            assert f"fix: export {name.removeprefix('token ')}=" in report


async def test_online_sends_the_token_stripped_and_skips_a_blank_one(
    tmp_path: Path, platforms: str
) -> None:
    config = write_config(tmp_path, "discord:\n  enabled: true\nslack:\n  enabled: true\n")
    env = {**GOOD, "DISCORD_TOKEN": " ", "SLACK_BOT_TOKEN": "xoxb-good\n"}
    doctor = Doctor(
        config, env=env, slack_api=f"{platforms}/slack", discord_api=f"{platforms}/discord"
    )
    found = by_name(await doctor.run(online=True))
    assert "discord online" not in found
    assert found["slack online"] == ("ok", "token accepted: policybot in Film Soc")


async def test_online_asks_each_platform_to_accept_its_token(
    tmp_path: Path, platforms: str
) -> None:
    config = write_config(tmp_path, "discord:\n  enabled: true\nslack:\n  enabled: true\n")
    doctor = Doctor(
        config, env=GOOD, slack_api=f"{platforms}/slack", discord_api=f"{platforms}/discord"
    )
    found = by_name(await doctor.run(online=True))
    assert found["discord online"] == ("ok", "token accepted: bot policybot")
    assert found["slack online"] == ("ok", "token accepted: policybot in Film Soc")


async def test_online_reports_refused_tokens_with_a_fix(tmp_path: Path, platforms: str) -> None:
    config = write_config(tmp_path, "discord:\n  enabled: true\nslack:\n  enabled: true\n")
    env = {**GOOD, "DISCORD_TOKEN": "stale", "SLACK_BOT_TOKEN": "xoxb-stale"}
    doctor = Doctor(
        config, env=env, slack_api=f"{platforms}/slack", discord_api=f"{platforms}/discord"
    )
    checks = await doctor.run(online=True)
    found = by_name(checks)
    assert found["discord online"][0] == "fail" and "401" in found["discord online"][1]
    assert found["slack online"] == ("fail", "Slack refused SLACK_BOT_TOKEN (invalid_auth)")
    assert "xoxb-stale" not in render(checks)


async def test_oauth_mode_asks_for_the_app_credentials_not_a_bot_token(
    tmp_path: Path, platforms: str
) -> None:
    config = write_config(tmp_path, "slack:\n  enabled: true\n  mode: http\n  oauth: true\n")
    env = {"SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": " "}
    doctor = Doctor(config, env=env, slack_api=f"{platforms}/slack")
    checks = await doctor.run(online=True)
    found = by_name(checks)
    assert found["token SLACK_CLIENT_ID"] == ("ok", "set")
    assert found["token SLACK_CLIENT_SECRET"] == ("fail", "not set")
    assert found["token SLACK_SIGNING_SECRET"] == ("fail", "not set")
    assert "token SLACK_BOT_TOKEN" not in found
    # Each workspace's token comes from its install: there is none to ask Slack about.
    assert found["slack online"][0] == "skip"
    assert "2 problem(s) to fix." in render(checks)


async def test_online_names_an_unreachable_platform(tmp_path: Path) -> None:
    config = write_config(tmp_path, "slack:\n  enabled: true\n")
    doctor = Doctor(config, env=GOOD, slack_api="http://127.0.0.1:9/slack")
    found = by_name(await doctor.run(online=True))
    assert found["slack online"] == ("fail", "cannot reach Slack: ClientConnectorError")


@pytest.mark.parametrize(
    ("body", "checks"),
    [
        ("", [("route", "warn")]),
        ("routes:\n  student-complaints:\n    contact: https://example.ac.uk/complaints\n", []),
        ("routes:\n  complaint:\n    contact: x\n", [("policy", "fail")]),
    ],
)
async def test_the_routes_reminders_name_are_checked(
    tmp_path: Path, body: str, checks: list[tuple[str, str]]
) -> None:
    found = await Doctor(write_config(tmp_path, body), env={}).run()
    routes = [(c.name, c.status) for c in found if c.name == "route" or c.status == "fail"]
    assert routes == checks
    warned = any("routes.student-complaints.contact: empty" in c.detail for c in found)
    assert warned == (checks == [("route", "warn")])
