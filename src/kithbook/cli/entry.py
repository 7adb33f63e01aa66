"""The `kithbook` script: find the verb on the command line and register only the
command module that holds it (`verbs.MODULE_OF`); anything else (no verb, an unknown
one, help before the verb, shell completion) gets the whole app.

Registering all 200-odd commands, and Typer converting each to a click command, took
about 60 ms of every run (bench/RESULTS.md, "kithbook path")."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from kithbook.cli.verbs import MODULE_OF

# Global options that take a value (`--db FILE`); the rest are flags.
_VALUED = frozenset({"--db", "--as-of"})
_FLAGS = frozenset({"--json"})


def module_for(argv: Sequence[str]) -> str | None:
    """The one command module `argv` needs, or None for the whole app."""
    if any(key.startswith("_") and key.endswith("_COMPLETE") for key in os.environ):
        return None  # shell completion walks the whole tree
    at = 0
    while at < len(argv):
        word = argv[at]
        if word in _VALUED:
            at += 2
        elif word in _FLAGS or word.split("=", 1)[0] in _VALUED:
            at += 1
        elif word.startswith("-"):
            return None  # --help, --version, a typo: the whole app answers
        else:
            return MODULE_OF.get(word)
    return None


def run() -> None:
    from kithbook import collector

    collector.start_quietly()  # until the services are open (kithbook/collector.py)
    from kithbook.cli import application

    module = module_for(sys.argv[1:])
    modules = application.COMMAND_MODULES if module is None else (module,)
    application.run(application.build(modules))
