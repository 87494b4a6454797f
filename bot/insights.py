"""Moderators' insights: what the bot flagged over time, how far the ladder went, what was disputed.

Built from case records only (ids, labels, clauses, steps, statuses and times): never message
content, and no user named unless ``show_users`` asks for it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bot.store import CaseRecord, CaseStatus, Store

_SINCE = re.compile(r"^\s*(\d+)\s*([hdw])\s*$")
_UNIT = {"h": "hours", "d": "days", "w": "weeks"}
#: Statuses that mean the author contested the case (upheld: contested, then confirmed).
_CONTESTED = (CaseStatus.CONTESTED, CaseStatus.UPHELD)
_BARS = "▁▂▃▄▅▆▇█"
#: How the audit log records an author's contest: action "contest", subject "case:<id>".
CONTEST_ACTION = "contest"
CASE_SUBJECT = "case:"


#: The longest span asked for: past this no record can exist (retention is at most 10 years).
MAX_SPAN = timedelta(days=3650)


def parse_since(text: str) -> timedelta:
    """Return the span ``30d``, ``12h`` or ``4w`` names; raise ValueError with the accepted forms."""
    match = _SINCE.match(text)
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"--since: expected a span such as 30d, 12h or 4w, got {text!r}")
    try:
        span = timedelta(**{_UNIT[match.group(2)]: int(match.group(1))})
    except OverflowError:
        span = MAX_SPAN + MAX_SPAN
    if span > MAX_SPAN:
        raise ValueError(f"--since: at most {MAX_SPAN.days}d (10 years), got {text!r}")
    return span


@dataclass(frozen=True, slots=True)
class LabelDisputes:
    """How often one label's cases were contested by their author or dismissed by a moderator."""

    label: str
    cases: int
    contested: int
    dismissed: int

    @property
    def dismissed_share(self) -> float:
        """Return the share of cases dismissed as false positives (0 when there were none)."""
        return self.dismissed / self.cases if self.cases else 0.0


@dataclass(frozen=True, slots=True)
class Insights:
    """Counts for one span of days, ready to print or chart.

    ``by_clause`` and ``by_label`` map a clause or label to one count per day of ``days``.
    ``steps`` counts cases by the ladder step they reached; shadow-mode observations (no strike)
    are counted apart in ``shadow``. ``users`` is None unless users were asked for.
    """

    since: datetime
    until: datetime
    days: tuple[date, ...]
    cases: int
    by_clause: dict[str, tuple[int, ...]]
    by_label: dict[str, tuple[int, ...]]
    steps: dict[int, int]
    shadow: int
    disputes: tuple[LabelDisputes, ...]
    users: dict[str, int] | None = None

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form (``policybot insights --format json``)."""
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "days": [d.isoformat() for d in self.days],
            "cases": self.cases,
            "by_clause": {k: list(v) for k, v in self.by_clause.items()},
            "by_label": {k: list(v) for k, v in self.by_label.items()},
            "steps": {str(k): v for k, v in self.steps.items()},
            "shadow": self.shadow,
            "disputes": [
                {
                    "label": d.label,
                    "cases": d.cases,
                    "contested": d.contested,
                    "dismissed": d.dismissed,
                }
                for d in self.disputes
            ],
            **({"users": self.users} if self.users is not None else {}),
        }


def summarise(
    cases: list[CaseRecord],
    since: datetime,
    until: datetime,
    *,
    show_users: bool = False,
    contested_ids: Collection[int] = (),
) -> Insights:
    """Count ``cases`` (created between ``since`` and ``until``) per day, clause, label and step.

    A case counts as contested when its author contested it, whatever a moderator did next:
    its status says so while it awaits review or was upheld, ``contested_ids`` (from the audit
    log) once it was dismissed or pardoned.
    """
    first, last = since.astimezone(UTC).date(), until.astimezone(UTC).date()
    days = tuple(first + timedelta(days=i) for i in range((last - first).days + 1))
    index = {d: i for i, d in enumerate(days)}
    by_clause: dict[str, list[int]] = {}
    by_label: dict[str, list[int]] = {}
    steps: Counter[int] = Counter()
    totals: Counter[str] = Counter()
    contested: Counter[str] = Counter()
    dismissed: Counter[str] = Counter()
    users: Counter[str] = Counter()
    shadow = 0
    for case in cases:
        day = index.get(case.created_at.astimezone(UTC).date())
        if day is None:
            continue
        for clause in case.clauses:
            by_clause.setdefault(clause, [0] * len(days))[day] += 1
        for label in case.labels:
            by_label.setdefault(label, [0] * len(days))[day] += 1
            totals[label] += 1
            if case.status in _CONTESTED or case.id in contested_ids:
                contested[label] += 1
            if case.status is CaseStatus.DISMISSED:
                dismissed[label] += 1
        if case.strike:
            steps[case.step] += 1
        else:
            shadow += 1
        users[f"{case.platform}:{case.community}:{case.user}"] += 1
    disputes = tuple(
        LabelDisputes(label, totals[label], contested[label], dismissed[label])
        for label in sorted(totals, key=lambda lb: (-dismissed[lb], -contested[lb], lb))
    )
    return Insights(
        since=since,
        until=until,
        days=days,
        cases=sum(steps.values()) + shadow,
        by_clause=_ordered(by_clause),
        by_label=_ordered(by_label),
        steps=dict(sorted(steps.items())),
        shadow=shadow,
        disputes=disputes,
        users=dict(users.most_common()) if show_users else None,
    )


def _ordered(series: dict[str, list[int]]) -> dict[str, tuple[int, ...]]:
    """Return the series busiest first, ties by name."""
    return {k: tuple(v) for k, v in sorted(series.items(), key=lambda kv: (-sum(kv[1]), kv[0]))}


async def gather_insights(
    store: Store,
    span: timedelta,
    now: datetime,
    *,
    platform: str | None = None,
    community: str | None = None,
    show_users: bool = False,
) -> Insights:
    """Read the cases of the last ``span`` from the store and summarise them."""
    since = now - span
    cases = await store.cases_since(since, platform, community)
    # A contest comes after its case, so the span's audit entries hold every contest of its cases.
    contests = await store.audit_since(since, platform, community, action=CONTEST_ACTION)
    contested_ids = {
        int(a.subject.removeprefix(CASE_SUBJECT))
        for a in contests
        if a.subject.startswith(CASE_SUBJECT) and a.subject.removeprefix(CASE_SUBJECT).isdigit()
    }
    return summarise(cases, since, now, show_users=show_users, contested_ids=contested_ids)


def sparkline(counts: tuple[int, ...]) -> str:
    """Return one block character per count, scaled to the largest."""
    top = max(counts, default=0)
    if not top:
        return _BARS[0] * len(counts)
    return "".join(_BARS[0] if n == 0 else _BARS[max(1, round(n / top * 7))] for n in counts)


def render_text(insights: Insights) -> str:
    """Return the insights for a terminal: sparklines per clause and label, then the tables."""
    i = insights
    out = [
        f"Insights {i.since:%d %b %Y} to {i.until:%d %b %Y} (UTC): {i.cases} case(s).",
        "No message content is kept or shown.",
    ]
    if not i.cases:
        out.append("Nothing was flagged in this span.")
        return "\n".join(out) + "\n"
    # One width for every table, so their count columns line up under each other.
    width = max(len(k) for k in [*(f"clause {c}" for c in i.by_clause), *i.by_label, "label"]) + 2
    for title, series, prefix in (
        ("By clause, one mark per day:", i.by_clause, "clause "),
        ("By label, one mark per day:", i.by_label, ""),
    ):
        out += ["", title]
        for name, counts in series.items():
            label = f"{prefix}{name}"
            out.append(f"  {label:<{width}} {sum(counts):>5}  {sparkline(counts)}")
    out += ["", "Ladder steps reached:"]
    for step, count in i.steps.items():
        out.append(f"  step {step}: {count}")
    if i.shadow:
        out.append(f"  shadow mode (no strike): {i.shadow}")
    out += ["", "Contested and dismissed, per label (dismissed = a false positive):"]
    out.append(f"  {'label':<{width}} {'cases':>5} {'contested':>9} {'dismissed':>9}")
    for d in i.disputes:
        out.append(f"  {d.label:<{width}} {d.cases:>5} {d.contested:>9} {d.dismissed:>9}")
    if i.users is not None:
        out += ["", "Cases per user (shown because --show-users was given):"]
        for user, count in i.users.items():
            out.append(f"  {user}: {count}")
    return "\n".join(out) + "\n"
