"""What every command shares: the state from global options, opening the services,
printing data as JSON or for people, and turning errors into one line."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from typer.core import TyperCommand

if TYPE_CHECKING:
    from rich.console import Console

    from kithbook.config import Config
    from kithbook.errors import KithbookError
    from kithbook.services.app import Services


@dataclass
class CliState:
    db: str | None = None
    json: bool = False
    as_of: str | None = None
    _services: Any = field(default=None, repr=False)

    def config(self) -> Config:
        from kithbook import config

        return config.load(db=self.db, as_of=self.as_of)


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    if not isinstance(obj, CliState):
        obj = CliState()
        ctx.find_root().obj = obj
    return obj


@contextmanager
def services(ctx: typer.Context) -> Iterator[Services]:
    """Open the database (migrating it if needed) and yield the services."""
    from kithbook.services.app import Services

    st = state(ctx)
    svc = Services.open(st.config())
    try:
        yield svc
    finally:
        svc.close()


def wants_json(ctx: typer.Context, local: bool = False) -> bool:
    return local or state(ctx).json


def console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def print_json(data: Any) -> None:
    from kithbook.domain.models import as_dict

    sys.stdout.write(json.dumps(as_dict(data), ensure_ascii=False, indent=2, sort_keys=False))
    sys.stdout.write("\n")


def emit(
    ctx: typer.Context, data: Any, render: Callable[[Console], None], *, json_flag: bool = False
) -> None:
    """Print `data` as JSON under --json, else let `render` draw it for people."""
    if wants_json(ctx, json_flag):
        print_json(data)
    else:
        render(console())


def fail(exc: KithbookError) -> NoReturn:
    """Print a KithbookError as one line on stderr and exit with its code."""
    print(error_line(exc).replace("\n", " "), file=sys.stderr)
    sys.exit(exc.exit_code)


def error_line(exc: KithbookError) -> str:
    """The CLI's words for an error: the flag for its field, the service's message and
    hint, the candidates of an ambiguous name, the command that fixes it."""
    from kithbook.cli.hints import flag_for, remedy_hint
    from kithbook.errors import Ambiguous

    flag = flag_for(exc.field)
    head = f"{flag}: " if flag else ""
    if isinstance(exc, Ambiguous) and exc.candidates:
        shown = "; ".join(
            f"{cid} {name}{' (' + extra + ')' if extra else ''}"
            for cid, name, extra in exc.candidates[:8]
        )
        more = f" and {len(exc.candidates) - 8} more" if len(exc.candidates) > 8 else ""
        return f"kithbook: {head}{exc.message} Candidates: {shown}{more}. Use the id to pick one."
    text = f"kithbook: {head}{exc}"
    extra = remedy_hint(exc.remedy)
    if extra:
        text += ("" if text.rstrip().endswith((".", "?", "!")) else ".") + " " + extra
    return text


class MultiValueCommand(TyperCommand):
    """Lets `--agreed "A" "B"` mean `--agreed A --agreed B` for the options listed in
    `multi_value_options`, as people naturally type lists."""

    multi_value_options: Sequence[str] = ()

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        out: list[str] = []
        current: str | None = None
        for arg in args:
            if arg.startswith("-"):
                current = arg if arg in self.multi_value_options else None
                out.append(arg)
                continue
            if current is not None and out and out[-1] != current and not out[-1].startswith("-"):
                out.append(current)
            out.append(arg)
        return super().parse_args(ctx, out)


def multi_value(*options: str) -> type[MultiValueCommand]:
    return type("MultiValue", (MultiValueCommand,), {"multi_value_options": options})
