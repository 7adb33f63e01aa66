"""The relationship engine on the command line: strength, path, reach, brokers, dormant,
match, need, offer, gave, ledger. Heavy imports live inside the commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from kithbook.cli.common import emit, services
from kithbook.domain.text import count as n_of

if TYPE_CHECKING:
    from rich.console import Console

    from kithbook.domain.models import PersonRef

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def _people(items: list[PersonRef]) -> str:
    return ", ".join(p.name for p in items)


def strength(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="A person (name, email or id); 'me' lists "
                                               "your ties by strength.")],
    with_: Annotated[str | None, typer.Option(
        "--with", "-w", help="Score PERSON's tie with this person instead of with you.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """How strong a tie is (0 to 1, shown 10 to 100) and why, component by component.

    Example: kithbook strength "Maria Lopez"   |   kithbook strength "Sam Chen" --with Maria
    """
    from kithbook.cli.render import table
    from kithbook.services.network_results import StrongestTies

    with services(ctx) as svc:
        data = svc.network.strength(person, with_)

    def render(con: Console) -> None:
        if isinstance(data, StrongestTies):
            con.print(table(f"Ties of {data.name}, strongest first",
                            ["strength", "layer", "name", "id"],
                            [[t.display, t.layer, t.name, t.id] for t in data.ties]))
            return
        con.print(f"[bold]{data.from_.name} – {data.to.name}[/bold]: strength "
                  f"{data.display}/100 ({data.score:.2f}), {data.basis}")
        con.print(table(None, ["component", "value", "weight", "contribution", "why"], [
            [c.name, "" if c.value is None else f"{c.value:.2f}", f"{c.weight:.2f}",
             f"{c.contribution:.3f}", c.detail] for c in data.components]))
        if data.favour_balance is not None:
            con.print(f"favour balance (given − received): {data.favour_balance:+.2f}")

    emit(ctx, data, render, json_flag=json_out)


def path(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(help="A person, or an organization: "
                                               "'anyone at Acme'.")],
    from_: Annotated[str | None, typer.Option(
        "--from", help="Start from this teammate instead of you.")] = None,
    k: Annotated[int, typer.Option("--k", help="How many routes (distinct first hops).")] = 3,
    max_hops: Annotated[int, typer.Option(
        "--max-hops", help="Most ties on a route (3 = up to two intermediaries).")] = 3,
    beta: Annotated[float, typer.Option(
        "--beta", help="Forwarding factor per intermediary (0-1].")] = 0.6,
    json_out: JsonOpt = False,
) -> None:
    """Warm-introduction routes to a person or an organization, best first.

    Example: kithbook path "Maria Lopez" --k 3 --max-hops 3   |   kithbook path "anyone at Acme"
    """
    with services(ctx) as svc:
        data = svc.network.path(target, source=from_, k=k, max_hops=max_hops, beta=beta)

    def render(con: Console) -> None:
        con.print(f"[bold]From {data.from_.name} to {data.name}[/bold]")
        if not data.routes:
            con.print(data.message or "No route.")
            return
        for n, r in enumerate(data.routes, start=1):
            links = " → ".join(
                f"{p.name}" + (f" ({s:.2f})" if i < len(r.strengths) else "")
                for i, (p, s) in enumerate(zip(r.people, [*r.strengths, 0.0], strict=True)))
            con.print(f"{n}. {links}")
            con.print(f"   score {r.score:.3f}, weakest link {r.weakest:.2f}, "
                      f"{r.hops} tie{'s' if r.hops > 1 else ''}. {r.ask}")

    emit(ctx, data, render, json_flag=json_out)


def reach(
    ctx: typer.Context,
    person: Annotated[str | None, typer.Argument(help="Whose reach (default: you).")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Rows per list.")] = 10,
    json_out: JsonOpt = False,
) -> None:
    """Second-degree reach: who I can reach through whom, and people worth meeting.

    Example: kithbook reach   |   kithbook reach "Sam Chen" --limit 5
    """
    from kithbook.cli.render import table

    with services(ctx) as svc:
        data = svc.network.reach(person, limit=limit)

    def render(con: Console) -> None:
        con.print(f"[bold]{data.name}[/bold] knows {n_of(data.first_degree, 'person')}, who know "
                  f"{data.second_degree} more.")
        con.print(table("Through whom", ["name", "reach", "only via them", "id"], [
            [t.name, t.second_degree, t.only_through, t.id] for t in data.through]))
        con.print(table("People worth meeting", ["name", "score", "mutuals", "via", "id"], [
            [c.name, f"{c.score:.3f}", c.mutuals, _people(c.via), c.id]
            for c in data.worth_meeting]))

    emit(ctx, data, render, json_flag=json_out)


def brokers(
    ctx: typer.Context,
    person: Annotated[str | None, typer.Argument(help="Whose network (default: you).")] = None,
    limit: Annotated[int, typer.Option("--limit", help="How many brokers.")] = 10,
    json_out: JsonOpt = False,
) -> None:
    """Brokers in my network (effective size, Burt constraint) and my local bridges.

    Example: kithbook brokers --limit 5
    """
    from kithbook.cli.render import table

    with services(ctx) as svc:
        data = svc.network.brokers(person, limit=limit)

    def render(con: Console) -> None:
        own = data.own
        if own:
            con.print(f"[bold]{data.name}[/bold]: effective size {own.effective_size:.1f} "
                      f"of {own.degree}, constraint {own.constraint:.3f}")
        if data.local_bridges:
            con.print("Local bridges (no shared contact): " + _people(data.local_bridges))
        con.print(table("Brokers among your contacts",
                        ["name", "effective size", "degree", "constraint", "id"],
                        [[b.name, f"{b.effective_size:.1f}", b.degree,
                          f"{b.constraint:.3f}", b.id] for b in data.brokers]))

    emit(ctx, data, render, json_flag=json_out)


def dormant(
    ctx: typer.Context,
    days: Annotated[int, typer.Option("--days", help="Out of touch at least this long.")] = 365,
    limit: Annotated[int, typer.Option("--limit", help="How many.")] = 10,
    json_out: JsonOpt = False,
) -> None:
    """Dormant ties worth reviving: formerly strong, now connected to people you don't know.

    Example: kithbook dormant --days 365 --limit 5
    """
    with services(ctx) as svc:
        data = svc.network.dormant(days=days, limit=limit)

    def render(con: Console) -> None:
        if not data.dormant:
            con.print(f"No dormant ties of {days} days or more.")
        for n, d in enumerate(data.dormant, start=1):
            con.print(f"{n}. [bold]{d.name}[/bold] ({d.score:.2f})  [dim]{d.id}[/dim]")
            con.print(f"   {d.reason}")

    emit(ctx, data, render, json_flag=json_out)


def match(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", help="How many introductions.")] = 20,
    json_out: JsonOpt = False,
) -> None:
    """Introductions to make: one person's need meets another's offer, ranked by strengths.

    Example: kithbook match --limit 10
    """
    with services(ctx) as svc:
        data = svc.network.match(limit=limit)

    def render(con: Console) -> None:
        if not data.matches:
            con.print(f"No matches among {data.needs} needs and {data.offers} offers.")
        for n, m in enumerate(data.matches, start=1):
            con.print(f"{n}. [bold]{m.need.person.name}[/bold] needs "
                      f"“{m.need.name}” ← [bold]{m.offer.person.name}[/bold] "
                      f"offers “{m.offer.name}”")
            note = " (they already know each other)" if m.already_connected else ""
            con.print(f"   score {m.score:.3f}; shared: {', '.join(m.shared)}{note}")

    emit(ctx, data, render, json_flag=json_out)


def _adder(kind: str, example: str) -> Any:
    def command(
        ctx: typer.Context,
        person: Annotated[str, typer.Argument(help="Whose it is.")],
        text: Annotated[str, typer.Argument(help="What is needed or offered, in a sentence.")],
        tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="Repeatable.")]
        = None,
        json_out: JsonOpt = False,
    ) -> None:
        with services(ctx) as svc:
            data = svc.network.add_item(person, kind, text, tag or [])
        emit(ctx, data, lambda con: con.print(
            f"{data.person.name} {kind}s: {data.name}  [dim]{data.id}[/dim]"),
            json_flag=json_out)

    command.__doc__ = f"Record what a person {kind}s (listen and help).\n\nExample: {example}"
    return command


def gave(
    ctx: typer.Context,
    giver: Annotated[str, typer.Argument(help="Who gave ('me' for you).")],
    receiver: Annotated[str, typer.Argument(help="Who received.")],
    kind: Annotated[str, typer.Option("--kind", "-k", help="favour, intro, advice, referral.")]
    = "favour",
    what: Annotated[str | None, typer.Option("--what", help="What it was.")] = None,
    on: Annotated[str | None, typer.Option("--on", help="YYYY-MM-DD (default today).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Record a favour, intro, advice or referral in the give/ask ledger.

    Example: kithbook gave me "Maria Lopez" --kind intro --what "Intro to our banker"
    """
    with services(ctx) as svc:
        data = svc.network.gave(giver, receiver, kind, what,
                                svc.dates.day(on, field="--on", past=True))
    emit(ctx, data, lambda con: con.print(
        f"{data.giver.name} gave {data.receiver.name} {data.kind}: "
        f"{data.name}  [dim]{data.id}[/dim]"), json_flag=json_out)


def ledger(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="Whose ledger.")],
    json_out: JsonOpt = False,
) -> None:
    """Favours, intros and advice given and received by a person, with the balance.

    Example: kithbook ledger "Maria Lopez"
    """
    from kithbook.cli.render import table

    with services(ctx) as svc:
        data = svc.network.ledger(person)

    def render(con: Console) -> None:
        con.print(f"[bold]{data.name}[/bold]: gave {data.given}, received "
                  f"{data.received}, balance {data.balance:+.2f}")
        if data.with_me:
            w = data.with_me
            con.print(f"With you: they gave {w.they_gave_me}, you gave {w.i_gave_them}, "
                      f"your balance {w.balance:+.2f}")
        con.print(table(None, ["date", "kind", "giver", "receiver", "what"], [
            [e.occurred_on, e.kind, e.giver.name, e.receiver.name, e.name]
            for e in data.entries]))

    emit(ctx, data, render, json_flag=json_out)


def register(app: typer.Typer) -> None:
    app.command("strength")(strength)
    app.command("path")(path)
    app.command("reach")(reach)
    app.command("brokers")(brokers)
    app.command("dormant")(dormant)
    app.command("match")(match)
    app.command("need")(_adder("need", 'kithbook need "Maria Lopez" "A bookkeeper for her '
                                       'bakery" --tag accounting'))
    app.command("offer")(_adder("offer", 'kithbook offer "Sam Chen" "Bookkeeping for small '
                                         'firms" --tag accounting'))
    app.command("gave")(gave)
    app.command("ledger")(ledger)
