"""App installations and OAuth state values, on every engine in ENGINES (see conftest.py)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.store import AppInstallation, Store

from ..conftest import T0
from .conftest import StoreFactory

MINUTE = timedelta(minutes=1)


def installation(installer: str = "U1", team: str = "T1", **changes: object) -> AppInstallation:
    row = AppInstallation(
        platform="slack",
        kind="installation",
        enterprise="",
        team=team,
        installer=installer,
        data='{"bot_token": "xoxb-1"}',
        installed_at=T0,
    )
    return replace(row, **changes)  # type: ignore[arg-type]


async def test_a_saved_installation_is_found_as_it_was(store: Store) -> None:
    saved = installation(enterprise="E1")
    await store.save_installation(saved)

    assert await store.find_installation("slack", "installation", "E1", "T1", "U1") == saved
    assert await store.find_installation("slack", "installation", "E1", "T1") == saved


@pytest.mark.parametrize(
    ("platform", "kind", "enterprise", "team", "installer"),
    [
        ("discord", "installation", "", "T1", "U1"),
        ("slack", "bot", "", "T1", "U1"),
        ("slack", "installation", "E1", "T1", "U1"),
        ("slack", "installation", "", "T2", "U1"),
        ("slack", "installation", "", "T1", "U2"),
    ],
)
async def test_lookups_match_every_id(
    store: Store, platform: str, kind: str, enterprise: str, team: str, installer: str
) -> None:
    await store.save_installation(installation())
    assert await store.find_installation(platform, kind, enterprise, team, installer) is None


async def test_saving_again_replaces_the_row(store: Store) -> None:
    await store.save_installation(installation())
    newer = installation(data='{"bot_token": "xoxb-2"}', installed_at=T0 + MINUTE)
    await store.save_installation(newer)

    assert await store.find_installation("slack", "installation", "", "T1", "U1") == newer


async def test_without_an_installer_the_newest_installation_is_found(store: Store) -> None:
    await store.save_installation(installation("U1", installed_at=T0 + MINUTE))
    await store.save_installation(installation("U2", installed_at=T0))
    await store.save_installation(installation("U3", team="T2", installed_at=T0 + 2 * MINUTE))

    newest = await store.find_installation("slack", "installation", "", "T1")

    assert newest is not None and newest.installer == "U1"


async def test_deleting_takes_a_workspace_or_part_of_it(store: Store) -> None:
    for row in (
        installation("U1"),
        installation("U2"),
        installation("", kind="bot"),
        installation("U1", team="T2"),
    ):
        await store.save_installation(row)

    assert await store.delete_installations("slack", "", "T1", "installation", "U2") == 1
    assert await store.delete_installations("slack", "", "T1", "bot") == 1
    assert await store.find_installation("slack", "installation", "", "T1", "U1") is not None
    assert await store.delete_installations("slack", "", "T1") == 1
    assert await store.find_installation("slack", "installation", "", "T1") is None
    assert await store.find_installation("slack", "installation", "", "T2") is not None


async def test_an_oauth_state_is_consumed_once(store: Store) -> None:
    await store.issue_oauth_state("slack", "s1", T0 + 10 * MINUTE)

    assert await store.consume_oauth_state("slack", "s1", T0)
    assert not await store.consume_oauth_state("slack", "s1", T0)
    assert not await store.consume_oauth_state("slack", "never-issued", T0)


async def test_an_expired_oauth_state_is_refused_and_forgotten(store: Store) -> None:
    await store.issue_oauth_state("slack", "old", T0 + MINUTE)
    await store.issue_oauth_state("slack", "fresh", T0 + 20 * MINUTE)

    assert not await store.consume_oauth_state("slack", "old", T0 + MINUTE)
    assert not await store.consume_oauth_state("slack", "old", T0)  # dropped on the way
    assert await store.consume_oauth_state("slack", "fresh", T0 + MINUTE)


async def test_two_stores_consuming_one_state_let_one_through(
    store_factory: StoreFactory,
) -> None:
    async with store_factory() as first, store_factory() as second:
        states = [f"s{n}" for n in range(10)]
        for state in states:
            await first.issue_oauth_state("slack", state, T0 + MINUTE)

        results = await asyncio.gather(
            *(
                s.consume_oauth_state("slack", state, T0)
                for state in states
                for s in (first, second)
            )
        )

        assert sum(results) == len(states)
