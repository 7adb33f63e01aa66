"""The demo streams (issue 16, "generated data streams"): the network is generated and
written a chunk at a time, so memory stays bounded whatever the size, and the chunk size
changes nothing in what is written."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kithbook.config import Config
from kithbook.demo import generator
from kithbook.services.app import Services
from kithbook.services.demo import load_demo

DAY = date(2026, 11, 27)
# the journal and the graph log carry batch ids and times of their own
_SKIP = {"changes", "batches", "alembic_version", "meta", "graph_log", "graph_rev"}


def _contents(path: Path) -> dict[str, str]:
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
            "'search_fts%' AND name NOT LIKE 'sqlite%'")]
        out = {}
        for t in sorted(set(tables) - _SKIP):
            rows = sorted(map(repr, con.execute(f'SELECT * FROM "{t}"')))
            out[t] = f"{len(rows)}:{hashlib.sha256(chr(10).join(rows).encode()).hexdigest()}"
        out["fts"] = repr(con.execute(
            "SELECT count(*) FROM search_fts WHERE search_fts MATCH 'acme'").fetchall())
        return out
    finally:
        con.close()


def _load(url: str, size: int) -> Any:
    svc = Services.open(Config(db=url, as_of=DAY))
    try:
        return load_demo(svc, size, seed=7, alliances=False, craft=False)
    finally:
        svc.close()


def test_chunk_size_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _load(str(tmp_path / "whole.db"), 600)
    monkeypatch.setattr(generator, "CHUNK", 9)
    small = _load(str(tmp_path / "small.db"), 600)
    assert (whole.people, whole.ties, whole.interactions, whole.notes) == (
        small.people, small.ties, small.interactions, small.notes)
    assert whole.people == 602 and whole.ties > 600
    a, b = _contents(tmp_path / "whole.db"), _contents(tmp_path / "small.db")
    assert a == b
    # the few facts known only after the people are written did arrive
    con = sqlite3.connect(tmp_path / "small.db")
    assert con.execute("SELECT count(*) FROM people WHERE last_touch_at IS NOT NULL"
                       ).fetchone()[0] > 100
    assert con.execute("SELECT count(*) FROM people WHERE met_via_id IS NOT NULL"
                       ).fetchone()[0] > 10
    con.close()


@pytest.mark.postgres
def test_small_chunks_on_postgresql(pg_migrated_url: str, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _load(str(tmp_path / "whole.db"), 400)
    monkeypatch.setattr(generator, "CHUNK", 60)
    small = _load(pg_migrated_url, 400)
    assert (whole.people, whole.organizations, whole.ties, whole.interactions,
            whole.promises, whole.notes) == (small.people, small.organizations, small.ties,
                                             small.interactions, small.promises, small.notes)
    svc = Services.open(Config(db=pg_migrated_url, as_of=DAY))
    try:
        assert svc.network.path("Sam Chen").reachable
        assert svc.search.find("acme")
    finally:
        svc.close()


_PEAK = """
import sys
from datetime import date
from kithbook.demo import generator
mode, n = sys.argv[1], int(sys.argv[2])
rows = generator.generate(n, seed=7, today=date(2026, 11, 27), chunk=500)
if mode == "streamed":
    for _chunk in rows:
        pass
elif mode == "held":
    kept = list(rows)
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent through fork
with open("/proc/self/status") as status:
    print(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
"""


def _peak_kb(mode: str, n: int) -> int:
    done = subprocess.run([sys.executable, "-c", _PEAK, mode, str(n)], capture_output=True,
                          text=True, check=True, timeout=300)
    return int(done.stdout.split()[-1])


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's /proc")
def test_generating_holds_a_chunk_not_the_network() -> None:
    """The same rows, consumed as they come and all kept (as the demo did before it
    streamed), each in a fresh process beside one that only imports: streaming must
    add a fraction of what holding everything adds."""
    n = 20_000
    base = _peak_kb("import", n)
    streamed = _peak_kb("streamed", n) - base
    held = _peak_kb("held", n) - base
    assert held > 20_000, (base, streamed, held)  # the rows of 20,000 people take tens of MB
    assert streamed * 3 < held, (streamed, held)
