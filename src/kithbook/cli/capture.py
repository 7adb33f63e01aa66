"""`kithbook capture`: mail and calendar sources become interactions."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kithbook.cli.common import emit, services
from kithbook.domain.text import count as n_of

capture_app = typer.Typer(
    help="Capture what already happened: mail (mbox, Maildir, IMAP) and calendars (.ics, "
    "CalDAV) become interactions.\n\nExample: kithbook capture add mbox inbox ~/mail.mbox "
    "--me you@example.com && kithbook capture run",
    no_args_is_help=True,
)


def _prompt(label: str) -> str | None:
    """Ask for a password on the terminal only; a scheduled run never waits for input."""
    if not sys.stdin.isatty():
        return None
    import getpass

    return getpass.getpass(f"{label}: ")


@capture_app.command("add")
def add(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="mbox, maildir, imap, ics or caldav.")],
    name: Annotated[str, typer.Argument(help="A short name for the source.")],
    location: Annotated[str, typer.Argument(
        help="A file or folder; the IMAP host; or the CalDAV calendar's https:// address.")],
    me: Annotated[list[str] | None, typer.Option(
        "--me", help="Your own address (repeatable): your aliases are 'me'.")] = None,
    privacy: Annotated[str, typer.Option(
        "--privacy", help="metadata (default: who, when, thread, size), subject, or "
        "snippet (subject and the first words).")] = "metadata",
    never: Annotated[list[str] | None, typer.Option(
        "--never", help="An address, @domain or pattern never to capture (repeatable).")
    ] = None,
    no_default_never: Annotated[bool, typer.Option(
        "--no-default-never", help="Do not add the built-in no-reply/newsletter list.")
    ] = False,
    user: Annotated[str | None, typer.Option("--user", help="IMAP or CalDAV user.")] = None,
    folder: Annotated[list[str] | None, typer.Option(
        "--folder", help="IMAP folder to read (repeatable; default INBOX).")] = None,
    port: Annotated[int | None, typer.Option("--port", help="IMAP port (default 993).")] = None,
    starttls: Annotated[bool, typer.Option("--starttls", help="IMAP STARTTLS on 143.")] = False,
    ca_file: Annotated[str | None, typer.Option(
        "--ca-file", help="Certificate authority file for a self-hosted server.")] = None,
    since: Annotated[str | None, typer.Option(
        "--since", help="Ignore what happened before this date (YYYY-MM-DD).")] = None,
    ask_password: Annotated[bool, typer.Option(
        "--password/--no-password", help="Ask for the password now and keep it in the OS "
        "keyring (never in the database).")] = True,
) -> None:
    """Add a mail or calendar source.

    Example: kithbook capture add imap work imap.example.com --user me@example.com
    --folder INBOX --folder Sent --me me@example.com
    """
    from kithbook.config import parse_date
    from kithbook.services.capture import NewSource

    password = None
    if kind.lower() in ("imap", "caldav") and user and ask_password:
        password = _prompt(f"Password for {user} (kept in the OS keyring)")
    with services(ctx) as svc:
        src = svc.capture.add(NewSource(
            kind=kind, name=name, location=location, privacy=privacy, never=never or [],
            me=me or [], folders=folder or [], user=user, port=port, starttls=starttls,
            ca_file=ca_file, since=parse_date(since, field_name="--since") if since else None,
            default_never=not no_default_never), password=password)
    emit(ctx, src, lambda con: con.print(
        f"Added {src.kind} source {src.name}  [dim]{src.id}[/dim]\n"
        f"Privacy: {src.privacy}. Run it with: kithbook capture run {src.name}"))


@capture_app.command("list")
def list_sources(ctx: typer.Context) -> None:
    """List capture sources and how their last run went.

    Example: kithbook capture list
    """
    with services(ctx) as svc:
        items = svc.capture.sources()

    def render(con: object) -> None:
        from kithbook.cli.render import table

        con.print(table(None, ["id", "name", "kind", "location", "privacy", "last run"], [  # type: ignore[attr-defined]
            [s.id, s.name, s.kind, s.location, s.privacy, s.last_status or "never"]
            for s in items]))

    emit(ctx, {"total": len(items), "items": items}, render)


@capture_app.command("show")
def show(ctx: typer.Context,
         source: Annotated[str, typer.Argument(help="Source name or id.")]) -> None:
    """One source: what it keeps, what it never captures, and its last run.

    Example: kithbook capture show inbox
    """
    with services(ctx) as svc:
        src = svc.capture.get(source)
    emit(ctx, src, lambda con: con.print(
        f"{src.name} ({src.kind})  [dim]{src.id}[/dim]\n  location: {src.location}\n"
        f"  privacy: {src.privacy}\n  me: {', '.join(src.me) or 'your own e-mails'}\n"
        f"  never capture: {', '.join(src.never) or 'nothing'}\n"
        f"  last run: {src.last_status or 'never'}"))


@capture_app.command("edit")
def edit(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="Source name or id.")],
    privacy: Annotated[str | None, typer.Option("--privacy")] = None,
    never: Annotated[list[str] | None, typer.Option("--never", help="Add to never-capture.")
                     ] = None,
    allow: Annotated[list[str] | None, typer.Option(
        "--allow", help="Remove from the never-capture list.")] = None,
    me: Annotated[list[str] | None, typer.Option("--me", help="Add one of your addresses.")
                  ] = None,
    folder: Annotated[list[str] | None, typer.Option("--folder", help="Replace folders.")
                      ] = None,
    password: Annotated[bool, typer.Option(
        "--password", help="Ask for a new password and keep it in the OS keyring.")] = False,
) -> None:
    """Change what a source keeps.

    Example: kithbook capture edit inbox --never @newsletters.example --privacy subject
    """
    secret = _prompt("New password (kept in the OS keyring)") if password else None
    with services(ctx) as svc:
        src = svc.capture.edit(source, privacy=privacy, never_add=never or [],
                               never_remove=allow or [], me_add=me or [], folders=folder,
                               password=secret)
    emit(ctx, src, lambda con: con.print(f"Updated {src.name}  [dim]{src.id}[/dim]"))


@capture_app.command("remove")
def remove(ctx: typer.Context,
           source: Annotated[str, typer.Argument(help="Source name or id.")]) -> None:
    """Stop capturing from a source; what it captured stays (undo brings it back).

    Example: kithbook capture remove inbox
    """
    with services(ctx) as svc:
        src = svc.capture.remove(source)
    emit(ctx, src, lambda con: con.print(f"Removed {src.name}; its interactions stay."))


@capture_app.command("run")
def run(
    ctx: typer.Context,
    source: Annotated[list[str] | None, typer.Argument(help="Sources (default: all).")] = None,
    max_seconds: Annotated[float | None, typer.Option(
        "--max-seconds", help="Stop cleanly after this long; the next run goes on.")] = None,
    max_items: Annotated[int | None, typer.Option(
        "--max-items", help="Stop cleanly after about this many messages or meetings.")
    ] = None,
) -> None:
    """Capture new mail and meetings. Safe to schedule: incremental, resumable after a
    crash or a lost connection, never duplicates; `kithbook undo` removes a whole run.

    Example: kithbook capture run --max-seconds 600
    """
    with services(ctx) as svc:
        reports = svc.capture.run(source or None, max_seconds=max_seconds,
                                  max_items=max_items, prompt=_prompt)
    emit(ctx, {"total": len(reports), "items": reports},
         lambda con: _render_reports(con, reports))
    if any(r.status == "failed" for r in reports):
        raise typer.Exit(6)


def _render_reports(con: object, reports: list) -> None:  # type: ignore[type-arg]
    for r in reports:
        skipped = ", ".join(f"{n} {why}" for why, n in sorted(
            r.skipped.items(), key=lambda x: -x[1])) or "none"
        lines = [
            f"{r.name}: {r.status}  [dim]{r.id}, undo batch {r.undo_batch}"
            f"{', undone' if r.undone else ''}[/dim]",
            f"  saw {r.seen}, kept {r.kept} ({r.duplicates} already captured), "
            f"{r.created} new {'interaction' if r.created == 1 else 'interactions'}, "
            f"{r.updated} updated, {r.withdrawn} taken back, "
            f"{n_of(r.people_touched, 'person')} touched, {r.proposed} proposed",
            f"  skipped: {skipped}",
        ]
        if r.message:
            lines.append(f"  {r.message}")
        lines += [f"  note: {p}" for p in r.problems[:5]]
        con.print("\n".join(lines), markup=True)  # type: ignore[attr-defined]


@capture_app.command("report")
def report(
    ctx: typer.Context,
    source: Annotated[str | None, typer.Argument(help="One source (default: all).")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n")] = 10,
) -> None:
    """What each recent run saw, kept, skipped (and why) and proposed.

    Example: kithbook capture report inbox
    """
    with services(ctx) as svc:
        reports = svc.capture.report(source, limit=limit)
    emit(ctx, {"total": len(reports), "items": reports},
         lambda con: _render_reports(con, reports) if reports else con.print("No runs yet."))


@capture_app.command("review")
def review(
    ctx: typer.Context,
    status: Annotated[str, typer.Option(
        "--status", help="proposed (default), seen, accepted or dismissed.")] = "proposed",
    limit: Annotated[int, typer.Option("--limit", "-n")] = 50,
) -> None:
    """Correspondents who wrote to you and you to them, repeatedly, not yet people.

    Example: kithbook capture review
    """
    with services(ctx) as svc:
        items, total = svc.capture.review(status=status, limit=limit)

    def render(con: object) -> None:
        from kithbook.cli.render import table

        if not items:
            con.print("Nobody to review.")  # type: ignore[attr-defined]
            return
        t = table(None, ["address", "name", "from them", "to them", "last seen"], [
            [p.address, p.name, p.msgs_in, p.msgs_out,
             p.last_seen.date().isoformat() if p.last_seen else ""] for p in items])
        con.print(t)  # type: ignore[attr-defined]
        con.print("Accept with: kithbook capture accept ADDRESS (or --all); "  # type: ignore
                  "dismiss with: kithbook capture dismiss ADDRESS")

    emit(ctx, {"total": total, "items": items}, render)


@capture_app.command("accept")
def accept(
    ctx: typer.Context,
    address: Annotated[list[str] | None, typer.Argument(help="Addresses to accept.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Accept everyone proposed.")] = False,
) -> None:
    """Make proposed correspondents people, with the touches already captured.

    Example: kithbook capture accept dana@newco.example
    """
    with services(ctx) as svc:
        people = svc.capture.accept(address or [], everyone=all_)
    emit(ctx, {"total": len(people), "items": people}, lambda con: con.print(
        "\n".join(f"Added {p.name}  [dim]{p.id}[/dim]" for p in people) or "Nobody added."))


@capture_app.command("dismiss")
def dismiss(
    ctx: typer.Context,
    address: Annotated[list[str], typer.Argument(help="Addresses never to propose.")],
) -> None:
    """Never propose these correspondents again.

    Example: kithbook capture dismiss someone@example.com
    """
    with services(ctx) as svc:
        done = svc.capture.dismiss(address)
    emit(ctx, done, lambda con: con.print(f"Dismissed {done.total}."))


def register(app: typer.Typer) -> None:
    app.add_typer(capture_app, name="capture")

