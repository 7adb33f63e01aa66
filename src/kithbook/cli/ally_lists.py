"""`kithbook ally goals|obligations|forums|meetings|actions|exit-plan|contributions|
links|stages ALLIANCE`: one facet of an alliance as a list, for people (a table with the
ids the next command takes) and for scripts (`--json`: `{"total", "items"}`). The same
facts `ally show` gathers on one page (docs/alliances.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from kithbook.cli.ally import Alliance, JsonOpt, page
from kithbook.cli.common import emit, services

if TYPE_CHECKING:
    from rich.console import Console

# the fields worth a column when a record has them, in this order
_COLUMNS = ("kind", "status", "stage", "partner", "party", "owner", "due", "due_on",
            "deadline", "on", "held_on", "happened_on", "cadence_days", "amount", "expires_at")


def _render(title: str, items: list[Any], empty: str) -> Any:
    from kithbook.cli.render import table
    from kithbook.domain.models import as_dict

    def render(con: Console) -> None:
        if not items:
            con.print(empty)
            return
        rows = [as_dict(i) for i in items]
        cols = [c for c in _COLUMNS if any(r.get(c) not in (None, "", []) for r in rows)][:3]

        def cell(v: Any) -> str:
            if isinstance(v, dict):
                return str(v.get("name") or v.get("id") or "")
            return "" if v is None else str(v)

        con.print(table(f"{title} ({len(rows)})", ["id", "name", *cols],
                        [[r.get("id"), r.get("name"), *(cell(r.get(c)) for c in cols)]
                         for r in rows]))

    return render


def goals(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """Each partner's goals and who confirmed them.

    Example: kithbook ally goals "Port bid"
    """
    with services(ctx) as svc:
        items = svc.alliance_work.goals(alliance)
    emit(ctx, page(items), _render("Goals", items, "No goals yet."), json_flag=json_out)


def obligations(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """Contractual obligations and exit provisions, open and met.

    Example: kithbook ally obligations "Port bid"
    """
    with services(ctx) as svc:
        items = svc.alliance_work.obligations(alliance)
    emit(ctx, page(items), _render("Obligations", items, "No obligations."),
         json_flag=json_out)


def forums(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """Governance forums with their cadence.

    Example: kithbook ally forums "Port bid"
    """
    with services(ctx) as svc:
        items = svc.alliance_work.forums(alliance)
    emit(ctx, page(items), _render("Forums", items, "No forums yet."), json_flag=json_out)


def meetings(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """Meetings held, newest first.

    Example: kithbook ally meetings "Port bid"
    """
    with services(ctx) as svc:
        items = svc.alliance_work.meetings(alliance)
    emit(ctx, page(items), _render("Meetings", items, "No meetings yet."), json_flag=json_out)


def actions(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """Action items: promises tied to the alliance.

    Example: kithbook ally actions "Port bid"
    """
    with services(ctx) as svc:
        items = svc.alliance_work.actions(alliance)
    emit(ctx, page(items), _render("Action items", items, "No action items."),
         json_flag=json_out)


def exit_plan(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """The termination plan, item by item.

    Example: kithbook ally exit-plan "Port bid"
    """
    with services(ctx) as svc:
        items = svc.alliance_work.exit_plan(alliance)
    emit(ctx, page(items), _render("Exit plan", items, "No exit plan yet."),
         json_flag=json_out)


def contributions(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """The skin-in-the-game ledger, line by line (`ally ledger` sums it per partner).

    Example: kithbook ally contributions "Port bid"
    """
    with services(ctx) as svc:
        items = svc.alliance_measures.contributions(alliance)
    emit(ctx, page(items), _render("Contributions", items, "No contributions yet."),
         json_flag=json_out)


def links(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """Private links sent for this alliance, with their state.

    Example: kithbook ally links "Port bid"
    """
    with services(ctx) as svc:
        items = svc.alliance_links.list(alliance)
    emit(ctx, page(items), _render("Private links", items, "No links sent."),
         json_flag=json_out)


def stages(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """The lifecycle so far: each stage move with when and why.

    Example: kithbook ally stages "Port bid"
    """
    with services(ctx) as svc:
        items = svc.alliances.stage_log(alliance)
    emit(ctx, page(items), _render("Stages", items, "Still in its first stage."),
         json_flag=json_out)


def register(app: typer.Typer) -> None:
    app.command("goals")(goals)
    app.command("obligations")(obligations)
    app.command("forums")(forums)
    app.command("meetings")(meetings)
    app.command("actions")(actions)
    app.command("exit-plan")(exit_plan)
    app.command("contributions")(contributions)
    app.command("links")(links)
    app.command("stages")(stages)
