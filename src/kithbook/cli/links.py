"""`kithbook link ...`: the private response links sent so far (docs/private-links.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from kithbook.cli.common import emit, services

link_app = typer.Typer(help="Private response links: list, show, revoke.",
                       no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


@link_app.command("list")
def list_links(
    ctx: typer.Context,
    purpose: Annotated[str | None, typer.Option(help="Only links of this purpose.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Links sent, newest first, with their status (open, answered, expired, revoked).

    Example: kithbook link list
    """
    from kithbook.cli.render import table, when

    with services(ctx) as svc:
        items = svc.links.list(purpose_name=purpose)
    emit(ctx, {"total": len(items), "items": items}, lambda con: con.print(table(
        "Private links", ["id", "for", "to", "status", "expires"],
        [[x.id, x.name, x.person.name if x.person else "", x.status, when(x.expires_at)]
         for x in items])), json_flag=json_out)


@link_app.command("show")
def show_link(ctx: typer.Context, link: Annotated[str, typer.Argument(help="The link id.")],
              json_out: JsonOpt = False) -> None:
    """One link's status and answer. Example: kithbook link show lnk_4k2"""
    with services(ctx) as svc:
        x = svc.links.get(link)
    emit(ctx, x, lambda con: con.print(
        f"{x.id}: {x.name} for {x.person.name if x.person else '?'}: {x.status}"
        + (f" {x.answer}" if x.answer else "")), json_flag=json_out)


@link_app.command("revoke")
def revoke(ctx: typer.Context, link: Annotated[str, typer.Argument(help="The link id.")],
           json_out: JsonOpt = False) -> None:
    """Withdraw a link at once: its page then says so. Example: kithbook link revoke lnk_4k2"""
    with services(ctx) as svc:
        x = svc.links.revoke(link)
    emit(ctx, x, lambda con: con.print(f"Withdrew {x.id} ({x.name})"), json_flag=json_out)


def register(app: typer.Typer) -> None:
    app.add_typer(link_app, name="link")
