"""The command-line application: global options, command registration, and the one
error boundary.

`build()` makes the Typer app from the command modules: all of them for `kithbook
--help` and for importers (`cli/main.py`), only the one holding the verb typed when the
shell runs a command (`cli/entry.py`), since registering and converting every command
costs more than most commands take. Heavy libraries (SQLAlchemy, numpy, FastAPI) are
imported inside commands for the same reason."""

from __future__ import annotations

import functools
import importlib
import inspect
import sys
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer

from kithbook.cli.common import CliState, fail, state

# Each module exposes `register(app: typer.Typer) -> None`.
COMMAND_MODULES = (
    "kithbook.cli.agenda",  # `today` first: the question asked every morning
    "kithbook.cli.people",
    "kithbook.cli.records",
    "kithbook.cli.bulk",
    "kithbook.cli.network",
    "kithbook.cli.transfer",
    "kithbook.cli.dupes",
    "kithbook.cli.capture",
    "kithbook.cli.ally",  # alliances (and the private links they send)
    "kithbook.cli.craft",  # the craft of networking: brief, targets, events, research
    "kithbook.cli.craft_banks",  # pitches, stories, claims, what I told whom
    "kithbook.cli.craft_crowds",  # surveys, referrals, time and value
    "kithbook.cli.serve",
    "kithbook.cli.agent",  # `kithbook mcp`: the agent interface
    "kithbook.cli.admin",
    "kithbook.cli.accounts",
)


def _version(value: bool) -> None:
    if value:
        from kithbook import package_version

        print(f"kithbook {package_version()}")
        raise typer.Exit()


def _main(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version,
            is_eager=True,
            expose_value=False,
            help="Print the version and exit.",
        ),
    ] = False,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database file or postgresql+psycopg:// URL (env KITHBOOK_DB)."),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Evaluate 'today' as this date (YYYY-MM-DD)."),
    ] = None,
) -> None:
    ctx.obj = CliState(db=db, json=json_out, as_of=as_of)


# Commands that print nothing a script would read: no --json after the verb.
NO_JSON = frozenset({"serve"})


def _json_after_verb(ctx: typer.Context, value: bool) -> None:
    if value:
        state(ctx).json = True


_JSON_AFTER_VERB = inspect.Parameter(
    "json_after_verb",
    inspect.Parameter.KEYWORD_ONLY,
    default=False,
    annotation=Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print machine-readable JSON (same as `kithbook --json COMMAND`).",
            callback=_json_after_verb,
            expose_value=False,
        ),
    ],
)


def _has_json(sig: inspect.Signature) -> bool:
    for param in sig.parameters.values():
        for meta in getattr(param.annotation, "__metadata__", ()):
            # typer.Option("--json") in Annotated keeps the flag as its `default`
            decls = [getattr(meta, "default", None), *(getattr(meta, "param_decls", None) or ())]
            if "--json" in decls:
                return True
    return False


def _declares_json(fn: Callable[..., Any]) -> bool:
    """A cheap look at the annotations as written: most commands name their own --json
    (`JsonOpt`, or `typer.Option("--json", ...)`), and evaluating every command's
    annotations at start-up doubled `kithbook --help` (bench/RESULTS.md, "core")."""
    for ann in getattr(fn, "__annotations__", {}).values():
        if isinstance(ann, str) and ("JsonOpt" in ann or '"--json"' in ann):
            return True
    return False


def _guard(fn: Callable[..., Any], *, add_json: bool = True) -> Callable[..., Any]:
    """The one error boundary, applied to every command: a KithbookError becomes one
    line on stderr and its exit code, whoever invokes the command (shell or tests).
    A command without its own --json also accepts the global one after the verb
    (`kithbook people --json` as well as `kithbook --json people`)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from kithbook.errors import KithbookError

        kwargs.pop("json_after_verb", None)  # handled by its option callback
        try:
            return fn(*args, **kwargs)
        except KithbookError as exc:
            fail(exc)

    # The annotations evaluated once, here: Typer reads each command's signature and
    # type hints twice while building the command tree, and with `from __future__ import
    # annotations` every read compiled and evaluated each annotation string again
    # (2,700 compiles for `kithbook --help`; bench/RESULTS.md, "core").
    sig = inspect.signature(fn, eval_str=True)
    if add_json and not _declares_json(fn) and not _has_json(sig):
        params = list(sig.parameters.values())
        at = next(
            (i for i, p in enumerate(params) if p.kind is inspect.Parameter.VAR_KEYWORD),
            len(params),
        )
        params.insert(at, _JSON_AFTER_VERB)
        sig = sig.replace(parameters=params)
    wrapper.__signature__ = sig  # type: ignore[attr-defined]
    wrapper.__annotations__ = {
        p.name: p.annotation for p in sig.parameters.values()
        if p.annotation is not inspect.Parameter.empty}
    return wrapper


def _guard_all(typer_app: typer.Typer) -> None:
    for info in typer_app.registered_commands:
        if info.callback is not None and not getattr(info.callback, "__wrapped__", None):
            info.callback = _guard(info.callback, add_json=info.name not in NO_JSON)
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _guard_all(group.typer_instance)


def build(modules: Sequence[str] = COMMAND_MODULES) -> typer.Typer:
    """The app with the commands of `modules` (each has `register(app)`), guarded."""
    app = typer.Typer(
        name="kithbook",
        help="Kithbook: your rolodex, rebuilt. People, organizations, who knows whom, every "
        "conversation and every promise.\n\nExample: kithbook demo && kithbook today",
        no_args_is_help=True,
        add_completion=True,  # --install-completion / --show-completion (bash, zsh, fish, pwsh)
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(_main)
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # a feature not built yet
                continue
            raise
        module.register(app)
    _guard_all(app)
    return app


def run(app: typer.Typer) -> None:
    """Run `app` on the command line, behind the one error boundary."""
    from kithbook.errors import KithbookError

    try:
        app(standalone_mode=False)
    except KithbookError as exc:
        fail(exc)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        print("kithbook: interrupted; nothing was half-written.", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # the CLI library's usage errors, and the unexpected
        name = type(exc).__name__
        code = getattr(exc, "exit_code", None)
        show = getattr(exc, "show", None)
        if name == "Abort":
            sys.exit(1)
        if callable(show) and isinstance(code, int):  # usage errors: bad option, missing arg
            show()
            sys.exit(code)
        if name == "Exit" and isinstance(code, int):
            sys.exit(code)
        import sqlite3

        from kithbook.services.database import storage_fault

        if isinstance(exc, OSError | sqlite3.Error):
            fault = storage_fault(str(exc), getattr(exc, "errno", None))
            if fault is not None:
                fail(fault)
        print(
            f"kithbook: unexpected error: {type(exc).__name__}: {exc}. "
            "Please report it; your data was not changed.",
            file=sys.stderr,
        )
        sys.exit(70)
