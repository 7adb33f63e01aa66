"""Getting data in and out: `import` (preview first) and `export`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from kithbook.cli.common import emit, services, wants_json


@contextmanager
def _working(ctx: typer.Context, what: str) -> Iterator[None]:
    """A spinner on the terminal for long imports; nothing under --json or in a pipe."""
    import sys

    if wants_json(ctx) or not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(what + "..."):
        yield


def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The file to import.")],
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="json, linkedin, google, outlook, vcard, ties (detected if absent).",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change, change nothing.")
    ] = False,
    region: Annotated[
        str | None,
        typer.Option("--region", help="Default country for phone numbers, e.g. US, GB, DE."),
    ] = None,
    with_content: Annotated[
        bool,
        typer.Option("--with-content", help="LinkedIn archive: keep the words of messages, "
                     "invitations and recommendations (default: dates, direction and "
                     "subject only)."),
    ] = False,
) -> None:
    """Import a file. --dry-run previews; a real import is one transaction (all or nothing)
    and `kithbook undo` reverses it.

    Formats: LinkedIn Connections.csv or its zip, Google and Outlook CSV, vCard 2.1/3.0/
    4.0, a ties CSV (person_a,person_b,strength[,kind]) and Kithbook's JSON backup.
    LinkedIn's whole data archive also brings messages, invitations, endorsements and
    recommendations as interactions with the people you have (dates, direction and
    subject; the words only with --with-content), one per conversation per day; a newer
    archive, or one of another vintage, adds only the messages not in yet.

    Example: kithbook import Connections.csv --dry-run
    Example: kithbook import Complete_LinkedInDataExport.zip --dry-run
    """
    from kithbook.cli.render import table
    from kithbook.domain.text import count

    opts: dict[str, object] = {"region": region.upper()} if region else {}
    if with_content:
        opts["with_content"] = True
    with services(ctx) as svc, _working(ctx, f"Reading {file.name}"):
        report = svc.transfer.import_file(file, fmt=format, dry_run=dry_run, **opts)

    def render(con):  # type: ignore[no-untyped-def]
        verb = "Would import" if report.dry_run else "Imported"
        con.print(
            f"{verb} {report.name} ({report.format}): {report.created} created, "
            f"{report.updated} updated, {report.merged} merged, {report.skipped} skipped, "
            f"{len(report.errors)} unreadable."
        )
        known = report.details.get("people", {}).get("recognised_by_name_and_connected_on")
        if known:  # an older or newer LinkedIn export: no profile URL to match by
            con.print(f"{count(known, 'LinkedIn connection')} "
                      f"{'is' if known == 1 else 'are'} recognised by name and Connected On "
                      f"day (no profile URL to match) and "
                      f"{'would update' if report.dry_run else 'updated'} the person "
                      "already here, not a new one.")
        made = report.details.get("interactions")
        if made and "existing" in made:  # a LinkedIn archive's (a backup counts rows)
            kinds = [(k, report.details[k]) for k in
                     ("messages", "invitations", "endorsements", "recommendations")
                     if k in report.details]
            read = ", ".join(f"{count(d['read'], k[:-1])} ({d['matched']} with people "
                             "you have)" for k, d in kinds)
            verb = "would become" if report.dry_run else "became"
            # days imported before that this (newer) archive holds more of
            gained = "".join(
                f"; {count(n, 'conversation')} "
                f"{('gains' if n == 1 else 'gain') if report.dry_run else 'gained'} {k} "
                f"({count(d.get('added', 0), 'new ' + k[:-1])})"
                for k, d in kinds if (n := d.get("conversations_gaining", 0)))
            con.print(f"From the archive: {read}; {verb} "
                      f"{count(made['created'], 'new interaction')}"
                      + (f" ({made['existing']} already imported)" if made["existing"]
                         else "") + gained + ".")
        if report.errors:
            con.print(
                table(
                    "Rows that could not be read",
                    ["line", "reason"],
                    [[e.get("line"), e.get("reason")] for e in report.errors[:200]],
                )
            )
        if report.warnings:
            con.print(
                table(
                    "Imported, with a cell kept as given",
                    ["line", "warning"],
                    [[w.get("line"), w.get("reason")] for w in report.warnings[:200]],
                )
            )
        if not report.dry_run and report.id:
            con.print(f"Undo with: kithbook undo {report.id}")
        how = {"today": "kithbook today", "tier": "kithbook edit PERSON --tier A",
               "import": "kithbook import FILE", "path": 'kithbook path "Someone"'}
        for step in report.next_steps:
            con.print(f"Next: {step['text']} [dim]({how.get(step['step'], '')})[/dim]")

    emit(ctx, report, render)


def export(
    ctx: typer.Context,
    format: Annotated[str, typer.Argument(
        help="json, vcard, csv, ties, ics; or `person` with a PERSON for everything held "
        "about one person (a subject access request, JSON).")],
    person: Annotated[str | None, typer.Argument(
        help="With `person`: who (name, email or id).")] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="File to write (atomically). Default: standard output."
        ),
    ] = None,
    tag: Annotated[str | None, typer.Option("--tag", help="Only people with this tag.")] = None,
) -> None:
    """Export your network. JSON is a full backup that `kithbook import` reads back.

    Example: kithbook export json -o backup.json
    Example: kithbook export person "Maria Lopez" -o maria.json
    """
    import sys

    if format == "person" or person is not None:
        _export_person(ctx, format, person, output)
        return
    with services(ctx) as svc:
        if output is None:
            svc.transfer.export_to(format, sys.stdout.buffer, tag=tag)
            return
        path = svc.transfer.export_file(format, output, tag=tag)
    emit(
        ctx,
        {"id": str(path), "name": path.name, "format": format},
        lambda con: con.print(f"Wrote {path}"),
    )


def _export_person(ctx: typer.Context, format: str, person: str | None,
                   output: Path | None) -> None:
    import json
    import sys

    from kithbook.domain.models import as_dict
    from kithbook.errors import InvalidInput

    if format != "person" or not person:
        raise InvalidInput("say whose data to export.", field="person",
                           hint='Use: kithbook export person "NAME" [-o FILE].')
    with services(ctx) as svc:
        sar = svc.privacy.subject_access(person)
        data = (json.dumps(as_dict(sar), ensure_ascii=False, indent=2) + "\n").encode()
        if output is None:
            sys.stdout.buffer.write(data)
            return
        path = svc.transfer.write_file(output, data, kind="export")
    emit(ctx, {"id": str(path), "name": path.name, "format": "person"},
         lambda con: con.print(f"Wrote everything held about {sar.name} to {path}"))


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
    app.command("export")(export)
