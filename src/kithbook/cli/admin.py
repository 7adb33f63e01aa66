"""Housekeeping: demo data, undo and history, backups, migrations, search index."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kithbook.cli.common import emit, services, state


def demo(
    ctx: typer.Context,
    size: Annotated[
        str,
        typer.Option(
            "--size", help="small (about 300 people), medium, large (100,000) or a number."
        ),
    ] = "small",
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same network.")] = 7,
    force: Annotated[
        bool, typer.Option("--force", help="Load even if the database already holds your people.")
    ] = False,
) -> None:
    """Load a realistic sample network (offline, deterministic for a seed and a date).

    Example: kithbook --db demo.db demo --size small
    """
    from rich.progress import Progress

    from kithbook.services.demo import load_demo

    quiet = state(ctx).json
    with services(ctx) as svc:
        if quiet:
            result = load_demo(svc, size, seed=seed, force=force)
        else:
            with Progress(transient=True) as bar:
                task = bar.add_task("Generating and loading", total=None)

                def tick(table: str, n: int) -> None:
                    bar.update(task, advance=n, description=f"Loading {table}")

                result = load_demo(svc, size, seed=seed, force=force, progress=tick)
        where = svc.db.url
    emit(
        ctx,
        result,
        lambda con: con.print(
            f"Loaded the {result['name']}: {result['organizations']} organizations, "
            f"{result['ties']} ties, {result['interactions']} interactions, "
            f"{result['promises']} promises, {result['notes']} notes into {where}.\n"
            'Try: kithbook find acme · kithbook show "Sam Chen" · kithbook promises'
        ),
    )


def undo(
    ctx: typer.Context,
    batch: Annotated[
        str | None,
        typer.Argument(help="A batch id from `kithbook history` (default: the latest change)."),
    ] = None,
) -> None:
    """Undo the last change (an add, edit, import, merge, delete...) or a given one.

    Example: kithbook undo
    """
    with services(ctx) as svc:
        result = svc.history.undo(batch)
    emit(
        ctx,
        result,
        lambda con: con.print(f"Undid '{result['name']}' ({result['changes_reversed']} changes)."),
    )


def history(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit")] = 20,
) -> None:
    """The audit trail: recent changes, newest first, with ids that `undo` takes.

    Example: kithbook history --limit 5
    """
    from kithbook.cli.render import table, when

    with services(ctx) as svc:
        rows = svc.history.recent(limit)
    emit(
        ctx,
        rows,
        lambda con: con.print(
            table(
                None,
                ["id", "what", "when", "by", "changes", "undone"],
                [
                    [
                        r["id"],
                        r["name"],
                        when(r["at"]),
                        r["actor"],
                        r["changes"],
                        "yes" if r["undone"] else "",
                    ]
                    for r in rows
                ],
            )
        ),
    )


def backup(
    ctx: typer.Context,
    output: Annotated[Path, typer.Argument(help="Where to write the copy of the database.")],
) -> None:
    """Copy the SQLite database safely while it is in use (online backup, fsynced).

    Example: kithbook backup ~/kithbook-2026-11-27.db
    """
    with services(ctx) as svc:
        path = svc.db.backup_to(output.expanduser())
    emit(ctx, {"id": str(path), "name": path.name}, lambda con: con.print(f"Backed up to {path}"))


def migrate(ctx: typer.Context) -> None:
    """Bring the database schema up to date (backs the file up first).

    Example: kithbook migrate
    """
    from kithbook.store.db import Database

    cfg = state(ctx).config()
    db = Database(cfg.db_url)
    try:
        before = db.current_revision()
        saved = db.migrate()
        after = db.current_revision()
    finally:
        db.close()
    result = {
        "id": after,
        "name": "schema",
        "from": before,
        "to": after,
        "backup": str(saved) if saved else None,
    }
    emit(
        ctx,
        result,
        lambda con: con.print(
            f"Schema at {after}" + (f" (was {before}; backup {saved})" if before != after else "")
        ),
    )


def info(ctx: typer.Context) -> None:
    """Where the database is and what it holds.

    Example: kithbook info
    """
    from kithbook import __version__
    from kithbook.store import people as st_people

    with services(ctx) as svc:
        with svc.db.read() as conn:
            people = st_people.count_people(conn)
        result = {
            "id": svc.db.url,
            "name": "kithbook",
            "version": __version__,
            "database": svc.db.url,
            "schema": svc.db.current_revision(),
            "people": people,
        }
    emit(
        ctx,
        result,
        lambda con: con.print(
            f"Kithbook {__version__}\ndatabase: {result['database']}\nschema: {result['schema']}\n"
            f"people: {people}"
        ),
    )


def reindex(ctx: typer.Context) -> None:
    """Rebuild the search index from scratch.

    Example: kithbook reindex
    """
    from kithbook.store import search as st_search

    with services(ctx) as svc, svc.db.write("reindex", record=False) as j:
        count = st_search.rebuild_all(j.conn)
    emit(
        ctx,
        {"id": "search", "name": "search index", "documents": count},
        lambda con: con.print(f"Reindexed {count} records."),
    )


def erase(
    ctx: typer.Context,
    who: Annotated[str, typer.Argument(help="The person to erase (name, email or id).")],
    yes: Annotated[bool, typer.Option("--yes", help="Do it: erasing cannot be undone.")]
    = False,
) -> None:
    """Erase a person for good (a personal-data request): every detail, tie, promise,
    note, their one-to-one interactions and every journal entry that copied their data.
    Unlike `delete`, this cannot be undone; without --yes it only says what it would do.

    Example: kithbook erase "Old Contact" --yes
    """
    from kithbook.services.erase import erase_person

    with services(ctx) as svc:
        if not yes:
            person = svc.people.resolve(who)
            result = {"id": person.id, "name": person.name, "removed": {}, "dry_run": True}
            emit(ctx, result, lambda con: con.print(
                f"This would erase {person.name} ({person.id}) and everything about them, "
                "for good. Run again with --yes to do it, or use `kithbook delete` (undoable)."))
            return
        result = erase_person(svc, who)
    emit(ctx, result, lambda con: con.print(
        f"Erased {result['name']} ({result['id']}): " + ", ".join(
            f"{n} {k}" for k, n in result["removed"].items())))


def register(app: typer.Typer) -> None:
    for fn in (demo, undo, history, backup, migrate, info, reindex, erase):
        app.command(fn.__name__)(fn)
