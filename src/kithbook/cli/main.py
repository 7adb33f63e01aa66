"""The whole command-line app: every command registered, for `kithbook --help`, shell
completion, the generated CLI reference (docs/cli-reference.md) and tests.

The `kithbook` script starts in `cli/entry.py`, which builds only the command typed."""

from __future__ import annotations

from kithbook.cli import application

COMMAND_MODULES = application.COMMAND_MODULES

app = application.build()


def run() -> None:
    application.run(app)
