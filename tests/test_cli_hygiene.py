"""Terminal hygiene (issue 13): --version, shell completion that installs, --json after
the verb, ids never cut in tables at 80 columns, singular and plural counts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kithbook.cli.main import app

runner = CliRunner()


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_from_package_metadata(flag: str) -> None:
    result = runner.invoke(app, [flag])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"kithbook {version('kithbook')}"


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ, HOME=str(home), SHELL="/bin/bash")
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return env


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_completion_installs_and_completes(tmp_path: Path) -> None:
    exe = shutil.which("kithbook")
    if exe is None:
        pytest.skip("the kithbook script is not on PATH (pip install -e .)")
    env = _env(tmp_path)
    shown = subprocess.run([exe, "--show-completion", "bash"], env=env, capture_output=True,
                           text=True, check=True)
    assert "_KITHBOOK_COMPLETE=complete_bash" in shown.stdout
    subprocess.run([exe, "--install-completion", "bash"], env=env, capture_output=True,
                   text=True, check=True)
    script = tmp_path / ".bash_completions" / "kithbook.sh"
    assert script.is_file()
    assert str(script) in (tmp_path / ".bashrc").read_text()
    # the installed script really completes a command and its options
    probe = (
        f"source {script}; COMP_WORDS=(kithbook peo); COMP_CWORD=1; "
        "_kithbook_completion kithbook; echo \"${COMPREPLY[@]}\"; "
        "COMP_WORDS=(kithbook people --ti); COMP_CWORD=2; "
        "_kithbook_completion kithbook; echo \"${COMPREPLY[@]}\""
    )
    out = subprocess.run(["bash", "-c", probe], env=env, capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out[0].split() == ["people"]
    assert out[1].split() == ["--tier"]


def _leaves(cmd: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    subs = getattr(cmd, "commands", None)
    if isinstance(subs, dict):
        for name, sub in subs.items():
            yield from _leaves(sub, (*path, name))
    else:
        yield " ".join(path), cmd


def test_every_command_takes_json_after_the_verb() -> None:
    import typer

    from kithbook.cli.main import NO_JSON

    root = typer.main.get_command(app)
    leaves = dict(_leaves(root))
    assert len(leaves) > 40 and "people" in leaves and "capture list" in leaves
    missing = [
        path for path, cmd in leaves.items()
        if path not in NO_JSON
        and not any("--json" in getattr(p, "opts", ()) for p in cmd.params)
    ]
    assert missing == []


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("hygiene") / "k.db"
    result = runner.invoke(app, ["--db", str(db), "--as-of", "2026-11-27", "demo"])
    assert result.exit_code == 0, result.output
    return db


@pytest.mark.parametrize(
    "verb", [["people", "--limit", "3"], ["orgs"], ["promises"], ["today"], ["capture", "list"]]
)
def test_json_after_the_verb_is_the_json_before_it(demo_db: Path, verb: list[str]) -> None:
    base = ["--db", str(demo_db), "--as-of", "2026-11-27"]
    before = runner.invoke(app, [*base, "--json", *verb])
    after = runner.invoke(app, [*base, *verb, "--json"])
    plain = runner.invoke(app, [*base, *verb])
    assert before.exit_code == after.exit_code == plain.exit_code == 0, after.output
    assert json.loads(after.stdout) == json.loads(before.stdout)
    with pytest.raises(json.JSONDecodeError):
        json.loads(plain.stdout)
