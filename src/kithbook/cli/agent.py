"""`kithbook mcp`: the agent interface (Model Context Protocol on stdio, kithbook/mcp/)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from kithbook.cli.common import emit, state

if TYPE_CHECKING:
    from rich.console import Console


def mcp(
    ctx: typer.Context,
    allow_writes: Annotated[bool, typer.Option(
        "--allow-writes", help="Also serve the tools that change data (add, edit, log, "
        "undo...). Off by default: an agent can only read.")] = False,
    list_tools: Annotated[bool, typer.Option(
        "--list", help="Print the tools that would be served, then exit.")] = False,
) -> None:
    """Serve Kithbook to an AI agent over the Model Context Protocol (stdio).

    Every use case becomes a tool; read-only unless --allow-writes. Register it with an
    MCP client as the command `kithbook` with the arguments `--db PATH mcp`.

    Example: kithbook mcp --list --json
    Example: kithbook --db ~/kithbook.db mcp --allow-writes
    """
    from kithbook.mcp import tools as kt

    if list_tools:
        served = kt.tools(allow_writes=allow_writes)
        rows = [{"id": t.name, "name": t.name, "use_case": t.use_case.name,
                 "writes": t.writes, "description": t.description} for t in served]

        def render(con: Console) -> None:
            for row in rows:
                mark = "write" if row["writes"] else "read "
                con.print(f"{mark}  {row['name']:<36} {row['description']}", markup=False,
                          no_wrap=True, overflow="ellipsis")
            con.print(f"{len(rows)} tools" + ("" if allow_writes else
                      " (read-only; --allow-writes adds the write tools)"), markup=False)

        emit(ctx, {"total": len(rows), "items": rows}, render)
        return

    from kithbook.mcp.server import serve_stdio

    serve_stdio(state(ctx).config(), allow_writes=allow_writes)


def register(app: typer.Typer) -> None:
    app.command("mcp")(mcp)
