"""The config loader over any input: a Config, or one clear line per problem, never a crash.

Hypothesis draws config files three ways: configs of the real shape with any value at any key
(and keys that are not there), any YAML a mapping or not, and any bytes. Each must load, or
fail with ConfigError lines that name the file, one problem a line.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import Config, ConfigError, load_config
from bot.taxonomy import ALL_LABELS
from tests.strategies import ANY_JSON, ANY_TEXT, IDS

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def values(*good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Return what a key may hold: a good value most of the time, anything at all otherwise."""
    return st.one_of(*good, *good, ANY_JSON)


def section(keys: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """Return a mapping with some of ``keys`` (and sometimes a key that is not one)."""
    return values(
        st.fixed_dictionaries(
            {}, optional={**keys, "decay_dayz": ANY_JSON, "threshold": st.floats(0, 1)}
        )
    )


NUMBER = st.one_of(st.integers(-5, 5000), st.floats(allow_nan=True))
LABEL_NAMES = st.one_of(st.sampled_from(sorted(ALL_LABELS)), ANY_TEXT, st.just("personal_info"))
LABELS = values(
    st.dictionaries(
        LABEL_NAMES,
        section({"enabled": values(st.booleans()), "threshold": values(st.floats(0, 1))}),
        max_size=3,
    )
)
OVERRIDES = {
    "labels": LABELS,
    "shadow": values(st.booleans()),
    "show_content": values(st.booleans()),
    "min_severity": values(st.sampled_from(["low", "medium", "high"])),
    "exempt_roles": values(st.lists(ANY_TEXT, max_size=2)),
    "mod_log_channel": values(ANY_TEXT),
    "actions": section({"delete": st.booleans(), "timeout_minutes": NUMBER}),
}
CONFIGS = st.fixed_dictionaries(
    {},
    optional={
        "policy": values(st.sampled_from(["no/such/folder", "\0", "."]), ANY_TEXT),
        "database": section(
            {
                "url": values(
                    st.sampled_from(
                        ["sqlite:///bot.db", "mysql://x/y", "sqlite:///a?b", "postgresql://h/d"]
                    ),
                    ANY_TEXT,
                )
            }
        ),
        "ladder": section(
            {
                "decay_days": NUMBER,
                "warn_at": NUMBER,
                "escalate_at": NUMBER,
                "rate_limit_minutes": NUMBER,
            }
        ),
        "desist": section({"days": NUMBER}),
        "privacy": section({"store_content": st.booleans(), "retention_days": NUMBER}),
        "wellbeing": section({"name": ANY_TEXT, "contact": ANY_TEXT}),
        "defaults": section(OVERRIDES),
        "communities": values(
            st.dictionaries(
                IDS.map(str),
                section(
                    {
                        **OVERRIDES,
                        "channels": values(
                            st.dictionaries(ANY_TEXT, section(OVERRIDES), max_size=2)
                        ),
                    }
                ),
                max_size=2,
            )
        ),
        "discord": section({"enabled": st.booleans(), "reminder_style": ANY_TEXT}),
        "slack": section({"mode": st.sampled_from(["socket", "http", "x"]), "port": NUMBER}),
        "ops": section({"port": NUMBER, "host": ANY_TEXT}),
        "colour": ANY_JSON,
    },
)


def check(data: bytes) -> None:
    """Load ``data`` as a config file: a usable Config, or ConfigError lines naming the file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "config.yaml"
        path.write_bytes(data)
        try:
            config = load_config(path)
        except ConfigError as exc:
            assert exc.problems
            for problem in exc.problems:
                assert problem.startswith(f"{path}: ") and "\n" not in problem, problem
            return
    assert isinstance(config, Config)
    config.warnings()
    config.database_url()
    for community in ("1", "x", *config.model.communities):
        config.settings_for("discord", community, "c1")


def dump(data: Any) -> bytes:
    """Write data as YAML the way a person might, lone surrogates and all."""
    try:
        text = yaml.safe_dump(data, allow_unicode=True)
    except yaml.YAMLError:
        text = repr(data)
    return text.encode("utf-8", "surrogatepass")


@SETTINGS
@given(data=CONFIGS)
def test_a_config_of_the_right_shape_loads_or_says_what_is_wrong(data: dict[str, Any]) -> None:
    check(dump(data))
    check(yaml.safe_dump(data).encode())  # lone surrogates escaped as YAML writes them


@SETTINGS
@given(data=ANY_JSON)
def test_any_yaml_loads_or_says_what_is_wrong(data: Any) -> None:
    check(dump(data))


@SETTINGS
@given(data=st.one_of(st.binary(max_size=120), st.integers(1, 1500).map(lambda n: b"[" * n)))
def test_any_bytes_load_or_say_what_is_wrong(data: bytes) -> None:
    check(data)
