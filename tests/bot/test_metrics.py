"""Metrics count decisions by step, findings by label and clause, and platform errors."""

from __future__ import annotations

import logging

import pytest
from prometheus_client import CollectorRegistry

from bot.decision import Action, Decision
from bot.finding import Finding
from bot.message import Message
from bot.metrics import Metrics
from bot.taxonomy import Severity


def _decision(**changes: object) -> Decision:
    finding = Finding("personal-info", ("4.5",), Severity.MEDIUM, 0.9, "a phone number")
    base = dict(
        message=Message(id="1", text="x", author="a", channel="c", platform="discord"),
        action=Action.REMIND,
        findings=(finding,),
        step=1,
    )
    base.update(changes)
    return Decision(**base)  # type: ignore[arg-type]


def _value(metrics: Metrics, name: str, **labels: str) -> float:
    value = metrics.registry.get_sample_value(name, labels)
    return 0.0 if value is None else value


def test_each_registry_counts_on_its_own() -> None:
    first, second = Metrics(CollectorRegistry()), Metrics(CollectorRegistry())
    first.on_decision(_decision(), 0.002)
    assert _value(first, "policybot_messages_checked_total", platform="discord") == 1
    assert _value(second, "policybot_messages_checked_total", platform="discord") == 0


def test_a_decision_counts_its_findings_step_and_latency() -> None:
    metrics = Metrics()
    metrics.on_decision(_decision(), 0.003)
    metrics.on_decision(_decision(action=Action.WARN, step=2), 0.2)
    assert _value(metrics, "policybot_findings_total", label="personal-info", clause="4.5") == 2
    assert _value(metrics, "policybot_decisions_total", step="1", action="remind") == 1
    assert _value(metrics, "policybot_decisions_total", step="2", action="warn") == 1
    assert _value(metrics, "policybot_detection_seconds_count") == 2
    assert _value(metrics, "policybot_detection_seconds_bucket", le="0.005") == 1


@pytest.mark.parametrize("changes", [{"duplicate": True}, {"exempt": True}])
def test_duplicates_and_exempt_messages_are_checked_but_not_counted_as_decisions(
    changes: dict[str, bool],
) -> None:
    metrics = Metrics()
    metrics.on_decision(_decision(**changes), 0.001)
    assert _value(metrics, "policybot_messages_checked_total", platform="discord") == 1
    assert _value(metrics, "policybot_findings_total", label="personal-info", clause="4.5") == 0


def test_exposition_is_prometheus_text_without_content() -> None:
    metrics = Metrics()
    metrics.on_decision(
        _decision(message=Message(id="1", text="ring 07700 900123", author="a", channel="c")), 0.01
    )
    text = metrics.exposition().decode()
    assert "# TYPE policybot_decisions_total counter" in text
    assert "07700" not in text


@pytest.mark.parametrize(
    ("logger", "platform"),
    [("adapters.discord.delivery", "discord"), ("slack_bolt.App", "slack"), ("discord", "discord")],
)
def test_errors_logged_by_platform_loggers_count_as_platform_errors(
    logger: str, platform: str
) -> None:
    metrics = Metrics()
    log = logging.getLogger(logger)
    handler = metrics.log_handler()
    log.addHandler(handler)
    try:
        log.warning("a warning is not an error")
        try:
            raise ConnectionResetError
        except ConnectionResetError:
            log.exception("lost the gateway")
    finally:
        log.removeHandler(handler)
    assert (
        _value(
            metrics,
            "policybot_platform_errors_total",
            platform=platform,
            kind="ConnectionResetError",
        )
        == 1
    )
    assert (
        sum(
            s.value
            for m in metrics.registry.collect()
            if m.name == "policybot_platform_errors"
            for s in m.samples
            if s.name.endswith("_total")
        )
        == 1
    )


def test_errors_of_other_loggers_are_not_platform_errors() -> None:
    metrics = Metrics()
    log = logging.getLogger("bot.engine")
    handler = metrics.log_handler()
    log.addHandler(handler)
    try:
        log.error("boom")
    finally:
        log.removeHandler(handler)
    assert "policybot_platform_errors_total{" not in metrics.exposition().decode()
