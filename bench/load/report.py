"""Judge a load-test run: throughput per process, decision latency, and the three proofs.

* **No committed strike is lost**: every reminder or alert the fake received names a case the
  database holds, and every message that should fire has a case.
* **No message has two cases**, however often its event was delivered.
* **No message gets two reminders** (DMs and channel replies together), nor two alerts.

Latency runs from the moment the fake dispatched a message to the moment the reminder's REST
call reached it: gateway, process, engine, database and REST, end to end.
"""

from __future__ import annotations

import os
import platform
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bench.load.scenario import Observations, Sent

_CASE = re.compile(r"Case #(\d+)")
SECTION_START = "<!-- bench.load results: start -->"
SECTION_END = "<!-- bench.load results: end -->"


@dataclass(frozen=True, slots=True)
class ProcessFigures:
    """One process (both its lives): shards, decisions carried out, rate, time away."""

    number: int
    shards: str
    handled: int
    seen_twice: int
    per_second: float
    away_seconds: float | None


@dataclass(frozen=True, slots=True)
class Figures:
    """What the report prints."""

    processes: tuple[ProcessFigures, ...]
    sent: int
    offered_rate: float
    should_fire: int
    cases: int
    dm_reminders: int
    channel_reminders: int
    alerts: int
    latency_p50_ms: float
    latency_p99_ms: float
    latency_max_ms: float
    latency_p99_steady_ms: float
    redelivered: int
    seen_twice: int
    lost_strikes: int
    double_cases: int
    double_reminders: int
    double_alerts: int
    reminders_owed: int
    unexpected_cases: int
    undecided: int
    killed_before_sending: int
    not_due: int

    @property
    def passed(self) -> bool:
        """Return True when nothing was lost, doubled, owed or left undecided."""
        return not (
            self.lost_strikes
            or self.double_cases
            or self.double_reminders
            or self.double_alerts
            or self.reminders_owed
            or self.undecided
        )


@dataclass(frozen=True, slots=True)
class Post:
    """A message a bot posted: a reminder (DM or channel reply) or an alert, and its case."""

    at: float
    kind: str  # "dm" | "channel" | "alert"
    case: int | None
    replied_to: str | None


def _posts(seen: Observations) -> list[Post]:
    world = seen.world
    found = []
    for at, request in seen.posts:
        channel = request.path.split("/")[2]
        body = request.body or {}
        footers = [(e.get("footer") or {}).get("text", "") for e in body.get("embeds") or []]
        match = next((m for f in footers if (m := _CASE.search(f))), None)
        case = int(match.group(1)) if match else None
        reference = (body.get("message_reference") or {}).get("message_id")
        if channel in world.dm_channels:
            found.append(Post(at, "dm", case, None))
        elif channel in world.general_channels and reference:
            found.append(Post(at, "channel", case, str(reference)))
        elif channel in world.mod_log_channels:
            found.append(Post(at, "alert", case, None))
        # Anything else is a DM Discord refused (closed DMs) or a notice with no case.
    return found


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[round(share * 1000) - 1]


def figures(seen: Observations) -> Figures:
    """Compute the report's figures and proofs from one run's observations."""
    cases_per_message = Counter(case.message_id for case in seen.cases)
    posts = _posts(seen)
    message_of_case = {case.id: case.message_id for case in seen.cases}

    reminders: dict[str, list[Post]] = defaultdict(list)
    alerts: Counter[str] = Counter()
    unknown_cases = 0
    for post in posts:
        message = message_of_case.get(post.case) if post.case is not None else None
        if message is None:
            unknown_cases += 1  # a student or moderator was told of a strike the DB lacks
            continue
        if post.kind == "alert":
            alerts[message] += 1
        else:
            reminders[message].append(post)

    records = [line for lines in seen.records.values() for line in lines]
    decided = [line for line in records if line["kind"] == "decision"]
    decided_cases = {line["case"]: line for line in decided if line.get("case")}
    firing = [s for s in seen.sent.values() if s.line.fires]

    killed_before_sending = not_due = owed = 0
    for case in seen.cases:
        if reminders.get(case.message_id):
            continue
        record = decided_cases.get(case.id)
        if record is None:
            killed_before_sending += 1  # committed, then the process died before delivering
        elif record["notice"]:
            owed += 1  # decided and delivered, says the process, yet the fake never saw it
        else:
            not_due += 1  # the engine decided no reminder was due

    latencies, steady = [], []
    for sent in firing:
        got = reminders.get(sent.message_id)
        if not got:
            continue
        ms = (min(p.at for p in got) - sent.at) * 1000
        latencies.append(ms)
        if not _caught_by_a_kill(seen, sent, sent.at + ms / 1000):
            steady.append(ms)

    processes = []
    for slot in seen.slots:
        mine = [line for line in seen.records.get(slot.number, []) if line["kind"] == "decision"]
        last = max((line["at"] for line in mine), default=seen.started_at)
        span = max(last - seen.started_at, 1e-9)
        away = slot.back_at - slot.killed_at if slot.back_at and slot.killed_at else None
        processes.append(
            ProcessFigures(
                number=slot.number,
                shards=slot.label,
                handled=len(mine),
                seen_twice=sum(1 for line in mine if line["duplicate"]),
                per_second=len(mine) / span,
                away_seconds=away,
            )
        )

    sending = max(seen.sending_ended_at - seen.started_at, 1e-9)
    return Figures(
        processes=tuple(processes),
        sent=len(seen.sent),
        offered_rate=len(seen.sent) / sending,
        should_fire=len(firing),
        cases=len(seen.cases),
        dm_reminders=sum(1 for p in posts if p.kind == "dm"),
        channel_reminders=sum(1 for p in posts if p.kind == "channel"),
        alerts=sum(1 for p in posts if p.kind == "alert"),
        latency_p50_ms=_percentile(latencies, 0.5),
        latency_p99_ms=_percentile(latencies, 0.99),
        latency_max_ms=max(latencies, default=0.0),
        latency_p99_steady_ms=_percentile(steady, 0.99),
        redelivered=sum(seen.redelivered.values()),
        seen_twice=sum(1 for line in decided if line["duplicate"]),
        lost_strikes=unknown_cases + sum(1 for s in firing if not cases_per_message[s.message_id]),
        double_cases=sum(1 for n in cases_per_message.values() if n > 1),
        double_reminders=sum(1 for got in reminders.values() if len(got) > 1),
        double_alerts=sum(1 for n in alerts.values() if n > 1),
        reminders_owed=owed,
        unexpected_cases=sum(
            1 for s in seen.sent.values() if not s.line.fires and cases_per_message[s.message_id]
        ),
        undecided=seen.undecided,
        killed_before_sending=killed_before_sending,
        not_due=not_due,
    )


def _caught_by_a_kill(seen: Observations, sent: Sent, answered_at: float) -> bool:
    """Return whether the process serving the message's shard was killed while it waited."""
    for slot in seen.slots:
        if sent.shard in slot.shard_ids and slot.killed_at is not None:
            back = slot.back_at or seen.ended_at
            # Redelivery reaches back one heartbeat or two before the kill.
            if sent.at <= back and answered_at >= slot.killed_at - 2.0:
                return True
    return False


def machine() -> str:
    """Describe the machine: CPU model, cores, operating system and Python."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def markdown(seen: Observations, result: Figures, postgres: str) -> str:
    """Return the figures as markdown tables, with what ran, where and when."""
    plan = seen.plan
    when = datetime.fromtimestamp(seen.started_at).astimezone().strftime("%Y-%m-%d %H:%M %Z")
    out = [
        f"Run on {when}; {machine()}; PostgreSQL {postgres}.",
        "",
        f"{plan.processes} `policybot run` processes × {plan.shards_per_process} shards "
        f"(`--shard-count {plan.shard_count}`), {plan.servers} servers, {result.sent} messages "
        f"over {plan.seconds:g} s ({result.offered_rate:.1f} a second, "
        f"{plan.breach_share:.0%} of them breaches); each of "
        f"{plan.kills if plan.kills is not None else plan.processes} process(es) killed with "
        "SIGKILL once and started again.",
        "",
        "| Process | Shards | Decisions | Per second | Seen twice | Away after the kill |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for p in result.processes:
        away = f"{p.away_seconds:.1f} s" if p.away_seconds is not None else "not killed"
        out.append(
            f"| {p.number} | {p.shards} | {p.handled} | {p.per_second:.1f} | {p.seen_twice} "
            f"| {away} |"
        )
    rows = [
        ("Messages that should fire", f"{result.should_fire}"),
        ("Cases in the database", f"{result.cases}"),
        (
            "Reminders (DM / channel reply)",
            f"{result.dm_reminders + result.channel_reminders} "
            f"({result.dm_reminders} / {result.channel_reminders})",
        ),
        ("Moderators' alerts", f"{result.alerts}"),
        (
            "Decision latency p50 / p99 / max",
            f"{result.latency_p50_ms:.0f} / {result.latency_p99_ms:.0f} / "
            f"{result.latency_max_ms:.0f} ms",
        ),
        (
            "Decision latency p99, messages no kill held up",
            f"{result.latency_p99_steady_ms:.0f} ms",
        ),
        ("Events redelivered after the kills", f"{result.redelivered}"),
        ("Events seen twice (recognised, no second decision)", f"{result.seen_twice}"),
        ("**Committed strikes lost**", f"**{result.lost_strikes}**"),
        ("**Messages with two cases**", f"**{result.double_cases}**"),
        ("**Messages with two reminders**", f"**{result.double_reminders}**"),
        ("Messages with two alerts", f"{result.double_alerts}"),
        ("Reminders decided but never sent", f"{result.reminders_owed}"),
        ("Messages never decided", f"{result.undecided}"),
        ("Benign messages with a case", f"{result.unexpected_cases}"),
        (
            "Cases without reminder: killed between commit and sending",
            f"{result.killed_before_sending}",
        ),
        ("Cases without reminder: none due (rate limit)", f"{result.not_due}"),
    ]
    out += ["", "| Figure | Value |", "| --- | ---: |"]
    out += [f"| {name} | {value} |" for name, value in rows]
    out += ["", f"Result: {'PASSED' if result.passed else 'FAILED'}."]
    return "\n".join(out) + "\n"


def write_section(path: Path, text: str) -> None:
    """Put ``text`` between the results markers of ``path`` (under its "Load test" heading)."""
    doc = path.read_text(encoding="utf-8")
    if SECTION_START not in doc or SECTION_END not in doc:
        raise ValueError(f"{path}: no {SECTION_START} … {SECTION_END} markers to write between")
    before, rest = doc.split(SECTION_START, 1)
    _, after = rest.split(SECTION_END, 1)
    path.write_text(f"{before}{SECTION_START}\n{text}{SECTION_END}{after}", encoding="utf-8")
