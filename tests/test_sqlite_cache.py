"""SQLite's page cache (store/engine.py): a write transaction gets WRITE_CACHE_KIB (a bulk
write into randomly keyed indexes wrote pages out and read them back with 2 MB), a read
on the same pooled connection afterwards gets SQLite's 2 MB default back, so a pool of
connections does not keep 64 MB each."""

from __future__ import annotations

from pathlib import Path

from kithbook.store.engine import READ_CACHE_KIB, WRITE_CACHE_KIB, make_engine


def test_writes_get_a_big_cache_and_reads_give_it_back(tmp_path: Path) -> None:
    eng = make_engine(f"sqlite:///{tmp_path / 'cache.db'}")
    try:
        seen = []
        for write in (False, True, True, False, False):
            with eng.connect() as conn:
                conn = conn.execution_options(kb_write=write)
                with conn.begin():
                    size = conn.exec_driver_sql("PRAGMA cache_size").scalar()
                    seen.append((write, size, id(conn.connection.dbapi_connection)))
        assert [size for _, size, _ in seen] == [
            -READ_CACHE_KIB, -WRITE_CACHE_KIB, -WRITE_CACHE_KIB, -READ_CACHE_KIB,
            -READ_CACHE_KIB]
        assert len({c for _, _, c in seen}) == 1  # one pooled connection throughout
    finally:
        eng.dispose()
