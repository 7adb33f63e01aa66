"""The import contract of docs/architecture.md ("Layers and the import contract"),
checked by reading every module's imports (AST, nothing is executed): front ends never
import store/; domain/ imports no I/O; store/ imports no service or front end; no cycles
between modules at import time. A break fails the build (.ci/run runs the suite)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "kithbook"
FRONT_ENDS = ("kithbook.cli", "kithbook.web", "kithbook.mcp")
NO_IO_IN_DOMAIN = (
    "kithbook.store", "kithbook.io", "kithbook.graph", "kithbook.services", "kithbook.web",
    "kithbook.cli", "sqlalchemy", "fastapi", "starlette", "httpx", "requests", "sqlite3",
    "socket", "subprocess",
)
ABOVE_STORE = ("kithbook.services", "kithbook.web", "kithbook.cli", "kithbook.mcp")
# Explicit exceptions, each with its reason:
# - store/schema.py imports its satellite table modules at its end, after `metadata`
#   exists, so one MetaData holds every table; they import `metadata` from it.
ALLOWED_CYCLES = [
    {"kithbook.store.schema", "kithbook.store.capture_schema", "kithbook.store.schema_alliances",
     "kithbook.store.schema_craft", "kithbook.store.schema_economics"},
]


def module_name(path: Path) -> str:
    parts = path.relative_to(PKG.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PKG.rglob("*.py"))
            if "migrations" not in p.parts}


def _type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING")


def imports(path: Path, *, top_level_only: bool = False) -> Iterator[tuple[str, int]]:
    """(imported module, line) for every import at run time (TYPE_CHECKING blocks are
    skipped; with top_level_only, imports inside functions too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]

    def walk(nodes: list[ast.stmt]) -> Iterator[tuple[str, int]]:
        for node in nodes:
            if isinstance(node, ast.If) and _type_checking(node):
                yield from walk(node.orelse)
                continue
            if isinstance(node, ast.Import):
                for a in node.names:
                    yield a.name, node.lineno
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")
                    up = up[: len(up) - (node.level - 1)]
                    base = ".".join([*up, base] if base else up)
                yield base, node.lineno
                for a in node.names:  # `from kithbook.store import people`
                    yield f"{base}.{a.name}", node.lineno
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and top_level_only:
                continue
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, field, None)
                if isinstance(inner, list) and not isinstance(node, ast.Import | ast.ImportFrom):
                    yield from walk([n for n in inner if isinstance(n, ast.stmt)]
                                    + [h for h in inner if isinstance(h, ast.ExceptHandler)
                                       for h in h.body])

    yield from walk(tree.body)


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def violations(layer: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    out = []
    for name, path in modules().items():
        if not _under(name, layer):
            continue
        for target, line in imports(path):
            if _under(target, forbidden):
                out.append(f"{path.relative_to(PKG.parent)}:{line} imports {target}")
    return sorted(set(out))


def test_front_ends_never_import_the_store() -> None:
    assert violations(FRONT_ENDS, ("kithbook.store",)) == []


def test_the_domain_does_no_io() -> None:
    assert violations(("kithbook.domain",), NO_IO_IN_DOMAIN) == []


def test_the_store_does_not_reach_up() -> None:
    assert violations(("kithbook.store",), ABOVE_STORE) == []


def test_no_import_cycles_between_modules() -> None:
    """Module-level imports (what runs on `import`) form no cycle."""
    mods = modules()
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        graph[name] = {t for t, _ in imports(path, top_level_only=True)
                       if t in mods and t != name}
    # Tarjan's strongly connected components
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            # a package importing its own submodules is how packages work, not a cycle
            real = [m for m in comp if not any(o.startswith(m + ".") for o in comp)]
            allowed = any(set(comp) <= ok for ok in ALLOWED_CYCLES)
            if len(real) > 1 and not allowed:
                cycles.append(sorted(comp))

    import sys

    sys.setrecursionlimit(10_000)
    for v in graph:
        if v not in index:
            visit(v)
    assert cycles == []


@pytest.mark.parametrize("front_end", ["kithbook/cli/admin.py", "kithbook/cli/people.py",
                                       "kithbook/web/app.py", "kithbook/cli/serve.py"])
def test_the_front_ends_named_in_the_issue_are_clean(front_end: str) -> None:
    path = PKG.parent / front_end
    assert [t for t, _ in imports(path) if _under(t, ("kithbook.store",))] == []


# "All SQL lives in store/" (docs/architecture.md): a service asks a store function; it
# never builds a statement (select/insert/update/delete/text/func from SQLAlchemy, or a
# table's own .select()) nor runs one (.execute). Types (`Connection`, `Row`, `Table`)
# are fine. Explicit exceptions, each with its reason:
SQL_BUILDERS = {"select", "insert", "update", "delete", "text", "func"}
SQL_CALLS = {"execute", "exec_driver_sql", "select"}
SQL_IN_SERVICES_ALLOWED: set[str] = set()  # none left: the import pipeline moved its
# statements to store/import_queries.py and store/ties.py last.


def sql_in(source: str) -> list[tuple[int, str]]:
    """(line, what) for every SQL statement a module builds or runs itself."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
            out += [(node.lineno, f"imports {a.name} from {node.module}")
                    for a in node.names if a.name in SQL_BUILDERS]
        elif isinstance(node, ast.Import):
            out += [(node.lineno, f"imports {a.name}") for a in node.names
                    if a.name.split(".")[0] == "sqlalchemy"]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in SQL_CALLS):
            out.append((node.lineno, f"calls .{node.func.attr}()"))
    return out


def test_services_build_no_sql() -> None:
    found = []
    for name, path in modules().items():
        if _under(name, ("kithbook.services",)) and name not in SQL_IN_SERVICES_ALLOWED:
            found += [f"{path.relative_to(PKG.parent)}:{line} {what}"
                      for line, what in sql_in(path.read_text(encoding="utf-8"))]
    assert found == []


def test_the_sql_check_sees_sql() -> None:
    source = ("from sqlalchemy import Connection, func, select\n"
              "import sqlalchemy as sa\n"
              "def f(conn: Connection, t: object) -> None:\n"
              "    conn.execute(t.select())\n")
    assert [line for line, _ in sql_in(source)] == [1, 1, 2, 4, 4]
    assert sql_in("from sqlalchemy import Connection, Row\n") == []


def test_the_sql_allow_list_is_still_needed() -> None:
    mods = modules()
    for name in SQL_IN_SERVICES_ALLOWED:
        assert sql_in(mods[name].read_text(encoding="utf-8")), f"{name} has no SQL left"


# Below the front ends, text a person reads speaks of the product, never of a command or
# a flag (docs/architecture.md, "Errors"): each front end adds its own words
# (cli/hints.py, cli/next_steps.py, web/hints.py). Strings that are data, not words for
# a person, are listed with their reason.
BELOW_FRONT_ENDS = ("services", "domain", "store", "io", "graph")
CLI_WORDS = __import__("re").compile(r"\bkithbook [a-z]+\b|(?<![\w-])--[a-z][a-z-]+")
DATA_STRINGS = {
    "kithbook id",  # io/google_csv.py: the column our own Google CSV export writes
}


def _spoken_strings(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in docstrings):
            yield node.lineno, node.value


def test_no_command_or_flag_below_the_front_ends() -> None:
    found = [
        f"{path.relative_to(PKG)}:{line}: {text[:80]!r}"
        for layer in BELOW_FRONT_ENDS
        for path in sorted((PKG / layer).rglob("*.py"))
        if "migrations" not in path.parts
        for line, text in _spoken_strings(path)
        if CLI_WORDS.search(text) and text not in DATA_STRINGS
    ]
    assert found == []
