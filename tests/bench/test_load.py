"""The load test (bench.load): its judge on made-up runs, and a small real run with a kill."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.load.database import PG_URL_ENV
from bench.load.fleet import Slot
from bench.load.report import figures, markdown, write_section
from bench.load.scenario import Observations, Plan, Sent, run
from bench.load.traffic import BENIGN, PERSONAL_INFO, Line, World
from bot.store import CaseRecord, CaseStatus
from tests.adapters.discord.fake_discord import Recorded

FIRES = Line("ring Jess on 07700 900123", PERSONAL_INFO, True)
QUIET = Line("see you at the social", BENIGN, False)
WORLD = World(
    servers=(),
    dm_channels={"900": "u1"},
    closed_dm_channels=frozenset({"901"}),
    general_channels=frozenset({"100"}),
    mod_log_channels=frozenset({"200"}),
)
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _case(case_id: int, message_id: str) -> CaseRecord:
    return CaseRecord(
        id=case_id,
        platform="discord",
        community="g1",
        channel="100",
        user="u1",
        message_id=message_id,
        labels=("personal-info",),
        clauses=("4.5",),
        rules=("personal-info:personal-info",),
        severity="medium",
        action="remind",
        step=1,
        strike=True,
        created_at=T0,
        status=CaseStatus.ACTIVE,
        updated_at=T0,
    )


def _post(
    at: float, channel: str, case: int, reply_to: str | None = None
) -> tuple[float, Recorded]:
    body: dict[str, object] = {"embeds": [{"footer": {"text": f"Case #{case}"}}]}
    if reply_to:
        body["message_reference"] = {"message_id": reply_to}
    return at, Recorded("POST", f"/channels/{channel}/messages", {}, body)


def _decided(message: str, case: int | None, *, duplicate: bool = False) -> dict[str, object]:
    return {
        "kind": "decision",
        "at": 12.0,
        "message": message,
        "duplicate": duplicate,
        "case": case,
        "notice": case is not None,
        "alert": False,
    }


def _clean_run() -> Observations:
    """Two messages on shard 0, one should fire: decided once, seen twice, reminded once."""
    slot = Slot(1, (0,), Path("p1.jsonl"), Path("p1.log"), killed_at=10.5, back_at=11.5)
    seen = Observations(Plan(processes=1, shards_per_process=1), WORLD, [slot])
    seen.started_at, seen.sending_ended_at, seen.ended_at = 10.0, 12.0, 13.0
    seen.sent = {"m1": Sent("m1", "g1", 0, FIRES, 10.0), "m2": Sent("m2", "g1", 0, QUIET, 10.1)}
    seen.posts = [_post(10.02, "900", 1), _post(10.03, "200", 1)]
    seen.records = {
        1: [_decided("m1", 1), _decided("m2", None), _decided("m1", None, duplicate=True)]
    }
    seen.cases = [_case(1, "m1")]
    seen.redelivered = {0: 2}
    return seen


def test_a_clean_run_passes_with_its_figures() -> None:
    result = figures(_clean_run())

    assert result.passed
    assert (result.sent, result.should_fire, result.cases) == (2, 1, 1)
    assert (result.dm_reminders, result.channel_reminders, result.alerts) == (1, 0, 1)
    assert result.latency_p50_ms == pytest.approx(20.0)
    assert (result.redelivered, result.seen_twice) == (2, 1)
    assert result.processes[0].handled == 3
    assert result.processes[0].away_seconds == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("spoil", "failed"),
    [
        # A reminder went out for a case the database does not have.
        (lambda s: replace_cases(s, []), "lost_strikes"),
        # A message that should fire was decided without a case.
        (lambda s: replace_cases(s, [_case(1, "m9")]), "lost_strikes"),
        # The redelivered event got a second case ...
        (lambda s: replace_cases(s, [_case(1, "m1"), _case(2, "m1")]), "double_cases"),
        # ... or a second reminder, here as a channel reply after the DM.
        (lambda s: s.posts.append(_post(11.0, "100", 1, reply_to="m1")), "double_reminders"),
        # The process said it reminded, and nothing reached Discord.
        (lambda s: s.posts.pop(0), "reminders_owed"),
    ],
)
def test_the_judge_fails_a_spoilt_run(spoil: object, failed: str) -> None:
    seen = _clean_run()
    spoil(seen)  # type: ignore[operator]

    result = figures(seen)

    assert getattr(result, failed) > 0
    assert not result.passed


def replace_cases(seen: Observations, cases: list[CaseRecord]) -> None:
    seen.cases = cases


def test_a_refused_dm_is_not_a_reminder() -> None:
    seen = _clean_run()
    seen.posts.insert(0, _post(10.01, "901", 1))  # DMs closed: Discord answered 403
    assert figures(seen).dm_reminders == 1


def test_the_report_goes_between_the_markers(tmp_path: Path) -> None:
    seen = _clean_run()
    doc = tmp_path / "scaling.md"
    doc.write_text(
        "## Load test\n<!-- bench.load results: start -->\nold\n<!-- bench.load results: end -->\n"
    )
    write_section(doc, markdown(seen, figures(seen), "15.8"))
    text = doc.read_text()
    assert "old" not in text
    assert "| **Messages with two reminders** | **0** |" in text
    assert text.endswith("<!-- bench.load results: end -->\n")


@pytest.fixture
def database_url() -> str:
    url = os.environ.get(PG_URL_ENV)
    if not url:
        pytest.skip(f"{PG_URL_ENV} is unset (scripts/with-postgres.sh CMD provides one)")
    return url


@pytest.mark.slow
async def test_two_processes_one_killed_lose_no_strike_and_repeat_no_reminder(
    database_url: str, tmp_path: Path
) -> None:
    plan = Plan(
        processes=2,
        shards_per_process=1,
        servers=6,
        members=4,
        rate=30,
        seconds=6,
        kills=1,
        settle_seconds=20,
    )

    seen = await run(plan, database_url, tmp_path)
    result = figures(seen)

    report = markdown(seen, result, "test")
    assert result.passed, report
    assert result.should_fire > 0 and result.cases == result.should_fire, report
    assert result.redelivered > 0 and result.seen_twice > 0, report
    assert seen.slots[0].back_at is not None and seen.slots[1].killed_at is None
    assert all(p.handled for p in result.processes), report
