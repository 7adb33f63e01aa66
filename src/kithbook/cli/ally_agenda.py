"""`kithbook ally today` and the "Alliance work" part of `kithbook today`
(docs/alliance-management.md, "On the agenda")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from kithbook.cli.ally import JsonOpt, page
from kithbook.cli.common import emit, services

if TYPE_CHECKING:
    from rich.console import Console

    from kithbook.domain.alliances.agenda import AllianceTask


def render_tasks(con: Console, tasks: list[AllianceTask], *, empty: bool = True) -> None:
    from kithbook.cli.render import table

    if not tasks:
        if empty:
            con.print("No alliance work due. Well kept.")
        return
    rows = [[n, t.label, f"{t.name}\n[dim]{t.alliance_id}[/dim]", t.why, t.action]
            for n, t in enumerate(tasks, 1)]
    con.print(table("Alliance work", ["#", "what", "alliance", "why", "do"], rows))


def today(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many to show.")] = 20,
    json_out: JsonOpt = False,
) -> None:
    """Alliance work due: forums, decisions to confirm or awaiting the partners, renewal
    and notice dates, health checks, measures off track, partners gone quiet.

    Example: kithbook ally today --limit 10
    """
    with services(ctx) as svc:
        tasks = svc.alliance_agenda.today(limit)
    emit(ctx, page(tasks), lambda con: render_tasks(con, tasks), json_flag=json_out)


def register(app: typer.Typer) -> None:
    app.command("today")(today)
