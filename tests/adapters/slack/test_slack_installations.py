"""Bolt's installation and OAuth state stores on policybot's Store, on every storage engine.

The engines come from the store suite's parametrisation (tests/bot/store/conftest.py): each
test here runs on SQLite and on PostgreSQL (when POLICYBOT_TEST_PG_URL is set).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store.models.installation import Installation

from adapters.slack.installations import (
    BOT_SCOPES,
    TOKEN_KEY_ENV,
    StoreInstallations,
    StoreOAuthStates,
    TokenBox,
)
from bot.store import Store, StoreError
from tests.bot.store import conftest as store_suite

# The store suite's fixtures, so that every test here runs on every engine.
postgres_url = store_suite.postgres_url
postgres_schema = store_suite.postgres_schema
store_factory = store_suite.store_factory
store = store_suite.store

KEY = Fernet.generate_key().decode()
MANIFEST = Path(__file__).parents[3] / "adapters" / "slack" / "manifest.yaml"


def installation(
    team: str = "T1", user: str = "U1", token: str = "xoxb-t1", **more: object
) -> Installation:
    fields: dict[str, object] = {
        "app_id": "A0POLICYBOT",
        "team_id": team,
        "team_name": "Film Society",
        "bot_token": token,
        "bot_id": "B1",
        "bot_user_id": "UBOT",
        "bot_scopes": list(BOT_SCOPES),
        "user_id": user,
        "installed_at": 1_700_000_000.0,
    }
    return Installation(**{**fields, **more})  # type: ignore[arg-type]


async def test_an_installation_is_found_by_workspace_and_by_installer(store: Store) -> None:
    installations = StoreInstallations(store, TokenBox())
    await installations.async_save(installation())

    bot = await installations.async_find_bot(enterprise_id=None, team_id="T1")
    found = await installations.async_find_installation(enterprise_id=None, team_id="T1")
    mine = await installations.async_find_installation(
        enterprise_id=None, team_id="T1", user_id="U1"
    )

    assert bot is not None and bot.bot_token == "xoxb-t1" and bot.bot_scopes == list(BOT_SCOPES)
    assert found is not None and mine is not None
    assert found.to_dict() == mine.to_dict() == installation().to_dict()
    assert await installations.async_find_bot(enterprise_id=None, team_id="T2") is None
    assert (
        await installations.async_find_installation(enterprise_id=None, team_id="T1", user_id="U2")
        is None
    )


async def test_a_reinstall_replaces_the_workspaces_bot(store: Store) -> None:
    installations = StoreInstallations(store, TokenBox())
    await installations.async_save(installation())
    await installations.async_save(
        installation(user="U2", token="xoxb-new", installed_at=1_700_000_500.0)
    )

    bot = await installations.async_find_bot(enterprise_id=None, team_id="T1")
    latest = await installations.async_find_installation(enterprise_id=None, team_id="T1")

    assert bot is not None and bot.bot_token == "xoxb-new"
    assert latest is not None and latest.user_id == "U2"


async def test_an_organisation_wide_install_is_kept_under_the_organisation(store: Store) -> None:
    installations = StoreInstallations(store, TokenBox())
    await installations.async_save(
        installation(team=None, enterprise_id="E1", is_enterprise_install=True)  # type: ignore[arg-type]
    )

    bot = await installations.async_find_bot(
        enterprise_id="E1", team_id="T9", is_enterprise_install=True
    )

    assert bot is not None and bot.enterprise_id == "E1"
    assert await installations.async_find_bot(enterprise_id="E1", team_id="T9") is None


async def test_uninstalling_forgets_the_workspace(store: Store) -> None:
    installations = StoreInstallations(store, TokenBox())
    await installations.async_save(installation())
    await installations.async_save(installation(team="T2"))

    await installations.async_delete_all(enterprise_id=None, team_id="T1")

    assert await installations.async_find_bot(enterprise_id=None, team_id="T1") is None
    assert await installations.async_find_installation(enterprise_id=None, team_id="T1") is None
    assert await installations.async_find_bot(enterprise_id=None, team_id="T2") is not None


async def test_with_a_key_the_database_never_holds_the_token(store: Store) -> None:
    await StoreInstallations(store, TokenBox(KEY)).async_save(installation())

    for kind in ("installation", "bot"):
        row = await store.find_installation("slack", kind, "", "T1")
        assert row is not None
        assert "xoxb-t1" not in row.data and row.data.startswith("fernet:")
    bot = await StoreInstallations(store, TokenBox(KEY)).async_find_bot(
        enterprise_id=None, team_id="T1"
    )
    assert bot is not None and bot.bot_token == "xoxb-t1"


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        (None, f"slack installations are encrypted: set {TOKEN_KEY_ENV} to their key"),
        (Fernet.generate_key().decode(), f"{TOKEN_KEY_ENV} does not open the stored Slack"),
    ],
)
async def test_sealed_installations_need_their_key(
    store: Store, key: str | None, problem: str
) -> None:
    await StoreInstallations(store, TokenBox(KEY)).async_save(installation())

    with pytest.raises(StoreError, match=problem):
        await StoreInstallations(store, TokenBox(key)).async_find_bot(
            enterprise_id=None, team_id="T1"
        )


async def test_rows_stored_before_a_key_was_set_still_open(store: Store) -> None:
    await StoreInstallations(store, TokenBox()).async_save(installation())
    bot = await StoreInstallations(store, TokenBox(KEY)).async_find_bot(
        enterprise_id=None, team_id="T1"
    )
    assert bot is not None and bot.bot_token == "xoxb-t1"


def test_a_malformed_key_is_one_line_naming_the_variable() -> None:
    with pytest.raises(ValueError) as raised:
        TokenBox.from_env({TOKEN_KEY_ENV: "not-a-key"})
    assert str(raised.value).startswith(f"{TOKEN_KEY_ENV} is not a Fernet key")
    assert "not-a-key" not in str(raised.value)


async def test_a_state_is_issued_unguessable_and_works_once_before_it_expires(store: Store) -> None:
    now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    clock = [now]
    states = StoreOAuthStates(store, expiration_seconds=600, clock=lambda: clock[0])

    first, second = await states.async_issue(), await states.async_issue()

    assert first != second and len(first) >= 40
    assert await states.async_consume(first)
    assert not await states.async_consume(first)
    clock[0] = now + timedelta(seconds=600)
    assert not await states.async_consume(second)


def test_installs_ask_for_the_manifests_bot_scopes() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    assert tuple(manifest["oauth_config"]["scopes"]["bot"]) == BOT_SCOPES
