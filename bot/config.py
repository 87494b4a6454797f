"""The YAML config, validated into typed objects, with layered per-community and per-channel overrides.

Layers, most specific wins: ``defaults`` → ``communities.<id>`` → ``communities.<id>.channels.<id>``.
Secrets never live here: tokens come from environment variables only.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.policy_file import _UniqueKeyLoader
from bot.taxonomy import ALL_LABELS, OFF_BY_DEFAULT, Severity
from bot.untrusted import clean_json

#: The route the top-level ``wellbeing:`` key fills in (the policy names no service).
WELLBEING = "wellbeing"

#: The policy folder shipped with policybot, used when a config names none.
BUNDLED_POLICY = Path(__file__).resolve().parent.parent / "policy_rules" / "dmu"


class ConfigError(Exception):
    """A config that cannot be used; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _refuse_bool(kind: str) -> BeforeValidator:
    """Return a validator that refuses true/false where the config wants a number."""

    def refuse(value: Any) -> Any:
        # YAML reads true/false, yes/no and on/off as booleans, and pydantic would take them
        # as 1 and 0: "threshold: true" would quietly mean 1.0.
        if isinstance(value, bool):
            raise ValueError(f"Input should be a valid {kind}, not true or false")
        return value

    return BeforeValidator(refuse)


#: A whole number in the file (a boolean is refused).
_Int = Annotated[int, _refuse_bool("integer")]
#: A number in the file, whole or not (a boolean is refused).
_Float = Annotated[float, _refuse_bool("number")]


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return " (did you mean 'x'?)" for the closest of ``choices`` to a typo, else ""."""
    folded = {c.casefold().replace("_", "-"): c for c in choices}
    close = difflib.get_close_matches(word.casefold().replace("_", "-"), folded, n=1, cutoff=0.75)
    return f" (did you mean {folded[close[0]]!r}?)" if close else ""


def _check_labels(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value:
        unknown = sorted(set(value) - ALL_LABELS)
        if unknown:
            hint = _did_you_mean(unknown[0], ALL_LABELS)
            known = "" if hint else f" (known: {', '.join(sorted(ALL_LABELS))})"
            raise ValueError(f"unknown label {unknown[0]!r}{hint}{known}")
    return value


class LabelOverride(_Strict):
    """Per-label switches: on/off and the score a finding needs before the bot acts."""

    enabled: bool | None = None
    threshold: _Float | None = Field(default=None, ge=0.0, le=1.0)


class ActionsOverride(_Strict):
    """Automatic actions; each is off unless a moderator turns it on."""

    delete: bool | None = None
    timeout: bool | None = None
    timeout_minutes: _Int | None = Field(default=None, ge=1, le=40320)


class Overrides(_Strict):
    """Settings a community or channel may override; ``None`` inherits the layer above."""

    labels: dict[str, LabelOverride] | None = None
    exempt_roles: list[str] | None = None
    exempt_channels: list[str] | None = None
    mod_log_channel: str | None = None
    moderator_roles: list[str] | None = None
    shadow: bool | None = None
    show_content: bool | None = None
    min_severity: Severity | None = None
    model: bool | None = None
    actions: ActionsOverride | None = None
    course_space: bool | None = None
    published_contacts: list[str] | None = None
    drama_numbers_are_placeholders: bool | None = None

    _labels_known = field_validator("labels")(_check_labels)


class CommunityConfig(Overrides):
    """Overrides for one community (Discord guild id or Slack team id), with per-channel ones."""

    channels: dict[str, Overrides] = Field(default_factory=dict)


class LadderConfig(_Strict):
    """The escalation ladder: when a finding becomes a warning or an alert, and when it decays."""

    decay_days: _Int = Field(default=30, ge=1, le=3650)
    warn_at: _Int = Field(default=2, ge=1)
    escalate_at: _Int = Field(default=3, ge=1)
    rate_limit_minutes: _Int = Field(default=10, ge=0, le=10080)
    withdraw_within_minutes: _Int = Field(default=60, ge=0, le=10080)

    @model_validator(mode="after")
    def _warn_before_escalate(self) -> LadderConfig:
        # A warning after the alert would never be seen: the ladder checks escalate_at first.
        # Only a warn_at the file sets is a mistake: "escalate_at: 1" alone means "at once".
        if "warn_at" in self.model_fields_set and self.warn_at > self.escalate_at:
            raise ValueError(
                f"warn_at ({self.warn_at}) must not be above escalate_at ({self.escalate_at})"
            )
        return self


class PrivacyConfig(_Strict):
    """What is kept and for how long."""

    store_content: bool = False
    retention_days: _Int = Field(default=180, ge=1, le=3650)
    removal_grace_days: _Int = Field(default=14, ge=0, le=365)


class WellbeingConfig(_Strict):
    """The university's wellbeing service: the policy names none, so the operator fills it in."""

    name: str = ""
    contact: str = ""


class RouteContact(_Strict):
    """How to reach one of the policy's official routes here: a web page, an email, a phone.

    Empty keeps what the policy gives. A route with no contact is never named to students.
    """

    name: str = ""
    contact: str = ""


def _check_routes(value: dict[str, RouteContact]) -> dict[str, RouteContact]:
    if WELLBEING in value:
        raise ValueError("the wellbeing service is set under the top-level wellbeing: key")
    return value


class DesistConfig(_Strict):
    """How long a request to stop ("leave me alone") stays in force."""

    days: _Int = Field(default=14, ge=1, le=365)


class DatabaseConfig(_Strict):
    """Where state lives: ``sqlite:///relative.db``, ``sqlite:////absolute.db``."""

    url: str = "sqlite:///policybot.db"

    @field_validator("url")
    @classmethod
    def _supported(cls, url: str) -> str:
        # The store's own check, without connecting: what `run` refuses, this refuses too.
        from bot.store.factory import url_problem

        problem = url_problem(url)
        if problem is not None:
            raise ValueError(problem)
        return url


class DiscordConfig(_Strict):
    """Discord adapter switches (the token comes from DISCORD_TOKEN)."""

    enabled: bool = False
    reminder_style: Literal["dm", "dm-then-channel", "channel"] = "dm-then-channel"
    channel_reply_delete_after: _Int = Field(default=30, ge=5, le=3600)
    privacy_channel: str | None = None
    sync_commands_globally: bool = False


class SlackConfig(_Strict):
    """Slack adapter switches (tokens come from SLACK_BOT_TOKEN, SLACK_APP_TOKEN, …).

    ``oauth: true`` serves every workspace that installs the app (HTTP mode, with
    SLACK_CLIENT_ID and SLACK_CLIENT_SECRET): their bot tokens are kept in the database.
    """

    enabled: bool = False
    mode: Literal["socket", "http"] = "socket"
    oauth: bool = False
    redirect_url: str | None = None  # with oauth: the Redirect URL, when the app lists several
    dm_reminders: bool = True
    moderator_usergroup: str | None = None
    admin_user_token_env: str | None = None
    port: _Int = Field(default=3000, ge=1, le=65535)


class OpsConfig(_Strict):
    """The operator's local web server (/healthz, /metrics, /insights) and log format; off by default."""

    enabled: bool = False
    host: str = "127.0.0.1"
    port: _Int = Field(default=9108, ge=0, le=65535)
    json_logs: bool | None = None  # None: JSON when stderr is not a terminal


class Defaults(_Strict):
    """The bottom layer: every setting has a value here."""

    labels: dict[str, LabelOverride] = Field(default_factory=dict)
    exempt_roles: list[str] = Field(default_factory=list)
    exempt_channels: list[str] = Field(default_factory=list)
    mod_log_channel: str | None = None
    moderator_roles: list[str] = Field(default_factory=list)
    shadow: bool = False
    show_content: bool = False
    min_severity: Severity = Severity.MEDIUM
    model: bool = True
    threshold: _Float = Field(default=0.5, ge=0.0, le=1.0)
    actions: ActionsOverride = ActionsOverride(delete=False, timeout=False, timeout_minutes=10)
    #: A course's own space: links to the learning platform are expected there.
    course_space: bool = False
    #: The community's own published contacts (its inbox, its reception's number).
    published_contacts: list[str] = Field(default_factory=list)
    #: Whether numbers from the drama and example ranges (07700 900xxx, 555-01xx) are
    #: placeholders rather than someone's number.
    drama_numbers_are_placeholders: bool = False

    _labels_known = field_validator("labels")(_check_labels)


class ConfigModel(_Strict):
    """The whole config file."""

    policy: str | None = None
    database: DatabaseConfig = DatabaseConfig()
    wellbeing: WellbeingConfig = WellbeingConfig()
    routes: dict[str, RouteContact] = Field(default_factory=dict)
    privacy: PrivacyConfig = PrivacyConfig()
    ladder: LadderConfig = LadderConfig()
    desist: DesistConfig = DesistConfig()
    defaults: Defaults = Defaults()
    communities: dict[str, CommunityConfig] = Field(default_factory=dict)
    discord: DiscordConfig = DiscordConfig()
    slack: SlackConfig = SlackConfig()
    ops: OpsConfig = OpsConfig()

    _routes_known = field_validator("routes")(_check_routes)


@dataclass(frozen=True, slots=True)
class Actions:
    """Automatic actions in force for a channel."""

    delete: bool
    timeout: bool
    timeout_minutes: int


@dataclass(frozen=True, slots=True)
class Settings:
    """The settings in force for one channel, every layer applied."""

    enabled: dict[str, bool]
    thresholds: dict[str, float]
    exempt_roles: tuple[str, ...]
    exempt_channels: tuple[str, ...]
    mod_log_channel: str | None
    moderator_roles: tuple[str, ...]
    shadow: bool
    show_content: bool
    min_severity: Severity
    actions: Actions
    #: Whether the policy classifier's findings count here (false: rules only).
    model: bool = True
    course_space: bool = False
    published_contacts: tuple[str, ...] = ()
    drama_numbers_are_placeholders: bool = False

    def label_enabled(self, label: str) -> bool:
        """Return whether findings with ``label`` are acted on here."""
        return self.enabled.get(label, True)

    def threshold(self, label: str) -> float:
        """Return the score a ``label`` finding needs here."""
        return self.thresholds[label]


class Config:
    """A validated config plus where it came from, with the layered lookup."""

    def __init__(self, model: ConfigModel, source: Path | None = None) -> None:
        self.model = model
        self.source = source
        base = source.parent if source else Path.cwd()
        self.policy_folder = (base / model.policy).resolve() if model.policy else BUNDLED_POLICY
        self._cache: dict[tuple[str, str] | None, Settings] = {}

    # Convenience views of the model's sections.
    @property
    def database(self) -> DatabaseConfig:
        return self.model.database

    @property
    def wellbeing(self) -> WellbeingConfig:
        return self.model.wellbeing

    @property
    def privacy(self) -> PrivacyConfig:
        return self.model.privacy

    @property
    def ladder(self) -> LadderConfig:
        return self.model.ladder

    @property
    def desist(self) -> DesistConfig:
        return self.model.desist

    @property
    def discord(self) -> DiscordConfig:
        return self.model.discord

    @property
    def slack(self) -> SlackConfig:
        return self.model.slack

    @property
    def ops(self) -> OpsConfig:
        return self.model.ops

    def route_contacts(self) -> dict[str, tuple[str, str]]:
        """Return (name, contact) per route id this deployment fills in, ``wellbeing`` included."""
        out = {
            rid: (r.name.strip(), r.contact.strip())
            for rid, r in self.model.routes.items()
            if r.name.strip() or r.contact.strip()
        }
        w = self.model.wellbeing
        if w.name.strip() or w.contact.strip():
            out[WELLBEING] = (w.name.strip(), w.contact.strip())
        return out

    def database_url(self) -> str:
        """Return the database URL with a relative SQLite path resolved against the config's folder."""
        url = self.model.database.url
        prefix = "sqlite:///"
        if url.startswith(prefix) and not url.startswith("sqlite:////") and self.source:
            rel = url[len(prefix) :]
            if rel != ":memory:":
                return prefix + str((self.source.parent / rel).resolve())
        return url

    def settings_for(self, platform: str, community: str, channel: str | None = None) -> Settings:
        """Return the settings in force in a channel (``platform`` is reserved for per-platform keys)."""
        # Key the cache by the layers that apply, not by the ids asked about: a channel with
        # no overrides of its own shares its community's settings, and a community the config
        # does not name shares the defaults. The cache then holds one entry per configured
        # community and channel, however many channels and threads the bot ever sees.
        comm = self.model.communities.get(community)
        if comm is None:
            key: tuple[str, str] | None = None
        elif channel and channel in comm.channels:
            key = (community, channel)
        else:
            key = (community, "")
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        d = self.model.defaults
        layers: list[Overrides] = []
        if comm is not None:
            layers.append(comm)
            if channel and channel in comm.channels:
                layers.append(comm.channels[channel])

        def pick(name: str, start: Any) -> Any:
            value = start
            for layer in layers:
                v = getattr(layer, name)
                if v is not None:
                    value = v
            return value

        enabled: dict[str, bool] = {}
        thresholds: dict[str, float] = {}
        for label in ALL_LABELS:
            on, thr = label not in OFF_BY_DEFAULT, d.threshold
            for layer_labels in [d.labels, *(layer.labels or {} for layer in layers)]:
                o = layer_labels.get(label)
                if o is not None:
                    on = o.enabled if o.enabled is not None else on
                    thr = o.threshold if o.threshold is not None else thr
            enabled[label] = on
            thresholds[label] = thr
        act = d.actions
        delete, timeout, minutes = act.delete, act.timeout, act.timeout_minutes
        for layer in layers:
            if layer.actions is not None:
                a = layer.actions
                delete = a.delete if a.delete is not None else delete
                timeout = a.timeout if a.timeout is not None else timeout
                minutes = a.timeout_minutes if a.timeout_minutes is not None else minutes
        settings = Settings(
            enabled=enabled,
            thresholds=thresholds,
            exempt_roles=tuple(pick("exempt_roles", d.exempt_roles)),
            exempt_channels=tuple(pick("exempt_channels", d.exempt_channels)),
            mod_log_channel=pick("mod_log_channel", d.mod_log_channel),
            moderator_roles=tuple(pick("moderator_roles", d.moderator_roles)),
            shadow=pick("shadow", d.shadow),
            show_content=pick("show_content", d.show_content),
            min_severity=pick("min_severity", d.min_severity),
            model=pick("model", d.model),
            actions=Actions(bool(delete), bool(timeout), int(minutes or 10)),
            course_space=pick("course_space", d.course_space),
            published_contacts=tuple(pick("published_contacts", d.published_contacts)),
            drama_numbers_are_placeholders=pick(
                "drama_numbers_are_placeholders", d.drama_numbers_are_placeholders
            ),
        )
        self._cache[key] = settings
        return settings

    def warnings(self) -> list[str]:
        """Return problems that do not stop start-up but an operator should fix."""
        where = str(self.source) if self.source else "config"
        out = []
        if not self.model.wellbeing.contact.strip():
            out.append(
                f"{where}: wellbeing.contact: empty — students at risk will only be pointed to "
                "Samaritans (116 123); add your university's wellbeing service"
            )
        if self.model.privacy.store_content:
            out.append(
                f"{where}: privacy.store_content: true — message content will be stored; "
                "say so in your server's privacy notice"
            )
        return out


def _format_loc(loc: tuple[int | str, ...]) -> str:
    # A key may hold a line break or other unprintable character: quoted, the line stays one.
    parts = (str(p) if str(p).isprintable() else repr(str(p)) for p in loc)
    return ".".join(parts) or "(top level)"


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """Return the model an annotation holds directly (``X``, ``X | None``), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


def _mapped_model(annotation: Any) -> type[BaseModel] | None:
    """Return the value model of ``dict[str, X]`` (or ``dict[str, X] | None``), if any."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(candidate) is dict:
            return _model_in(typing.get_args(candidate)[1])
    return None


def _places(model: type[BaseModel], prefix: str = "", depth: int = 0) -> Iterator[tuple[str, str]]:
    """Yield (key, dotted place) for every key the config accepts, ``<id>`` for free names."""
    for name, info in model.model_fields.items():
        place = f"{prefix}{name}"
        yield name, place
        if depth > 6:
            continue
        inner = _model_in(info.annotation)
        if inner is not None:
            yield from _places(inner, place + ".", depth + 1)
        mapped = _mapped_model(info.annotation)
        if mapped is not None:
            free = "<label>" if name == "labels" else "<id>"
            yield from _places(mapped, f"{place}.{free}.", depth + 1)


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """Return the model that holds the keys at ``loc`` (the parent of a key), if known."""
    model: type[BaseModel] | None = ConfigModel
    parts = list(loc)
    while parts and model is not None:
        info = model.model_fields.get(str(parts.pop(0)))
        if info is None:
            return None
        inner = _model_in(info.annotation)
        if inner is None:
            inner = _mapped_model(info.annotation)
            if inner is None or not parts:
                return None
            parts.pop(0)  # the free name: a community, channel or label
        model = inner
    return model


def _unknown_key(loc: tuple[int | str, ...]) -> str:
    """Say what is wrong with a key the config does not take where it stands.

    A key that belongs elsewhere ("threshold" under a community) is "not allowed here", with
    where it goes; a typo gets the nearest key ("decay_dayz": did you mean "decay_days"?).
    """
    key = str(loc[-1])
    parent = _model_at(loc[:-1])
    here = list(parent.model_fields) if parent is not None else []
    hint = _did_you_mean(key, here)
    if hint:
        return f"unknown key{hint}"
    elsewhere = sorted((place for name, place in _places(ConfigModel) if name == key), key=len)
    if elsewhere:
        shown = " or ".join(elsewhere[:2])
        return f"not allowed here ({key!r} is set at {shown})"
    return "unknown key"


def _problem(where: str, err: Any) -> str:
    loc = _format_loc(tuple(err["loc"]))
    kind = err["type"]
    if kind == "extra_forbidden":
        return f"{where}: {loc}: {_unknown_key(tuple(err['loc']))}"
    if kind == "missing":
        return f"{where}: {loc}: required key is missing"
    msg = str(err["msg"])
    msg = msg.removeprefix("Value error, ")
    given = err.get("input")
    if tuple(err["loc"]) == ("database", "url"):
        # The problem already shows the URL, its password masked; "got" would not mask it.
        return f"{where}: {loc}: {msg}"
    if kind not in ("model_type", "dict_type") and not isinstance(given, dict | list):
        return f"{where}: {loc}: {msg} (got {given!r}){_quote_hint(tuple(err['loc']), kind, given)}"
    return f"{where}: {loc}: {msg}"


def _quote_hint(loc: tuple[int | str, ...], kind: str, given: Any) -> str:
    """Return how to write text that YAML read as a number: quoted, or "" if that is not it.

    Discord ids are long numbers: unquoted, ``123456789012345678:`` is an int to YAML, and
    pydantic only says a string was expected.
    """
    if kind != "string_type" or not isinstance(given, int) or isinstance(given, bool):
        return ""
    what = "the id" if loc and loc[-1] == "[key]" else "it"
    return f'; quote {what}: "{given}"'


def parse_config(data: Any, source: Path | None = None) -> Config:
    """Validate already-parsed YAML data; raise ConfigError with one line per problem."""
    where = str(source) if source else "config"
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(
            [f"{where}: (top level): expected a mapping of keys, got {type(data).__name__}"]
        )
    try:
        model = ConfigModel.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(where, e) for e in exc.errors()]
        # A missing policy folder is a problem too, even when other keys are wrong.
        policy = data.get("policy")
        if isinstance(policy, str):
            problems.extend(_policy_problems(where, policy, source))
        raise ConfigError(problems) from None
    problems = _policy_problems(where, model.policy, source) if model.policy else []
    if problems:
        raise ConfigError(problems)
    return Config(model, source)


def _policy_problems(where: str, policy: str, source: Path | None) -> list[str]:
    base = source.parent if source else Path.cwd()
    if "\0" in policy:
        return [f"{where}: policy: {policy!r} is not a folder name"]
    folder = base / policy
    if not folder.is_dir():
        looked = str(folder.resolve())
        looked = looked if looked.isprintable() else repr(looked)
        return [f"{where}: policy: folder {policy!r} does not exist (looked in {looked})"]
    if not (folder / "policy.yaml").is_file():
        return [f"{where}: policy: folder {policy!r} has no policy.yaml"]
    return []


def load_config(path: Path | str | None) -> Config:
    """Read and validate a config file; ``None`` gives the defaults with the bundled policy."""
    if path is None:
        return Config(ConfigModel())
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([f"{path}: file not found"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path}: cannot read: {exc}"]) from None
    try:
        # The policy files' safe loader: a key given twice is refused, not silently overwritten.
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except RecursionError:
        raise ConfigError([f"{path}: invalid YAML: nested too deeply"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError([f"{path}: {at}invalid YAML: {problem}"]) from None
    # YAML's "\ud800" escapes make strings no path or encoder takes: U+FFFD instead.
    return parse_config(clean_json(data), path)
