"""The escalation ladder: how many live strikes a user has decides how firmly the bot answers.

A first finding is a private reminder, a second within the decay window a firmer warning with a
note to the moderators, a third (or any high-severity finding) an alert to the moderators.
Strikes older than ``decay_days`` no longer count, so the ladder steps back down over time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import LadderConfig
from bot.decision import Action
from bot.taxonomy import Severity


@dataclass(frozen=True, slots=True)
class Step:
    """Where a new finding puts the user on the ladder."""

    number: int  # 1 for a first live strike
    action: Action


class Ladder:
    """Turn a user's live strike count and a finding's severity into an action."""

    def __init__(self, config: LadderConfig) -> None:
        self.config = config

    def window_start(self, now: datetime) -> datetime:
        """Return the oldest moment a strike may date from and still count."""
        return now - timedelta(days=self.config.decay_days)

    def step(self, live_strikes: int, severity: Severity) -> Step:
        """Return the step for a new finding, given the strikes already live before it."""
        number = live_strikes + 1
        if severity is Severity.HIGH or number >= self.config.escalate_at:
            return Step(number, Action.ESCALATE)
        if number >= self.config.warn_at:
            return Step(number, Action.WARN)
        return Step(number, Action.REMIND)

    def may_remind(self, last: datetime | None, now: datetime) -> bool:
        """Return False while the per-user, per-channel reminder rate limit holds."""
        if last is None or self.config.rate_limit_minutes == 0:
            return True
        return now - last >= timedelta(minutes=self.config.rate_limit_minutes)
