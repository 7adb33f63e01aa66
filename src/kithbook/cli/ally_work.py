"""`kithbook ally ...` for working together: goals and confirmations, activities and
the RACI, obligations, forums, meetings, decisions, action items, private links, and
the exit plan."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from kithbook.cli.ally import Alliance, DateOpt, JsonOpt, page, parse_day
from kithbook.cli.common import emit, multi_value, services

if TYPE_CHECKING:
    from kithbook.services.alliance_work import RaciAssignment

Partner = Annotated[str, typer.Argument(help="The partner: its organization, or 'us'.")]


def goal(
    ctx: typer.Context,
    alliance: Alliance,
    partner: Partner,
    text: Annotated[str, typer.Argument(help="The goal, in the partner's words.")],
    kpi: Annotated[str | None, typer.Option(
        help="The measure it moves (goals on the same measure are checked for conflicts).")]
    = None,
    direction: Annotated[str | None, typer.Option(help="increase, decrease or own.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Write down one partner's goal; the other partners then confirm or dispute it.

    Example: kithbook ally goal "Port bid" Northwind "Keep the crane fleet busy"
    """
    with services(ctx) as svc:
        g = svc.alliance_work.add_goal(alliance, partner, text, kpi=kpi, direction=direction)
    emit(ctx, g, lambda con: con.print(f"Goal of {g.party.name}: {g.name}  [dim]{g.id}[/dim]"),
         json_flag=json_out)


def confirm(
    ctx: typer.Context,
    alliance: Alliance,
    item: Annotated[str, typer.Argument(help="The goal (gol_...) or decision (dec_...) id.")],
    by: Annotated[str, typer.Option("--by", help="The partner answering ('us' for us).")],
    dispute: Annotated[bool, typer.Option("--dispute", help="Dispute instead.")] = False,
    comment: Annotated[str | None, typer.Option(help="Needed with --dispute.")] = None,
    person: Annotated[str | None, typer.Option(help="Who answered for the partner.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Record a partner confirming (or disputing) a goal, decision or action plan.

    Example: kithbook ally confirm "Port bid" gol_8x2 --by us
    """
    with services(ctx) as svc:
        r = svc.alliance_work.confirm(alliance, item, by, "disputed" if dispute else
                                      "confirmed", comment=comment, person=person)
    emit(ctx, r, lambda con: con.print(f"{r.name}: {r.status}"
                                       + (f" (awaiting {', '.join(r.awaiting)})"
                                          if r.awaiting else "")), json_flag=json_out)


def _cells(raw: list[str]) -> list[RaciAssignment]:
    """'Northwind=R', 'us:Olga Oak=A/R', 'Globex=' (clears)."""
    from kithbook.errors import InvalidInput
    from kithbook.services.alliance_work import RaciAssignment

    out = []
    for item in raw:
        who, sep, letters = item.rpartition("=")
        if not sep or not who.strip():
            raise InvalidInput(f"'{item}' is not PARTNER=LETTERS or PARTNER:PERSON=LETTERS.",
                               field="raci", hint='e.g. --raci "Northwind:Ned North=R"')
        partner, _, person = who.partition(":")
        out.append(RaciAssignment(partner.strip(), letters.strip(), person.strip() or None))
    return out


RaciOpt = Annotated[list[str] | None, typer.Option(
    "--raci", "-r", help='PARTNER[:PERSON]=LETTERS, e.g. "us:Olga Oak=A/R" (repeatable).')]


def activity(
    ctx: typer.Context,
    alliance: Alliance,
    name: Annotated[str, typer.Argument(help="The joint activity.")],
    raci: RaciOpt = None,
    deliverable: Annotated[str | None, typer.Option(help="What it produces.")] = None,
    solo: Annotated[bool, typer.Option("--solo", help="Needs only one party's input.")] = False,
    objective: Annotated[str | None, typer.Option(help="The objective it serves (id).")] = None,
    obligation: Annotated[str | None, typer.Option(help="The obligation it carries (id).")]
    = None,
    check_in: Annotated[int | None, typer.Option("--check-in", help="Status every N days.")]
    = None,
    json_out: JsonOpt = False,
) -> None:
    """Add a joint activity with its RACI row.

    Example: kithbook ally activity "Port bid" "Technical section" -r "us=A" -r "Northwind=R"
    """
    with services(ctx) as svc:
        a = svc.alliance_work.add_activity(
            alliance, name, deliverable=deliverable, joint=not solo, objective=objective,
            obligation=obligation, check_in_days=check_in, raci=_cells(raci or []))
    emit(ctx, a, lambda con: con.print(
        f"{a.name}  [dim]{a.id}[/dim]  " + ", ".join(f"{r.name}={r.letters}" for r in a.raci)),
        json_flag=json_out)


def assign(
    ctx: typer.Context,
    alliance: Alliance,
    activity_id: Annotated[str, typer.Argument(metavar="ACTIVITY", help="The activity id.")],
    cells: Annotated[list[str], typer.Argument(help='PARTNER[:PERSON]=LETTERS ...')],
    json_out: JsonOpt = False,
) -> None:
    """Set RACI cells on an activity ('PARTNER=' clears a cell).

    Example: kithbook ally assign "Port bid" act_4f "Northwind:Ned North=C"
    """
    with services(ctx) as svc:
        a = svc.alliance_work.assign(alliance, activity_id, _cells(cells))
    emit(ctx, a, lambda con: con.print(
        f"{a.name}: " + ", ".join(f"{r.name}={r.letters}" for r in a.raci)), json_flag=json_out)


def raci(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """The RACI grid with the checks R1-R13, each with its severity and fix.

    Example: kithbook ally raci "Port bid"
    """
    from kithbook.cli.ally_render import render_raci

    with services(ctx) as svc:
        rows = svc.alliance_work.activities(alliance)
        found = svc.alliance_views.raci_findings(alliance)
    emit(ctx, {"total": len(rows), "items": rows, "findings": found},
         lambda con: render_raci(con, rows, found), json_flag=json_out)


def update(
    ctx: typer.Context,
    alliance: Alliance,
    activity_id: Annotated[str, typer.Argument(metavar="ACTIVITY", help="The activity id.")],
    done: Annotated[bool, typer.Option("--done", help="It is finished.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """A status update on an activity (resets its check-in clock), or --done.

    Example: kithbook ally update "Port bid" act_4f --done
    """
    with services(ctx) as svc:
        a = svc.alliance_work.update_activity(alliance, activity_id, done=done or None)
    emit(ctx, a, lambda con: con.print(f"{a.name}: updated" + (" (done)" if a.done_on else "")),
         json_flag=json_out)


def obligation(
    ctx: typer.Context,
    alliance: Alliance,
    text: Annotated[str, typer.Argument(help="The duty, as the contract puts it.")],
    partner: Annotated[str | None, typer.Option(help="Whose duty it is.")] = None,
    kind: Annotated[str | None, typer.Option(
        help="obligation, exit_provision, ip or data.")] = None,
    due: DateOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Record a contractual obligation (or an exit provision, IP or data term).

    Example: kithbook ally obligation "Port bid" "6 months notice" --kind exit_provision
    """
    with services(ctx) as svc:
        o = svc.alliance_work.add_obligation(alliance, text, partner=partner, kind=kind,
                                             due_on=parse_day(due, "--due"))
    emit(ctx, o, lambda con: con.print(f"{o.kind}: {o.name}  [dim]{o.id}[/dim]"),
         json_flag=json_out)


def met(
    ctx: typer.Context,
    alliance: Alliance,
    obligation_id: Annotated[str, typer.Argument(metavar="OBLIGATION")],
    on: DateOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """An obligation is closed. Example: kithbook ally met "Port bid" obl_3k"""
    with services(ctx) as svc:
        o = svc.alliance_work.close_obligation(alliance, obligation_id, parse_day(on, "--on"))
    emit(ctx, o, lambda con: con.print(f"Closed: {o.name}"), json_flag=json_out)


def forum(
    ctx: typer.Context,
    alliance: Alliance,
    name: Annotated[str, typer.Argument(help="e.g. Weekly ops, Steering committee.")],
    cadence: Annotated[str, typer.Option(help="weekly, monthly, quarterly, 14d...")],
    layer: Annotated[str | None, typer.Option(
        help="steering, management, operations, other.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """A governance forum with its agreed cadence.

    Example: kithbook ally forum "Port bid" "Steering committee" --cadence quarterly
    --layer steering
    """
    with services(ctx) as svc:
        f = svc.alliance_work.add_forum(alliance, name, cadence, layer=layer)
    emit(ctx, f, lambda con: con.print(f"{f.name}: every {f.cadence_days} days  "
                                       f"[dim]{f.id}[/dim]"), json_flag=json_out)


def meeting(
    ctx: typer.Context,
    alliance: Alliance,
    with_: Annotated[list[str], typer.Option("--with", "-w", help="Who attended.")],
    forum_id: Annotated[str | None, typer.Option("--forum", help="The forum's id.")] = None,
    when: Annotated[str | None, typer.Option(help="YYYY-MM-DD or YYYY-MM-DDTHH:MM.")] = None,
    summary: Annotated[str | None, typer.Option(help="What it was about.")] = None,
    minutes: Annotated[str | None, typer.Option(help="The minutes.")] = None,
    decision: Annotated[list[str] | None, typer.Option(
        "--decision", "-d", help="A decision taken (repeatable): each must be confirmed.")]
    = None,
    without_me: Annotated[bool, typer.Option("--without-me")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Log a meeting as an interaction with the partners' people.

    Example: kithbook ally meeting "Port bid" --forum for_2k -w "Nina North" -d "Bid at 4.2M"
    """
    from kithbook.services.alliance_work import NewMeeting

    with services(ctx) as svc:
        at = svc.dates.moment(when, field="--when")
        m = svc.alliance_work.log_meeting(alliance, NewMeeting(
            with_people=with_, forum=forum_id, when=at,
            summary=summary, minutes=minutes, decisions=decision or [],
            me_attended=not without_me))
    emit(ctx, m, lambda con: con.print(f"Logged {m.name} on {m.at:%Y-%m-%d} with "
                                       + ", ".join(p.name for p in m.attendees)
                                       + f"  [dim]{m.id}[/dim]"), json_flag=json_out)


def minutes_(
    ctx: typer.Context,
    alliance: Alliance,
    meeting_id: Annotated[str, typer.Argument(metavar="MEETING")],
    text: Annotated[str, typer.Argument(help="The minutes.")],
    json_out: JsonOpt = False,
) -> None:
    """Record a meeting's minutes. Example: kithbook ally minutes "Port bid" mee_7 "..." """
    with services(ctx) as svc:
        m = svc.alliance_work.record_minutes(alliance, meeting_id, text)
    emit(ctx, m, lambda con: con.print(f"Minutes recorded for {m.name}"), json_flag=json_out)


def decide(
    ctx: typer.Context,
    alliance: Alliance,
    text: Annotated[str, typer.Argument(help="The decision or the plan.")],
    kind: Annotated[str | None, typer.Option(help="decision, action_plan or review.")] = None,
    outcome: Annotated[str | None, typer.Option(
        help="For a review: continue, restructure, expand or exit.")] = None,
    by: Annotated[str, typer.Option("--by", help="The partner recording it.")] = "us",
    person: Annotated[str | None, typer.Option(help="Who recorded it.")] = None,
    meeting_id: Annotated[str | None, typer.Option("--meeting")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Record a decision, an action plan or a review; every other partner confirms it.

    Example: kithbook ally decide "Port bid" "Annual review" --kind review --outcome continue
    """
    with services(ctx) as svc:
        d = svc.alliance_work.record_decision(alliance, text, kind=kind, partner=by,
                                              person=person, outcome=outcome,
                                              meeting=meeting_id)
    emit(ctx, d, lambda con: con.print(f"Recorded {d.kind}: {d.name}  [dim]{d.id}[/dim]; "
                                       f"awaiting {', '.join(d.awaiting) or 'nobody'}"),
         json_flag=json_out)


def action(
    ctx: typer.Context,
    alliance: Alliance,
    what: Annotated[str, typer.Argument(help="What will be done.")],
    owner: Annotated[str, typer.Option(help="Who does it (a contact of a partner, or me).")],
    due: DateOpt = None,
    to: Annotated[str | None, typer.Option(help="Owed to whom (default: the other side).")]
    = None,
    decision_id: Annotated[str | None, typer.Option("--decision")] = None,
    json_out: JsonOpt = False,
) -> None:
    """An action item: a promise tied to the alliance (`kithbook done ID` closes it).

    Example: kithbook ally action "Port bid" "Send crane specs" --owner "Ned North" --due
    2026-12-10
    """
    with services(ctx) as svc:
        a = svc.alliance_work.add_action(alliance, what, owner, due=parse_day(due, "--due"),
                                         to=to, decision=decision_id)
    emit(ctx, a, lambda con: con.print(f"{a.owner.name} owes {a.owed_to.name}: {a.name}"
                                       + (f" by {a.due}" if a.due else "")
                                       + f"  [dim]{a.id}[/dim]"), json_flag=json_out)


def send(
    ctx: typer.Context,
    alliance: Alliance,
    item: Annotated[str, typer.Argument(help="A goal, decision or health check id.")],
    to: Annotated[str, typer.Option(help="The partner's contact who answers.")],
    days: Annotated[int, typer.Option(help="How long the link works.")] = 14,
    json_out: JsonOpt = False,
) -> None:
    """A private link (no account needed) for a partner's contact to confirm or dispute a
    goal or decision, or to answer a health check; prints an e-mail text to paste.

    Example: kithbook ally send "Port bid" dec_5h --to "Nina North"
    """
    with services(ctx) as svc:
        link = svc.alliance_links.send(alliance, item, to, days=days)

    def render(con: object) -> None:
        print(link.email_text)
        print(f"\n(link {link.id}; `kithbook link revoke {link.id}` withdraws it)")

    emit(ctx, link, render, json_flag=json_out)


def exit_(
    ctx: typer.Context,
    alliance: Alliance,
    kind: Annotated[str, typer.Argument(help="obligation, asset, ip, data, customer, other.")],
    text: Annotated[str, typer.Argument(help="What must happen.")],
    partner: Annotated[str | None, typer.Option(help="Who it concerns.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Add a line to the termination plan.

    Example: kithbook ally exit "Port bid" data "Return the tender documents to Northwind"
    """
    with services(ctx) as svc:
        x = svc.alliance_work.add_exit_item(alliance, kind, text, partner=partner)
    emit(ctx, x, lambda con: con.print(f"Exit plan, {x.kind}: {x.name}  [dim]{x.id}[/dim]"),
         json_flag=json_out)


def exit_done(
    ctx: typer.Context,
    alliance: Alliance,
    item: Annotated[str, typer.Argument(help="The exit item's id.")],
    on: DateOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """An exit plan item is done. Example: kithbook ally exit-done "Port bid" exi_2m"""
    with services(ctx) as svc:
        x = svc.alliance_work.close_exit_item(alliance, item, parse_day(on, "--on"))
    emit(ctx, x, lambda con: con.print(f"Done: {x.name}"), json_flag=json_out)


def decisions(ctx: typer.Context, alliance: Alliance, json_out: JsonOpt = False) -> None:
    """Decisions and action plans with each partner's confirmation.

    Example: kithbook ally decisions "Port bid"
    """
    from kithbook.cli.render import table

    with services(ctx) as svc:
        items = svc.alliance_work.decisions(alliance)
    emit(ctx, page(items), lambda con: con.print(table(
        "Decisions", ["id", "kind", "text", "by", "status"],
        [[d.id, d.kind, d.name, d.party.name, d.status + (f" ({', '.join(d.awaiting)})"
                                                            if d.awaiting else "")]
         for d in items])), json_flag=json_out)


def register(app: typer.Typer) -> None:
    app.command("goal")(goal)
    app.command("confirm")(confirm)
    app.command("activity", cls=multi_value("--raci", "-r"))(activity)
    app.command("assign")(assign)
    app.command("raci")(raci)
    app.command("update")(update)
    app.command("obligation")(obligation)
    app.command("met")(met)
    app.command("forum")(forum)
    app.command("meeting", cls=multi_value("--with", "-w", "--decision", "-d"))(meeting)
    app.command("minutes")(minutes_)
    app.command("decide")(decide)
    app.command("decisions")(decisions)
    app.command("action")(action)
    app.command("send")(send)
    app.command("exit")(exit_)
    app.command("exit-done")(exit_done)
