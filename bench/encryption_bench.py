"""What encryption at rest costs: the same writes and reads on a plain SQLite file and
on a SQLCipher file (raw key from the keyring; and the passphrase's key derivation),
in the same process, as ratios (docs/encryption.md).

    python bench/encryption_bench.py --rows 20000
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher  # type: ignore[import-untyped]

KEY = "ab" * 32


def _open(path: Path, encrypted: bool, passphrase: str | None = None) -> object:
    con = (sqlcipher if encrypted else sqlite3).connect(str(path))
    if encrypted:
        con.execute(f"PRAGMA key = '{passphrase}'" if passphrase else
                    f"PRAGMA key = \"x'{KEY}'\"")
    for p in ("journal_mode=WAL", "synchronous=FULL", "secure_delete=ON"):
        con.execute(f"PRAGMA {p}")
    return con


def workload(path: Path, encrypted: bool, rows: int) -> tuple[float, float]:
    con = _open(path, encrypted)
    con.execute("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, email TEXT, note TEXT)")
    start = time.perf_counter()
    with con:
        con.executemany("INSERT INTO people (name, email, note) VALUES (?, ?, ?)",
                        [(f"Person {i}", f"p{i}@example.com", "note " * 20)
                         for i in range(rows)])
    for i in range(200):  # small interactive commits, synchronous=FULL
        with con:
            con.execute("UPDATE people SET note = ? WHERE id = ?", (f"edit {i}", i + 1))
    write = time.perf_counter() - start
    con.close()
    con = _open(path, encrypted)
    con.execute("PRAGMA cache_size=-2000")
    start = time.perf_counter()
    for i in range(2000):
        con.execute("SELECT * FROM people WHERE id = ?", ((i * 7919) % rows + 1,)).fetchall()
    con.execute("SELECT count(*), sum(length(note)) FROM people").fetchall()
    read = time.perf_counter() - start
    con.close()
    return write, read


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    plain_w, plain_r, enc_w, enc_r = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            pw, pr = workload(Path(tmp) / f"p{run}.db", False, args.rows)
            ew, er = workload(Path(tmp) / f"e{run}.db", True, args.rows)
            plain_w.append(pw)
            plain_r.append(pr)
            enc_w.append(ew)
            enc_r.append(er)
        opens = []
        for _ in range(3):
            start = time.perf_counter()
            con = _open(Path(tmp) / "kdf.db", True, passphrase="correct horse battery")
            con.execute("SELECT count(*) FROM sqlite_master").fetchall()
            opens.append(time.perf_counter() - start)
            con.close()
    m = statistics.median
    print(f"rows {args.rows}, runs {args.runs} (medians)")
    print(f"write: plain {m(plain_w)*1000:.0f} ms, encrypted {m(enc_w)*1000:.0f} ms, "
          f"ratio {m(enc_w)/m(plain_w):.2f}")
    print(f"read: plain {m(plain_r)*1000:.0f} ms, encrypted {m(enc_r)*1000:.0f} ms, "
          f"ratio {m(enc_r)/m(plain_r):.2f}")
    print(f"open with a passphrase (PBKDF2, 256,000 iterations): {m(opens)*1000:.0f} ms")


if __name__ == "__main__":
    main()
