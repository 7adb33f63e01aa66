"""Follow through, follow up: `today`, `snooze`, `touched`, `prune`, `archive`,
`unarchive`, `reliability`. Thin: parse, call services.agenda, render."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from kithbook.cli.common import emit, services
from kithbook.cli.next_steps import agenda_command, prune_command, triage_command
from kithbook.domain.text import count as n_of

if TYPE_CHECKING:
    from rich.console import Console

    from kithbook.domain.agenda import Agenda
    from kithbook.domain.alliances.agenda import AllianceTask
    from kithbook.domain.prune import Proposal
    from kithbook.domain.reliability import Reliability, Tally
    from kithbook.services.app import Services

KIND_LABEL = {
    "problem": "PROBLEM",
    "promise_overdue": "you owe (late)",
    "promise_due": "you owe",
    "promise_undated": "you owe (undated)",
    "follow_up": "follow up",
    "nudge": "nudge",
    "keep_in_touch": "keep in touch",
    "birthday": "birthday",
    "anniversary": "anniversary",
    # the craft of networking (domain/craft_agenda.py)
    "meeting": "meeting today",
    "event_plan": "event plan",
    "verify_claim": "a claim to verify",
    "send_survey": "a survey to send",
    "close_survey": "a survey to close",
    "thank_referrer": "thank a referrer",
    "report_back": "report back",
    "thank_respondent": "thank a respondent",
    "ask_referral": "ask for a referral",
}


def today(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many actions to show.")] = 20,
) -> None:
    """Who to contact today and what you owe whom: one ranked queue, each item with why
    and what to do.

    Example: kithbook today --limit 10   (or: kithbook --as-of 2026-12-01 --json today)

    With --json: a list of items, each with the person's id and name, kind, score, why,
    action, due, days_late and subject_id (the promise or interaction). The whole agenda
    with its counts and the first-day triage is `kithbook digest --json` (the same
    object as GET /api/v1/agenda and the agent's agenda_today).
    """
    with services(ctx) as svc:
        agenda = svc.agenda.today(limit)
        alliance_work = _alliance_work(ctx, svc, limit)
    emit(ctx, agenda.items, lambda con: _render_agenda(con, agenda, alliance_work))


def _alliance_work(ctx: typer.Context, svc: Services, limit: int) -> list[AllianceTask]:
    """Alliance tasks for the people-facing agenda (`kithbook ally today --json` has
    them for scripts; the JSON of `today` stays the list of people items)."""
    from kithbook.cli.common import state

    if state(ctx).json:
        return []
    return svc.alliance_agenda.today(limit)


def _render_agenda(con: Console, agenda: Agenda,
                   alliance_work: list[AllianceTask] | None = None) -> None:
    from kithbook.cli.ally_agenda import render_tasks

    _render_people(con, agenda)
    render_tasks(con, alliance_work or [], empty=False)


def _render_people(con: Console, agenda: Agenda) -> None:
    from kithbook.cli.render import table

    triage = agenda.triage
    if not agenda.items:
        if triage is not None and (triage.unknown or not triage.empty):
            con.print(f"Nothing is due on {agenda.as_of.isoformat()} yet, but Kithbook knows "
                      f"little about {triage.unknown} of your people: start with the "
                      "first-day triage below.")
        else:
            con.print(f"Nothing due on {agenda.as_of.isoformat()}. Well kept.")
    else:
        groups: dict[str, list[Any]] = {}
        for i in agenda.items:
            groups.setdefault(i.kind, []).append(i)
        con.print(f"Today, {agenda.as_of.isoformat()}: " + ", ".join(
            f"{len(v)} {KIND_LABEL.get(k, k.replace('_', ' '))}" for k, v in groups.items()))
        n = 0
        for kind, items in groups.items():
            rows = []
            for i in items:
                n += 1
                command = agenda_command(i)
                do = i.action + (f"\n[dim]{command}[/dim]" if command else "")
                rows.append([n, f"{i.name}\n[dim]{i.id}[/dim]", i.why, do])
            label = KIND_LABEL.get(kind, kind.replace("_", " "))
            con.print(table(f"{label} ({len(items)})", ["#", "who", "why", "do"], rows))
        if agenda.truncated:
            con.print("[dim]More waiting: raise --limit to see them.[/dim]")
    if triage is not None and not triage.empty:
        _render_triage(con, triage)


def _render_triage(con: Console, triage: Any) -> None:
    from kithbook.cli.render import table

    con.print(f"First-day triage: {n_of(triage.unknown, 'person')} never touched or never "
              "ranked.")
    for section, title in (("a_list", "Pick your A-list (suggested from evidence)"),
                           ("needs", "Needs found in your notes"),
                           ("introducers", "Introducers to record"),
                           ("birthdays", "Upcoming birthdays"),
                           ("anniversaries", "Upcoming anniversaries")):
        items = getattr(triage, section)
        if items:
            rows = []
            for s in items:
                command = triage_command(section, s)
                do = s.action + (f"\n[dim]{command}[/dim]" if command else "")
                rows.append([f"{s.name}\n[dim]{s.id}[/dim]", s.why, do])
            con.print(table(f"{title} ({len(items)})", ["who", "why", "do"], rows))


def snooze(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="Name, email or id.")],
    duration: Annotated[str, typer.Argument(help="14d, 2w, 3m, 1y, or off.")],
) -> None:
    """Defer a person's keep-in-touch reminders without recording a touch.

    Example: kithbook snooze "Maria Lopez" 14d
    """
    with services(ctx) as svc:
        out = svc.agenda.snooze(person, duration)
    until = out.snoozed_until
    emit(ctx, out, lambda con: con.print(
        f"Snoozed {out.name} until {until.isoformat()}" if until
        else f"{out.name} is no longer snoozed"))


def touched(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="Name, email or id.")],
    note: Annotated[str | None, typer.Option("--note", help="What it was about.")] = None,
) -> None:
    """Record a quick touch (a short interaction): resets the keep-in-touch clock.

    Example: kithbook touched "Sam Chen" --note "liked his post, sent congrats"
    """
    with services(ctx) as svc:
        out = svc.agenda.touched(person, note)
    emit(ctx, out, lambda con: con.print(f"Touched {out.name}  [dim]{out.id}[/dim]"))


def prune(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many proposals.")] = 50,
) -> None:
    """Pruning review: people to downgrade, slow down or archive, with reasons.
    Nothing changes until you act on a proposal.

    Example: kithbook prune --limit 20
    """
    with services(ctx) as svc:
        proposals = svc.agenda.prune(limit)
    emit(ctx, proposals, lambda con: _render_prune(con, proposals))


def _render_prune(con: Console, proposals: list[Proposal]) -> None:
    from kithbook.cli.render import table

    if not proposals:
        con.print("Nothing to prune.")
        return
    rows = [
        [p.action.replace("_", " "), f"{p.name}\n[dim]{p.id}[/dim]", "; ".join(p.reasons),
         prune_command(p)]
        for p in proposals
    ]
    con.print(table("Pruning review", ["propose", "who", "why", "to do it"], rows))


def archive(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="Name, email or id.")],
    reason: Annotated[str, typer.Option("--reason", "-r", help="Why (kept on record).")],
) -> None:
    """Archive a person: everything is kept, they leave the agenda; undoable.

    Example: kithbook archive "Old Contact" --reason "left the industry in 2021"
    """
    with services(ctx) as svc:
        out = svc.agenda.archive(person, reason)
    emit(ctx, out, lambda con: con.print(
        f"Archived {out.name} ({reason}). Undo: kithbook undo {out.batch_id}"))


def unarchive(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="Name, email or id.")],
) -> None:
    """Bring an archived person back.

    Example: kithbook unarchive "Old Contact"
    """
    with services(ctx) as svc:
        out = svc.agenda.unarchive(person)
    emit(ctx, out, lambda con: con.print(f"{out.name} is back in your network."))


def reliability(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="Name, email or id.")],
) -> None:
    """Promises kept on time, late and broken: theirs, and yours to them.

    Example: kithbook reliability "Maria Lopez"
    """
    with services(ctx) as svc:
        rec = svc.agenda.reliability(person)
    emit(ctx, rec, lambda con: _render_reliability(con, rec))


def _render_reliability(con: Console, rec: Reliability) -> None:
    from kithbook.cli.render import table

    def row(label: str, t: Tally) -> list[Any]:
        rate = t.on_time_rate
        return [label, t.kept_on_time, t.kept_late, t.broken, t.overdue, t.open, t.released,
                "" if rate is None else f"{rate:.0%}"]

    con.print(table(
        f"Reliability: {rec.name}",
        ["promises", "on time", "late", "broken", "overdue", "open", "released", "on-time"],
        [row("theirs", rec.theirs), row("yours to them", rec.mine)],
    ))
    for reason in rec.theirs.broken_reasons:
        con.print(f"  [dim]they broke one: {reason}[/dim]")


def digest(
    ctx: typer.Context,
    html: Annotated[bool, typer.Option("--html", help="HTML instead of plain text.")] = False,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many actions.")] = 30,
) -> None:
    """The day on one screen: the agenda grouped by kind and the first-day triage, as
    plain text or HTML, for cron and e-mail.

    Example: kithbook digest --html | mail -a "Content-Type: text/html" -s Today me@example.com
    """
    import sys

    from kithbook.io import digest as render

    with services(ctx) as svc:
        agenda = svc.agenda.today(limit)
    def show(con: Console) -> None:
        sys.stdout.write(render.html(agenda) if html else render.text(agenda))

    emit(ctx, agenda, show)


def register(app: typer.Typer) -> None:
    app.command("today")(today)
    app.command("digest")(digest)
    app.command("snooze")(snooze)
    app.command("touched")(touched)
    app.command("prune")(prune)
    app.command("archive")(archive)
    app.command("unarchive")(unarchive)
    app.command("reliability")(reliability)
