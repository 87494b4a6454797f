"""Prometheus metrics for operators: what was checked, found and decided, and how fast.

The registry comes in through the constructor (never the library's global one), so each process,
playground session or test counts on its own. Labels carry labels, clauses, steps and platforms
only: never a user, a channel or any message content.
"""

from __future__ import annotations

import logging

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from bot.decision import Decision

__all__ = ["CONTENT_TYPE_LATEST", "Metrics"]

#: Latency buckets in seconds: detection is a few milliseconds; the store can add tens.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)

#: Logger name prefixes whose errors count as platform errors, and the platform they belong to.
PLATFORM_LOGGERS = {
    "adapters.discord": "discord",
    "discord": "discord",
    "adapters.slack": "slack",
    "slack_bolt": "slack",
    "slack_sdk": "slack",
    "adapters.playground": "playground",
}


class Metrics:
    """Count messages, findings, decisions and platform errors; time each decision."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        self.messages = Counter(
            "policybot_messages_checked",
            "Messages the engine decided about (duplicates and exempt ones included).",
            ["platform"],
            registry=self.registry,
        )
        self.findings = Counter(
            "policybot_findings",
            "Findings acted on, by label and the clause each cites.",
            ["label", "clause"],
            registry=self.registry,
        )
        self.decisions = Counter(
            "policybot_decisions",
            "Decisions by ladder step and action (step 0: no breach).",
            ["step", "action"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "policybot_detection_seconds",
            "Time to decide about one message: every detector plus the store.",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.platform_errors = Counter(
            "policybot_platform_errors",
            "Errors talking to a chat platform, by platform and kind.",
            ["platform", "kind"],
            registry=self.registry,
        )

    def on_decision(self, decision: Decision, seconds: float) -> None:
        """Record one decision (an engine observer)."""
        self.messages.labels(decision.message.platform).inc()
        self.latency.observe(seconds)
        if decision.duplicate or decision.exempt:
            return
        for finding in decision.findings:
            for clause in finding.clauses or ("",):
                self.findings.labels(finding.label, clause).inc()
        self.decisions.labels(str(decision.step), str(decision.action)).inc()

    def platform_error(self, platform: str, kind: str) -> None:
        """Count one error from a platform (an API call refused, a lost connection)."""
        self.platform_errors.labels(platform, kind).inc()

    def log_handler(self) -> logging.Handler:
        """Return a logging handler that counts ERROR records of the platform loggers."""
        return _PlatformErrorHandler(self)

    def exposition(self) -> bytes:
        """Return every metric in the Prometheus text format."""
        return generate_latest(self.registry)


class _PlatformErrorHandler(logging.Handler):
    """Count errors the adapters and platform libraries log, without reading their text."""

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(level=logging.ERROR)
        self._metrics = metrics

    def emit(self, record: logging.LogRecord) -> None:
        for prefix, platform in PLATFORM_LOGGERS.items():
            if record.name == prefix or record.name.startswith(prefix + "."):
                kind = (
                    record.exc_info[0].__name__
                    if record.exc_info and record.exc_info[0]
                    else "error"
                )
                self._metrics.platform_error(platform, kind)
                return
