"""Storage: the interface the engine relies on, and its engines (SQLite now)."""

from bot.store.base import Store
from bot.store.errors import StoreError
from bot.store.factory import open_store
from bot.store.records import (
    AppInstallation,
    AuditEntry,
    CaseRecord,
    CaseStatus,
    DesistRequest,
    NewCase,
)

__all__ = [
    "AppInstallation",
    "AuditEntry",
    "CaseRecord",
    "CaseStatus",
    "DesistRequest",
    "NewCase",
    "Store",
    "StoreError",
    "open_store",
]
