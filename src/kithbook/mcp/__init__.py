"""The agent interface: `kithbook mcp` serves the use-case catalogue over the Model
Context Protocol on stdio (docs/architecture.md, "Front ends").

`tools.py` turns each catalogued use case into a tool (pure Python and pydantic, no
SDK); `server.py` wires those tools into the official `mcp` SDK's low-level server.
Like every front end, this package never imports `kithbook.store`."""
