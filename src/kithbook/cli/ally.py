"""`kithbook ally ...`: alliances on the command line (docs/alliance-management.md). This module
holds the record and the lifecycle; ally_work.py the working together, ally_measures.py
the measures, health and scorecard. Thin: parse, call services, render."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from kithbook.cli.common import emit, multi_value, services

if TYPE_CHECKING:
    from rich.console import Console

ally_app = typer.Typer(
    help="Alliances with other firms: partners, goals and roles, communication, "
    "measures, health, lifecycle.\n\nExample: kithbook ally new \"Port bid\" --type "
    "joint_proposal --us Oakwood --partner Northwind",
    no_args_is_help=True,
)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
Alliance = Annotated[str, typer.Argument(help="The alliance: its name or id.")]
DateOpt = Annotated[str | None, typer.Option(help="YYYY-MM-DD")]


def page(items: list[Any]) -> dict[str, Any]:
    return {"total": len(items), "items": items}


def parse_day(value: str | None, flag: str) -> Any:
    from kithbook.config import parse_date

    return parse_date(value, field_name=flag) if value else None


@ally_app.command("list")
def list_(
    ctx: typer.Context,
    stage: Annotated[str | None, typer.Option(help="Only this stage.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """The portfolio: every live alliance with its health, findings and gate, weakest
    first.

    Example: kithbook ally list --stage manage
    """
    from kithbook.cli.ally_render import render_portfolio

    with services(ctx) as svc:
        lines = svc.alliance_views.portfolio(stage=stage)
    emit(ctx, page(lines), lambda con: render_portfolio(con, lines), json_flag=json_out)


@ally_app.command("new", cls=multi_value("--partner"))
def new(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A name for the alliance.")],
    type_: Annotated[str | None, typer.Option(
        "--type", help="joint_proposal, joint_purchasing, rd_new_product, joint_marketing, "
        "licensing, school_partnership, project_consortium, new_market_entry, "
        "joint_venture")] = None,
    us: Annotated[str | None, typer.Option(
        "--us", help="Our own organization (default: your current employer).")] = None,
    partner: Annotated[list[str] | None, typer.Option(
        "--partner", "-p", help="A partner organization (repeatable).")] = None,
    purpose: Annotated[str | None, typer.Option(help="What it is for.")] = None,
    rationale: Annotated[str | None, typer.Option(
        help="Why partner rather than build or buy.")] = None,
    start: DateOpt = None,
    end: Annotated[str | None, typer.Option(help="Planned end, YYYY-MM-DD.")] = None,
    notice: Annotated[int | None, typer.Option(help="Notice period in days.")] = None,
    decision_date: Annotated[str | None, typer.Option(
        "--decision-date", help="Renewal or exit decision date, YYYY-MM-DD.")] = None,
    currency: Annotated[str, typer.Option(help="Three-letter code.")] = "EUR",
    json_out: JsonOpt = False,
) -> None:
    """Start an alliance in the explore stage.

    Example: kithbook ally new "Port bid" --type joint_proposal --us Oakwood -p Northwind
    """
    from kithbook.services.alliances import NewAlliance

    with services(ctx) as svc:
        al = svc.alliances.create(NewAlliance(
            name=name, type=type_, us=us, partners=partner or [], purpose=purpose,
            rationale=rationale, started_on=parse_day(start, "--start"),
            planned_end_on=parse_day(end, "--end"), notice_days=notice,
            decision_on=parse_day(decision_date, "--decision-date"), currency=currency))
    emit(ctx, al, lambda con: con.print(
        f"Started {al.name} ({al.stage})  [dim]{al.id}[/dim]  partners: "
        + ", ".join(p.name + (" (us)" if p.is_us else "") for p in al.partners)),
        json_flag=json_out)


@ally_app.command("show")
def show(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """Everything about one alliance: partners, gate, health, findings, goals, RACI,
    objectives, contributions, forums, decisions, actions, exit plan.

    Example: kithbook ally show "Port bid"
    """
    from kithbook.cli.ally_render import render_overview

    with services(ctx) as svc:
        view = svc.alliance_views.overview(alliance)
    emit(ctx, view, lambda con: render_overview(con, view), json_flag=json_out)


@ally_app.command("edit")
def edit(
    ctx: typer.Context,
    alliance: Alliance,
    name: Annotated[str | None, typer.Option(help="A new name.")] = None,
    type_: Annotated[str | None, typer.Option("--type")] = None,
    purpose: Annotated[str | None, typer.Option()] = None,
    rationale: Annotated[str | None, typer.Option()] = None,
    start: DateOpt = None,
    end: Annotated[str | None, typer.Option(help="Planned end, YYYY-MM-DD.")] = None,
    notice: Annotated[int | None, typer.Option(help="Notice period in days.")] = None,
    decision_date: Annotated[str | None, typer.Option("--decision-date")] = None,
    currency: Annotated[str | None, typer.Option()] = None,
    sla: Annotated[int | None, typer.Option(help="Agreed answer time, hours.")] = None,
    reason_code: Annotated[str | None, typer.Option(
        "--reason-code", help="Termination: structural, process or external.")] = None,
    reason: Annotated[str | None, typer.Option(help="Termination reason in words.")] = None,
    lessons: Annotated[str | None, typer.Option(help="Lessons learned.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Change an alliance's details, dates, termination reason or lessons.

    Example: kithbook ally edit "Port bid" --end 2027-12-31 --notice 90
    """
    from kithbook.services.alliances import AllianceChanges

    with services(ctx) as svc:
        al = svc.alliances.edit(alliance, AllianceChanges(
            name=name, type=type_, purpose=purpose, rationale=rationale,
            started_on=parse_day(start, "--start"), planned_end_on=parse_day(end, "--end"),
            notice_days=notice, decision_on=parse_day(decision_date, "--decision-date"),
            currency=currency, sla_hours=sla, termination_code=reason_code,
            termination_reason=reason, lessons=lessons))
    emit(ctx, al, lambda con: con.print(f"Updated {al.name}  [dim]{al.id}[/dim]"),
         json_flag=json_out)


@ally_app.command("archive")
def archive(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """Take an alliance off the portfolio and the agenda; kept in full (undo restores).

    Example: kithbook ally archive "Old pilot"
    """
    with services(ctx) as svc:
        al = svc.alliances.archive(alliance)
    emit(ctx, al, lambda con: con.print(f"Archived {al.name}"), json_flag=json_out)


@ally_app.command("restore")
def restore(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """Bring an archived alliance back. Example: kithbook ally restore "Old pilot\""""
    with services(ctx) as svc:
        al = svc.alliances.restore(alliance)
    emit(ctx, al, lambda con: con.print(f"Restored {al.name}"), json_flag=json_out)


@ally_app.command("partner", cls=multi_value("--contact"))
def partner(
    ctx: typer.Context,
    alliance: Alliance,
    org: Annotated[str, typer.Argument(help="The organization (from the rolodex, or new); "
                                            "'us' for our side.")],
    sponsor: Annotated[str | None, typer.Option(help="Their executive sponsor.")] = None,
    contact: Annotated[list[str] | None, typer.Option(
        "--contact", "-c", help="A person of theirs in the alliance (repeatable).")] = None,
    role: Annotated[str | None, typer.Option(help="lead, member, licensee...")] = None,
    share_bp: Annotated[int | None, typer.Option(
        "--share-bp", help="Agreed share in basis points (5000 = half).")] = None,
    us: Annotated[bool, typer.Option("--us", help="This organization is us.")] = False,
    left: Annotated[str | None, typer.Option(help="It left the alliance on YYYY-MM-DD.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Add a partner (or change one): sponsor, contacts, role, agreed share.

    Example: kithbook ally partner "Port bid" Northwind --sponsor "Nina North" -c "Ned North"
    """
    from kithbook.cli.ally_render import render_partner

    with services(ctx) as svc:
        if left:
            p = svc.alliances.edit_partner(alliance, org, left_on=parse_day(left, "--left"))
        else:
            p = svc.alliances.add_partner(alliance, org, sponsor=sponsor, role=role,
                                          share_bp=share_bp, contacts=contact or [], us=us)
    emit(ctx, p, lambda con: render_partner(con, p), json_flag=json_out)


@ally_app.command("contact")
def contact(
    ctx: typer.Context,
    alliance: Alliance,
    org: Annotated[str, typer.Argument(help="The partner ('us' for our side).")],
    person: Annotated[str, typer.Argument(help="The person (name, email or id).")],
    role: Annotated[str | None, typer.Option(help="Their role in the alliance.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """A person joins the alliance on a partner's side.

    Example: kithbook ally contact "Port bid" Northwind "Ned North" --role "bid manager"
    """
    from kithbook.cli.ally_render import render_partner

    with services(ctx) as svc:
        p = svc.alliances.add_contact(alliance, org, person, role)
    emit(ctx, p, lambda con: render_partner(con, p), json_flag=json_out)


@ally_app.command("left")
def left(
    ctx: typer.Context,
    alliance: Alliance,
    person: Annotated[str, typer.Argument(help="The person who left.")],
    on: DateOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """A contact left the alliance: what they were accountable for becomes stale (R10).

    Example: kithbook ally left "Port bid" "Ned North"
    """
    from kithbook.cli.ally_render import render_partner

    with services(ctx) as svc:
        p = svc.alliances.depart_contact(alliance, person, parse_day(on, "--on"))
    emit(ctx, p, lambda con: render_partner(con, p), json_flag=json_out)


@ally_app.command("doc")
def doc(
    ctx: typer.Context,
    alliance: Alliance,
    title: Annotated[str, typer.Argument(help="What the document is.")],
    location: Annotated[str, typer.Argument(help="A link or a file path.")],
    kind: Annotated[str | None, typer.Option(
        help="agreement, mou, term_sheet, exit_provisions, charter, minutes, plan, other")]
    = None,
    json_out: JsonOpt = False,
) -> None:
    """Record a document: the agreement, the term sheet, the exit provisions...

    Example: kithbook ally doc "Port bid" "Teaming agreement" https://drive/x --kind agreement
    """
    with services(ctx) as svc:
        d = svc.alliances.add_document(alliance, title, location, kind)
    emit(ctx, d, lambda con: con.print(f"Filed {d.name} ({d.kind})  [dim]{d.id}[/dim]"),
         json_flag=json_out)


@ally_app.command("gate")
def gate(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """What blocks the next lifecycle stage, computed from the data.

    Example: kithbook ally gate "Port bid"
    """
    from kithbook.cli.ally_render import render_gate

    with services(ctx) as svc:
        g = svc.alliances.gate(alliance)
    emit(ctx, g, lambda con: render_gate(con, g), json_flag=json_out)


@ally_app.command("stage")
def stage(
    ctx: typer.Context,
    alliance: Alliance,
    to: Annotated[str, typer.Argument(help="next, or explore, negotiate, launch, manage, "
                                           "terminate, closed.")],
    force: Annotated[bool, typer.Option(
        "--force", help="Move even though criteria are unmet (journaled).")] = False,
    reason: Annotated[str | None, typer.Option(help="Why (kept in the stage log).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Move to another stage. Past unmet exit criteria only with --force.

    Example: kithbook ally stage "Port bid" next
    """
    from kithbook.errors import Conflict

    with services(ctx) as svc:
        try:
            r = svc.alliances.move(alliance, to, force=force, reason=reason)
        except Conflict as exc:
            if exc.hint and "force" in exc.hint:
                exc.hint = "Meet them, or add --force (the move is journaled with what " \
                           "was unmet); `kithbook ally gate` lists them."
            raise

    def render(con: Console) -> None:
        con.print(f"{r.name}: {r.move.from_stage} -> {r.stage}"
                  + ("  [bold red](forced)[/bold red]" if r.forced else ""))
        for c in r.unmet:
            con.print(f"  unmet: {c.text}" + (f" ({c.detail})" if c.detail else ""))

    emit(ctx, r, render, json_flag=json_out)


def register(app: typer.Typer) -> None:
    from kithbook.cli import (
        ally_agenda,
        ally_lists,
        ally_measures,
        ally_money,
        ally_work,
        links,
    )

    ally_work.register(ally_app)
    ally_lists.register(ally_app)
    ally_measures.register(ally_app)
    ally_money.register(ally_app)
    ally_agenda.register(ally_app)
    app.add_typer(ally_app, name="ally")
    links.register(app)
