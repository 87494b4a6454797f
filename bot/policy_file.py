"""Read and validate a policy folder's ``policy.yaml``, naming file, line and key on every problem.

The shape is described in ``policy_rules/README.md``. This module only checks the file;
``bot.policy`` turns the validated model into the frozen objects the rest of the bot uses.
"""

from __future__ import annotations

import datetime
import types
import typing
from pathlib import Path
from typing import Annotated, Any, Union

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictStr,
    ValidationError,
    field_validator,
)

#: The file every policy folder holds.
POLICY_FILE = "policy.yaml"

_CLAUSE_ID = r"^[0-9A-Za-z]+(?:[.-][0-9A-Za-z]+)*$"
_ROUTE_ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class PolicyError(Exception):
    """A policy folder that cannot be used; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _number_to_str(value: Any) -> Any:
    # A section number is naturally written unquoted (`number: 4`); a clause id is not, see ClauseModel.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _date_to_str(value: Any) -> Any:
    # YAML reads 2023-06-01 as a date; the policy's dates are free text ("June 2023").
    return value.isoformat() if isinstance(value, datetime.date) else value


_Text = Annotated[StrictStr, Field(min_length=1)]
_DateText = Annotated[StrictStr, BeforeValidator(_date_to_str)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceModel(_Strict):
    """Where the policy comes from and when it was approved: free text, all optional."""

    document: StrictStr = ""
    originating_directorate: StrictStr = ""
    created: _DateText = ""
    approved_by: StrictStr = ""
    approval_date: _DateText = ""
    effective_date: _DateText = ""
    review_date: _DateText = ""


class ClauseModel(_Strict):
    """One numbered clause: the policy's own text and bullets, plus a heading and lookup words."""

    id: Annotated[StrictStr, Field(pattern=_CLAUSE_ID)]
    heading: _Text
    text: _Text
    items: list[_Text] = Field(default_factory=list)
    keywords: list[_Text] = Field(default_factory=list)


class SectionModel(_Strict):
    """A numbered section of the policy and its clauses, in document order."""

    number: Annotated[_Text, BeforeValidator(_number_to_str)]
    title: _Text
    clauses: list[ClauseModel] = Field(min_length=1)


class RouteModel(_Strict):
    """An official route or support service; ``contact`` stays empty when the policy gives none."""

    id: Annotated[StrictStr, Field(pattern=_ROUTE_ID)]
    name: _Text
    description: _Text
    when: _Text
    contact: StrictStr = ""
    clauses: list[StrictStr] = Field(default_factory=list)

    @field_validator("contact")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if "\n" in value.strip():
            raise ValueError("must be one line (email, phone or web address)")
        return value.strip()


class PolicyModel(_Strict):
    """The whole ``policy.yaml``."""

    name: _Text
    university: _Text
    source: SourceModel = SourceModel()
    sections: list[SectionModel] = Field(min_length=1)
    routes: list[RouteModel] = Field(default_factory=list)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key given twice, which PyYAML would silently overwrite."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_policy_file(folder: Path) -> PolicyModel:
    """Return the validated ``policy.yaml`` of ``folder``; raise PolicyError listing every problem."""
    if not folder.is_dir():
        raise PolicyError([f"{folder}: policy folder not found"])
    path = folder / POLICY_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError([f"{path}: file not found (every policy folder needs one)"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError([f"{path}: cannot read: {exc}"]) from None
    node, data = _parse_yaml(path, text)
    if not isinstance(data, dict):
        got = "nothing" if data is None else type(data).__name__
        raise PolicyError([f"{path}: (top level): expected a mapping of keys, got {got}"])
    try:
        model = PolicyModel.model_validate(data)
    except ValidationError as exc:
        raise PolicyError([_problem(path, node, data, err) for err in exc.errors()]) from None
    problems = _cross_check(model, path, node)
    if problems:
        raise PolicyError(problems)
    return model


def _parse_yaml(path: Path, text: str) -> tuple[yaml.Node | None, Any]:
    loader = _UniqueKeyLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PolicyError([f"{path}: {at}invalid YAML: {problem}"]) from None
    finally:
        loader.dispose()
    return node, data


def _cross_check(model: PolicyModel, path: Path, node: yaml.Node | None) -> list[str]:
    """Return the problems no single key shows: repeated ids and routes citing unknown clauses."""
    problems: list[str] = []
    clause_ids: set[str] = set()
    for s, section in enumerate(model.sections):
        for c, clause in enumerate(section.clauses):
            loc: tuple[str | int, ...] = ("sections", s, "clauses", c, "id")
            if clause.id in clause_ids:
                problems.append(_line(path, node, loc, f"clause {clause.id!r} appears twice"))
            clause_ids.add(clause.id)
    route_ids: set[str] = set()
    for r, route in enumerate(model.routes):
        if route.id in route_ids:
            loc = ("routes", r, "id")
            problems.append(_line(path, node, loc, f"route {route.id!r} appears twice"))
        route_ids.add(route.id)
        for i, cited in enumerate(route.clauses):
            if cited not in clause_ids:
                loc = ("routes", r, "clauses", i)
                problems.append(_line(path, node, loc, f"unknown clause {cited!r}"))
    return problems


def _problem(path: Path, node: yaml.Node | None, data: Any, err: Any) -> str:
    loc = tuple(err["loc"])
    kind = err["type"]
    given = err.get("input")
    if kind == "extra_forbidden":
        known = _known_keys(loc[:-1])
        hint = f" (known keys: {', '.join(known)})" if known else ""
        return _line(path, node, loc, f"unknown key{hint}")
    if kind == "missing":
        return _line(path, node, loc, "required key is missing")
    if loc and loc[-1] in ("id", "number") and isinstance(given, float):
        return _line(
            path,
            node,
            loc,
            f"must be quoted, e.g. {loc[-1]}: '4.10' (unquoted, YAML reads it as the number "
            f"{given})",
        )
    msg = str(err["msg"]).removeprefix("Value error, ")
    if isinstance(given, dict | list) or kind in ("model_type", "dict_type"):
        return _line(path, node, loc, msg)
    return _line(path, node, loc, f"{msg} (got {given!r})")


def _line(path: Path, node: yaml.Node | None, loc: tuple[str | int, ...], what: str) -> str:
    keys = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    found = _node_at(node, loc)
    at = f":{found.start_mark.line + 1}" if found is not None else ""
    return f"{path}{at}: {keys or '(top level)'}: {what}"


def _node_at(node: yaml.Node | None, loc: tuple[str | int, ...]) -> yaml.Node | None:
    """Return the deepest YAML node along ``loc``, so a problem can name its line."""
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if part < len(node.value) else None
        else:
            child = None
        if child is None:
            break
        node = child
    return node


def _known_keys(loc: tuple[str | int, ...]) -> list[str]:
    """Return the keys allowed at ``loc`` by walking the models, for an 'unknown key' hint."""
    model: type[BaseModel] | None = PolicyModel
    for part in loc:
        if model is None:
            return []
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        model = _model_in(field.annotation) if field else None
    return list(model.model_fields) if model else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (list, Union, types.UnionType, Annotated):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found:
                return found
    return None
