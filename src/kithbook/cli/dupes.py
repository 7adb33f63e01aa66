"""`dupes` (likely duplicates with score and reasons) and `merge A B`. `undo`, which
reverses a merge or an import, lives in cli/admin.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from kithbook.cli.common import emit, services
from kithbook.domain.text import count as n_of

if TYPE_CHECKING:
    from kithbook.services.dupes import MergeBatch


def dupes(
    ctx: typer.Context,
    min_score: Annotated[float, typer.Option(
        "--min-score", help="Lowest score shown, 0..1 (0.5 also shows name-only matches).")] = 0.6,
    limit: Annotated[int, typer.Option("--limit", help="At most this many pairs.")] = 50,
    people_only: Annotated[bool, typer.Option(
        "--people-only", help="Skip organizations.")] = False,
    merge_all: Annotated[bool, typer.Option(
        "--merge-all", help="Merge every pair of people listed, each into its first person, "
                            "as one change (`kithbook undo` reverses all).")] = False,
) -> None:
    """List likely duplicate people and organizations, best first, with the reasons.

    Example: kithbook dupes --min-score 0.8
    Example: kithbook dupes --min-score 0.95 --limit 500 --merge-all
    """
    from kithbook.cli.render import table

    with services(ctx) as svc:
        found = svc.dupes.find(min_score=min_score, limit=limit,
                               orgs=not (people_only or merge_all))
        if merge_all:
            return _merged(ctx, svc.dupes.merge_many([f.id for f in found
                                                      if f.kind == "person"]))

    def render(con):  # type: ignore[no-untyped-def]
        if not found:
            con.print("No likely duplicates.")
            return
        con.print(table(n_of(len(found), "likely duplicate"), ["score", "kind", "a", "b", "why"], [
            [f"{f.score:.2f}", f.kind, f"{f.a.name} ({f.a.id})", f"{f.b.name} ({f.b.id})",
             "; ".join(f.reasons)] for f in found]))
        con.print("Merge a pair with: kithbook merge <a id> <b id>")

    emit(ctx, found, render)


def _merged(ctx: typer.Context, batch: MergeBatch) -> None:
    def render(con):  # type: ignore[no-untyped-def]
        if not batch.merged:
            con.print("No likely duplicates: nothing merged.")
            return
        moved = ", ".join(f"{n} {k}" for k, n in batch.moved.items() if n) or "nothing else"
        con.print(f"Merged {n_of(batch.merged, 'person')} into {batch.kept}: moved {moved}.")
        con.print(f"Undo with: kithbook undo {batch.id}")

    emit(ctx, batch, render)


def merge(
    ctx: typer.Context,
    keep: Annotated[str, typer.Argument(
        help="The person to keep (id, email or name), or an organization id.")],
    other: Annotated[str, typer.Argument(help="The duplicate, folded into the first.")],
) -> None:
    """Merge two people: details, roles, ties, interactions, promises, notes and tags move
    to the first; empty fields are filled from the second; `kithbook undo` reverses it.
    Two organization ids merge organizations (their people, tags and notes move).

    Example: kithbook merge per_1a2b3c per_4d5e6f
    """

    with services(ctx) as svc:
        result = svc.dupes.merge(keep, other)

    def render(con):  # type: ignore[no-untyped-def]
        moved = ", ".join(f"{n} {k}" for k, n in result.moved.items() if n) or "nothing else"
        con.print(f"Merged {result.merged.name} ({result.merged.id}) into {result.kept.name} "
                  f"({result.kept.id}): moved {moved}.")
        con.print(f"Undo with: kithbook undo {result.id}")

    emit(ctx, result, render)


def register(app: typer.Typer) -> None:
    app.command("dupes")(dupes)
    app.command("merge")(merge)
