"""Tools generated from the use-case catalogue (services/catalog.py).

Every use case with `agent=True` becomes one tool named `group_method`: its
description is the use case's summary, its input schema comes from the method's type
hints (a pydantic model built from the signature), its result is
`domain.models.as_dict(result)` as JSON text. Write use cases are served only when
writes are enabled. A `KithbookError` becomes a tool error whose text is the message,
the hint and, for a remedy, the tool that fixes it: one line, never a traceback.

People and organizations travel as text (what the user typed, or an id a tool
returned earlier); the use case resolves them once through the services' resolver,
so the schema offers a string where the method also accepts a record.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import json
import operator
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kithbook.domain.models import Page, Person, PersonRef, as_dict
from kithbook.errors import Ambiguous, KithbookError
from kithbook.services.catalog import UseCase, catalogue

if TYPE_CHECKING:
    from pydantic import BaseModel

    from kithbook.services.app import Services

# Record types a method accepts beside the text that names them: over MCP a record
# arrives as JSON without its private key, so the schema asks for the text (an id).
TEXT_FOR = (Person, PersonRef)


@dataclass(frozen=True)
class Tool:
    """One tool: a use case, its MCP name and its arguments' model."""

    name: str  # "network_path"
    use_case: UseCase
    description: str
    arguments: type[BaseModel]  # validates what the client sends
    skipped: tuple[str, ...]  # parameters that cannot travel as JSON (left at their default)

    @property
    def writes(self) -> bool:
        return self.use_case.writes

    def input_schema(self) -> dict[str, Any]:
        """The JSON Schema of the arguments (an object at the root)."""
        schema = self.arguments.model_json_schema()
        schema.pop("title", None)
        schema.setdefault("properties", {})
        return schema


def tool_name(use_case: UseCase) -> str:
    """`network.path` -> `network_path` (MCP names allow letters, digits, _ and -)."""
    return use_case.name.replace(".", "_")


def _for_agents(hint: Any) -> Any:
    """The type an agent sends for a parameter: record types become their text, and an
    input dataclass (`NewPerson`) a pydantic model of the same fields, rewritten alike."""
    if hint in TEXT_FOR:
        return str
    if dataclasses.is_dataclass(hint) and isinstance(hint, type) and \
            hint.__module__.startswith("kithbook."):
        return _mirror(hint)
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        kept: list[Any] = []
        for arg in args:
            plain = _for_agents(arg)
            if plain not in kept:
                kept.append(plain)
        return functools.reduce(operator.or_, kept)
    if origin in (list, Sequence) and args:
        return list[_for_agents(args[0])]  # type: ignore[misc]
    return hint


_MIRRORED: dict[type[BaseModel], type] = {}  # model -> the input dataclass it stands for


@functools.cache
def _mirror(cls: type) -> type[BaseModel]:
    """A pydantic model with the fields of the input dataclass `cls` (types rewritten
    for agents); `_from_agents` turns what it validated back into `cls`."""
    from pydantic import ConfigDict, Field, create_model

    hints = typing.get_type_hints(cls)
    fields: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if not f.init or f.name == "key":
            continue
        if f.default is not dataclasses.MISSING:
            default: Any = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = Field(default_factory=f.default_factory)
        else:
            default = ...
        fields[f.name] = (_for_agents(hints.get(f.name, Any)), default)
    model: type[BaseModel] = create_model(
        cls.__name__, __config__=ConfigDict(extra="forbid"), **fields
    )
    _MIRRORED[model] = cls
    return model


def _from_agents(value: Any) -> Any:
    """What the arguments model validated, with mirrored models back as dataclasses."""
    cls = _MIRRORED.get(type(value))
    if cls is not None:
        return cls(**{name: _from_agents(getattr(value, name))
                      for name in type(value).model_fields})
    if isinstance(value, list):
        return [_from_agents(v) for v in value]
    return value


def _describable(hint: Any) -> bool:
    """Whether pydantic can describe this type in JSON Schema (callbacks cannot)."""
    from pydantic import TypeAdapter

    try:
        TypeAdapter(hint).json_schema()
    except Exception:
        return False
    return True


def build_tool(use_case: UseCase) -> Tool:
    """The tool for one use case. A parameter with a default is left out of the schema
    when its type has no JSON form (a password prompt callback) or it takes private
    integer keys (`subject_keys`), which never leave the process."""
    from pydantic import ConfigDict, create_model

    fn = use_case.function
    hints = typing.get_type_hints(fn)
    fields: dict[str, Any] = {}
    skipped: list[str] = []
    for name, param in list(inspect.signature(fn).parameters.items())[1:]:  # after self
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            raise TypeError(f"{use_case.name}: *{name} cannot become a tool argument")
        hint = _for_agents(hints.get(name, Any))
        default = ... if param.default is param.empty else param.default
        private = name == "key" or name.endswith(("_key", "_keys"))  # never leave the process
        if default is not ... and (private or not _describable(hint)):
            skipped.append(name)
            continue
        fields[name] = (hint, default)
    model = create_model(
        tool_name(use_case), __config__=ConfigDict(extra="forbid"), **fields
    )
    return Tool(
        name=tool_name(use_case), use_case=use_case,
        description=use_case.summary or use_case.name, arguments=model,
        skipped=tuple(skipped),
    )


@functools.cache
def all_tools() -> tuple[Tool, ...]:
    """Every agent use case as a tool, read and write alike, sorted by name."""
    return tuple(build_tool(u) for u in catalogue() if u.agent)


def tools(*, allow_writes: bool = False) -> list[Tool]:
    """The tools served: read tools always, write tools only when allowed."""
    return [t for t in all_tools() if allow_writes or not t.writes]


def served_names() -> dict[str, str]:
    """Use case name -> tool name, for every use case the agent interface can serve."""
    return {t.use_case.name: t.name for t in all_tools()}


class ToolError(Exception):
    """What the client sees as a tool error: one line of text."""


def error_text(exc: KithbookError, *, allow_writes: bool = True) -> str:
    """The agent interface's words for an error: the message and hint, the candidates
    of an ambiguous name with their ids, and the tool that fixes it (saying so when it
    changes data and writes are off)."""
    text = str(exc)
    if isinstance(exc, Ambiguous) and exc.candidates:
        shown = "; ".join(f"{cid} {name}{' (' + extra + ')' if extra else ''}"
                          for cid, name, extra in exc.candidates[:8])
        more = f" and {len(exc.candidates) - 8} more" if len(exc.candidates) > 8 else ""
        text = f"{text} Candidates: {shown}{more}. Pass the id to pick one."
    fix = {t.use_case.name: t for t in all_tools()}.get(exc.remedy or "")
    if fix is not None:
        text += "" if text.rstrip().endswith((".", "?", "!")) else "."
        if fix.writes and not allow_writes:
            text += (f" The tool {fix.name} fixes this once writes are enabled "
                     "(kithbook mcp --allow-writes).")
        else:
            text += f" The tool {fix.name} fixes this."
    if exc.field and not text.startswith(exc.field):
        text = f"{exc.field}: {text}"
    return " ".join(text.split())


def _bad_arguments(exc: Exception) -> str:
    from pydantic import ValidationError

    if not isinstance(exc, ValidationError):
        return str(exc)
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "arguments"
        parts.append(f"{where}: {err['msg']}")
    return "invalid arguments: " + "; ".join(parts)


def call(svc: Services, tool: Tool, arguments: dict[str, Any] | None, *,
         allow_writes: bool = True) -> str:
    """Run the tool's use case with the client's arguments; the result as JSON text.
    Raises ToolError (one line) for bad arguments and for every KithbookError
    (`allow_writes`: whether the server serves write tools, for the remedy's words)."""
    from pydantic import ValidationError

    try:
        parsed = tool.arguments.model_validate(arguments or {})
    except ValidationError as exc:
        raise ToolError(_bad_arguments(exc)) from None
    kwargs = {name: _from_agents(getattr(parsed, name)) for name in type(parsed).model_fields}
    method: Callable[..., Any] = getattr(getattr(svc, tool.use_case.group),
                                         tool.use_case.method)
    try:
        result = method(**kwargs)
    except KithbookError as exc:
        raise ToolError(error_text(exc, allow_writes=allow_writes)) from None
    if _is_page(result):  # (items, total): the one list shape, as the CLI prints it
        result = Page(total=result[1], items=result[0])
    return json.dumps(as_dict(result), ensure_ascii=False, default=str)


def _is_page(result: Any) -> bool:
    return (isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], list)
            and isinstance(result[1], int) and not isinstance(result[1], bool))
