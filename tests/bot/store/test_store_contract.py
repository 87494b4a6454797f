"""The Store interface, run against every engine in ENGINES (see conftest.py)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.store import AuditEntry, CaseRecord, CaseStatus, DesistRequest, NewCase, Store

from ..conftest import T0, MakeCase
from .conftest import StoreFactory

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def audit(
    action: str = "pardon", subject: str = "u1", community: str = "guild1", at: datetime = T0
) -> AuditEntry:
    return AuditEntry("discord", community, "mod1", action, subject, "by hand", at)


def desist(
    requester: str, target: str, expires_at: datetime = T0 + DAY, **changes: Any
) -> DesistRequest:
    request = DesistRequest(
        platform="discord",
        community="guild1",
        channel="general",
        requester=requester,
        target=target,
        message_id="m9",
        created_at=T0,
        expires_at=expires_at,
    )
    return replace(request, **changes)


async def commit(store: Store, case: NewCase, key: str, channel: str | None = None) -> int:
    case_id = await store.commit_decision(case.platform, key, case, channel)
    assert case_id
    return case_id


# -- decisions -----------------------------------------------------------------------------------
async def test_commit_decision_stores_every_field_and_claims_the_key(
    store: Store, make_case: MakeCase
) -> None:
    case = make_case(permalink="https://example.test/m1")
    assert not await store.seen_event("discord", "e1")

    case_id = await store.commit_decision("discord", "e1", case, None)

    assert case_id is not None and case_id > 0
    assert await store.seen_event("discord", "e1")
    assert not await store.seen_event("slack", "e1")
    assert await store.get_case(case_id) == CaseRecord(
        id=case_id,
        platform="discord",
        community="guild1",
        channel="general",
        user="u1",
        message_id="m1",
        labels=("personal-info",),
        clauses=("4.5",),
        rules=("dmu.personal-info.phone", "phone"),
        severity="medium",
        action="remind",
        step=1,
        strike=True,
        created_at=T0,
        status=CaseStatus.ACTIVE,
        updated_at=T0,
        permalink="https://example.test/m1",
        content=None,
        ref=case.ref,
    )
    assert await store.get_case_by_ref(case.ref) == await store.get_case(case_id)
    assert await store.get_case_by_ref("no-such-ref") is None


def test_case_refs_are_random_and_long(make_case: MakeCase) -> None:
    refs = {make_case().ref for _ in range(1000)}
    assert len(refs) == 1000 and all(len(ref) >= 22 for ref in refs)


@pytest.mark.parametrize(
    ("content", "stored"),
    [(None, None), ("call me on 07700 900123", "call me on 07700 900123")],
)
async def test_content_is_stored_only_when_given(
    store: Store, make_case: MakeCase, content: str | None, stored: str | None
) -> None:
    case_id = await commit(store, make_case(content=content), "e1")
    record = await store.get_case(case_id)
    assert record is not None and record.content == stored


async def test_commit_without_a_case_claims_the_key_and_returns_zero(store: Store) -> None:
    assert await store.commit_decision("discord", "e1", None, None) == 0
    assert await store.seen_event("discord", "e1")


@pytest.mark.parametrize("with_case", [True, False], ids=["case", "no-case"])
@pytest.mark.parametrize("channel", [None, "general"])
async def test_second_commit_with_the_same_key_returns_none_and_adds_nothing(
    store: Store, make_case: MakeCase, with_case: bool, channel: str | None
) -> None:
    first = make_case() if with_case else None
    first_channel = channel if with_case else None
    assert await store.commit_decision("discord", "e1", first, first_channel) is not None

    again = make_case(message_id="m2", created_at=T0 + HOUR)
    assert await store.commit_decision("discord", "e1", again, "random") is None
    assert await store.commit_decision("discord", "e1", None, None) is None

    cases = await store.cases_for_user("discord", "guild1", "u1")
    assert [c.message_id for c in cases] == (["m1"] if with_case else [])
    assert await store.last_reminded("discord", "guild1", "u1", "random") is None
    expected = T0 if (with_case and channel) else None
    assert await store.last_reminded("discord", "guild1", "u1", "general") == expected


async def test_the_same_key_on_another_platform_is_another_event(
    store: Store, make_case: MakeCase
) -> None:
    await commit(store, make_case(), "e1")
    assert await store.commit_decision("slack", "e1", make_case(platform="slack"), None)


async def test_commit_records_the_reminder_at_the_case_time(
    store: Store, make_case: MakeCase
) -> None:
    await commit(store, make_case(created_at=T0 + 2 * HOUR), "e1", channel="general")
    assert await store.last_reminded("discord", "guild1", "u1", "general") == T0 + 2 * HOUR
    assert await store.last_reminded("discord", "guild1", "u1", "other") is None
    assert await store.last_reminded("discord", "guild1", "u2", "general") is None


# -- strikes ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "strike", "created_at", "counted"),
    [
        (CaseStatus.ACTIVE, True, T0, 1),
        (CaseStatus.CONTESTED, True, T0, 1),
        (CaseStatus.UPHELD, True, T0, 1),
        (CaseStatus.DISMISSED, True, T0, 0),
        (CaseStatus.PARDONED, True, T0, 0),
        (CaseStatus.WITHDRAWN, True, T0, 0),
        (CaseStatus.ACTIVE, False, T0, 0),  # a route or a shadow observation
        (CaseStatus.ACTIVE, True, T0 - timedelta(microseconds=1), 0),  # just before ``since``
        (CaseStatus.ACTIVE, True, T0 + 30 * DAY, 1),
    ],
)
async def test_count_strikes(
    store: Store, make_case: MakeCase, status: CaseStatus, strike: bool, created_at, counted: int
) -> None:
    case_id = await commit(store, make_case(strike=strike, created_at=created_at), "e1")
    if status is not CaseStatus.ACTIVE:
        assert await store.set_case_status(case_id, status, T0 + DAY)
    assert await store.count_strikes("discord", "guild1", "u1", since=T0) == counted


@pytest.mark.parametrize(
    ("platform", "community", "user"),
    [("slack", "guild1", "u1"), ("discord", "guild2", "u1"), ("discord", "guild1", "u2")],
)
async def test_strikes_belong_to_one_user_in_one_community(
    store: Store, make_case: MakeCase, platform: str, community: str, user: str
) -> None:
    await commit(store, make_case(platform=platform, community=community, user=user), "e1")
    await commit(store, make_case(), "e2")
    assert await store.count_strikes("discord", "guild1", "u1", since=T0) == 1


# -- rate limit ------------------------------------------------------------------------------
async def test_mark_reminded_upserts_per_channel(store: Store) -> None:
    await store.mark_reminded("discord", "guild1", "u1", "general", T0)
    await store.mark_reminded("discord", "guild1", "u1", "general", T0 + HOUR)
    await store.mark_reminded("discord", "guild1", "u1", "random", T0 + 2 * HOUR)

    assert await store.last_reminded("discord", "guild1", "u1", "general") == T0 + HOUR
    assert await store.last_reminded("discord", "guild1", "u1", "random") == T0 + 2 * HOUR
    assert await store.last_reminded("discord", "guild2", "u1", "general") is None


# -- case queries ----------------------------------------------------------------------------
async def test_case_queries_return_oldest_first_and_filter(
    store: Store, make_case: MakeCase
) -> None:
    late = await commit(store, make_case(created_at=T0 + 2 * DAY), "e1")
    early = await commit(store, make_case(created_at=T0), "e2")
    other_message = await commit(store, make_case(message_id="m2", created_at=T0 + DAY), "e3")
    await commit(store, make_case(user="u2", message_id="m4"), "e4")
    await store.set_case_status(other_message, CaseStatus.CONTESTED, T0 + 3 * DAY)

    def ids(cases: list[CaseRecord]) -> list[int]:
        return [c.id for c in cases]

    assert ids(await store.cases_for_message("discord", "guild1", "m1")) == [early, late]
    assert ids(await store.cases_for_user("discord", "guild1", "u1")) == [
        early,
        other_message,
        late,
    ]
    assert ids(await store.cases_for_user("discord", "guild1", "u1", since=T0 + DAY)) == [
        other_message,
        late,
    ]
    assert ids(await store.cases_by_status("discord", "guild1", CaseStatus.CONTESTED)) == [
        other_message
    ]
    assert await store.cases_by_status("discord", "guild2", CaseStatus.CONTESTED) == []
    assert await store.get_case(late + other_message + early + 1000) is None


async def test_set_case_status_writes_the_audit_with_it(store: Store, make_case: MakeCase) -> None:
    case_id = await commit(store, make_case(), "e1")

    assert await store.set_case_status(
        case_id, CaseStatus.DISMISSED, T0 + DAY, audit("dismiss", str(case_id))
    )

    record = await store.get_case(case_id)
    assert record is not None
    assert (record.status, record.updated_at, record.created_at) == (
        CaseStatus.DISMISSED,
        T0 + DAY,
        T0,
    )
    assert [(a.action, a.subject) for a in await store.audit_log("discord", "guild1")] == [
        ("dismiss", str(case_id))
    ]


async def test_set_case_status_of_a_missing_case_changes_nothing(store: Store) -> None:
    assert not await store.set_case_status(404, CaseStatus.UPHELD, T0, audit("uphold", "404"))
    assert await store.audit_log("discord", "guild1") == []


async def test_set_case_status_only_from_changes_once(store: Store, make_case: MakeCase) -> None:
    case_id = await commit(store, make_case(), "e1")
    presses = [
        store.set_case_status(
            case_id,
            CaseStatus.CONTESTED,
            T0 + DAY,
            audit("contest", str(case_id)),
            only_from=[CaseStatus.ACTIVE],
        )
        for _ in range(3)
    ]
    assert sorted(await asyncio.gather(*presses)) == [False, False, True]
    assert [a.action for a in await store.audit_log("discord", "guild1")] == ["contest"]
    assert not await store.set_case_status(
        case_id, CaseStatus.UPHELD, T0, only_from=[CaseStatus.DISMISSED]
    )
    record = await store.get_case(case_id)
    assert record is not None and record.status is CaseStatus.CONTESTED


# -- pardon and erase ------------------------------------------------------------------------
async def test_pardon_user_pardons_counting_strikes_only(store: Store, make_case: MakeCase) -> None:
    active = await commit(store, make_case(), "e1")
    upheld = await commit(store, make_case(message_id="m2"), "e2")
    dismissed = await commit(store, make_case(message_id="m3"), "e3")
    route = await commit(store, make_case(message_id="m4", strike=False), "e4")
    someone_else = await commit(store, make_case(user="u2"), "e5")
    await store.set_case_status(upheld, CaseStatus.UPHELD, T0)
    await store.set_case_status(dismissed, CaseStatus.DISMISSED, T0)

    assert await store.pardon_user("discord", "guild1", "u1", T0 + DAY, audit("pardon")) == 2

    statuses = {}
    for case_id in (active, upheld, dismissed, route, someone_else):
        record = await store.get_case(case_id)
        assert record is not None
        statuses[case_id] = record.status
    assert statuses == {
        active: CaseStatus.PARDONED,
        upheld: CaseStatus.PARDONED,
        dismissed: CaseStatus.DISMISSED,
        route: CaseStatus.ACTIVE,
        someone_else: CaseStatus.ACTIVE,
    }
    assert await store.count_strikes("discord", "guild1", "u1", since=T0) == 0
    assert [a.action for a in await store.audit_log("discord", "guild1")] == ["pardon"]


async def test_pardon_with_nothing_to_pardon_still_audits(store: Store) -> None:
    assert await store.pardon_user("discord", "guild1", "u1", T0, audit("pardon")) == 0
    assert len(await store.audit_log("discord", "guild1")) == 1


async def test_erase_user_removes_every_row_about_them(store: Store, make_case: MakeCase) -> None:
    mine = await commit(store, make_case(), "e1", channel="general")
    await commit(store, make_case(message_id="m2"), "e2")
    theirs = await commit(store, make_case(user="u2"), "e3", channel="general")
    elsewhere = await commit(store, make_case(community="guild2"), "e4")
    await store.add_desist(desist("u1", "u2"))
    await store.add_desist(desist("u3", "u1"))
    await store.add_desist(desist("u3", "u2"))

    removed = await store.erase_user("discord", "guild1", "u1", audit("erase", "u1", at=T0 + DAY))

    assert removed == 2 + 1 + 2  # cases, reminder, desist requests either way
    assert await store.get_case(mine) is None
    assert await store.cases_for_user("discord", "guild1", "u1") == []
    assert await store.last_reminded("discord", "guild1", "u1", "general") is None
    assert await store.active_desists("discord", "guild1", "u1", T0) == []
    assert [d.requester for d in await store.active_desists("discord", "guild1", "u2", T0)] == [
        "u3"
    ]
    assert await store.get_case(theirs) is not None
    assert await store.get_case(elsewhere) is not None
    assert await store.last_reminded("discord", "guild1", "u2", "general") == T0
    [entry] = await store.audit_log("discord", "guild1")
    assert (entry.action, entry.subject, entry.created_at) == ("erase", "u1", T0 + DAY)


async def test_erased_events_stay_claimed(store: Store, make_case: MakeCase) -> None:
    await commit(store, make_case(), "e1")
    await store.erase_user("discord", "guild1", "u1", audit("erase"))
    assert await store.commit_decision("discord", "e1", make_case(), None) is None
    assert await store.cases_for_user("discord", "guild1", "u1") == []


# -- dismissals ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("platform", "community", "expected"),
    [
        (
            None,
            None,
            [
                ("personal-info", "dmu.personal-info.phone", 3),
                ("personal-info", "phone", 2),
                ("mocking", "", 1),
            ],
        ),
        (
            "discord",
            "guild1",
            [("personal-info", "dmu.personal-info.phone", 2), ("personal-info", "phone", 2)],
        ),
        (
            "discord",
            None,
            [
                ("personal-info", "dmu.personal-info.phone", 2),
                ("personal-info", "phone", 2),
                ("mocking", "", 1),
            ],
        ),
        (None, "guild2", [("mocking", "", 1)]),
        ("slack", None, [("personal-info", "dmu.personal-info.phone", 1)]),
        ("slack", "guild2", []),
    ],
)
async def test_dismissal_counts(
    store: Store, make_case: MakeCase, platform, community, expected
) -> None:
    cases = [
        make_case(),
        make_case(message_id="m2"),
        make_case(community="guild2", labels=("mocking",), rules=()),
        make_case(platform="slack", rules=("dmu.personal-info.phone",)),
    ]
    for number, case in enumerate(cases):
        case_id = await commit(store, case, f"e{number}")
        await store.set_case_status(case_id, CaseStatus.DISMISSED, T0)
    await commit(store, make_case(message_id="not-dismissed"), "e9")

    assert await store.dismissal_counts(platform, community) == expected


# -- desist requests -------------------------------------------------------------------------
async def test_moderators_see_and_clear_a_members_desist_records(store: Store) -> None:
    await store.add_desist(desist("u1", "u2"))  # u1 asked u2 to stop
    await store.add_desist(desist("u3", "u1", created_at=T0 + HOUR))  # u3 asked u1
    await store.add_desist(desist("u3", "u2"))
    await store.add_desist(desist("u1", "u4", expires_at=T0))  # expired
    await store.add_desist(desist("u1", "u5", community="guild2"))  # elsewhere

    seen = await store.desists_involving("discord", "guild1", "u1", T0)
    assert [(d.requester, d.target) for d in seen] == [("u1", "u2"), ("u3", "u1")]

    cleared = await store.clear_desists(
        "discord", "guild1", "u1", audit("clear-desists", "u1", at=T0 + DAY)
    )
    assert cleared == 3  # the expired one goes too
    assert await store.desists_involving("discord", "guild1", "u1", T0) == []
    assert [d.requester for d in await store.active_desists("discord", "guild1", "u2", T0)] == [
        "u3"
    ]
    assert await store.desists_involving("discord", "guild2", "u1", T0) != []
    [entry] = await store.audit_log("discord", "guild1")
    assert (entry.action, entry.subject) == ("clear-desists", "u1")


async def test_desist_requests_upsert_and_expire(store: Store) -> None:
    await store.add_desist(desist("u2", "u1", expires_at=T0 + HOUR))
    await store.add_desist(desist("u3", "u1", expires_at=T0 + DAY))
    await store.add_desist(desist("u2", "u4", expires_at=T0 + DAY))
    # u2 asks again, later and in another channel: the request is replaced, not doubled
    await store.add_desist(
        desist("u2", "u1", expires_at=T0 + 3 * DAY, channel="random", created_at=T0 + 2 * HOUR)
    )

    active = await store.active_desists("discord", "guild1", "u1", T0 + 2 * DAY)
    assert active == [desist("u2", "u1", T0 + 3 * DAY, channel="random", created_at=T0 + 2 * HOUR)]
    at_t0 = await store.active_desists("discord", "guild1", "u1", T0)
    assert [d.requester for d in at_t0] == ["u3", "u2"]  # oldest first
    assert await store.active_desists("discord", "guild1", "u1", T0 + 3 * DAY) == []  # expiry
    assert await store.active_desists("discord", "guild2", "u1", T0) == []


# -- settings ------------------------------------------------------------------------------
async def test_settings_upsert_per_community_with_optional_audit(store: Store) -> None:
    assert await store.get_setting("discord", "guild1", "shadow") is None
    await store.set_setting("discord", "guild1", "shadow", "on", audit("shadow-on", "guild1"))
    await store.set_setting("discord", "guild1", "shadow", "off", None)
    await store.set_setting("discord", "guild2", "shadow", "on", None)

    assert await store.get_setting("discord", "guild1", "shadow") == "off"
    assert await store.get_setting("discord", "guild2", "shadow") == "on"
    assert await store.get_setting("slack", "guild1", "shadow") is None
    assert [a.action for a in await store.audit_log("discord", "guild1")] == ["shadow-on"]


# -- audit -----------------------------------------------------------------------------------
async def test_audit_log_is_newest_first_per_community_and_limited(store: Store) -> None:
    for hour, action in enumerate(["a", "b", "c"]):
        await store.add_audit(audit(action, at=T0 + hour * HOUR))
    await store.add_audit(audit("same-time-later", at=T0 + 2 * HOUR))
    await store.add_audit(audit("other", community="guild2"))

    log = await store.audit_log("discord", "guild1")
    assert [a.action for a in log] == ["same-time-later", "c", "b", "a"]
    assert log[-1] == audit("a", at=T0)
    assert [a.action for a in await store.audit_log("discord", "guild1", limit=2)] == [
        "same-time-later",
        "c",
    ]


@pytest.mark.parametrize(
    ("where", "actions"),
    [
        ({}, ["contest", "pardon", "contest", "other-guild"]),
        ({"action": "contest"}, ["contest", "contest"]),
        ({"community": "guild1"}, ["contest", "pardon", "contest"]),
        ({"platform": "slack"}, []),
        ({"community": "guild2", "action": "contest"}, []),
    ],
)
async def test_audit_since_is_oldest_first_from_a_moment_on(
    store: Store, where: dict[str, str], actions: list[str]
) -> None:
    await store.add_audit(audit("contest", "case:1", at=T0 - HOUR))  # before: left out
    await store.add_audit(audit("contest", "case:2", at=T0))
    await store.add_audit(audit("pardon", "u1", at=T0 + HOUR))
    await store.add_audit(audit("contest", "case:3", at=T0 + HOUR))
    await store.add_audit(audit("other-guild", community="guild2", at=T0 + 2 * HOUR))

    found = await store.audit_since(T0, **where)

    assert [a.action for a in found] == actions
    if actions == ["contest", "contest"]:
        assert [a.subject for a in found] == ["case:2", "case:3"]


# -- retention -------------------------------------------------------------------------------
async def test_purge_before_removes_only_what_is_older_than_the_cutoff(
    store: Store, make_case: MakeCase
) -> None:
    cutoff = T0 + 10 * DAY
    old = await commit(store, make_case(), "old", channel="general")
    new = await commit(store, make_case(created_at=cutoff, user="u2"), "new", channel="general")
    await store.add_desist(desist("u3", "u1", expires_at=cutoff - HOUR))
    await store.add_desist(desist("u4", "u1", expires_at=cutoff + HOUR))
    await store.add_audit(audit("pardon", at=T0))

    removed = await store.purge_before(cutoff)

    assert removed == 4  # old case, its key, its reminder, the expired desist request
    assert await store.get_case(old) is None
    assert await store.get_case(new) is not None
    assert not await store.seen_event("discord", "old")
    assert await store.seen_event("discord", "new")
    assert await store.last_reminded("discord", "guild1", "u1", "general") is None
    assert await store.last_reminded("discord", "guild1", "u2", "general") == cutoff
    assert [d.requester for d in await store.active_desists("discord", "guild1", "u1", T0)] == [
        "u4"
    ]
    assert len(await store.audit_log("discord", "guild1")) == 1  # the audit log is kept


async def test_purge_before_removes_keys_of_decisions_without_a_case(store: Store) -> None:
    await store.commit_decision("discord", "quiet", None, None)
    assert await store.purge_before(T0) == 0  # stamped now, long after T0
    assert await store.seen_event("discord", "quiet")
    assert await store.purge_before(T0 + 365_000 * DAY) == 1
    assert not await store.seen_event("discord", "quiet")


# -- community purge -------------------------------------------------------------------------
async def fill_community(store: Store, make_case: MakeCase, community: str) -> int:
    case_id = await commit(store, make_case(community=community), f"{community}-e1", "general")
    await store.add_desist(desist("u2", "u1", community=community))
    await store.set_setting(
        "discord", community, "shadow", "on", audit("shadow-on", community, community=community)
    )
    return case_id


async def test_due_community_purge_deletes_all_its_rows(store: Store, make_case: MakeCase) -> None:
    gone = await fill_community(store, make_case, "guild1")
    kept = await fill_community(store, make_case, "guild2")
    await store.schedule_community_purge("discord", "guild1", T0 + DAY)
    await store.schedule_community_purge("discord", "guild2", T0 + 5 * DAY)

    assert await store.purge_due_communities(T0 + DAY - HOUR) == []
    assert await store.get_case(gone) is not None
    assert await store.purge_due_communities(T0 + DAY) == [("discord", "guild1")]

    assert await store.get_case(gone) is None
    assert not await store.seen_event("discord", "guild1-e1")
    assert await store.last_reminded("discord", "guild1", "u1", "general") is None
    assert await store.active_desists("discord", "guild1", "u1", T0) == []
    assert await store.get_setting("discord", "guild1", "shadow") is None
    [line] = await store.audit_log("discord", "guild1")
    assert (line.action, line.subject, line.created_at) == ("community-purged", "guild1", T0 + DAY)
    # done once: the schedule went with the data
    assert await store.purge_due_communities(T0 + 2 * DAY) == []
    # the other community is untouched
    assert await store.get_case(kept) is not None
    assert await store.get_setting("discord", "guild2", "shadow") == "on"
    assert [a.action for a in await store.audit_log("discord", "guild2")] == ["shadow-on"]


async def test_community_purge_can_be_rescheduled_and_cancelled(
    store: Store, make_case: MakeCase
) -> None:
    case_id = await fill_community(store, make_case, "guild1")
    await store.schedule_community_purge("discord", "guild1", T0 + DAY)
    await store.schedule_community_purge("discord", "guild1", T0 + 3 * DAY)  # upsert
    assert await store.purge_due_communities(T0 + 2 * DAY) == []

    await store.cancel_community_purge("discord", "guild1")
    await store.cancel_community_purge("discord", "never-scheduled")

    assert await store.purge_due_communities(T0 + 30 * DAY) == []
    assert await store.get_case(case_id) is not None


# -- restart ---------------------------------------------------------------------------------
async def test_everything_survives_a_restart(
    store_factory: StoreFactory, make_case: MakeCase
) -> None:
    async with store_factory() as first:
        case_id = await commit(first, make_case(), "e1", channel="general")
        await first.add_desist(desist("u2", "u1"))
        await first.set_setting("discord", "guild1", "shadow", "on", audit("shadow-on"))
        await first.schedule_community_purge("discord", "guild9", T0)

    async with store_factory() as second:
        assert await second.seen_event("discord", "e1")
        record = await second.get_case(case_id)
        assert record is not None and record.message_id == "m1"
        assert await second.last_reminded("discord", "guild1", "u1", "general") == T0
        assert len(await second.active_desists("discord", "guild1", "u1", T0)) == 1
        assert await second.get_setting("discord", "guild1", "shadow") == "on"
        assert await second.purge_due_communities(T0) == [("discord", "guild9")]
        # ids keep growing after a restart
        assert await commit(second, make_case(), "e2") > case_id


async def test_an_older_reminder_never_moves_the_rate_limit_back(
    store: Store, make_case: MakeCase
) -> None:
    await store.mark_reminded("discord", "guild1", "u1", "general", T0 + HOUR)
    await store.mark_reminded("discord", "guild1", "u1", "general", T0)
    # a decision committed late (by another process) carries an older reminder time
    await commit(store, make_case(created_at=T0 - HOUR), "late", channel="general")
    assert await store.last_reminded("discord", "guild1", "u1", "general") == T0 + HOUR


# -- the decision lock -------------------------------------------------------------------------
async def test_decision_lock_makes_read_then_commit_one_step_per_user(
    store: Store, make_case: MakeCase
) -> None:
    """Concurrent deciders for one user each see the strikes committed before them."""

    async def decide(number: int) -> int:
        async with store.decision_lock("discord", "guild1", "u1"):
            strikes = await store.count_strikes("discord", "guild1", "u1", since=T0)
            case = make_case(message_id=f"m{number}", step=strikes + 1)
            await commit(store, case, f"e{number}")
            return strikes + 1

    steps = await asyncio.gather(*(decide(n) for n in range(8)))

    assert sorted(steps) == list(range(1, 9))
    cases = await store.cases_for_user("discord", "guild1", "u1")
    assert sorted(c.step for c in cases) == list(range(1, 9))


async def test_decision_lock_leaves_other_users_free(store: Store) -> None:
    async with store.decision_lock("discord", "guild1", "u1"):
        async with asyncio.timeout(5), store.decision_lock("discord", "guild1", "u2"):
            assert await store.count_strikes("discord", "guild1", "u2", since=T0) == 0
        assert await store.count_strikes("discord", "guild1", "u1", since=T0) == 0


async def test_decision_lock_is_released_when_the_block_fails(store: Store) -> None:
    with pytest.raises(LookupError):
        async with store.decision_lock("discord", "guild1", "u1"):
            raise LookupError("the engine failed mid-decision")
    async with asyncio.timeout(5), store.decision_lock("discord", "guild1", "u1"):
        assert await store.count_strikes("discord", "guild1", "u1", since=T0) == 0
