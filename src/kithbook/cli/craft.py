"""`kithbook brief`, `target`, `event`, `research`: key 1 of the craft of networking,
do your research (docs/networking-craft.md). Thin: parse, call services, render."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kithbook.cli.common import emit, multi_value, services

if TYPE_CHECKING:
    from rich.console import Console

    from kithbook.domain.briefing import Brief, Line
    from kithbook.domain.research import Event, Target

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
Person = Annotated[str, typer.Argument(help="A person: name, email or id.")]
target_app = typer.Typer(help="People (or kinds of people) you want to meet: why, priority, "
                         "how.\n\nExample: kithbook target add \"Ana Silva\" --why \"buyer at "
                         "Acme\" --priority high", no_args_is_help=True)
event_app = typer.Typer(help="Events to meet people at, with a plan: whom to meet, in what "
                        "order, through whom, with what opener.\n\nExample: kithbook event add "
                        "\"Port summit\" --on 2026-12-03 --at 9:30", no_args_is_help=True)
research_app = typer.Typer(help="Research notes on people and organizations, with sources."
                           "\n\nExample: kithbook research add Acme \"New CFO since May\" "
                           "--source https://acme.example/news", no_args_is_help=True)


def day(value: str | None, flag: str) -> Any:
    from kithbook.config import parse_date

    return parse_date(value, field_name=flag) if value else None


def each(items: Sequence[Any], draw: Callable[[Console, Any], None],
         empty: str) -> Callable[[Console], None]:
    """A renderer that draws every item, or says `empty`."""

    def render(con: Console) -> None:
        for x in items:
            draw(con, x)
        if not items:
            con.print(empty)

    return render


def lines(con: Console, title: str, items: list[Line], empty: str | None = None) -> None:
    if not items and empty is None:
        return
    con.print(f"[bold]{title}[/bold]")
    if not items:
        con.print(f"  [dim]{empty}[/dim]")
    for x in items:
        on = f"{x.on.isoformat()}  " if x.on else ""
        detail = f"  [dim]({x.detail})[/dim]" if x.detail else ""
        con.print(f"  - {on}{x.name}{detail}")


def render_brief(con: Console, b: Brief) -> None:
    head = ", ".join(x for x in (b.title, b.org) if x)
    con.print(f"[bold]Brief: {b.name}[/bold]" + (f" - {head}" if head else "")
              + f"   [dim]{b.id}, as of {b.as_of.isoformat()}[/dim]")
    facts = [f"tier {b.tier}" if b.tier else "", f"stage {b.stage}" if b.stage else "",
             ("tags " + ", ".join(b.tags)) if b.tags else ""]
    if any(facts):
        con.print("  " + "; ".join(f for f in facts if f))
    reach = [*b.emails[:2], *b.phones[:1]]
    if reach:
        con.print("  " + "  ".join(reach))
    h = b.how_we_met
    con.print("[bold]How we met[/bold]")
    if not b.met:
        con.print("  Not met yet.")
    met = [h.how_met or "", f"through {h.met_via.name}" if h.met_via else "",
           f"first met {h.first_met_on.isoformat()}" if h.first_met_on else "",
           f"tie {', '.join(h.tie_kinds)} (strength {h.tie_strength}/5)" if h.tie_kinds else ""]
    if any(met):
        con.print("  " + "; ".join(m for m in met if m))
    hist = b.history
    if hist.interactions:
        con.print(f"[bold]History[/bold]\n  {hist.interactions} interactions, {hist.minutes} min, "
                  f"first {hist.first_at.date() if hist.first_at else '-'}, last "
                  f"{hist.last_at.date() if hist.last_at else '-'}")
        for x in hist.recent:
            con.print(f"  - {x.on}  {x.name} [dim]({x.detail})[/dim]")
    ct = b.contract
    if ct.they_want or ct.i_want or ct.agreed or ct.next_step:
        con.print(f"[bold]Last contract[/bold] [dim]({ct.on})[/dim]")
        for label, value in (("They want", ct.they_want), ("I want", ct.i_want),
                             ("Agreed", "; ".join(ct.agreed)), ("Next step", ct.next_step)):
            if value:
                con.print(f"  {label}: {value}")
    lines(con, "They owe me", b.promises_they_owe)
    lines(con, "I owe them", b.promises_i_owe)
    rt, rm = b.reliability_theirs, b.reliability_mine
    if rt.decided or rm.decided:
        con.print(f"[bold]Reliability[/bold]\n  theirs: {rt.kept_on_time} on time, "
                  f"{rt.kept_late} late, {rt.broken} broken; mine: {rm.kept_on_time} on time, "
                  f"{rm.kept_late} late, {rm.broken} broken")
    lines(con, "Their needs", b.needs)
    lines(con, "Their offers", b.offers)
    lines(con, "Claims they made", b.claims)
    lines(con, "What I told them", b.told)
    lines(con, "Stories I told them", b.stories_told)
    if b.mutual:
        con.print(f"[bold]Mutual connections[/bold] ({b.mutual_total})")
        for m in b.mutual:
            con.print(f"  - {m.name} (with me {m.strength_with_me}/5, with them "
                      f"{m.strength_with_them}/5)")
    if b.warm_path:
        con.print("[bold]Warm path[/bold]\n  " + " → ".join(p.name for p in b.warm_path.people)
                  + f"\n  {b.warm_path.ask}")
    lines(con, "Research", b.research)
    lines(con, "Targets", b.targets)
    lines(con, "Coming events", b.events)
    if b.pitch:
        con.print(f"[bold]Pitch[/bold]: {b.pitch.name} ({b.pitch.seconds} s) [dim]{b.pitch.why}"
                  f"[/dim]\n  {b.pitch.text}")
    lines(con, "Stories to tell", b.stories_to_tell)
    con.print(f"[bold]Ask[/bold]: {b.question.text} [dim]({b.question.why})[/dim]")


def register(app: typer.Typer) -> None:
    @app.command("brief")
    def brief(ctx: typer.Context, person: Person,
              no_path: Annotated[bool, typer.Option(
                  "--no-path", help="Skip the warm-path search.")] = False,
              json_out: JsonOpt = False) -> None:
        """A one-page briefing before a meeting: who they are, how we met, history,
        promises, needs, stories, claims, mutual ties, a pitch and a question to ask.

        Example: kithbook brief "Ana Silva"
        """
        with services(ctx) as svc:
            b = svc.briefs.brief(person, path=not no_path)
        emit(ctx, b, lambda con: render_brief(con, b), json_flag=json_out)

    app.add_typer(target_app, name="target")
    app.add_typer(event_app, name="event")
    app.add_typer(research_app, name="research")


# -- targets -------------------------------------------------------------------------------


def render_target(con: Console, t: Target) -> None:
    why = f" - {t.why}" if t.why else ""
    how = f"; how: {t.how}" if t.how else ""
    ev = f"; at {', '.join(t.events)}" if t.events else ""
    con.print(f"[{t.priority}] {t.name}{why}{how}{ev} ({t.status})  [dim]{t.id}[/dim]")


@target_app.command("add")
def target_add(
    ctx: typer.Context,
    who: Annotated[str, typer.Argument(help="A person, or with --kind a kind of person.")],
    kind: Annotated[bool, typer.Option("--kind", help="WHO is a kind of person.")] = False,
    why: Annotated[str | None, typer.Option(help="Why meet them.")] = None,
    priority: Annotated[str | None, typer.Option(help="high, medium or low.")] = None,
    how: Annotated[str | None, typer.Option(help="How: an event, a warm path.")] = None,
    org: Annotated[str | None, typer.Option(help="Their organization.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Someone you want to meet.

    Example: kithbook target add "logistics CFOs" --kind --priority high
    """
    with services(ctx) as svc:
        t = svc.research.add_target(who, person=not kind, why=why, priority=priority, how=how,
                                    org=org)
    emit(ctx, t, lambda con: render_target(con, t), json_flag=json_out)


@target_app.command("list")
def target_list(ctx: typer.Context,
                status: Annotated[str, typer.Option(help="open, met, dropped or all.")] = "open",
                json_out: JsonOpt = False) -> None:
    """Targets, most important first.

    Example: kithbook target list
    """
    with services(ctx) as svc:
        page = svc.research.targets(status=None if status == "all" else status)
    emit(ctx, page, each(page.items, lambda con, t: render_target(con, t), "No targets."),
         json_flag=json_out)


def _target_status(ctx: typer.Context, target: str, status: str, json_out: bool) -> None:
    with services(ctx) as svc:
        t = svc.research.set_target_status(target, status)
    emit(ctx, t, lambda con: render_target(con, t), json_flag=json_out)


@target_app.command("met")
def target_met(ctx: typer.Context, target: Annotated[str, typer.Argument(help="Target id.")],
               json_out: JsonOpt = False) -> None:
    """Mark a target met.

    Example: kithbook target met tgt_1234
    """
    _target_status(ctx, target, "met", json_out)


@target_app.command("drop")
def target_drop(ctx: typer.Context, target: Annotated[str, typer.Argument(help="Target id.")],
                json_out: JsonOpt = False) -> None:
    """Drop a target.

    Example: kithbook target drop tgt_1234
    """
    _target_status(ctx, target, "dropped", json_out)


# -- events --------------------------------------------------------------------------------

EventArg = Annotated[str, typer.Argument(help="The event: its name or id.")]


def render_event(con: Console, e: Event) -> None:
    at = f" {e.start_time}" if e.start_time else ""
    place = f", {e.place}" if e.place else ""
    con.print(f"[bold]{e.on_date.isoformat()}{at}  {e.name}[/bold] ({e.kind}{place})  "
              f"[dim]{e.id}[/dim]")
    for s in e.plan:
        via = f" through {s.via.name}" if s.via else ""
        opener = f"; opener: {s.opener}" if s.opener else ""
        done = " [green]met[/green]" if s.met else ""
        con.print(f"  {s.rank}. {s.name}{via}{opener}{done}")
    others = [a for a in e.attendees if a.plan_rank is None]
    if others:
        con.print("  also there: " + ", ".join(
            a.name + (f" ({a.role})" if a.role != "attendee" else "")
            + (" [green]met[/green]" if a.met else "") for a in others))


@event_app.command("add")
def event_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The event's name.")],
    on: Annotated[str, typer.Option("--on", help="Its date, YYYY-MM-DD.")],
    kind: Annotated[str, typer.Option(help="meeting, conference, meetup, fair, talk, dinner, "
                                      "other.")] = "other",
    at: Annotated[str | None, typer.Option(help="Start time, HH:MM.")] = None,
    place: Annotated[str | None, typer.Option(help="Where.")] = None,
    url: Annotated[str | None, typer.Option(help="Its web page.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """An event where you can meet people.

    Example: kithbook event add "Port summit" --on 2026-12-03 --kind conference --at 9:30
    """
    with services(ctx) as svc:
        e = svc.research.add_event(name, day(on, "--on"), kind=kind, at=at, place=place, url=url)
    emit(ctx, e, lambda con: render_event(con, e), json_flag=json_out)


@event_app.command("attend")
def event_attend(
    ctx: typer.Context, event: EventArg, person: Person,
    role: Annotated[str, typer.Option(help="attendee, speaker, host, organizer.")] = "attendee",
    plan: Annotated[bool, typer.Option("--plan", help="Put meeting them in your plan.")] = False,
    rank: Annotated[int | None, typer.Option(help="Their position in the plan (1 first).")] = None,
    via: Annotated[str | None, typer.Option(help="Who introduces you.")] = None,
    opener: Annotated[str | None, typer.Option(help="What to open with.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Someone attends an event; --plan, --rank, --via or --opener put them in your plan.

    Example: kithbook event attend "Port summit" "Ana Silva" --rank 1 --via "Ben Okafor"
    """
    with services(ctx) as svc:
        e = svc.research.attend(event, person, role=role, plan=plan, rank=rank, via=via,
                                opener=opener)
    emit(ctx, e, lambda con: render_event(con, e), json_flag=json_out)


@event_app.command("met")
def event_met(ctx: typer.Context, event: EventArg, person: Person,
              json_out: JsonOpt = False) -> None:
    """You met someone at the event: that plan step is done.

    Example: kithbook event met "Port summit" "Ana Silva"
    """
    with services(ctx) as svc:
        e = svc.research.met_at(event, person)
    emit(ctx, e, lambda con: render_event(con, e), json_flag=json_out)


@event_app.command("list")
def event_list(ctx: typer.Context,
               days: Annotated[int, typer.Option(help="How far ahead.")] = 90,
               past: Annotated[bool, typer.Option(
                   "--past", help="Past events instead, most recent first, with whom I "
                   "met there.")] = False,
               json_out: JsonOpt = False) -> None:
    """Coming events with their plans, soonest first (--past: the ones before today).

    Example: kithbook event list --days 30 (or: kithbook event list --past)
    """
    with services(ctx) as svc:
        page = svc.research.events(days=days, past=past)
    emit(ctx, page, each(page.items, lambda con, e: render_event(con, e), "No events."),
         json_flag=json_out)


@event_app.command("show")
def event_show(ctx: typer.Context, event: EventArg, json_out: JsonOpt = False) -> None:
    """One event: attendees and the plan in order.

    Example: kithbook event show "Port summit"
    """
    with services(ctx) as svc:
        e = svc.research.event(event)
    emit(ctx, e, lambda con: render_event(con, e), json_flag=json_out)


# -- research notes ------------------------------------------------------------------------


@research_app.command("add", cls=multi_value("--source"))
def research_add(
    ctx: typer.Context,
    about: Annotated[str, typer.Argument(help="A person or an organization.")],
    text: Annotated[str, typer.Argument(help="The note.")],
    source: Annotated[list[str] | None, typer.Option(
        "--source", help="Where it comes from (repeatable).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """A research note with its sources.

    Example: kithbook research add "Ana Silva" "Joined Acme in 2024" --source "press release"
    """
    with services(ctx) as svc:
        n = svc.research.add_note(about, text, sources=source or [])
    emit(ctx, n, lambda con: con.print(f"Noted: {n.name}  [dim]{n.id}[/dim]"),
         json_flag=json_out)


@research_app.command("list")
def research_list(ctx: typer.Context,
                  about: Annotated[str | None, typer.Argument(
                      help="A person or an organization.")] = None,
                  json_out: JsonOpt = False) -> None:
    """Research notes, newest first.

    Example: kithbook research list Acme
    """
    with services(ctx) as svc:
        page = svc.research.notes(about)

    def render(con: Console) -> None:
        for n in page.items:
            who = (n.person.name if n.person else n.org) or ""
            src = f"  [dim]sources: {'; '.join(n.sources)}[/dim]" if n.sources else ""
            con.print(f"- {who}: {n.text}{src}")
        if not page.items:
            con.print("No research notes.")

    emit(ctx, page, render, json_flag=json_out)
