"""`kithbook ally money ...` for buying groups, joint bids and the exit settlement
(docs/economics.md)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    pass
