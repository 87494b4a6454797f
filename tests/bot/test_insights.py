"""Insights count cases per day, clause, label and step; users only when asked."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.insights import (
    Insights,
    gather_insights,
    parse_since,
    render_text,
    sparkline,
    summarise,
)
from bot.insights_page import render_html, stacked_bars_svg
from bot.message import Message
from bot.store import CaseRecord, CaseStatus
from bot.taxonomy import ALL_LABELS

from .conftest import CoreFactory, make_record

NOW = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)


def case(n: int, days_ago: float, **changes: object) -> CaseRecord:
    at = NOW - timedelta(days=days_ago)
    return make_record(
        n, community="g1", message_id=f"m{n}", created_at=at, updated_at=at, **changes
    )


@pytest.mark.parametrize(
    ("text", "span"),
    [("30d", timedelta(days=30)), ("12h", timedelta(hours=12)), (" 4w ", timedelta(weeks=4))],
)
def test_parse_since(text: str, span: timedelta) -> None:
    assert parse_since(text) == span


@pytest.mark.parametrize("text", ["30", "0d", "d", "3 months", "-1d"])
def test_parse_since_refuses_other_forms_naming_them(text: str) -> None:
    with pytest.raises(ValueError, match="30d, 12h or 4w"):
        parse_since(text)


def _sample() -> Insights:
    cases = [
        case(1, 0),
        case(2, 0, user="u2", labels=("mocking",), clauses=("5.2",), status=CaseStatus.DISMISSED),
        case(3, 1, step=2, action="warn", status=CaseStatus.CONTESTED),
        case(
            4,
            2,
            step=3,
            action="escalate",
            labels=("personal-info", "mocking"),
            clauses=("4.5", "5.2"),
        ),
        case(5, 2, strike=False, user="u3", status=CaseStatus.UPHELD),
        case(6, 40),  # outside the span: ignored
    ]
    return summarise(cases, NOW - timedelta(days=6), NOW, show_users=False)


def test_summarise_counts_per_day_clause_label_and_step() -> None:
    i = _sample()
    assert len(i.days) == 7 and i.days[-1] == NOW.date()
    assert i.cases == 5
    assert i.by_clause == {"4.5": (0, 0, 0, 0, 2, 1, 1), "5.2": (0, 0, 0, 0, 1, 0, 1)}
    assert list(i.by_label) == ["personal-info", "mocking"]
    assert i.steps == {1: 2, 2: 1, 3: 1} and i.shadow == 1
    disputes = {d.label: (d.cases, d.contested, d.dismissed) for d in i.disputes}
    assert disputes == {"personal-info": (4, 2, 0), "mocking": (2, 0, 1)}
    assert i.users is None


def test_users_are_named_only_when_asked_for() -> None:
    cases = [case(1, 0), case(2, 0), case(3, 0, user="u2")]
    assert summarise(cases, NOW - timedelta(days=1), NOW).users is None
    shown = summarise(cases, NOW - timedelta(days=1), NOW, show_users=True).users
    assert shown == {"discord:g1:u1": 2, "discord:g1:u2": 1}


def test_text_and_html_name_no_user_by_default_and_carry_the_chart() -> None:
    i = _sample()
    text = render_text(i)
    assert "clause 4.5" in text and "u1" not in text and "u2" not in text
    assert "▁" in text  # the sparkline chart
    html = render_html(i)
    assert html.count("<svg") == 2 and "u1" not in html
    assert "<script" not in html


def test_html_escapes_names() -> None:
    cases = [case(1, 0, user="<b>u</b>")]
    html = render_html(summarise(cases, NOW - timedelta(days=1), NOW, show_users=True))
    assert "<b>u</b>" not in html and "&lt;b&gt;u&lt;/b&gt;" in html


def test_an_empty_span_says_so() -> None:
    i = summarise([], NOW - timedelta(days=30), NOW)
    assert "Nothing was flagged" in render_text(i)
    assert "Nothing was flagged" in render_html(i)
    assert i.to_dict()["cases"] == 0


@pytest.mark.parametrize(("counts", "line"), [((0, 0), "▁▁"), ((0, 1, 2), "▁▅█"), ((5,), "█")])
def test_sparkline(counts: tuple[int, ...], line: str) -> None:
    assert sparkline(counts) == line


@pytest.mark.parametrize("text", ["99999999d", "9999999999999999999999w", "3651d"])
def test_parse_since_refuses_spans_past_ten_years_without_overflowing(text: str) -> None:
    with pytest.raises(ValueError, match="at most 3650d"):
        parse_since(text)


def test_a_contested_case_stays_contested_once_dismissed_or_pardoned() -> None:
    cases = [
        case(1, 0, status=CaseStatus.PARDONED),
        case(2, 0, status=CaseStatus.DISMISSED),
        case(3, 0, status=CaseStatus.PARDONED),  # pardoned, never contested
    ]
    i = summarise(cases, NOW - timedelta(days=1), NOW, contested_ids={1, 2})
    assert [(d.label, d.cases, d.contested, d.dismissed) for d in i.disputes] == [
        ("personal-info", 3, 2, 1)
    ]


async def test_gather_insights_reads_the_contests_from_the_audit_log(
    make_core: CoreFactory,
) -> None:
    core = await make_core()
    contested_then_pardoned = await core.engine.handle(_breach("m1"))
    assert contested_then_pardoned.case_id is not None
    assert (
        await core.moderation.contest(contested_then_pardoned.case_id, "alex", "discord")
        is not None
    )
    await core.moderation.pardon("discord", "soc", "alex", "mod")
    now = core.engine.clock()

    i = await gather_insights(core.store, timedelta(days=1), now)

    assert [(d.label, d.cases, d.contested, d.dismissed) for d in i.disputes] == [
        ("personal-info", 1, 1, 0)
    ]
    assert i.to_dict()["disputes"] == [
        {"label": "personal-info", "cases": 1, "contested": 1, "dismissed": 0}
    ]


def _breach(message_id: str) -> Message:
    return Message(
        id=message_id,
        text="ring Jess on 07700 900123",
        author="alex",
        channel="general",
        community="soc",
        platform="discord",
    )


def test_the_cli_tables_share_one_column_for_their_counts() -> None:
    cases = [
        case(1, 0, labels=("third-party-account-misuse",), clauses=("5.2",)),
        case(2, 0, labels=("mocking",), clauses=("annex",)),
    ]
    text = render_text(summarise(cases, NOW - timedelta(days=1), NOW))
    rows = [
        line
        for line in text.splitlines()
        if line.startswith("  ") and not line.startswith("  step") and "shadow" not in line
    ]
    assert len(rows) == 7  # 2 clauses, 2 labels, the disputes header and 2 disputes
    # Every count column ends where the disputes table's "cases" column ends.
    ends = {re.search(r"\s{2,}(\d+|cases)\b", line).end(1) for line in rows}  # type: ignore[union-attr]
    assert len(ends) == 1, text


@pytest.mark.parametrize("count", [1, 3, 5, 8])
def test_the_chart_legend_keeps_two_entries_a_row_within_the_chart(count: int) -> None:
    labels = sorted(ALL_LABELS, key=len, reverse=True)[:count]
    series = {label: (9999,) for label in labels}
    svg = stacked_bars_svg("By label", (NOW.date(),), series)
    entries = [
        (float(x), float(y), name)
        for x, y, name in re.findall(
            r'<text x="([\d.]+)" y="([\d.]+)" font-size="12">([^<]+)<', svg
        )
    ]
    assert [name for _, _, name in entries] == [f"{label} (9999)" for label in labels]
    rows: dict[float, list[float]] = {}
    for x, y, _ in entries:
        rows.setdefault(y, []).append(x)
    assert all(len(xs) <= 2 for xs in rows.values())
    # A 12 px sans-serif letter is at most about 7.5 px wide: no entry reaches the next one.
    longest = max(len(name) for _, _, name in entries) * 7.5
    for xs in rows.values():
        assert all(b - a > longest for a, b in zip(xs, xs[1:], strict=False))
        assert max(xs) + longest <= 720
