"""Assemble the core from a config: policy, rules, store, engine and moderation, in that order."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.config import Config, ConfigError, load_config, parse_config
from bot.engine import Clock, Engine, utcnow
from bot.moderation import Moderation
from bot.policy import Policy, PolicyError, load_policy
from bot.rules import RuleError, RuleSet, load_rules
from bot.store import Store
from bot.store.factory import open_store


@dataclass
class Core:
    """Everything an adapter needs, built once and passed in through its constructor."""

    config: Config
    policy: Policy
    rules: RuleSet
    store: Store
    engine: Engine
    moderation: Moderation

    def __repr__(self) -> str:
        # The default repr would print the whole policy; test runners and logs call it often.
        return f"Core(policy={self.policy.name!r}, folder={str(self.config.policy_folder)!r})"

    async def close(self) -> None:
        """Close the store cleanly."""
        await self.store.close()

    def reload(self) -> str | None:
        """Re-read the config, policy and rules in place; return the problem, or None if reloaded.

        The store stays open as it is (a changed ``database.url`` needs a restart). Without a
        config file, the config in force is kept and only the policy folder is re-read. On a
        problem nothing changes: the bot keeps running on what it had.
        """
        try:
            config = load_config(self.config.source) if self.config.source else self.config
            policy, rules = load_policy_and_rules(config)
        except (ConfigError, PolicyError, RuleError) as exc:
            return str(exc).splitlines()[0]
        old = self.engine
        engine = Engine(
            policy=policy,
            rules=rules,
            config=config,
            store=self.store,
            clock=old.clock,
            observers=old.observers,
        )
        engine.adopt_names(old)
        self.config, self.policy, self.rules, self.engine = config, policy, rules, engine
        self.moderation = Moderation(engine, self.store, config)
        return None


def load_policy_and_rules(config: Config) -> tuple[Policy, RuleSet]:
    """Load the policy folder the config names, and its rules checked against its clauses."""
    policy = load_policy(config.policy_folder)
    unknown = sorted(set(config.model.routes) - set(policy.routes))
    if unknown:
        where = str(config.source) if config.source else "config"
        raise ConfigError(
            [
                f"{where}: routes.{rid}: the policy has no route {rid!r} "
                f"(its routes: {', '.join(policy.routes)})"
                for rid in unknown
            ]
        )
    policy = policy.with_contacts(config.route_contacts())
    rules = load_rules(config.policy_folder, set(policy.clauses))
    return policy, rules


async def build_core(
    config: Config,
    *,
    store: Store | None = None,
    clock: Clock = utcnow,
    loaded: tuple[Policy, RuleSet] | None = None,
) -> Core:
    """Build and open the core for a config (the store from ``database.url`` unless given).

    ``loaded`` reuses an already loaded policy and rule set (both immutable) for the same
    policy folder, which saves compiling every rule again.
    """
    policy, rules = loaded if loaded is not None else load_policy_and_rules(config)
    if store is None:
        store = open_store(config.database_url())
    await store.open()
    engine = Engine(policy=policy, rules=rules, config=config, store=store, clock=clock)
    return Core(config, policy, rules, store, engine, Moderation(engine, store, config))


async def build_core_for_tests(
    tmp_path: Path,
    overrides: dict[str, Any] | None = None,
    *,
    clock: Clock = utcnow,
    loaded: tuple[Policy, RuleSet] | None = None,
) -> Core:
    """Build a core on a SQLite file in ``tmp_path`` with config ``overrides`` (tests, playground)."""
    data: dict[str, Any] = {"database": {"url": f"sqlite:///{tmp_path / 'policybot.db'}"}}
    data.update(overrides or {})
    config = parse_config(data)
    if loaded is not None and config.route_contacts():
        loaded = None  # the policy's routes are filled in from this config
    return await build_core(config, clock=clock, loaded=loaded)
