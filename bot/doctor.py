"""``policybot doctor``: check the config, the policy folder, the database and the tokens.

Every check says what it found and, when something is wrong, what to do about it. Token values
are never printed: only whether each is set, whether a Slack token is of the kind its variable
needs (by its public prefix: xoxb-, xapp-) and, online, whether its platform accepts it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from bot.app import load_policy_and_rules
from bot.config import Config, ConfigError, load_config
from bot.credentials import SLACK_TOKEN_KINDS, Token, required_tokens
from bot.notices import route_warnings
from bot.policy import PolicyError
from bot.rules import RuleError
from bot.store import StoreError, open_store
from bot.store.postgres import masked_url

SLACK_API = "https://slack.com/api"
DISCORD_API = "https://discord.com/api/v10"
ONLINE_TIMEOUT_SECONDS = 10


@dataclass(frozen=True, slots=True)
class Check:
    """One line of the doctor's report; ``status`` is ok | warn | fail | skip."""

    name: str
    status: str
    detail: str
    fix: str = ""


class Doctor:
    """Run the checks against a config file and an environment."""

    def __init__(
        self,
        config_path: str | None,
        env: Mapping[str, str] | None = None,
        *,
        slack_api: str = SLACK_API,
        discord_api: str = DISCORD_API,
    ) -> None:
        self.config_path = config_path
        self.env = env if env is not None else os.environ
        self.slack_api = slack_api
        self.discord_api = discord_api

    async def run(self, online: bool = False) -> list[Check]:
        """Return every check, stopping early only when the config cannot be read."""
        checks: list[Check] = []
        try:
            config = load_config(self.config_path)
        except ConfigError as exc:
            return [
                Check(
                    "config",
                    "fail",
                    "; ".join(exc.problems),
                    "fix the keys named (policybot validate-config FILE)",
                )
            ]
        where = self.config_path or "no config file: built-in defaults"
        checks.append(Check("config", "ok", str(where)))
        checks += [Check("config warning", "warn", w) for w in config.warnings()]
        checks += self._policy(config)
        checks.append(await self._database(config))
        checks += self._tokens(config)
        if online:
            checks += await self._online(config)
        return checks

    def _policy(self, config: Config) -> list[Check]:
        try:
            policy, rules = load_policy_and_rules(config)
        except ConfigError as exc:
            return [Check("policy", "fail", "; ".join(exc.problems), "fix the config's routes:")]
        except (PolicyError, RuleError) as exc:
            return [
                Check(
                    "policy",
                    "fail",
                    "; ".join(exc.problems),
                    f"fix the files in {config.policy_folder}",
                )
            ]
        loaded = Check(
            "policy", "ok", f"{policy.name}: {len(policy.clauses)} clauses, rules loaded"
        )
        return [loaded] + [Check("route", "warn", w) for w in route_warnings(config, policy)]

    async def _database(self, config: Config) -> Check:
        url = config.database_url()
        path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else None
        if path is not None and path != ":memory:" and not Path(path).exists():
            # Creating the database is the bot's job on first start, not the doctor's.
            folder = Path(path).parent
            if folder.is_dir() and os.access(folder, os.W_OK):
                return Check("database", "ok", f"{path} will be created on first start")
            return Check(
                "database",
                "fail",
                f"{path}: folder {folder} is missing or not writable",
                "create the folder or point database.url elsewhere",
            )
        try:
            async with open_store(url, exclusive=False) as store:
                await store.check_writable()
        except StoreError as exc:
            return Check(
                "database", "fail", str(exc), "check the file's permissions and free space"
            )
        return Check("database", "ok", f"{path or masked_url(url)} is writable")

    def _tokens(self, config: Config) -> list[Check]:
        tokens = required_tokens(config)
        if not tokens:
            return [
                Check(
                    "tokens",
                    "skip",
                    "no adapter is enabled: only the playground, check and scan will work",
                    "set discord.enabled or slack.enabled in the config to run the bot",
                )
            ]
        return [self._token(t) for t in tokens]

    def _value(self, env: str) -> str:
        """Return an environment variable as the adapters read it: stripped, "" when unset."""
        return self.env.get(env, "").strip()

    def _token(self, token: Token) -> Check:
        """Check that one token is set and, when its kind shows in its value, the right kind."""
        name = f"token {token.env}"
        value = self._value(token.env)
        if not value:
            # Whitespace only is what the adapters see as no token at all.
            return Check(name, "fail", "not set", f"export {token.env}=… (from {token.where})")
        if token.prefix and not value.startswith(token.prefix):
            # Say which kind of token it holds by its public prefix, never by its value.
            wanted = SLACK_TOKEN_KINDS[token.prefix]
            held = [
                f"{kind} ({p}…)" for p, kind in SLACK_TOKEN_KINDS.items() if value.startswith(p)
            ]
            detail = f"holds {held[0]}, not {wanted}" if held else f"is not {wanted}"
            return Check(
                name,
                "fail",
                f"{detail}: it must start with {token.prefix}",
                f"export {token.env}={token.prefix}… (from {token.where})",
            )
        return Check(name, "ok", "set")

    async def _online(self, config: Config) -> list[Check]:
        checks = []
        timeout = aiohttp.ClientTimeout(total=ONLINE_TIMEOUT_SECONDS)
        discord_token, slack_token = self._value("DISCORD_TOKEN"), self._value("SLACK_BOT_TOKEN")
        async with aiohttp.ClientSession(timeout=timeout) as http:
            if config.discord.enabled and discord_token:
                checks.append(await self._discord(http, discord_token))
            if config.slack.enabled and config.slack.oauth:
                checks.append(
                    Check(
                        "slack online",
                        "skip",
                        "slack.oauth: each workspace's token comes from its install",
                        "install the app from /slack/install and watch the log",
                    )
                )
            elif config.slack.enabled and slack_token:
                checks.append(await self._slack(http, slack_token))
        return checks

    async def _discord(self, http: aiohttp.ClientSession, token: str) -> Check:
        name = "discord online"
        try:
            async with http.get(
                f"{self.discord_api}/users/@me", headers={"Authorization": f"Bot {token}"}
            ) as response:
                if response.status == 200:
                    me = await response.json()
                    return Check(name, "ok", f"token accepted: bot {me.get('username', '?')}")
                if response.status == 401:
                    return Check(
                        name,
                        "fail",
                        "Discord refused DISCORD_TOKEN (401)",
                        "reset the token on the Developer Portal's Bot page and export it again",
                    )
                return Check(name, "fail", f"Discord answered HTTP {response.status}")
        except (aiohttp.ClientError, TimeoutError) as exc:
            return Check(name, "fail", f"cannot reach Discord: {type(exc).__name__}")

    async def _slack(self, http: aiohttp.ClientSession, token: str) -> Check:
        name = "slack online"
        try:
            async with http.post(
                f"{self.slack_api}/auth.test", headers={"Authorization": f"Bearer {token}"}
            ) as response:
                body = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            return Check(name, "fail", f"cannot reach Slack: {type(exc).__name__}")
        if body.get("ok"):
            return Check(name, "ok", f"token accepted: {body.get('user')} in {body.get('team')}")
        return Check(
            name,
            "fail",
            f"Slack refused SLACK_BOT_TOKEN ({body.get('error', 'unknown error')})",
            "reinstall the app to the workspace and copy the Bot User OAuth Token",
        )


MARKS = {"ok": "ok  ", "warn": "warn", "fail": "FAIL", "skip": "skip"}


def render(checks: list[Check]) -> str:
    """Return the report: one line per check, with what to fix under each problem."""
    lines = []
    for c in checks:
        lines.append(f"[{MARKS[c.status]}] {c.name}: {c.detail}")
        if c.fix and c.status in ("fail", "warn", "skip"):
            lines.append(f"       fix: {c.fix}")
    failed = sum(c.status == "fail" for c in checks)
    lines.append("")
    lines.append(f"{failed} problem(s) to fix." if failed else "All checks passed.")
    return "\n".join(lines) + "\n"
