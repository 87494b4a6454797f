"""Config: the example loads, layers override in order, and bad configs give one line per problem."""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from bot.config import ConfigError, ConfigModel, load_config, parse_config

ROOT = Path(__file__).resolve().parents[2]


def problems_in(path: Path, yaml_text: str) -> list[str]:
    """Write ``yaml_text`` to ``path`` and return the problems loading it gives."""
    path.write_text(yaml_text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return info.value.problems


def test_example_config_loads_and_names_the_bundled_policy() -> None:
    config = load_config(ROOT / "config.example.yaml")
    assert config.policy_folder == ROOT / "policy_rules" / "dmu"
    assert config.privacy.store_content is False
    assert config.database_url() == f"sqlite:///{ROOT / 'policybot.db'}"


def test_layers_apply_defaults_then_community_then_channel() -> None:
    config = parse_config(
        {
            "defaults": {"threshold": 0.5, "labels": {"mocking": {"threshold": 0.7}}},
            "communities": {
                "g1": {
                    "shadow": True,
                    "actions": {"delete": True},
                    "labels": {"rumours": {"enabled": False}},
                    "channels": {
                        "c9": {"shadow": False, "labels": {"mocking": {"enabled": False}}}
                    },
                }
            },
        }
    )
    plain = config.settings_for("discord", "other", "c1")
    assert (plain.shadow, plain.actions.delete, plain.threshold("mocking")) == (False, False, 0.7)
    community = config.settings_for("discord", "g1", "c1")
    assert community.shadow and community.actions.delete
    assert not community.label_enabled("rumours") and community.label_enabled("mocking")
    channel = config.settings_for("discord", "g1", "c9")
    assert not channel.shadow and channel.actions.delete
    assert not channel.label_enabled("mocking") and not channel.label_enabled("rumours")
    assert channel.threshold("mocking") == 0.7


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        (
            "ladder:\n  decay_days: soon\n",
            "bad.yaml: ladder.decay_days: Input should be a valid integer",
        ),
        ("colour: blue\n", "bad.yaml: colour: unknown key"),
        ("policy: nowhere\n", "bad.yaml: policy: folder 'nowhere' does not exist"),
        (
            "defaults:\n  labels:\n    swearing: {enabled: false}\n",
            "bad.yaml: defaults.labels: unknown label 'swearing'",
        ),
        (
            "defaults:\n  threshold: 1.5\n",
            "bad.yaml: defaults.threshold: Input should be less than or equal to 1",
        ),
        (
            "discord:\n  reminder_style: shout\n",
            "bad.yaml: discord.reminder_style: Input should be 'dm'",
        ),
        ("ladder: [1, 2\n", "bad.yaml: line 2, column 1: invalid YAML"),
        ("- just\n- a list\n", "bad.yaml: (top level): expected a mapping of keys, got list"),
    ],
)
def test_bad_config_names_file_key_and_problem(
    tmp_path: Path, yaml_text: str, expected: str
) -> None:
    path = tmp_path / "bad.yaml"
    problems = problems_in(path, yaml_text)
    assert len(problems) == 1
    assert problems[0].startswith(str(tmp_path / expected)), problems


def test_three_mistakes_give_three_lines(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    problems = problems_in(
        path, "policy: missing/folder\nladder:\n  decay_days: soon\ncolour: blue\n"
    )
    assert len(problems) == 3
    assert any("ladder.decay_days" in p for p in problems)
    assert any("colour: unknown key" in p for p in problems)
    assert any("policy: folder 'missing/folder' does not exist" in p for p in problems)


def test_empty_wellbeing_contact_is_a_warning_not_an_error() -> None:
    assert any("wellbeing.contact" in w for w in parse_config({}).warnings())
    filled = parse_config(
        {"wellbeing": {"name": "Wellbeing", "contact": "wellbeing@example.ac.uk"}}
    )
    assert not any("wellbeing.contact" in w for w in filled.warnings())


def test_missing_file_is_one_line() -> None:
    with pytest.raises(ConfigError) as info:
        load_config("/nonexistent/config.yaml")
    assert info.value.problems == ["/nonexistent/config.yaml: file not found"]


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        (
            'database:\n  url: "mysql://bot:hunter2@db/bot"\n',
            "database.url: unsupported scheme 'mysql' (supported: sqlite, postgresql)",
        ),
        (
            'database:\n  url: "sqlite:///bot.db?mode=ro"\n',
            "database.url: options after '?' or '#' are not supported",
        ),
        (
            "ladder:\n  warn_at: 4\n  escalate_at: 3\n",
            "ladder: warn_at (4) must not be above escalate_at (3)",
        ),
        (
            "defaults:\n  labels:\n    personal_info: {enabled: false}\n",
            "defaults.labels: unknown label 'personal_info' (did you mean 'personal-info'?)",
        ),
        (
            "ladder:\n  decay_dayz: 3\n",
            "ladder.decay_dayz: unknown key (did you mean 'decay_days'?)",
        ),
        (
            'communities:\n  "1":\n    threshold: 0.3\n',
            "communities.1.threshold: not allowed here ('threshold' is set at defaults.threshold",
        ),
        (
            'communities:\n  "1":\n    channels:\n      "2":\n        decay_days: 3\n',
            "communities.1.channels.2.decay_days: not allowed here ('decay_days' is set at "
            "ladder.decay_days)",
        ),
    ],
)
def test_validate_config_refuses_what_run_and_doctor_refuse(
    tmp_path: Path, yaml_text: str, expected: str
) -> None:
    path = tmp_path / "bad.yaml"
    problems = problems_in(path, yaml_text)
    assert problems == [problems[0]]
    assert problems[0].startswith(f"{path}: {expected}"), problems
    assert "hunter2" not in problems[0]


def test_settings_cache_holds_one_entry_per_configured_layer() -> None:
    config = parse_config(
        {"communities": {"g1": {"shadow": True, "channels": {"c9": {"shadow": False}}}}}
    )
    for n in range(5000):
        config.settings_for("discord", "g1", f"thread-{n}")
        config.settings_for("discord", f"guild-{n}", f"channel-{n}")
    assert config.settings_for("discord", "g1", "c9").shadow is False
    assert config.settings_for("discord", "g1", "thread-1").shadow is True
    assert config.settings_for("discord", "other", None).shadow is False
    # defaults, g1 and g1's configured channel c9: however many ids were asked about
    assert len(config._cache) == 3


def test_what_a_community_says_about_itself_is_layered_like_the_rest() -> None:
    config = parse_config(
        {
            "communities": {
                "g1": {
                    "published_contacts": ["committee@example.org"],
                    "drama_numbers_are_placeholders": True,
                    "channels": {"module": {"course_space": True}},
                }
            }
        }
    )
    plain = config.settings_for("discord", "other", "c1")
    assert (plain.course_space, plain.published_contacts) == (False, ())
    assert not plain.drama_numbers_are_placeholders
    general = config.settings_for("discord", "g1", "c1")
    assert general.published_contacts == ("committee@example.org",)
    assert general.drama_numbers_are_placeholders and not general.course_space
    assert config.settings_for("discord", "g1", "module").course_space


def test_a_bad_course_space_is_one_line() -> None:
    with pytest.raises(ConfigError) as err:
        parse_config({"defaults": {"course_space": "sometimes"}})
    assert len(err.value.problems) == 1
    assert err.value.problems[0].startswith("config: defaults.course_space:")


@pytest.mark.parametrize(
    ("raw", "confidential", "disrepute"),
    [
        # Built-in defaults (no config file): the labels that need a human's judgement are off.
        ({}, False, False),
        # A community turns one on.
        (
            {"communities": {"g1": {"labels": {"confidential-info": {"enabled": True}}}}},
            True,
            False,
        ),
    ],
)
def test_labels_needing_judgement_are_off_until_a_community_turns_them_on(
    raw: dict[str, object], confidential: bool, disrepute: bool
) -> None:
    settings = parse_config(raw).settings_for("discord", "g1")
    assert settings.label_enabled("confidential-info") is confidential
    assert settings.label_enabled("disrepute") is disrepute
    assert settings.label_enabled("personal-info") is True


#: Every number the config takes, with the free names (a community, a channel, a label) filled in.
NUMERIC_KEYS = [
    "defaults.threshold",
    "defaults.labels.mocking.threshold",
    "defaults.actions.timeout_minutes",
    "communities.1.labels.mocking.threshold",
    "communities.1.actions.timeout_minutes",
    "communities.1.channels.2.labels.mocking.threshold",
    "communities.1.channels.2.actions.timeout_minutes",
    "ladder.decay_days",
    "ladder.warn_at",
    "ladder.escalate_at",
    "ladder.rate_limit_minutes",
    "ladder.withdraw_within_minutes",
    "privacy.retention_days",
    "privacy.removal_grace_days",
    "desist.days",
    "discord.channel_reply_delete_after",
    "slack.port",
    "ops.port",
]
FREE_NAMES = {"labels": "mocking", "communities": "1", "channels": "2", "routes": "r"}


def _numeric_keys(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    """Yield the dotted key of every int or float field under ``model``."""
    for name, info in model.model_fields.items():
        place = f"{prefix}{name}"
        union = typing.get_origin(info.annotation) in (typing.Union, types.UnionType)
        for arg in typing.get_args(info.annotation) if union else (info.annotation,):
            if typing.get_origin(arg) is typing.Annotated:
                arg = typing.get_args(arg)[0]  # the number under its validators
            if arg in (int, float):
                yield place
            elif typing.get_origin(arg) is dict:
                value = typing.get_args(arg)[1]
                yield from _numeric_keys(value, f"{place}.{FREE_NAMES[name]}.")
            elif isinstance(arg, type) and issubclass(arg, BaseModel):
                yield from _numeric_keys(arg, f"{place}.")


def _nested(key: str, value: object) -> str:
    """Return YAML setting the dotted ``key`` to ``value``, every name quoted."""
    parts = key.split(".")
    lines = [f'{"  " * depth}"{part}":' for depth, part in enumerate(parts[:-1])]
    lines.append(f'{"  " * (len(parts) - 1)}"{parts[-1]}": {value}')
    return "\n".join(lines) + "\n"


def test_the_table_of_numbers_names_every_number_the_config_takes() -> None:
    assert sorted(_numeric_keys(ConfigModel)) == sorted(NUMERIC_KEYS)


@pytest.mark.parametrize("key", NUMERIC_KEYS)
@pytest.mark.parametrize("boolean", ["true", "false", "yes", "off"])
def test_a_boolean_is_not_a_number(tmp_path: Path, key: str, boolean: str) -> None:
    path = tmp_path / "bad.yaml"
    problems = problems_in(path, _nested(key, boolean))
    assert len(problems) == 1, problems
    kind = "number" if key.endswith("threshold") else "integer"
    assert problems[0].startswith(
        f"{path}: {key}: Input should be a valid {kind}, not true or false (got "
    ), problems


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("defaults.threshold", "1", 1.0),  # a whole number is a threshold too
        ("defaults.threshold", "0", 0.0),
        ("defaults.labels.mocking.threshold", "1", 1.0),
        ("ladder.decay_days", "40", 40),
    ],
)
def test_whole_numbers_still_fill_numeric_keys(
    tmp_path: Path, key: str, value: str, expected: float
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(_nested(key, value))
    config = load_config(path)
    if key == "ladder.decay_days":
        assert config.ladder.decay_days == expected
    else:
        assert config.settings_for("discord", "g1").threshold("mocking") == expected


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        (
            "ladder:\n  decay_days: 30\n  decay_days: 40\n",
            "line 3, column 3: invalid YAML: duplicate key 'decay_days'",
        ),
        (
            "desist:\n  days: 3\nprivacy: {}\ndesist: {}\n",
            "line 4, column 1: invalid YAML: duplicate key 'desist'",
        ),
        (
            'communities:\n  "1": {shadow: true}\n  "1": {shadow: false}\n',
            "line 3, column 3: invalid YAML: duplicate key '1'",
        ),
        (
            "defaults:\n  labels:\n    mocking: {enabled: false, enabled: true}\n",
            "line 3, column 31: invalid YAML: duplicate key 'enabled'",
        ),
    ],
)
def test_a_key_given_twice_is_one_line_naming_its_line(
    tmp_path: Path, yaml_text: str, expected: str
) -> None:
    path = tmp_path / "bad.yaml"
    problems = problems_in(path, yaml_text)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{path}: {expected}"), problems


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        (
            "communities:\n  123456789012345678: {shadow: true}\n",
            "communities.123456789012345678.[key]: Input should be a valid string "
            '(got 123456789012345678); quote the id: "123456789012345678"',
        ),
        (
            'communities:\n  "1":\n    channels:\n      423456789012345678: {shadow: true}\n',
            "communities.1.channels.423456789012345678.[key]: Input should be a valid string "
            '(got 423456789012345678); quote the id: "423456789012345678"',
        ),
        (
            "defaults:\n  mod_log_channel: 223456789012345678\n",
            "defaults.mod_log_channel: Input should be a valid string "
            '(got 223456789012345678); quote it: "223456789012345678"',
        ),
        # Not a number: nothing to quote.
        (
            "defaults:\n  exempt_roles: [[1]]\n",
            "defaults.exempt_roles.0: Input should be a valid string",
        ),
    ],
)
def test_an_unquoted_id_is_one_line_saying_to_quote_it(
    tmp_path: Path, yaml_text: str, expected: str
) -> None:
    path = tmp_path / "bad.yaml"
    problems = problems_in(path, yaml_text)
    assert problems == [f"{path}: {expected}"]
