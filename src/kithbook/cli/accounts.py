"""Accounts for the web server: `kithbook user add|passwd` and `kithbook token
create|list|revoke` (personal API tokens for scripts)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kithbook.cli.common import emit, services

user_app = typer.Typer(help="Accounts that can sign in to `kithbook serve`.",
                       no_args_is_help=True)
token_app = typer.Typer(help="Personal API tokens (Authorization: Bearer ...) for scripts.",
                        no_args_is_help=True)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = typer.prompt("Password", hide_input=True)
    again = typer.prompt("Again", hide_input=True)
    if first != again:
        from kithbook.errors import InvalidInput

        raise InvalidInput("the two passwords differ.", field="password")
    return str(first)


@user_app.command("add")
def user_add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="One word, e.g. your first name.")],
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from standard input.")] = False,
) -> None:
    """Create an account; the first one is the owner.

    Example: kithbook user add alex
    """
    password = _password(password_stdin)
    with services(ctx) as svc:
        user = svc.accounts.add_user(username, password)
    emit(ctx, user, lambda con: con.print(f"Created {user.name} ({user.role}, {user.id})."))


@user_app.command("passwd")
def user_passwd(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="The account.")],
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from standard input.")] = False,
) -> None:
    """Change a password; every session of that account ends.

    Example: kithbook user passwd alex
    """
    password = _password(password_stdin)
    with services(ctx) as svc:
        user = svc.accounts.set_password(username, password)
    emit(ctx, user, lambda con: con.print(f"Changed the password of {user.name}."))


@token_app.command("create")
def token_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="What the token is for.")],
) -> None:
    """Create a personal API token; it is shown once.

    Example: kithbook token create "nightly export"
    """
    with services(ctx) as svc:
        token = svc.accounts.create_token(name)
    emit(ctx, token, lambda con: con.print(
        f"{token.token}\\nThis is shown once: keep it like a password. Revoke it with "
        f"`kithbook token revoke {token.id}`."))


@token_app.command("list")
def token_list(ctx: typer.Context) -> None:
    """List personal API tokens (never their secrets).

    Example: kithbook token list
    """
    from kithbook.cli.render import table, when

    with services(ctx) as svc:
        rows = svc.accounts.tokens()
    emit(ctx, {"total": len(rows), "items": rows}, lambda con: con.print(table(
        None, ["id", "name", "user", "created", "last used", "revoked"],
        [[t.id, t.name, t.user, when(t.created_at), when(t.last_used_at) if t.last_used_at
          else "", when(t.revoked_at) if t.revoked_at else ""] for t in rows])))


@token_app.command("revoke")
def token_revoke(
    ctx: typer.Context,
    token_id: Annotated[str, typer.Argument(help="The token's id (from `token list`).")],
) -> None:
    """Revoke a personal API token at once.

    Example: kithbook token revoke tok_1a2b3c4d5e6f7g8h
    """
    with services(ctx) as svc:
        info = svc.accounts.revoke_token(token_id)
    emit(ctx, info, lambda con: con.print(f"Revoked {info.name} ({info.id})."))


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")
