"""The privacy notice the bot posts when it joins and answers to ``/privacy`` (UK GDPR transparency)."""

from __future__ import annotations

from bot.config import Config
from bot.policy import Policy


def privacy_notice(config: Config, policy: Policy) -> str:
    """Return the notice: what the bot reads, what it stores, for how long, who sees it, your rights."""
    p = config.privacy
    stored = (
        "the text of flagged messages (this server has opted in to keeping content)"
        if p.store_content
        else "no message text"
    )
    grace = p.removal_grace_days
    return "\n".join(
        [
            f"**policybot privacy notice** ({policy.name})",
            "",
            "**What it reads.** Messages, edits, links and attachment names in the channels it "
            "can see, and display names when members join or rename, to check them against the "
            "Student Social Media Policy. It does not look at images or audio.",
            "",
            f"**What it keeps.** Only when something is flagged: ids (user, channel, message), "
            f"the labels and clauses that fired, the time, the step on the warning ladder and "
            f"what moderators did. It keeps {stored}. Reports and wellbeing messages are never "
            "recorded beyond a delivery id.",
            "",
            f"**For how long.** Records are deleted after {p.retention_days} days; warnings stop "
            f"counting after {config.ladder.decay_days} days. If the bot is removed, this "
            f"community's data is deleted {grace} days later.",
            "",
            "**Who sees it.** You (use `/mydata`), this community's moderators, and nobody else. "
            "Moderators may export a case for the university's Student Complaints Procedure.",
            "",
            "**Your rights.** See your record with `/mydata`, contest a reminder with its "
            '"This isn\'t a breach" button, and ask a moderator to erase your record. '
            "Under UK GDPR you may also ask the university's data protection officer.",
        ]
    )
