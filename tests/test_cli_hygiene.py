"""Terminal hygiene (issue 13): --version, shell completion that installs, --json after
the verb, ids never cut in tables at 80 columns, singular and plural counts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

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
