"""Parity (docs/architecture.md, "Adding a use case to every front end"): every use case
of the catalogue (services/catalog.py) is reachable in the CLI, the REST API and the
agent interface (MCP), or is named below in that front end's exclusion list with the
reason. A new use case fails this test until it has its command, its route and its tool,
or an exclusion that says why not; an exclusion that no longer holds fails it too.

How "reachable" is found, without running anything:
- CLI: the commands of `kithbook` (the Typer tree), and the use cases their callbacks
  call (`svc.group.method`), following the CLI's own helper functions they call.
- REST: the routes under /api/v1 that the OpenAPI document publishes, and the use cases
  their endpoints call the same way (following the web package's helpers).
- MCP: the tools the agent interface generates from the catalogue (kithbook/mcp/tools.py).
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from kithbook.services.catalog import catalogue

# -- exclusions: use case -> why this front end does not offer it ----------------------

NOT_YET_CLI = "not yet in the CLI"
NOT_YET_REST = "not yet in the REST API"
ACCOUNTS = ("accounts and tokens are the server owner's business: an agent acting for "
            "the user must not mint credentials or change passwords (agent=False)")

PERSON_OR_ORG = ("the CLI's `show` and `note` take a person or an organization "
                 "(people.show_any, annotate.note); this is their person-only form")
ACCOUNTS_REST = ("accounts and API tokens are made on the server's own machine with the CLI "
                 "(`kithbook user`, `kithbook token`, docs/security.md), not over HTTP")

# The CLI reaches these through a richer command (`show`, `log`, `ally show`).
CLI_EXCLUDED: dict[str, str] = {
    "alliances.get": "the CLI's `ally show` is the alliance overview (alliance_views.overview)",
    "alliances.list": "the CLI's `ally list` is the portfolio with health "
                      "(alliance_views.portfolio)",
    "interactions.promise_agreed": ("the CLI's `log` makes agreed items promises at once "
                                    "(interactions.capture)"),
    "interactions.timeline": "the CLI shows a person's timeline inside `show`",
    "orgs.show": "the CLI's `show` covers organizations too (people.show_any)",
    "people.add_note": PERSON_OR_ORG,
    "people.show": PERSON_OR_ORG,
    "ties.of": "the CLI shows a person's ties inside `show`",
}

# The REST API lacks these: accounts (by design), the search reindex (a server task),
# and a few views that the API shows at other routes (the alliance page, the portfolio).
REST_EXCLUDED: dict[str, str] = {
    "accounts.add_user": ACCOUNTS_REST,
    "accounts.create_token": ACCOUNTS_REST,
    "accounts.revoke_token": ACCOUNTS_REST,
    "accounts.set_password": ACCOUNTS_REST,
    "accounts.tokens": ACCOUNTS_REST,
    "alliances.get": "GET /alliances/{alliance} is the overview (alliance_views.overview)",
    "alliances.list": "GET /alliances is the portfolio with health (alliance_views.portfolio)",
    "annotate.note": ("the API notes on a person (people.add_note); "
                      "on organizations and interactions not yet"),
    "database.reindex": ("rebuilding the search index is an administrator's task on the "
                         "server (`kithbook reindex`), not a client's"),
    "people.show_any": (
        "the API shows people and organizations at their own routes (people.show, orgs.show)"
    ),
    "trash.delete": ("the API deletes a person (DELETE /people/{person}, people.delete); "
                     "other records not yet"),
}

# The agent interface serves every use case but those marked agent=False.
MCP_EXCLUDED: dict[str, str] = {
    "accounts.add_user": ACCOUNTS,
    "accounts.create_token": ACCOUNTS,
    "accounts.revoke_token": ACCOUNTS,
    "accounts.set_password": ACCOUNTS,
    "accounts.tokens": ACCOUNTS,
}


# -- what each front end reaches -------------------------------------------------------


@cache
def _use_cases() -> dict[tuple[str, str], str]:
    return {(u.group, u.method): u.name for u in catalogue()}


def reached(fn: Callable[..., Any], package: str, seen: set[Any] | None = None) -> set[str]:
    """The use cases `fn` calls as `<anything>.group.method`, also through the functions
    of `package` it calls by name (module globals or `module.function`)."""
    seen = set() if seen is None else seen
    fn = inspect.unwrap(fn)
    if fn in seen:
        return set()
    seen.add(fn)
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError):
        return set()
    names = getattr(fn, "__globals__", {})
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute):
            name = _use_cases().get((node.value.attr, node.attr))
            if name:
                found.add(name)
        if isinstance(node, ast.Call):
            target = None
            if isinstance(node.func, ast.Name):
                target = names.get(node.func.id)
            elif isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
                module = names.get(node.func.value.id)
                if inspect.ismodule(module):
                    target = getattr(module, node.func.attr, None)
            if inspect.isfunction(target) and target.__module__.startswith(package):
                found |= reached(target, package, seen)
    return found


def _commands(app: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Callable[..., Any]]]:
    for cmd in app.registered_commands:
        if cmd.callback is not None:
            yield " ".join((*path, cmd.name or cmd.callback.__name__)), cmd.callback
    for group in app.registered_groups:
        if group.typer_instance is not None:
            yield from _commands(group.typer_instance, (*path, group.name or ""))


@cache
def cli_reach() -> dict[str, set[str]]:
    """Use case -> the commands that reach it."""
    from kithbook.cli.main import app

    out: dict[str, set[str]] = {}
    for command, callback in _commands(app):
        for name in reached(callback, "kithbook.cli"):
            out.setdefault(name, set()).add(command)
    return out


def _routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(full path, APIRoute) for every route, through included routers (FastAPI keeps
    an included router's routes with their own paths and the prefix beside them)."""
    from fastapi.routing import APIRoute

    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            yield from _routes(inner.routes, prefix + (getattr(context, "prefix", "") or ""))


@cache
def rest_reach() -> dict[str, set[str]]:
    """Use case -> the published /api/v1 operations that reach it."""
    import tempfile

    from kithbook.config import Config
    from kithbook.web.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(Config(db=str(Path(tmp) / "k.db")))
        published = {(path, method.upper()) for path, ops in app.openapi()["paths"].items()
                     for method in ops}
        out: dict[str, set[str]] = {}
        for path, route in _routes(list(app.routes)):
            if not path.startswith("/api/v1/"):
                continue
            for method in route.methods or ():
                if (path, method) in published:
                    for name in reached(route.endpoint, "kithbook.web"):
                        out.setdefault(name, set()).add(f"{method} {path}")
    return out


@cache
def mcp_reach() -> dict[str, set[str]]:
    from kithbook.mcp.tools import served_names

    return {use_case: {tool} for use_case, tool in served_names().items()}


FRONT_ENDS: dict[str, tuple[Callable[[], dict[str, set[str]]], dict[str, str]]] = {
    "cli": (cli_reach, CLI_EXCLUDED),
    "rest": (rest_reach, REST_EXCLUDED),
    "mcp": (mcp_reach, MCP_EXCLUDED),
}


# -- the checks ------------------------------------------------------------------------


@pytest.mark.parametrize("front_end", sorted(FRONT_ENDS))
def test_every_use_case_is_reachable_or_excluded_with_a_reason(front_end: str) -> None:
    reach, excluded = FRONT_ENDS[front_end]
    found = reach()
    missing = sorted(u.name for u in catalogue()
                     if u.name not in found and u.name not in excluded)
    assert missing == [], (
        f"use cases {front_end} does not reach: add the {front_end} adapter, or name them "
        f"in {front_end.upper()}_EXCLUDED with the reason")


@pytest.mark.parametrize("front_end", sorted(FRONT_ENDS))
def test_exclusions_are_current(front_end: str) -> None:
    """An exclusion names a use case that exists and that the front end still lacks."""
    reach, excluded = FRONT_ENDS[front_end]
    names = {u.name for u in catalogue()}
    assert sorted(set(excluded) - names) == [], "excluded use cases that no longer exist"
    stale = sorted(n for n in excluded if n in reach())
    assert stale == [], f"{front_end} reaches these now: remove their exclusions"
    assert all(reason.strip() for reason in excluded.values())


def test_the_agent_interface_serves_what_the_catalogue_marks_for_agents() -> None:
    """MCP exclusions are exactly the use cases marked agent=False."""
    assert set(MCP_EXCLUDED) == {u.name for u in catalogue() if not u.agent}


def test_the_walk_finds_known_adapters() -> None:
    """The static walk is not vacuous: known commands and routes are found."""
    assert "today" in cli_reach()["agenda.today"]
    assert "GET /api/v1/agenda" in rest_reach()["agenda.today"]
    assert rest_reach()["network.path"] == {"GET /api/v1/paths"}
    assert "path" in cli_reach()["network.path"]
    assert mcp_reach()["network.path"] == {"network_path"}
