"""The `kithbook` script (cli/entry.py) registers only the module of the verb typed: the
verb table matches the commands the modules register, the verb is found behind the global
options, and a run through the script answers as the whole app does."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from kithbook.cli import application, entry
from kithbook.cli.verbs import MODULE_OF


def _registered() -> dict[str, str]:
    out: dict[str, str] = {}
    for name in application.COMMAND_MODULES:
        app = typer.Typer()
        importlib.import_module(name).register(app)
        for command in app.registered_commands:
            assert command.callback is not None
            verb = command.name or command.callback.__name__.replace("_", "-")
            assert verb not in out, f"{verb} is registered by two modules"
            out[verb] = name
        for group in app.registered_groups:
            assert group.name is not None and group.name not in out
            out[group.name] = name
    return out


def test_the_verb_table_is_the_registered_commands() -> None:
    truth = _registered()
    table = "\n".join(f'    "{verb}": "{module}",' for verb, module in truth.items())
    assert truth == MODULE_OF, "paste into src/kithbook/cli/verbs.py:\n" + table


@pytest.mark.parametrize(("argv", "module"), [
    (["--db", "x.db", "--json", "path", "Ann"], "kithbook.cli.network"),
    (["--db=x.db", "--as-of", "2026-01-01", "show", "Ann"], "kithbook.cli.people"),
    (["--as-of=2026-01-01", "ally", "gate", "Bid"], "kithbook.cli.ally"),
    (["path", "--help"], "kithbook.cli.network"),
    (["today"], "kithbook.cli.agenda"),
    ([], None),
    (["--help"], None),
    (["--version"], None),
    (["--db", "x.db", "--bogus", "show"], None),
    (["pth", "Ann"], None),  # a typo: the whole app says so and suggests
    (["--db"], None),
])
def test_the_verb_is_found_behind_the_global_options(argv: list[str],
                                                      module: str | None) -> None:
    assert entry.module_for(argv) == module


def test_shell_completion_gets_the_whole_app(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_KITHBOOK_COMPLETE", "complete_bash")
    assert entry.module_for(["path", "Ann"]) is None


def _script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kithbook", *args], capture_output=True,
                          text=True, timeout=120, check=False)


def test_a_run_through_the_script_answers_as_the_whole_app(tmp_path: Path) -> None:
    db = str(tmp_path / "k.db")
    assert _script("--db", db, "me", "Ann Entry").returncode == 0
    added = _script("--db", db, "--json", "add", "person", "Bea Entry")
    assert added.returncode == 0, added.stderr
    assert _script("--db", db, "tie", "Ann Entry", "Bea Entry").returncode == 0
    shown = _script("--db", db, "show", "Bea Entry", "--json")
    assert shown.returncode == 0 and json.loads(shown.stdout)["name"] == "Bea Entry"
    typo = _script("--db", db, "shwo", "Bea Entry")
    assert typo.returncode == 2 and "show" in typo.stderr  # the whole app's suggestion
    wrong = _script("--db", db, "path", "Bea Entyr")
    assert wrong.returncode != 0 and "Bea Entry" in wrong.stderr  # did you mean
    assert wrong.stderr.count("\n") == 1
    helped = _script("path", "--help")
    assert helped.returncode == 0 and "kithbook path [OPTIONS]" in helped.stdout
    whole = _script("--help")
    assert whole.returncode == 0 and "ally" in whole.stdout and "today" in whole.stdout


def test_the_collector_is_off_while_starting_and_back_once_the_services_are_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from kithbook import collector
    from kithbook.services.app import Services

    seen: list[bool] = []
    real_open = Services.open

    def spy(config: object) -> object:
        seen.append(gc.isenabled())  # while the services open: still off
        return real_open(config)  # type: ignore[arg-type]

    monkeypatch.setattr(Services, "open", staticmethod(spy))
    monkeypatch.setattr(sys, "argv", ["kithbook", "--db", str(tmp_path / "k.db"), "me",
                                      "Ann Entry"])
    try:
        entry.run()
    except SystemExit as done:
        assert not done.code
    finally:
        frozen = gc.get_freeze_count()
        gc.unfreeze()
        gc.enable()
    assert seen == [False] and frozen > 0 and not collector._starting
