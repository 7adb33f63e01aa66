"""Terminal hygiene (issue 13): --version, shell completion that installs, --json after
the verb, ids never cut in tables at 80 columns, singular and plural counts."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kithbook.cli.main import app
from kithbook.cli.next_steps import agenda_command, prune_command

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

    from kithbook.cli.application import NO_JSON

    root = typer.main.get_command(app)
    leaves = dict(_leaves(root))
    assert len(leaves) > 40 and "people" in leaves and "capture list" in leaves
    missing = [
        path for path, cmd in leaves.items()
        if path not in NO_JSON
        and not any("--json" in getattr(p, "opts", ()) for p in cmd.params)
    ]
    assert missing == []
    # and once only: a command with its own --json is not given a second one
    twice = [path for path, cmd in leaves.items()
             if sum("--json" in getattr(p, "opts", ()) for p in cmd.params) > 1]
    assert twice == []


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


# --- tables never cut an id or a command ------------------------------------------------

FULL_ID = re.compile(r"\b[a-z]{3}_[0-9a-z]{16}\b")
ANY_ID = re.compile(r"\b(?:per|pro|org|int|not|tie|src|run|imp|bat)_[0-9a-z]+")


def _json_ids(data: Any) -> set[str]:
    if isinstance(data, dict):
        return set().union(*(_json_ids(v) for v in data.values())) if data else set()
    if isinstance(data, list):
        return set().union(*(_json_ids(v) for v in data)) if data else set()
    if isinstance(data, str) and FULL_ID.fullmatch(data):
        return {data}
    return set()


def _items(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, dict) and "items" in data:
        return list(data["items"])
    return list(data) if isinstance(data, list) else [data]


@pytest.mark.parametrize(
    ("verb", "columns"),
    [(["today", "--limit", "12"], "80"), (["prune"], "80"), (["people", "--limit", "30"], "80"),
     (["orgs"], "80"), (["promises"], "80"), (["find", "acme"], "80"),
     (["show", "Sam Chen"], "80"), (["dupes"], "80"), (["today", "--limit", "12"], "60"),
     (["prune"], "60"),
     (["people", "--limit", "30"], "60")],
)
def test_tables_keep_ids_and_commands_whole(
    demo_db: Path, verb: list[str], columns: str
) -> None:
    base = ["--db", str(demo_db), "--as-of", "2026-11-27"]
    shown = runner.invoke(app, [*base, *verb], env={"COLUMNS": columns})
    data = json.loads(runner.invoke(app, [*base, "--json", *verb]).stdout)
    assert shown.exit_code == 0, shown.output
    text = shown.stdout
    assert max(len(line) for line in text.splitlines()) <= int(columns)
    printed = ANY_ID.findall(text)
    assert printed, text
    cut = [i for i in printed if not FULL_ID.fullmatch(i)]
    assert cut == [], text  # an id broken across lines leaves a stump
    assert _json_ids(data) & set(printed)
    for item in _items(data):
        if FULL_ID.fullmatch(str(item.get("id", ""))):
            assert item["id"] in text
    lines = [line.strip(" │┃") for line in text.splitlines()]
    for item in _items(data):  # a suggested command stays on one line
        fields = SimpleNamespace(**{"subject_id": None, **item})
        command = (prune_command(fields) if verb == ["prune"] else
                   agenda_command(fields) if verb[0] == "today" else "")
        if command:
            assert any(command in line for line in lines), command
        if str(item.get("subject_id", "")).startswith("pro_"):
            assert any(f"kithbook done {item['subject_id']}" in line for line in lines)


WORDS = st.text(alphabet="abcdefghij'(),.-", min_size=1, max_size=18)
IDS = st.builds(lambda p, r: f"{p}_{r}", st.sampled_from(["per", "pro", "org"]),
                st.text(alphabet="0123456789abcdefghjkmnpqrstvwxyz", min_size=16, max_size=16))
COMMANDS = st.builds(lambda verb, i, rest: f"kithbook {verb} {i}{rest}",
                     st.sampled_from(["done", "edit", "touched", "show"]), IDS,
                     st.sampled_from(["", " --tier C", " --tier A   (or B, C)",
                                      " (when it comes)"]))
CELLS = st.one_of(
    st.lists(WORDS, max_size=12).map(" ".join),
    IDS,
    COMMANDS,
    st.tuples(WORDS, IDS).map(lambda t: f"{t[0]}\n[dim]{t[1]}[/dim]"),
    st.tuples(WORDS, IDS).map(lambda t: f"{t[0]} ({t[1]}),"),
    st.tuples(st.lists(WORDS, max_size=8).map(" ".join), COMMANDS).map("\n".join),
    st.integers(0, 10_000).map(str),
)


@settings(max_examples=100, deadline=None)
@given(
    width=st.integers(60, 160),  # a command is up to ~46 characters
    n=st.integers(1, 6),
    rows=st.lists(st.lists(CELLS, min_size=6, max_size=6), min_size=1, max_size=4),
)
def test_grid_never_cuts_ids_or_commands(width: int, n: int, rows: list[list[str]]) -> None:
    from rich.console import Console

    from kithbook.cli.render import table

    headers = ["id", "who", "why", "do", "n", "when"][:n]
    body = [r[:n] for r in rows]
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, legacy_windows=False).print(
        table("Title", headers, body)
    )
    text = out.getvalue()
    assert max(len(line.rstrip()) for line in text.splitlines()) <= width
    for row in body:
        for cell in row:
            for i in FULL_ID.findall(cell):
                assert i in text
            for line in cell.replace("[dim]", "").replace("[/dim]", "").splitlines():
                if line.startswith("kithbook "):
                    command = re.split(r"\s{2,}|\s\(", line, maxsplit=1)[0]
                    assert command in text, (command, text)


# --- counts read right ---------------------------------------------------------------------


def test_count_words() -> None:
    from kithbook.domain.text import count

    assert [count(n, "person") for n in (0, 1, 2)] == ["0 people", "1 person", "2 people"]
    assert count(1, "promise") == "1 promise" and count(3, "promise") == "3 promises"
    assert count(2, "entry") == "2 entries" and count(2, "day") == "2 days"
    assert count(2, "match") == "2 matches" and count(1, "likely duplicate") == "1 likely duplicate"
    assert count(5, "likely duplicate") == "5 likely duplicates"


def test_singular_counts_in_the_cli(tmp_path: Path) -> None:
    db = str(tmp_path / "one.db")

    def kb(*args: str) -> str:
        result = runner.invoke(app, ["--db", db, "--as-of", "2026-11-27", *args],
                               env={"COLUMNS": "120"})
        assert result.exit_code == 0, result.output
        return result.stdout

    def title(out: str) -> str:
        return out.splitlines()[0].strip()

    kb("add", "person", "Solo Person", "--org", "Lone Org", "--tier", "A")
    assert title(kb("people", "--tier", "A")) == "1 person"
    assert title(kb("orgs")) == "1 organization"
    kb("promise", "--to", "Solo Person", "send the deck", "--due", "2026-11-26")
    assert title(kb("promises")) == "1 promise"
    today = kb("today")
    assert "1 day late" in today and "1 days" not in today
    kb("add", "person", "Second Person", "--tier", "A")
    assert title(kb("people", "--tier", "A")) == "2 people"


def test_singular_counts_on_the_web(client: Any) -> None:
    r = client.post("/api/v1/people", json={"name": "Solo Person", "org": "Lone Org",
                                            "cadence": "1"})
    assert r.status_code == 201, r.text
    orgs = client.get("/orgs").text
    assert "1 organization<" in orgs and "1 organizations" not in orgs
    page = client.get(f"/people/{r.json()['id']}").text
    assert "every 1 day<" in page and "1 days" not in page
