"""The PostgreSQL restore drill (scripts/pg_restore_drill.sh) on a real server: dump,
restore into a scratch database in one transaction, compare every table."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from kithbook.config import Config
from kithbook.services.app import Services
from kithbook.services.interactions import NewInteraction
from kithbook.services.people import NewPerson

SCRIPT = Path(__file__).parent.parent / "scripts" / "pg_restore_drill.sh"


@pytest.mark.postgres
def test_pg_restore_drill(pg_url: str, tmp_path: Path) -> None:
    if not (shutil.which("pg_dump") and shutil.which("pg_restore") and shutil.which("psql")):
        pytest.skip("pg_dump, pg_restore or psql is not installed")
    svc = Services.open(Config(db=pg_url, as_of=date(2026, 11, 27)))
    svc.people.set_me("Alex Morgan")
    sam = svc.people.add(NewPerson(name="Sam Chen", emails=["sam@example.com"]))
    svc.interactions.log(NewInteraction(with_people=[sam.id], summary="coffee"))
    svc.close()
    dump = tmp_path / "nightly.pgdump"
    run = subprocess.run(["bash", str(SCRIPT), pg_url, str(dump)], capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "drill ok" in run.stdout and "content hashes equal" in run.stdout
    assert dump.stat().st_size > 0
