"""Slack installations kept in policybot's own database: Bolt's installation and OAuth state stores.

With ``slack.oauth: true`` one deployment serves every workspace that installs the app: Bolt's
OAuth flow saves each installation through ``StoreInstallations``, and Bolt finds the
workspace's bot token there for every request. The rows live in the database the rest of
policybot uses (SQLite, or PostgreSQL shared by several processes); state values handed out at
the start of an install are kept there too (``StoreOAuthStates``), so the install can finish on
any process, once.

Bot tokens are secrets. With POLICYBOT_TOKEN_KEY set to a Fernet key, the installation data is
encrypted before it reaches the database, and only the team and user ids beside it stay
readable. Without the key the database holds the tokens as they are, and must be guarded as
closely as they are.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from adapters.slack.events import PLATFORM
from bot.store import AppInstallation, Store, StoreError

TOKEN_KEY_ENV = "POLICYBOT_TOKEN_KEY"
#: The bot scopes an install asks for: the manifest's ``oauth_config.scopes.bot``.
BOT_SCOPES = (
    "channels:history",
    "groups:history",
    "chat:write",
    "commands",
    "im:write",
    "users:read",
    "usergroups:read",
)
#: Row kinds: one per installing user (Bolt's Installation), one per workspace (Bolt's Bot).
INSTALLATION = "installation"
BOT = "bot"
#: How a sealed value starts, so that rows written before a key was set still open.
_SEALED = "fernet:"
_MAKE_KEY = (
    'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
)

log = logging.getLogger(__name__)


class TokenBox:
    """Seal installation data with a Fernet key before it is stored, and open it again."""

    def __init__(self, key: str | None = None) -> None:
        try:
            self._fernet = Fernet(key.encode()) if key else None
        except ValueError:
            raise ValueError(
                f"{TOKEN_KEY_ENV} is not a Fernet key (32 url-safe base64-encoded bytes); "
                f"make one with: {_MAKE_KEY}"
            ) from None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TokenBox:
        """Return the box for POLICYBOT_TOKEN_KEY (no encryption when it is unset)."""
        return cls(env.get(TOKEN_KEY_ENV, "").strip() or None)

    @property
    def encrypts(self) -> bool:
        """Return whether stored data is encrypted."""
        return self._fernet is not None

    def seal(self, text: str) -> str:
        """Return ``text`` encrypted when there is a key, else as it is."""
        if self._fernet is None:
            return text
        return _SEALED + self._fernet.encrypt(text.encode()).decode()

    def open(self, data: str) -> str:
        """Return the text ``seal`` was given; raise StoreError when the key cannot open it."""
        if not data.startswith(_SEALED):
            return data
        if self._fernet is None:
            raise StoreError(f"slack installations are encrypted: set {TOKEN_KEY_ENV} to their key")
        try:
            return self._fernet.decrypt(data.removeprefix(_SEALED).encode()).decode()
        except InvalidToken:
            raise StoreError(
                f"{TOKEN_KEY_ENV} does not open the stored Slack installations (was it changed?)"
            ) from None


def _team(team_id: str | None, is_enterprise_install: bool | None) -> str:
    # An organisation-wide install belongs to the organisation, not to one of its workspaces.
    return "" if is_enterprise_install or team_id is None else team_id


class StoreInstallations(AsyncInstallationStore):
    """Bolt's installation store on policybot's ``Store``: one row per installer, one per bot."""

    def __init__(self, store: Store, box: TokenBox) -> None:
        self._store = store
        self._box = box

    @property
    def logger(self) -> logging.Logger:
        """Return the logger Bolt may write to."""
        return log

    async def async_save(self, installation: Installation) -> None:
        """Save an installation, and its bot as the workspace's current one."""
        await self._save(
            INSTALLATION,
            installation.enterprise_id,
            _team(installation.team_id, installation.is_enterprise_install),
            installation.user_id,
            installation.__dict__,
            installation.installed_at,
        )
        if installation.bot_token is not None:
            await self.async_save_bot(installation.to_bot())

    async def async_save_bot(self, bot: Bot) -> None:
        """Save the workspace's bot (its token), replacing the one before."""
        team = _team(bot.team_id, bot.is_enterprise_install)
        await self._save(BOT, bot.enterprise_id, team, "", bot.__dict__, bot.installed_at)

    async def _save(
        self,
        kind: str,
        enterprise: str | None,
        team: str,
        installer: str,
        fields: dict[str, Any],
        installed_at: float,
    ) -> None:
        await self._store.save_installation(
            AppInstallation(
                platform=PLATFORM,
                kind=kind,
                enterprise=enterprise or "",
                team=team,
                installer=installer,
                data=self._box.seal(json.dumps(fields)),
                installed_at=datetime.fromtimestamp(installed_at, UTC),
            )
        )

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        """Return the workspace's bot, or None when the app is not installed there."""
        row = await self._store.find_installation(
            PLATFORM, BOT, enterprise_id or "", _team(team_id, is_enterprise_install)
        )
        return Bot(**json.loads(self._box.open(row.data))) if row else None

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        """Return the user's installation, or without ``user_id`` the workspace's newest."""
        row = await self._store.find_installation(
            PLATFORM,
            INSTALLATION,
            enterprise_id or "",
            _team(team_id, is_enterprise_install),
            user_id,
        )
        return Installation(**json.loads(self._box.open(row.data))) if row else None

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """Forget the workspace's bot (its token was revoked)."""
        await self._store.delete_installations(PLATFORM, enterprise_id or "", team_id or "", BOT)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        """Forget one user's installation, or every installation in the workspace."""
        await self._store.delete_installations(
            PLATFORM, enterprise_id or "", team_id or "", INSTALLATION, user_id
        )

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """Forget everything about the workspace's installations (the app was uninstalled)."""
        await self._store.delete_installations(PLATFORM, enterprise_id or "", team_id or "")


class StoreOAuthStates(AsyncOAuthStateStore):
    """Bolt's OAuth state store on policybot's ``Store``: each value works once, for a while."""

    def __init__(
        self,
        store: Store,
        expiration_seconds: int = 600,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._store = store
        self._lifetime = timedelta(seconds=expiration_seconds)
        self._clock = clock

    @property
    def logger(self) -> logging.Logger:
        """Return the logger Bolt may write to."""
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        """Hand out a new, unguessable state value."""
        state = secrets.token_urlsafe(32)
        await self._store.issue_oauth_state(PLATFORM, state, self._clock() + self._lifetime)
        return state

    async def async_consume(self, state: str) -> bool:
        """Return True once for a value handed out and not yet expired."""
        return await self._store.consume_oauth_state(PLATFORM, state, self._clock())


@dataclass(frozen=True, slots=True)
class SlackOAuth:
    """What the OAuth flow needs: the app's credentials and scopes, and where installs are kept."""

    client_id: str
    client_secret: str
    scopes: tuple[str, ...]
    installations: StoreInstallations
    states: StoreOAuthStates
    redirect_uri: str | None = None
