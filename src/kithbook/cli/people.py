"""People and organizations: add, show, find, edit, list, delete, notes."""

from __future__ import annotations

from typing import Annotated

import typer

from kithbook.cli.common import emit, services
from kithbook.domain.text import count as n_of

add_app = typer.Typer(help="Add a person or an organization.", no_args_is_help=True)


@add_app.command("person")
def add_person(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Full name as you say it.")],
    email: Annotated[list[str] | None, typer.Option("--email", "-e", help="Repeatable.")] = None,
    phone: Annotated[list[str] | None, typer.Option("--phone", "-p", help="Repeatable.")] = None,
    url: Annotated[list[str] | None, typer.Option("--url", help="Repeatable.")] = None,
    org: Annotated[str | None, typer.Option("--org", help="Organization (created if new).")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Job title at --org.")] = None,
    tier: Annotated[str | None, typer.Option("--tier", help="A, B or C.")] = None,
    stage: Annotated[
        str | None,
        typer.Option("--stage", help="target, met, rapport, mutual_help, advocate, dormant."),
    ] = None,
    cadence: Annotated[
        str | None,
        typer.Option("--cadence", help="Keep in touch every: 14d, 2w, monthly, quarterly..."),
    ] = None,
    met_via: Annotated[str | None, typer.Option("--met-via", help="Who introduced you.")] = None,
    how_met: Annotated[str | None, typer.Option("--how-met", help="Where and how.")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="Repeatable.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="A first note (markdown).")] = None,
) -> None:
    """Add a person.

    Example: kithbook add person "Maria Lopez" --email maria@northwind.example --org Northwind
    --title CFO --tier A --cadence monthly --met-via "Sam Chen" --how-met "Chamber breakfast"
    """
    from kithbook.services.people import NewPerson

    with services(ctx) as svc:
        person = svc.people.add(
            NewPerson(
                name=name,
                emails=email or [],
                phones=phone or [],
                urls=url or [],
                org=org,
                title=title,
                tier=tier,
                stage=stage,
                cadence=cadence,
                met_via=met_via,
                how_met=how_met,
                tags=tag or [],
                note=note,
                first_met_on=svc.today,
            )
        )
    emit(ctx, person, lambda con: con.print(f"Added {person.name}  [dim]{person.id}[/dim]"))


@add_app.command("org")
def add_org(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Organization name.")],
    domain: Annotated[str | None, typer.Option("--domain", help="Web/email domain.")] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="customer, supplier, partner, prospect, school...")
    ] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="Repeatable.")] = None,
) -> None:
    """Add an organization.

    Example: kithbook add org Northwind --domain northwind.example --kind customer
    """
    with services(ctx) as svc:
        org = svc.orgs.add(name, domain=domain, kind=kind, tags=tag or [])
    emit(ctx, org, lambda con: con.print(f"Added {org.name}  [dim]{org.id}[/dim]"))


def show(
    ctx: typer.Context,
    who: Annotated[str, typer.Argument(help="A person's name, email or id; or an org.")],
    limit: Annotated[int, typer.Option("--limit", help="Timeline entries to show.")] = 20,
) -> None:
    """Everything about one person: details, ties, timeline, promises both ways, notes.
    Falls back to an organization when no person matches.

    Example: kithbook show "Maria Lopez"
    """
    from kithbook.cli.render import org_profile, person_profile
    from kithbook.services.results import OrgProfile

    with services(ctx) as svc:
        profile = svc.people.show_any(who, timeline_limit=limit)
    if isinstance(profile, OrgProfile):
        emit(ctx, profile, lambda con: org_profile(con, profile))
        return
    emit(ctx, profile, lambda con: person_profile(con, profile))


def find(
    ctx: typer.Context,
    query: Annotated[list[str], typer.Argument(help="Words to look for.")],
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help="person, org, interaction, note (repeatable)."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit")] = 30,
) -> None:
    """Full-text search over people, organizations, interactions and notes.
    Accents and case don't matter: `muller` finds Müller.

    Example: kithbook find acme
    """
    from kithbook.cli.render import table
    from kithbook.services.search import KINDS

    kinds = tuple(kind) if kind else KINDS
    with services(ctx) as svc:
        hits = svc.search.find(" ".join(query), kinds=kinds, limit=limit)

    def render(con):  # type: ignore[no-untyped-def]
        if not hits:
            con.print(f"Nothing matches '{' '.join(query)}'.")
            return
        con.print(
            table(
                None,
                ["kind", "id", "name", "detail"],
                [[h.kind, h.id, h.name, h.snippet] for h in hits],
            )
        )

    emit(ctx, hits, render)


def list_people(
    ctx: typer.Context,
    tag: Annotated[str | None, typer.Option("--tag")] = None,
    tier: Annotated[str | None, typer.Option("--tier")] = None,
    stage: Annotated[str | None, typer.Option("--stage")] = None,
    org: Annotated[str | None, typer.Option("--org")] = None,
    archived: Annotated[bool, typer.Option("--archived", help="Show archived people.")] = False,
    name: Annotated[str | None, typer.Option(
        "--name", help="A word of the name starts with each word given ('mar', 'ana g').")] = None,
    limit: Annotated[int, typer.Option("--limit")] = 50,
    offset: Annotated[int, typer.Option("--offset")] = 0,
) -> None:
    """List people, filtered by name, tag, tier, stage or organization.

    With --json: {"total", "items", "total_is_lower_bound"}; when a name matches very
    many people counting stops, and total_is_lower_bound says "at least total".

    Example: kithbook people --tier A --org Northwind
    """
    from kithbook.cli.render import table, when

    with services(ctx) as svc:
        found = svc.people.list(
            tag=tag, tier=tier, stage=stage, org=org, archived=archived, name_prefix=name,
            limit=limit, offset=offset,
        )
    people, total = found.items, found.total

    def render(con):  # type: ignore[no-untyped-def]
        con.print(
            table(
                ("at least " if found.total_is_lower_bound else "") + n_of(total, "person"),
                ["id", "name", "org", "tier", "stage", "last touch"],
                [
                    [
                        p.id,
                        p.name,
                        (p.current_role.org_name if p.current_role else ""),
                        p.tier or "",
                        p.stage or "",
                        when(p.last_touch_at),
                    ]
                    for p in people
                ],
            )
        )

    emit(ctx, found, render)


def list_orgs(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit")] = 50,
    offset: Annotated[int, typer.Option("--offset")] = 0,
) -> None:
    """List organizations.

    Example: kithbook orgs
    """
    from kithbook.cli.render import table

    with services(ctx) as svc:
        orgs, total = svc.orgs.list(limit=limit, offset=offset)
    emit(
        ctx,
        {"total": total, "items": orgs},
        lambda con: con.print(
            table(
                n_of(total, "organization"),
                ["id", "name", "domain", "kind"],
                [[o.id, o.name, o.domain, o.kind] for o in orgs],
            )
        ),
    )


def edit(
    ctx: typer.Context,
    who: Annotated[str, typer.Argument(help="Name, email or id.")],
    name: Annotated[str | None, typer.Option("--name")] = None,
    email: Annotated[list[str] | None, typer.Option("--email", "-e")] = None,
    phone: Annotated[list[str] | None, typer.Option("--phone", "-p")] = None,
    url: Annotated[list[str] | None, typer.Option("--url")] = None,
    org: Annotated[str | None, typer.Option("--org")] = None,
    title: Annotated[str | None, typer.Option("--title")] = None,
    tier: Annotated[str | None, typer.Option("--tier")] = None,
    stage: Annotated[str | None, typer.Option("--stage")] = None,
    cadence: Annotated[str | None, typer.Option("--cadence", help="'default' to clear.")] = None,
    how_met: Annotated[str | None, typer.Option("--how-met")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Add a tag.")] = None,
    untag: Annotated[list[str] | None, typer.Option("--untag", help="Remove a tag.")] = None,
) -> None:
    """Change a person's details (adds emails/phones; `kithbook undo` reverts).

    Example: kithbook edit "Maria Lopez" --tier B --tag investor
    """
    with services(ctx) as svc:
        person = svc.people.edit(
            who,
            name=name,
            emails=email,
            phones=phone,
            urls=url,
            org=org,
            title=title,
            tier=tier,
            stage=stage,
            cadence=cadence,
            how_met=how_met,
            add_tags=tag,
            remove_tags=untag,
        )
    emit(ctx, person, lambda con: con.print(f"Updated {person.name}  [dim]{person.id}[/dim]"))


def me(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Your name, to set it.")] = None,
) -> None:
    """Show or set who you are (the owner of this rolodex).

    Example: kithbook me "Alex Morgan"
    """
    with services(ctx) as svc:
        person = svc.people.set_me(name) if name else svc.people.resolve("me")
    emit(ctx, person, lambda con: con.print(f"You are {person.name}  [dim]{person.id}[/dim]"))


def delete(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(
        help="A person (name, email or id), or the id of an org, tie, interaction, promise "
        "or note.")],
) -> None:
    """Move something to the trash. `kithbook undo` brings it back.

    Example: kithbook delete "Old Contact"
    """
    with services(ctx) as svc:
        result = svc.trash.delete(target)
    emit(ctx, result, lambda con: con.print(
        f"Moved {result.kind} {result.name} to the trash. "
        f"Undo: kithbook undo {result.undo_batch}"))


def note(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(
        help="A person (name, email or id), an organization, or an interaction id.")],
    body: Annotated[str, typer.Argument(help="The note (markdown).")],
) -> None:
    """Add a note to a person, an organization or an interaction.

    Example: kithbook note "Maria Lopez" "Prefers calls before 10am"
    """
    with services(ctx) as svc:
        n = svc.annotate.note(target, body)
    emit(ctx, n, lambda con: con.print(f"Noted on {n.subject_name}  [dim]{n.id}[/dim]"))


def tag(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(
        help="A person (name, email or id), an organization, or an interaction id.")],
    tags: Annotated[list[str], typer.Argument(help="Tags to add.")],
    remove: Annotated[bool, typer.Option("--remove", help="Remove these tags instead.")]
    = False,
) -> None:
    """Tag anything: people, organizations, interactions.

    Example: kithbook tag Northwind customer packaging
    """
    with services(ctx) as svc:
        result = svc.annotate.tag(target, [] if remove else tags, tags if remove else [])
    emit(ctx, result, lambda con: con.print(
        f"{result.name}: {', '.join(result.tags) or 'no tags'}"))


def register(app: typer.Typer) -> None:
    app.add_typer(add_app, name="add")
    app.command("show")(show)
    app.command("find")(find)
    app.command("people")(list_people)
    app.command("orgs")(list_orgs)
    app.command("edit")(edit)
    app.command("me")(me)
    app.command("delete")(delete)
    app.command("note")(note)
    app.command("tag")(tag)
