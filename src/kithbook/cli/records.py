"""Ties, interactions and promises: the everyday verbs."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kithbook.cli.common import emit, multi_value, services
from kithbook.domain.text import count as n_of


def tie(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(help="One person.")],
    b: Annotated[str, typer.Argument(help="The other person.")],
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind", help="colleague, friend, family, client, supplier, mentor, alumni..."
        ),
    ] = None,
    strength: Annotated[int, typer.Option("--strength", "-s", help="1 (weak) to 5 (close).")] = 3,
    since: Annotated[str | None, typer.Option(
        "--since", help="When it began: 2019-05-01, 12/31/2019, last year...")] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
) -> None:
    """Declare that two people know each other (re-declaring updates it).

    Example: kithbook tie "Maria Lopez" "Sam Chen" --kind colleague --strength 4
    """
    with services(ctx) as svc:
        t = svc.ties.tie(
            a,
            b,
            kind=kind,
            strength=strength,
            since=svc.dates.day(since, field="--since", past=True),
            note=note,
        )
    emit(
        ctx,
        t,
        lambda con: con.print(
            f"{t.a.name} and {t.b.name}: {t.kind}, strength {t.strength}  [dim]{t.id}[/dim]"
        ),
    )


def log(
    ctx: typer.Context,
    with_: Annotated[list[str], typer.Option("--with", "-w", help="Who (repeatable).")],
    channel: Annotated[
        str | None,
        typer.Option(
            "--channel", "-c", help="meeting, call, video, email, message, event, social..."
        ),
    ] = None,
    minutes: Annotated[int | None, typer.Option("--minutes", "-m")] = None,
    summary: Annotated[
        str | None, typer.Option("--summary", "-s", help="What it was about.")
    ] = None,
    when: Annotated[
        str | None, typer.Option("--when", help="yesterday, friday 14:30, 3 days ago, 31/12, "
                     "YYYY-MM-DD[THH:MM] (default now).")
    ] = None,
    initiated_by: Annotated[
        str | None, typer.Option("--initiated-by", help="me, them, or a person.")
    ] = None,
    they_want: Annotated[str | None, typer.Option("--they-want")] = None,
    i_want: Annotated[str | None, typer.Option("--i-want")] = None,
    agreed: Annotated[
        list[str] | None,
        typer.Option("--agreed", help="What was agreed; several items may follow."),
    ] = None,
    next_step: Annotated[str | None, typer.Option("--next-step")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t")] = None,
    as_promises: Annotated[bool, typer.Option(
        "--promise", help="Each --agreed item also becomes a promise: mine unless it starts "
        "with they/he/she or their first name; 'by friday' sets the due date.")] = False,
) -> None:
    """Log an interaction and its implicit contract (they want / I want / agreed / next step).
    Any logged touch resets the keep-in-touch clock.

    Example: kithbook log --with "Maria Lopez" --channel meeting --minutes 45
    --they-want "a second supplier" --agreed "I send a quote by Friday" "Maria sends specs"
    --promise
    """
    from kithbook.services.interactions import NewInteraction

    with services(ctx) as svc:
        occurred = svc.dates.moment(when, field="--when")
        echo = svc.dates.describe(occurred.date()) if occurred else None
        new = (
            NewInteraction(
                with_people=with_,
                channel=channel,
                when=occurred,
                minutes=minutes,
                summary=summary,
                initiated_by=initiated_by,
                they_want=they_want,
                i_want=i_want,
                agreed=agreed or [],
                next_step=next_step,
                tags=tag or [],
            )
        )
        if as_promises:
            done = svc.interactions.capture(new, agreed_promises=True)
            assert done.interaction is not None
            i = done.interaction
            owed = [(p, svc.dates.describe(p.due) if p.due else None) for p in done.promises]
        else:
            i = svc.interactions.log(new)
            owed = []

    def show(con: Any) -> None:
        con.print(f"Logged {i.channel} with {', '.join(p.name for p in i.participants)}"
                  f"{' on ' + echo if echo else ''}  [dim]{i.id}[/dim]")
        for p, due_echo in owed:
            con.print(f"  promise: {p.owed_by.name} owes {p.owed_to.name}: {p.what}"
                      f"{' by ' + due_echo if due_echo else ''}  [dim]{p.id}[/dim]")

    emit(ctx, done if as_promises else i, show)


log_command_class = multi_value("--agreed")


def promise(
    ctx: typer.Context,
    what: Annotated[str, typer.Argument(help="What was promised.")],
    to: Annotated[str | None, typer.Option("--to", help="I owe this person.")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="This person owes me.")] = None,
    due: Annotated[str | None, typer.Option(
        "--due", help="friday, tomorrow, +3d, 2w, next week, end of month, 31/12, YYYY-MM-DD.")
    ] = None,
    interaction: Annotated[
        str | None, typer.Option("--interaction", help="The interaction id it was made in.")
    ] = None,
) -> None:
    """Record a promise: --to X (I owe X) or --from X (X owes me).

    Example: kithbook promise --to "Maria Lopez" "send the packaging quote" --due 2026-12-04
    """
    with services(ctx) as svc:
        p = svc.promises.make(
            what,
            to=to,
            from_=from_,
            due=svc.dates.day(due, field="--due"),
            interaction=interaction,
        )
        echo = svc.dates.describe(p.due) if p.due else None
    emit(
        ctx,
        p,
        lambda con: con.print(
            f"{p.owed_by.name} owes {p.owed_to.name}: {p.what}"
            f"{' by ' + echo if echo else ''}  [dim]{p.id}[/dim]"
        ),
    )


def _closer(status: str, verb: str, example: str):  # type: ignore[no-untyped-def]
    def command(
        ctx: typer.Context,
        promise_id: Annotated[str, typer.Argument(help="The promise id (or its start).")],
        reason: Annotated[str | None, typer.Option("--reason", help="Why, for the record.")] = None,
    ) -> None:
        with services(ctx) as svc:
            p = svc.promises.close(promise_id, status, reason)
        emit(
            ctx,
            p,
            lambda con: con.print(
                f"{verb}: {p.what} ({p.owed_by.name} → {p.owed_to.name})  [dim]{p.id}[/dim]"
            ),
        )

    command.__doc__ = f"Mark a promise {status}.\n\nExample: {example}"
    return command


def reopen(
    ctx: typer.Context,
    promise_id: Annotated[str, typer.Argument(help="The promise id (or its start).")],
) -> None:
    """Open a closed promise again (done, broken or released by mistake).

    Example: kithbook reopen pro_1a2b3c
    """
    with services(ctx) as svc:
        p = svc.promises.reopen(promise_id)
    emit(ctx, p, lambda con: con.print(
        f"Open again: {p.what} ({p.owed_by.name} → {p.owed_to.name})  [dim]{p.id}[/dim]"))


def tags(ctx: typer.Context) -> None:
    """Every tag with how many people, organizations and interactions carry it.

    Example: kithbook tags --json
    """
    with services(ctx) as svc:
        found = svc.settings.tags()

    def render(con: Any) -> None:
        from rich.markup import escape

        for row in found:
            con.print(f"{escape(row.name)}  [dim]{row.count}[/dim]")
        con.print(n_of(len(found), "tag"))

    emit(ctx, {"total": len(found), "items": found}, render)


def promises(
    ctx: typer.Context,
    person: Annotated[str | None, typer.Argument(help="Only promises with this person.")] = None,
    status: Annotated[
        str, typer.Option("--status", help="open, done, broken, released, all.")
    ] = "open",
    mine: Annotated[bool, typer.Option("--mine", help="Only what I owe.")] = False,
    theirs: Annotated[bool, typer.Option("--theirs", help="Only what is owed to me.")] = False,
    limit: Annotated[int, typer.Option("--limit")] = 100,
) -> None:
    """List promises, soonest due first.

    Example: kithbook promises --mine
    """
    from kithbook.cli.render import table, when

    direction = "mine" if mine else "theirs" if theirs else None
    with services(ctx) as svc:
        items, total = svc.promises.list(
            status=None if status == "all" else status,
            person=person,
            direction=direction,
            limit=limit,
        )
        today = svc.today
    emit(
        ctx,
        {"total": total, "items": items},
        lambda con: con.print(
            table(
                n_of(total, "promise"),
                ["id", "owed by", "to", "what", "due", "status"],
                [
                    [
                        p.id,
                        p.owed_by.name,
                        p.owed_to.name,
                        p.what,
                        when(p.due) + (" (late)" if p.is_overdue(today) else ""),
                        p.status,
                    ]
                    for p in items
                ],
            )
        ),
    )


def register(app: typer.Typer) -> None:
    app.command("tie")(tie)
    app.command("log", cls=log_command_class)(log)
    app.command("promise")(promise)
    app.command("done")(_closer("done", "Done", "kithbook done pro_1a2b3c"))
    app.command("broken")(_closer("broken", "Broken", "kithbook broken pro_1a2b --reason late"))
    app.command("release")(
        _closer("released", "Released", "kithbook release pro_1a2b --reason 'no longer needed'")
    )
    app.command("promises")(promises)
    app.command("reopen")(reopen)
    app.command("tags")(tags)
