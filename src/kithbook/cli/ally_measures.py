"""`kithbook ally ...` for measures and health: objectives and measurements, the
contributions ledger, health checks, the health score, findings and the scorecard."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kithbook.cli.ally import Alliance, DateOpt, JsonOpt, page, parse_day
from kithbook.cli.common import emit, services

if TYPE_CHECKING:
    from rich.console import Console


def objective(
    ctx: typer.Context,
    alliance: Alliance,
    name: Annotated[str, typer.Argument(help="The objective.")],
    metric: Annotated[str | None, typer.Option(help="What is measured.")] = None,
    baseline: Annotated[str | None, typer.Option(help="Where it starts.")] = None,
    target: Annotated[str | None, typer.Option(help="Where it must get.")] = None,
    deadline: DateOpt = None,
    owner: Annotated[str | None, typer.Option(help="The partner that owns it.")] = None,
    owner_person: Annotated[str | None, typer.Option("--owner-person")] = None,
    start: DateOpt = None,
    unit: Annotated[str | None, typer.Option(help="EUR, bids, %, ...")] = None,
    kind: Annotated[str | None, typer.Option(help="ends (outcomes) or means.")] = None,
    weight: Annotated[int, typer.Option(help="1 to 100.")] = 1,
    goal: Annotated[str | None, typer.Option(help="The goal it measures (id).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """An objective: metric, baseline, target, deadline, owner and weight.

    Example: kithbook ally objective "Port bid" "Bid sections done" --metric sections
    --baseline 0 --target 10 --deadline 2027-01-31 --owner us
    """
    from kithbook.services.alliance_measures import NewObjective

    with services(ctx) as svc:
        o = svc.alliance_measures.add_objective(alliance, NewObjective(
            name=name, metric=metric, unit=unit, kind=kind, baseline=baseline, target=target,
            start_on=parse_day(start, "--start"), deadline=parse_day(deadline, "--deadline"),
            owner=owner, owner_person=owner_person, weight=weight, goal=goal))
    emit(ctx, o, lambda con: con.print(f"Objective {o.name}  [dim]{o.id}[/dim]"),
         json_flag=json_out)


def measure(
    ctx: typer.Context,
    alliance: Alliance,
    objective_id: Annotated[str, typer.Argument(metavar="OBJECTIVE")],
    value: Annotated[str, typer.Argument(help="The value now (exact decimal).")],
    on: DateOpt = None,
    note: Annotated[str | None, typer.Option()] = None,
    json_out: JsonOpt = False,
) -> None:
    """Record where an objective stands.

    Example: kithbook ally measure "Port bid" obj_3d 4
    """
    from kithbook.cli.ally_render import pace_text

    with services(ctx) as svc:
        o = svc.alliance_measures.measure(alliance, objective_id, value, parse_day(on, "--on"),
                                          note)
    emit(ctx, o, lambda con: con.print(f"{o.name}: {o.latest_value} ({pace_text(o)})"),
         json_flag=json_out)


def objectives(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """Objectives with their pacing, linear and to date.

    Example: kithbook ally objectives "Port bid"
    """
    from kithbook.cli.ally_render import render_objectives

    with services(ctx) as svc:
        items = svc.alliance_measures.objectives(alliance)
    emit(ctx, page(items), lambda con: render_objectives(con, items), json_flag=json_out)


def contribute(
    ctx: typer.Context,
    alliance: Alliance,
    partner: Annotated[str, typer.Argument(help="The partner ('us' for us).")],
    kind: Annotated[str, typer.Argument(help="cash, hours, asset or introduction.")],
    amount: Annotated[str, typer.Argument(help="Money, hours, or number of introductions.")],
    rate: Annotated[str | None, typer.Option(help="Money per hour or per introduction.")]
    = None,
    delivered: Annotated[bool, typer.Option(
        "--delivered", help="Delivered (default: committed).")] = False,
    on: DateOpt = None,
    note: Annotated[str | None, typer.Option(help="What it is.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """A line of the skin-in-the-game ledger, committed or delivered.

    Example: kithbook ally contribute "Port bid" Northwind hours 120 --rate 85.50
    """
    with services(ctx) as svc:
        c = svc.alliance_measures.contribute(
            alliance, partner, kind, amount, stage="delivered" if delivered else "committed",
            rate=rate, on=parse_day(on, "--on"), description=note)
    emit(ctx, c, lambda con: con.print(f"{c.party.name} {c.stage} {c.kind} {c.amount}"
                                       f" (value {c.value})  [dim]{c.id}[/dim]"),
         json_flag=json_out)


def ledger(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """Contributions committed against delivered, per partner, side by side.

    Example: kithbook ally ledger "Port bid"
    """
    from kithbook.cli.ally_render import render_ledger

    with services(ctx) as svc:
        items = svc.alliance_measures.ledger(alliance)
    emit(ctx, page(items), lambda con: render_ledger(con, items), json_flag=json_out)


def check(
    ctx: typer.Context,
    alliance: Alliance,
    min_group: Annotated[int, typer.Option(
        "--min-group", help="Answers a side needs before its ratings show.")] = 3,
    closes: DateOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Open a two-sided health check (send it with `ally send ... CHECK --to ...`).

    Example: kithbook ally check "Port bid" --min-group 3
    """
    with services(ctx) as svc:
        c = svc.alliance_measures.open_check(alliance, min_group=min_group,
                                             closes_on=parse_day(closes, "--closes"))
    emit(ctx, c, lambda con: con.print(f"Opened {c.name}  [dim]{c.id}[/dim]"),
         json_flag=json_out)


def rate(
    ctx: typer.Context,
    alliance: Alliance,
    check_id: Annotated[str, typer.Argument(metavar="CHECK")],
    partner: Annotated[str, typer.Argument(help="The respondent's partner ('us').")],
    ratings: Annotated[list[str], typer.Argument(
        help="dimension=1..5 ..., e.g. strategic_value=4 communication_quality=2")],
    comment: Annotated[str | None, typer.Option()] = None,
    json_out: JsonOpt = False,
) -> None:
    """Enter one anonymous health-check answer for a side.

    Example: kithbook ally rate "Port bid" chk_2 us strategic_value=4 relationship_trust=5
    """
    from kithbook.errors import InvalidInput

    parsed: dict[str, int] = {}
    for item in ratings:
        dim, _, value = item.partition("=")
        if not value.strip().isdigit():
            raise InvalidInput(f"'{item}' is not DIMENSION=1..5.", field="ratings")
        parsed[dim.strip()] = int(value)
    with services(ctx) as svc:
        c = svc.alliance_measures.rate(alliance, check_id, partner, parsed, comment)
    emit(ctx, c, lambda con: con.print(f"Recorded an answer; {c.responses} so far"),
         json_flag=json_out)


def checks(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """Health checks: each side's ratings (once enough answered) and perception gaps.

    Example: kithbook ally checks "Port bid"
    """
    from kithbook.cli.ally_render import render_checks

    with services(ctx) as svc:
        items = svc.alliance_measures.checks(alliance)
    emit(ctx, page(items), lambda con: render_checks(con, items), json_flag=json_out)


def health(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """The health score per side and combined, the weakest factor, coverage, trend.

    Example: kithbook ally health "Port bid"
    """
    from kithbook.cli.ally_render import render_health

    with services(ctx) as svc:
        h = svc.alliance_views.health(alliance)
    emit(ctx, h, lambda con: render_health(con, h), json_flag=json_out)


def findings(
    ctx: typer.Context,
    alliance: Alliance,
    communication: Annotated[bool, typer.Option(
        "--communication", help="Only the communication alerts.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Every alert: RACI checks, communication, pacing, perception gaps, with fixes.

    Example: kithbook ally findings "Port bid"
    """
    from kithbook.cli.ally_render import render_findings

    with services(ctx) as svc:
        items = (svc.alliance_views.communication(alliance) if communication
                 else svc.alliance_views.findings(alliance))
    emit(ctx, page(items), lambda con: render_findings(con, items), json_flag=json_out)


def scorecard(
    ctx: typer.Context,
    alliance: Alliance,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write the printable page (HTML with charts) to this file.")]
    = None,
    json_out: JsonOpt = False,
) -> None:
    """The one-page quarterly scorecard: objectives against target, contributions, the
    health radar of both sides.

    Example: kithbook ally scorecard "Port bid" -o port-q4.html
    """
    from kithbook.cli.ally_render import render_health
    from kithbook.errors import InvalidInput
    from kithbook.io.atomic import atomic_write
    from kithbook.io.scorecard import scorecard_html

    if out is not None and not out.expanduser().resolve().parent.is_dir():
        raise InvalidInput(f"the folder of {out} does not exist.", field="out",
                           hint="Create it first, or pick another --out.")
    with services(ctx) as svc:
        card = svc.alliance_views.scorecard(alliance)
    if out is not None:
        with atomic_write(out.expanduser(), binary=True) as fh:
            fh.write(scorecard_html(card).encode("utf-8"))

    def render(con: Console) -> None:
        render_health(con, card.health)
        if out is not None:
            con.print(f"Wrote {out}: open it in a browser and print.")

    emit(ctx, card, render, json_flag=json_out)


def register(app: typer.Typer) -> None:
    app.command("objective")(objective)
    app.command("measure")(measure)
    app.command("objectives")(objectives)
    app.command("contribute")(contribute)
    app.command("ledger")(ledger)
    app.command("check")(check)
    app.command("rate")(rate)
    app.command("checks")(checks)
    app.command("health")(health)
    app.command("findings")(findings)
    app.command("scorecard")(scorecard)
