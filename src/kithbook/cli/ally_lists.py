"""`kithbook ally goals|obligations|forums|meetings|actions|exit-plan|contributions|
links|stages ALLIANCE`: one facet of an alliance as a list, for people (a table with the
ids the next command takes) and for scripts (`--json`: `{"total", "items"}`). The same
facts `ally show` gathers on one page (docs/alliance-management.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer

from kithbook.cli.ally import Alliance, JsonOpt, page
from kithbook.cli.common import emit, services

if TYPE_CHECKING:
    from rich.console import Console

    from kithbook.services.app import Services

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


def _facet(ctx: typer.Context, title: str, empty: str, json_out: bool,
           fetch: Callable[[Services], list[Any]]) -> None:
    """One facet as a list: the use case is named in each command's own `fetch` (so the
    parity test sees which command reaches which use case)."""
    with services(ctx) as svc:
        items = fetch(svc)
    emit(ctx, page(items), _render(title, items, empty), json_flag=json_out)


def goals(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """Each partner's goals and who confirmed them.

    Example: kithbook ally goals "Port bid"
    """
    _facet(ctx, "Goals", "No goals yet.", json_out, lambda svc: svc.alliance_work.goals(alliance))


def obligations(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """Contractual obligations and exit provisions, open and met.

    Example: kithbook ally obligations "Port bid"
    """
    _facet(ctx, "Obligations", "No obligations.", json_out,
           lambda svc: svc.alliance_work.obligations(alliance))


def forums(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """Governance forums with their cadence.

    Example: kithbook ally forums "Port bid"
    """
    _facet(ctx, "Forums", "No forums yet.", json_out,
           lambda svc: svc.alliance_work.forums(alliance))


def meetings(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """Meetings held, newest first.

    Example: kithbook ally meetings "Port bid"
    """
    _facet(ctx, "Meetings", "No meetings yet.", json_out,
           lambda svc: svc.alliance_work.meetings(alliance))


def actions(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """Action items: promises tied to the alliance.

    Example: kithbook ally actions "Port bid"
    """
    _facet(ctx, "Action items", "No action items.", json_out,
           lambda svc: svc.alliance_work.actions(alliance))


def exit_plan(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """The termination plan, item by item.

    Example: kithbook ally exit-plan "Port bid"
    """
    _facet(ctx, "Exit plan", "No exit plan yet.", json_out,
           lambda svc: svc.alliance_work.exit_plan(alliance))


def contributions(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """The skin-in-the-game ledger, line by line (`ally ledger` sums it per partner).

    Example: kithbook ally contributions "Port bid"
    """
    _facet(ctx, "Contributions", "No contributions yet.", json_out,
           lambda svc: svc.alliance_measures.contributions(alliance))


def links(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """Private links sent for this alliance, with their state.

    Example: kithbook ally links "Port bid"
    """
    _facet(ctx, "Private links", "No links sent.", json_out,
           lambda svc: svc.alliance_links.list(alliance))


def stages(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """The lifecycle so far: each stage move with when and why.

    Example: kithbook ally stages "Port bid"
    """
    _facet(ctx, "Stages", "Still in its first stage.", json_out,
           lambda svc: svc.alliances.stage_log(alliance))


def register(app: typer.Typer) -> None:
    for command in (goals, obligations, forums, meetings, actions, exit_plan, contributions,
                    links, stages):
        app.command(command.__name__.replace("_", "-"))(command)
