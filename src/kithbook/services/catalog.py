"""The use-case catalogue: every service method marked `@use_case` is a use case, with
a name (`group.method`), a summary (its docstring's first line) and whether it writes.

The catalogue is what the agent interface serves (every use case becomes an MCP tool,
write tools only when the user enables them), what the parity test walks (each use
case is found in the CLI, the REST API and MCP, or is in its commented exclusion list)
and what front ends name in hints (`KithbookError.remedy`). Declaring a use case is
one decorator on the service method (docs/architecture.md, "Use cases"):

    class NetworkService:
        @use_case()
        def path(self, target: str, *, k: int = 3) -> PathResult:
            '''Warm-introduction routes to a person or to anyone at an organization.'''

Nothing here imports a front end or a service module at import time.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
MARK = "__kithbook_use_case__"


@dataclass(frozen=True)
class UseCaseMark:
    """What `@use_case` records on a method."""

    writes: bool = False
    agent: bool = True  # served over MCP (False: with a reason in the parity exclusions)


@dataclass(frozen=True)
class UseCase:
    """One entry of the catalogue."""

    name: str  # "network.path"
    group: str  # the attribute on Services: "network"
    method: str  # "path"
    writes: bool
    agent: bool
    summary: str
    function: Callable[..., Any]


def use_case(*, writes: bool = False, agent: bool = True) -> Callable[[F], F]:
    """Mark a service method as a use case. `writes=True` for anything that changes
    data (MCP serves those only when writes are enabled); `agent=False` keeps it off
    MCP (bytes in or out, a server-only concern...)."""

    def mark(fn: F) -> F:
        setattr(fn, MARK, UseCaseMark(writes=writes, agent=agent))
        return fn

    return mark


def groups() -> dict[str, type]:
    """Every service group registered on Services: attribute name -> class."""
    from kithbook.services.app import Services

    bare = object.__new__(Services)  # the groups only keep a reference to it
    out: dict[str, type] = {}
    for name, attr in vars(Services).items():
        if isinstance(attr, cached_property):
            out[name] = type(attr.func(bare))
    return out


def catalogue() -> list[UseCase]:
    """All use cases, sorted by name."""
    found: list[UseCase] = []
    for group, cls in groups().items():
        for method, fn in inspect.getmembers(cls, inspect.isfunction):
            mark = getattr(fn, MARK, None)
            if not isinstance(mark, UseCaseMark) or method.startswith("_"):
                continue
            doc = inspect.getdoc(fn) or ""
            found.append(UseCase(
                name=f"{group}.{method}", group=group, method=method, writes=mark.writes,
                agent=mark.agent, summary=doc.split("\n\n")[0].replace("\n", " "),
                function=fn,
            ))
    return sorted(found, key=lambda u: u.name)
