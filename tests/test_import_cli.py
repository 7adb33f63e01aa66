"""The CLI verbs end to end: import (preview, real, --json, one-line errors), export,
dupes, merge, undo."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from typer.testing import CliRunner

from kithbook.cli.main import app

CSV = Path(__file__).parent / "data" / "csv"
VCARDS = Path(__file__).parent / "data" / "vcards"


def kb(db: Path, *args: str) -> SimpleNamespace:
    """In process, with the exit code and the two streams a shell sees (a new Python
    per call cost a second each; the real entry point has its own tests in
    test_core_cli.py and test_faults.py)."""
    r = CliRunner().invoke(app, ["--db", str(db), *args])
    return SimpleNamespace(returncode=r.exit_code, stdout=r.stdout, stderr=r.stderr)


def test_import_preview_real_reimport_export(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    r = kb(db, "--json", "import", str(CSV / "linkedin_broken_rows.csv"), "--dry-run")
    assert r.returncode == 0, r.stderr
    preview = json.loads(r.stdout)
    assert preview["created"] == 5 and preview["dry_run"] is True
    assert preview["errors"] == []
    assert [w["line"] for w in preview["warnings"]] == [3, 4, 5]
    assert "id" in preview and "name" in preview
    r = kb(db, "import", str(CSV / "linkedin_broken_rows.csv"))
    assert r.returncode == 0 and "5 created" in r.stdout and "undo" in r.stdout
    r = kb(db, "--json", "show", "Bad Date")
    assert "the day after" in r.stdout
    r = kb(db, "--json", "import", str(CSV / "linkedin_broken_rows.csv"))
    assert json.loads(r.stdout)["created"] == 0
    out = tmp_path / "out.vcf"
    r = kb(db, "export", "vcard", "-o", str(out))
    assert r.returncode == 0 and out.read_text().count("BEGIN:VCARD") == 6  # and you
    r = kb(db, "export", "csv")
    assert r.returncode == 0 and "Good Row" in r.stdout


def test_import_format_flag_and_region(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    r = kb(db, "--json", "import", str(CSV / "outlook_com.csv"), "--format", "outlook",
           "--region", "US")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["created"] == 2
    r = kb(db, "--json", "show", "Sam Lee")
    assert "+12125550142" in r.stdout


def test_bad_files_give_one_line_errors(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    for name in ("empty.csv", "binary.csv", "truncated_quote.csv", "not_contacts.csv"):
        r = kb(db, "import", str(CSV / name))
        assert r.returncode == 6, (name, r.stderr)
        assert r.stderr.strip().count("\n") == 0 and r.stderr.startswith("kithbook:")
    r = kb(db, "import", str(CSV / "linkedin_connections.csv"), "--format", "vcard")
    assert r.returncode == 6


def test_dupes_merge_undo(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    kb(db, "import", str(VCARDS / "John_Doe_EVOLUTION.vcf"))
    r = kb(db, "add", "person", "Johnny Doe", "--phone", "+1 905 666 1234")
    assert r.returncode == 0, r.stderr
    r = kb(db, "--json", "dupes")
    found = json.loads(r.stdout)
    assert found and "same phone" in found[0]["reasons"][0]
    a, b = found[0]["a"]["id"], found[0]["b"]["id"]
    r = kb(db, "--json", "merge", a, b)
    assert r.returncode == 0, r.stderr
    merged = json.loads(r.stdout)
    assert merged["id"].startswith("bat_") and merged["name"]
    assert json.loads(kb(db, "--json", "dupes").stdout) == []
    r = kb(db, "undo")
    assert r.returncode == 0
    assert len(json.loads(kb(db, "--json", "dupes").stdout)) == 1
    r = kb(db, "dupes", "--help")
    assert "Example" in r.stdout


def test_dupes_merge_all_is_one_undo(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    kb(db, "import", str(VCARDS / "John_Doe_EVOLUTION.vcf"))
    assert kb(db, "add", "person", "Johnny Doe", "--phone", "+1 905 666 1234").returncode == 0
    r = kb(db, "--json", "dupes", "--merge-all")
    assert r.returncode == 0, r.stderr
    batch = json.loads(r.stdout)
    assert batch["merged"] == 1 and batch["kept"] == 1 and batch["id"].startswith("bat_")
    assert json.loads(kb(db, "--json", "dupes").stdout) == []
    assert kb(db, "undo", batch["id"]).returncode == 0
    assert len(json.loads(kb(db, "--json", "dupes").stdout)) == 1
    r = kb(db, "--json", "dupes", "--merge-all", "--min-score", "0.99")
    assert json.loads(r.stdout)["merged"] == 0
