"""The storage interface the engine uses; engines (SQLite, later PostgreSQL) implement it.

Every method that changes state runs in one transaction. All datetimes are timezone-aware UTC.
"""

from __future__ import annotations

import abc
from collections.abc import Collection
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from types import TracebackType

from bot.store.records import (
    AppInstallation,
    AuditEntry,
    CaseRecord,
    CaseStatus,
    DesistRequest,
    NewCase,
)


class Store(abc.ABC):
    """Persist cases, idempotency keys, rate limits, desist requests, settings, the audit log and
    app installations."""

    async def __aenter__(self) -> Store:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @abc.abstractmethod
    async def open(self) -> None:
        """Connect and apply pending schema migrations."""

    @abc.abstractmethod
    async def close(self) -> None:
        """Close the connections cleanly (checkpointing the WAL for SQLite)."""

    # -- decisions ---------------------------------------------------------------------------
    @abc.abstractmethod
    async def seen_event(self, platform: str, event_key: str) -> bool:
        """Return True when this platform event was already decided."""

    @abc.abstractmethod
    async def commit_decision(
        self,
        platform: str,
        event_key: str,
        case: NewCase | None,
        reminded_channel: str | None,
    ) -> int | None:
        """Store one decision atomically; return the case id (0 when ``case`` is None).

        In one transaction: claim ``event_key`` (return None, changing nothing, when it was
        already claimed), insert ``case`` if given, and when ``reminded_channel`` is given record
        that the user was just reminded there (for the rate limit) at ``case.created_at``.
        """

    @abc.abstractmethod
    def decision_lock(
        self, platform: str, community: str, user: str
    ) -> AbstractAsyncContextManager[None]:
        """Hold off every other decision about this user until the block ends (not re-entrant).

        The engine reads the user's strikes and last reminder and commits its decision inside
        this block, so that two messages from one user decided at once cannot both take the
        same ladder step or both pass the rate limit. The lock spans every process that shares
        the database where the engine can do that (PostgreSQL); SQLite serves one process and
        locks within it.
        """

    @abc.abstractmethod
    async def count_strikes(self, platform: str, community: str, user: str, since: datetime) -> int:
        """Count cases with ``strike`` set, a status that counts, created at or after ``since``."""

    @abc.abstractmethod
    async def last_reminded(
        self, platform: str, community: str, user: str, channel: str
    ) -> datetime | None:
        """Return when this user was last reminded in this channel, if ever."""

    @abc.abstractmethod
    async def mark_reminded(
        self, platform: str, community: str, user: str, channel: str, at: datetime
    ) -> None:
        """Record that this user was reminded in this channel at ``at``.

        Upsert that never moves back: a reminder older than the one recorded (a decision
        committed late by another process) leaves the later time in place.
        """

    # -- cases ---------------------------------------------------------------------------------
    @abc.abstractmethod
    async def get_case(self, case_id: int) -> CaseRecord | None:
        """Return one case by id."""

    @abc.abstractmethod
    async def get_case_by_ref(self, ref: str) -> CaseRecord | None:
        """Return the case a button names by its ref."""

    @abc.abstractmethod
    async def cases_for_message(
        self, platform: str, community: str, message_id: str
    ) -> list[CaseRecord]:
        """Return the cases about one message, oldest first."""

    @abc.abstractmethod
    async def cases_for_user(
        self, platform: str, community: str, user: str, since: datetime | None = None
    ) -> list[CaseRecord]:
        """Return a user's cases, oldest first."""

    @abc.abstractmethod
    async def cases_by_status(
        self, platform: str, community: str, status: CaseStatus
    ) -> list[CaseRecord]:
        """Return the community's cases in one status (e.g. contested ones awaiting a moderator)."""

    @abc.abstractmethod
    async def set_case_status(
        self,
        case_id: int,
        status: CaseStatus,
        at: datetime,
        audit: AuditEntry | None = None,
        only_from: Collection[CaseStatus] | None = None,
    ) -> bool:
        """Change a case's status (and write ``audit`` in the same transaction).

        With ``only_from``, change it only while its status is one of those, as one atomic
        step: two presses of the same button at once change it once. False if nothing changed.
        """

    @abc.abstractmethod
    async def pardon_user(
        self, platform: str, community: str, user: str, at: datetime, audit: AuditEntry
    ) -> int:
        """Mark every counting case of the user as pardoned; return how many changed."""

    @abc.abstractmethod
    async def erase_user(self, platform: str, community: str, user: str, audit: AuditEntry) -> int:
        """Delete every row about the user (cases, rate limits, desist requests either way).

        The audit entry records that an erasure happened (the subject is the user id, which a
        moderator typed) and is written in the same transaction. Return the rows removed.
        """

    @abc.abstractmethod
    async def dismissal_counts(
        self, platform: str | None = None, community: str | None = None
    ) -> list[tuple[str, str, int]]:
        """Return (label, rule, count) of dismissed cases: the false-positive signal."""

    # -- desist requests (5.2: not complying with requests to desist) --------------------------
    @abc.abstractmethod
    async def add_desist(self, request: DesistRequest) -> None:
        """Store (upsert on platform, community, requester, target) a desist request."""

    @abc.abstractmethod
    async def active_desists(
        self, platform: str, community: str, target: str, now: datetime
    ) -> list[DesistRequest]:
        """Return unexpired desist requests made to ``target``."""

    @abc.abstractmethod
    async def desists_involving(
        self, platform: str, community: str, user: str, now: datetime
    ) -> list[DesistRequest]:
        """Return unexpired desist requests made by or to ``user``, oldest first."""

    @abc.abstractmethod
    async def clear_desists(
        self, platform: str, community: str, user: str, audit: AuditEntry
    ) -> int:
        """Delete every desist request made by or to ``user`` and write ``audit``, in one
        transaction (a moderator clearing a record); return how many were removed."""

    # -- settings toggled at run time (shadow mode) -------------------------------------------
    @abc.abstractmethod
    async def get_setting(self, platform: str, community: str, key: str) -> str | None:
        """Return a run-time setting for a community."""

    @abc.abstractmethod
    async def set_setting(
        self, platform: str, community: str, key: str, value: str, audit: AuditEntry | None
    ) -> None:
        """Upsert a run-time setting (and its audit entry) in one transaction."""

    # -- audit ---------------------------------------------------------------------------------
    @abc.abstractmethod
    async def add_audit(self, entry: AuditEntry) -> None:
        """Append one audit entry."""

    @abc.abstractmethod
    async def audit_log(self, platform: str, community: str, limit: int = 100) -> list[AuditEntry]:
        """Return the newest audit entries first."""

    @abc.abstractmethod
    async def audit_since(
        self,
        since: datetime,
        platform: str | None = None,
        community: str | None = None,
        action: str | None = None,
    ) -> list[AuditEntry]:
        """Return the audit entries written at or after ``since`` (of one action, if given), oldest first."""

    # -- retention and removal ----------------------------------------------------------------
    @abc.abstractmethod
    async def purge_before(self, cutoff: datetime) -> int:
        """Delete cases, idempotency keys, rate limits and expired desists older than ``cutoff``."""

    @abc.abstractmethod
    async def schedule_community_purge(self, platform: str, community: str, at: datetime) -> None:
        """Remember that the bot left a community and its data goes at ``at`` (upsert)."""

    @abc.abstractmethod
    async def cancel_community_purge(self, platform: str, community: str) -> None:
        """Forget a scheduled purge (the bot was added back within the grace period)."""

    @abc.abstractmethod
    async def purge_due_communities(self, now: datetime) -> list[tuple[str, str]]:
        """Delete every row of communities whose purge time has passed; return them."""

    # -- operations and insights ---------------------------------------------------------------
    @abc.abstractmethod
    async def check_writable(self) -> None:
        """Raise StoreError unless the database can take a write now (for ``/healthz``)."""

    @abc.abstractmethod
    async def cases_since(
        self, since: datetime, platform: str | None = None, community: str | None = None
    ) -> list[CaseRecord]:
        """Return the cases created at or after ``since``, oldest first, without their content."""

    # -- app installations (one deployment, many workspaces) ------------------------------------
    @abc.abstractmethod
    async def save_installation(self, installation: AppInstallation) -> None:
        """Store an installation, replacing the row with the same platform, kind and ids."""

    @abc.abstractmethod
    async def find_installation(
        self, platform: str, kind: str, enterprise: str, team: str, installer: str | None = None
    ) -> AppInstallation | None:
        """Return the installer's row, or with ``installer`` None the newest of that kind there."""

    @abc.abstractmethod
    async def delete_installations(
        self,
        platform: str,
        enterprise: str,
        team: str,
        kind: str | None = None,
        installer: str | None = None,
    ) -> int:
        """Delete the rows of a workspace (only of ``kind``, only ``installer``'s, if given)."""

    @abc.abstractmethod
    async def issue_oauth_state(self, platform: str, state: str, expires_at: datetime) -> None:
        """Remember an OAuth state value handed out, until ``expires_at``."""

    @abc.abstractmethod
    async def consume_oauth_state(self, platform: str, state: str, now: datetime) -> bool:
        """Forget a state value; return True only if it was issued and had not expired.

        Consuming is atomic: of two requests bearing the same state, one gets True. Expired
        values are dropped on the way.
        """
