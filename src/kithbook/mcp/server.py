"""`kithbook mcp`: the catalogue's tools on the official `mcp` SDK's low-level server,
over stdio. Tool calls run one at a time on the event loop's thread (one client, one
local database); each opens its own transaction through the services."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Any

from kithbook.mcp import tools as kt

if TYPE_CHECKING:
    from mcp.server import Server

    from kithbook.config import Config
    from kithbook.services.app import Services

log = logging.getLogger("kithbook.mcp")

INSTRUCTIONS = (
    "Kithbook is the user's rolodex: people, organizations, who knows whom, every "
    "conversation and promise. Name people by id, email or name (accents optional); "
    "a tool's error says which names were close. Results are JSON."
)


def build_server(svc: Services, *, allow_writes: bool = False) -> Server[Any]:
    """An MCP server whose tools are the catalogue's use cases (write tools only when
    `allow_writes`), calling `svc`."""
    import mcp_types as types
    from mcp.server import Server, ServerRequestContext

    served = {t.name: t for t in kt.tools(allow_writes=allow_writes)}
    hidden = {t.name for t in kt.all_tools()} - set(served)
    listing = types.ListToolsResult(tools=[
        types.Tool(
            name=t.name, description=t.description, input_schema=t.input_schema(),
            annotations=types.ToolAnnotations(
                read_only_hint=not t.writes, destructive_hint=False if t.writes else None,
                open_world_hint=False,
            ),
        )
        for t in served.values()
    ])

    def failed(text: str) -> types.CallToolResult:
        return types.CallToolResult(content=[types.TextContent(text=text)], is_error=True)

    async def list_tools(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return listing

    async def call_tool(
        ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        tool = served.get(params.name)
        if tool is None:
            if params.name in hidden:
                return failed(f"{params.name} changes data, and writes are off: the user "
                              "starts `kithbook mcp --allow-writes` to enable them.")
            return failed(f"there is no tool {params.name}.")
        try:
            text = kt.call(svc, tool, params.arguments, allow_writes=allow_writes)
        except kt.ToolError as exc:
            return failed(str(exc))
        except Exception as exc:  # a bug: one line to the client, the trace to stderr
            log.exception("tool %s failed", tool.name)
            return failed(f"unexpected error in {tool.name} ({type(exc).__name__}); "
                          "the server's log has the details.")
        return types.CallToolResult(content=[types.TextContent(text=text)])

    from kithbook import __version__

    return Server(
        "kithbook", version=__version__, instructions=INSTRUCTIONS,
        on_list_tools=list_tools, on_call_tool=call_tool,
    )


def serve_stdio(config: Config, *, allow_writes: bool = False) -> None:
    """Open the database the configuration names and serve it on stdin/stdout until
    the client closes the stream."""
    import anyio
    from mcp.server.stdio import stdio_server

    from kithbook.services.app import Services

    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    svc = Services.open(config)
    server = build_server(svc, allow_writes=allow_writes)
    if sys.stdin.isatty():  # a person ran it by hand: say what it waits for (stderr)
        mode = "read and write" if allow_writes else "read-only"
        print(f"kithbook mcp: serving {len(kt.tools(allow_writes=allow_writes))} tools "
              f"({mode}) on stdin/stdout for an MCP client; Ctrl-C stops.", file=sys.stderr)

    async def main() -> None:
        async with stdio_server() as (read, write):
            await server.run(read, write, server.create_initialization_options())

    try:
        anyio.run(main)
    finally:
        svc.close()
