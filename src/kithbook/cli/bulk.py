"""`kithbook bulk`: change many people at once, previewed, undoable as one change
(docs/bulk-edit.md)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kithbook.cli.common import emit, services


def bulk(
    ctx: typer.Context,
    action: Annotated[str, typer.Argument(
        help="tag, untag, tier, stage, cadence or archive.")],
    value: Annotated[str | None, typer.Argument(
        help="The tag, tier (A/B/C/none), stage, cadence (2w, monthly, default) or the "
             "archive reason.")] = None,
    search: Annotated[str | None, typer.Option(
        "--search", "-q", help="People that `find` would find for these words.")] = None,
    tag: Annotated[str | None, typer.Option("--tag", help="People with this tag.")] = None,
    tier: Annotated[str | None, typer.Option("--tier", help="People in this tier.")] = None,
    stage: Annotated[str | None, typer.Option("--stage", help="People at this stage.")] = None,
    org: Annotated[str | None, typer.Option("--org", help="People at this organization.")] = None,
    untouched: Annotated[int | None, typer.Option(
        "--untouched-days", help="Not touched for this many days (or never).")] = None,
    ids: Annotated[list[str] | None, typer.Option("--id", help="These people (repeatable).")
                   ] = None,
    apply: Annotated[bool, typer.Option(
        "--apply", help="Write the change (without it: a preview that writes nothing).")
    ] = False,
) -> None:
    """Tag, untag, set tier, stage or cadence, or archive many people at once. Shows a
    preview first; --apply writes it as one change that `kithbook undo` reverses.

    Example: kithbook bulk tag prospect --search acme --apply
    """
    from kithbook.services.bulk_edit import PeopleSelection

    selection = PeopleSelection(search=search, tag=tag, tier=tier, stage=stage, org=org,
                                untouched_days=untouched, ids=ids or [])
    with services(ctx) as svc:
        result = svc.bulk.edit(selection, action.strip().lower(), value, preview=not apply)

    def show(con: Any) -> None:
        if result.preview:
            con.print(f"Preview: {result.name}.")
            for p in result.sample:
                con.print(f"  {p.name}  [dim]{p.id}[/dim]", soft_wrap=True)
            if result.matched > len(result.sample):
                con.print(f"  … and {result.matched - len(result.sample)} more")
            if result.matched:
                con.print("Add --apply to make the change (one `kithbook undo` reverses it).",
                          soft_wrap=True)
        else:
            con.print(f"Done: {result.name}."
                      + (f"  Undo: kithbook undo {result.id}" if result.id else ""),
                      soft_wrap=True)

    emit(ctx, result, show)


def register(app: typer.Typer) -> None:
    app.command("bulk")(bulk)
