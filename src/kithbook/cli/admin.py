"""Housekeeping: demo data, undo and history, backups, migrations, search index."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kithbook.cli.common import emit, services, state
from kithbook.domain.text import count as n_of

if TYPE_CHECKING:
    from kithbook.services.demo import DemoLoaded


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
    alliances: Annotated[
        bool, typer.Option("--alliances/--no-alliances",
                           help="Add the sample alliance portfolio (four alliances).")
    ] = True,
) -> None:
    """Load a realistic sample network (offline, deterministic for a seed and a date).

    Example: kithbook --db demo.db demo --size small
    """
    from rich.progress import Progress

    from kithbook.errors import Conflict
    from kithbook.services.demo import load_demo

    quiet = state(ctx).json
    with services(ctx) as svc:
        try:
            if quiet:
                result = load_demo(svc, size, seed=seed, force=force, alliances=alliances)
            else:
                with Progress(transient=True) as bar:
                    task = bar.add_task("Generating and loading", total=None)

                    def tick(table: str, n: int) -> None:
                        bar.update(task, advance=n, description=f"Loading {table}")

                    result = load_demo(svc, size, seed=seed, force=force,
                                       alliances=alliances, progress=tick)
        except Conflict as exc:
            if exc.field == "force":  # the CLI's words for "elsewhere, or anyway"
                exc.field, exc.hint = None, "Use another --db, or add --force to load it anyway."
            raise
        where = svc.db.url
    emit(
        ctx,
        result,
        lambda con: con.print(
            f"Loaded the {result.name}: {n_of(result.organizations, 'organization')}, "
            f"{n_of(result.ties, 'tie')}, {n_of(result.interactions, 'interaction')}, "
            f"{n_of(result.promises, 'promise')}, {n_of(result.notes, 'note')}"
            f"{', ' + n_of(result.alliances, 'alliance') if result.alliances else ''}"
            f" into {where}.\n"
            'Try: kithbook find acme · kithbook show "Sam Chen" · kithbook promises'
            + (" · kithbook ally list" if result.alliances else "")
            + (f"\nA survey link, to answer as {_whom(result)} would (kithbook serve, "
               f"then open it):\n  {result.survey_link.url}" if result.survey_link else "")
            + "\nTo remove all of it: kithbook undo"
        ),
    )


def _whom(result: DemoLoaded) -> str:
    link = result.survey_link
    return link.person.name if link and link.person else "the person asked"


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
        lambda con: con.print(
            f"Undid '{result.name}' ({n_of(result.changes_reversed, 'change')})."),
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
                        r.id,
                        r.name,
                        when(r.at),
                        r.actor,
                        r.changes,
                        "yes" if r.undone else "",
                    ]
                    for r in rows
                ],
            )
        ),
    )


def backup(
    ctx: typer.Context,
    output: Annotated[Path | None, typer.Argument(
        help="Where to write the copy of the database (not needed with --auto).")] = None,
    auto: Annotated[bool, typer.Option(
        "--auto", help="Back up into the automatic folder if the newest automatic backup "
        "is older than the interval, then expire old ones (for a timer or cron).")] = False,
) -> None:
    """Copy the SQLite database safely while it is in use (compact, fsynced, checked,
    written whole or not at all).

    Example: kithbook backup ~/kithbook-2026-11-27.db
    Example: kithbook backup --auto      # in cron: 0 * * * * kithbook backup --auto
    """
    from kithbook.errors import InvalidInput

    with services(ctx) as svc:
        if auto:
            result = svc.database.auto_backup()
        elif output is None:
            raise InvalidInput("a file to write the backup to is needed.", field="output",
                               hint="Give a path, or --auto for the automatic folder.")
        else:
            result = svc.database.backup(output)
    if result is None:
        emit(ctx, {"id": "", "name": "not due", "taken": False},
             lambda con: con.print("The newest automatic backup is recent; nothing to do."))
        return
    emit(ctx, result, lambda con: con.print(
        f"Backed up to {result.path}" + (f"; expired {len(result.expired)} older automatic "
                                         "backups" if result.expired else "")))


def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A backup made by `kithbook backup`.")],
    yes: Annotated[bool, typer.Option("--yes", help="Replace the database with it.")] = False,
) -> None:
    """Replace the database with a backup, after checking the file (integrity, schema
    version, references, nothing foreign inside). The current database is kept beside it,
    and people erased since the backup are erased again.

    Example: kithbook restore ~/kithbook-2026-11-27.db --yes
    """
    from kithbook.errors import InvalidInput

    if not yes:
        raise InvalidInput("restoring replaces the whole database.", field="yes",
                           hint="Add --yes to do it; the current database is kept beside it.")
    with services(ctx) as svc:
        result = svc.database.restore(file)
    emit(ctx, result, lambda con: con.print(
        f"Restored {result.name} (schema {result.schema_was}, {n_of(result.people, 'person')}). "
        f"The database as it was: {result.safety_copy}"
        + (f". Erased again: {result.erased_again}." if result.erased_again else "")))


def migrate(ctx: typer.Context) -> None:
    """Bring the database schema up to date (backs the file up first).

    Example: kithbook migrate
    """
    from kithbook.services.database import migrate_schema

    cfg = state(ctx).config()
    result = migrate_schema(cfg.db_url)
    before, after, saved = result.from_, result.to, result.backup
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
    with services(ctx) as svc:
        result = svc.database.info()
    emit(
        ctx,
        result,
        lambda con: con.print(
            f"Kithbook {result.version}\ndatabase: {result.database}\nschema: {result.schema}\n"
            f"people: {result.people}"
        ),
    )


def reindex(ctx: typer.Context) -> None:
    """Rebuild the search index from scratch.

    Example: kithbook reindex
    """
    with services(ctx) as svc:
        done = svc.database.reindex()
    emit(ctx, done, lambda con: con.print(f"Reindexed {n_of(done.documents, 'record')}."))


def erase(
    ctx: typer.Context,
    who: Annotated[str, typer.Argument(help="The person to erase (name, email or id; "
                                       "also a person in the trash).")],
    yes: Annotated[bool, typer.Option("--yes", help="Do it: erasing cannot be undone.")]
    = False,
) -> None:
    """Erase a person for good (a personal-data request): them and every duplicate merged
    with them, every detail, tie, promise, note, their one-to-one interactions, their
    name in other notes, every journal entry that copied their data, the search index,
    the graph cache and pending upload previews. Unlike `delete`, this cannot be undone;
    without --yes it only says what it would do. It lists the backups and exports written
    before it that still hold the person.

    Example: kithbook erase "Old Contact" --yes
    """
    with services(ctx) as svc:
        result = svc.privacy.erase(who, dry_run=not yes)

    def render(con):  # type: ignore[no-untyped-def]
        who_ = ", ".join(f"{p.name} ({p.id})" for p in result.erased)
        if result.dry_run:
            con.print(f"This would erase {who_} and everything about them, for good: "
                      + ", ".join(f"{n} {k}" for k, n in result.removed.items()) + ".")
            con.print("Run again with --yes to do it, or use `kithbook delete` (undoable).")
        else:
            con.print(f"Erased {who_}: " + ", ".join(
                f"{n} {k}" for k, n in result.removed.items()) + ".")
            con.print(f"Journal: {n_of(result.journal_entries_removed, 'entry')} removed, "
                      f"{result.journal_entries_redacted} redacted; named elsewhere: "
                      f"{n_of(sum(result.redacted.values()), 'record')} redacted; "
                      f"{n_of(result.previews_discarded, 'upload preview')} discarded. "
                      "This cannot be undone.")
        if result.older_copies:
            con.print("Older copies that still hold them (delete them, or let them expire; "
                      "restoring one erases them again):")
            for c in result.older_copies:
                con.print(f"  {c.kind}: {c.id}")

    emit(ctx, result, render)


def encrypt(
    ctx: typer.Context,
    passphrase: Annotated[bool, typer.Option(
        "--passphrase", help="Use a passphrase typed at every start instead of a random "
        "key kept in the OS keyring.")] = False,
) -> None:
    """Encrypt the database at rest with SQLCipher (stop `kithbook serve` first); the key
    goes to the OS keyring. docs/encryption.md says what it costs.

    Example: kithbook encrypt
    """
    phrase = None
    if passphrase:
        phrase = typer.prompt("Passphrase", hide_input=True)
        if typer.prompt("Again", hide_input=True) != phrase:
            from kithbook.errors import InvalidInput

            raise InvalidInput("the two passphrases differ.", field="passphrase")
    with services(ctx) as svc:
        result = svc.database.encrypt(phrase)

    def render(con):  # type: ignore[no-untyped-def]
        con.print("Encrypted. The key is in the OS keyring." if result.key_in_keyring else
                  "Encrypted. Kithbook will ask for the passphrase at every start.")
        if result.plain_copies:
            con.print("These older copies are NOT encrypted; delete them or keep them safe:")
            for path in result.plain_copies:
                con.print(f"  {path}")

    emit(ctx, result, render)


def check(ctx: typer.Context) -> None:
    """Check the database for damage (SQLite's integrity check, dangling references).

    Example: kithbook check
    """
    with services(ctx) as svc:
        result = svc.database.check()
    emit(ctx, result, lambda con: con.print(
        "The database is sound." if result.name == "ok" else
        "The database is damaged: " + "; ".join(result.integrity[:5])
        + f"; {result.foreign_keys} dangling references. Restore a backup "
        "(kithbook restore FILE --yes)."))
    if result.name != "ok":
        raise typer.Exit(7)


def register(app: typer.Typer) -> None:
    for fn in (demo, undo, history, backup, restore, check, encrypt, migrate, info, reindex,
               erase):
        app.command(fn.__name__)(fn)
