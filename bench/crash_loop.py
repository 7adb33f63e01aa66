"""The crash loop: real `kithbook` processes doing import, merge, undo, erase and backup,
killed with SIGKILL at random moments, and the database checked after every kill.

After each operation (killed or not) the loop checks, with a plain sqlite3 connection:
- `PRAGMA integrity_check` is ok and `PRAGMA foreign_key_check` finds nothing;
- no partial operation: each imported file is in whole (its 60 people) or not at all;
  a merge either happened whole (the duplicate in the trash, its e-mail on the kept
  person) or not at all (both live, each with their own e-mail); an erased person is
  whole or gone without a trace (no e-mail, no search document left); a backup file
  under its final name is always a sound database, and no other file than hidden
  temporaries is ever left beside it;
- nothing acknowledged is lost: every operation that exited 0 still shows (imports
  present, merges merged unless an acknowledged undo reversed them, erasures gone).

    python bench/crash_loop.py --kills 1000 --fork     # the full run (RELIABILITY.md)
    python bench/crash_loop.py --kills 20 --seed 3     # what the test suite runs
    python bench/crash_loop.py --kills 1000 --minutes 15   # stop at a time budget

Kill moments are drawn uniformly over the operation's own duration, measured once per
kind of operation at the start, so they land in the writing phase as often as in
start-up.

Each operation is a new process. By default it is `python -m kithbook`, whose start-up
(about 1.5 s of imports on a busy 2-core machine) is most of its life, so most kills
land in imports and 1,000 kills take most of an hour. `--fork` starts each operation
instead as a fork of this process, which has imported Kithbook's modules once and has
no database open: the child runs the same CLI entry point (`kithbook.cli.main.run`)
with the same arguments, writes through its own connections and is killed with the
same SIGKILL; only the repeated imports are gone, so the kills land in the real work.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

OPS = ("import", "merge", "undo", "erase", "backup")
POOL = 160  # people made at the start, for merges and erasures (at least)


@dataclass
class Report:
    kills: int = 0
    completed: int = 0
    by_op: dict[str, int] = field(default_factory=dict)
    integrity_failures: int = 0
    partial: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    seconds: float = 0.0
    stopped_at_time: bool = False

    @property
    def ok(self) -> bool:
        return not (self.integrity_failures or self.partial or self.lost)


class Loop:
    def __init__(self, work: Path, seed: int, *, pool: int = POOL, fork: bool = False
                 ) -> None:
        self.work = work
        self.pool = pool
        self.fork = fork
        self.db = work / "crash.db"
        self.rng = random.Random(seed)
        self.env = {**os.environ, "KITHBOOK_CONFIG": str(work / "none.toml")}
        self.durations: dict[str, float] = {}
        self.imports: dict[int, bool] = {}  # import number -> acknowledged
        self.merges: dict[tuple[int, int], str | None] = {}  # acked merges -> batch id
        self.undone: set[str] = set()
        self.erased: set[int] = set()  # pool numbers acknowledged erased
        self.tried_merges: set[tuple[int, int]] = set()  # killed or not
        self.tried_erasures: set[int] = set()
        self.used: set[int] = set()  # pool numbers taken by a merge or an erasure
        self.n = 0

    # -- running kithbook ---------------------------------------------------------------

    def kb(self, *args: str, kill_after: float | None = None) -> tuple[int, str]:
        if self.fork:
            return self._forked(list(args), kill_after)
        proc = subprocess.Popen([sys.executable, "-m", "kithbook", "--db", str(self.db),
                                 "--json", *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=self.env, text=True)
        if kill_after is not None:
            try:
                out, _ = proc.communicate(timeout=kill_after)
                return proc.returncode, out
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
                proc.communicate()
                return -9, ""
        out, err = proc.communicate()
        return proc.returncode, out + err

    def _forked(self, args: list[str], kill_after: float | None) -> tuple[int, str]:
        """The operation in a forked child running the CLI entry point."""
        out_path = self.work / "child.out"
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 70
            try:
                fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                os.dup2(fd, 1)
                os.dup2(fd, 2)
                os.environ.update(self.env)
                sys.argv = ["kithbook", "--db", str(self.db), "--json", *args]
                from kithbook.cli.main import run as cli_run

                try:
                    cli_run()
                    code = 0
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None
                                                                        else 1)
            finally:
                try:
                    sys.stdout.flush()
                    sys.stderr.flush()
                finally:
                    os._exit(code)
        deadline = None if kill_after is None else time.monotonic() + kill_after
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if deadline is not None and time.monotonic() >= deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return -9, ""
            time.sleep(0.002)
        code = os.waitstatus_to_exitcode(status)
        return code, out_path.read_text(errors="replace")

    def setup(self) -> None:
        cards = "".join(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Pool Person{i:04d}\r\n"
            f"EMAIL:pool{i}@example.com\r\nEND:VCARD\r\n" for i in range(self.pool))
        (self.work / "pool.vcf").write_text(cards)
        for args in (("me", "Crash Tester"), ("import", str(self.work / "pool.vcf"))):
            code, out = self.kb(*args)
            assert code == 0, out

    # -- one operation ---------------------------------------------------------------------

    def _free_pool(self, count: int) -> list[int]:
        free = [i for i in range(self.pool) if i not in self.used]
        if len(free) < count:
            return []
        picked = self.rng.sample(free, count)
        self.used.update(picked)
        return picked

    def args_for(self, op: str) -> tuple[list[str], object] | None:
        if op == "import":
            self.n += 1
            path = self.work / f"import{self.n}.vcf"
            path.write_text("".join(
                f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Crash{self.n} Person{k:02d}\r\n"
                f"EMAIL:crash{self.n}.{k}@example.com\r\nNOTE:{'note ' * 30}\r\n"
                f"END:VCARD\r\n" for k in range(60)))
            return ["import", str(path)], self.n
        if op == "merge":
            pair = self._free_pool(2)
            if not pair:
                return None
            self.tried_merges.add((pair[0], pair[1]))
            return ["merge", f"pool{pair[0]}@example.com", f"pool{pair[1]}@example.com"], (
                pair[0], pair[1])
        if op == "undo":
            live = [b for b in self.merges.values() if b and b not in self.undone]
            if not live:
                return None
            batch = self.rng.choice(live)
            return ["undo", batch], batch
        if op == "erase":
            one = self._free_pool(1)
            if not one:
                return None
            self.tried_erasures.add(one[0])
            return ["erase", f"pool{one[0]}@example.com", "--yes"], one[0]
        self.n += 1
        return ["backup", str(self.work / "backups" / f"b{self.n}.db")], self.n

    def acknowledge(self, op: str, subject: object, out: str) -> None:
        import json

        if op == "import":
            self.imports[subject] = True  # type: ignore[index]
        elif op == "merge":
            try:
                self.merges[subject] = json.loads(out)["id"]  # type: ignore[index]
            except (ValueError, KeyError):
                self.merges[subject] = None  # type: ignore[index]
        elif op == "undo":
            self.undone.add(subject)  # type: ignore[arg-type]
        elif op == "erase":
            self.erased.add(subject)  # type: ignore[arg-type]

    def measure(self) -> None:
        """One unkilled run of each kind of operation: how long it takes."""
        for op in ("import", "merge", "undo", "backup", "erase"):
            planned = self.args_for(op)
            if planned is None:
                continue
            args, subject = planned
            start = time.perf_counter()
            code, out = self.kb(*args)
            self.durations[op] = time.perf_counter() - start
            if code == 0:
                self.acknowledge(op, subject, out)

    # -- checks ----------------------------------------------------------------------------

    def check(self, report: Report, what: str) -> None:
        """Every invariant, from a few whole-table reads (a check per kill must stay
        cheap when a thousand operations have been tried)."""
        con = sqlite3.connect(self.db, timeout=30)
        try:
            if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok" or con.execute(
                    "PRAGMA foreign_key_check").fetchall():
                report.integrity_failures += 1
            per_import: dict[int, int] = {}
            for (name,) in con.execute("SELECT name FROM people WHERE name LIKE 'Crash%' "
                                       "AND deleted_at IS NULL"):
                head = name.split(" ", 1)[0][5:]
                if head.isdigit():
                    per_import[int(head)] = per_import.get(int(head), 0) + 1
            for i in range(1, self.n + 1):
                have = per_import.get(i, 0)
                if have not in (0, 60):
                    report.partial.append(f"{what}: import {i} has {have} of 60 people")
                if self.imports.get(i) and have != 60:
                    report.lost.append(f"{what}: acknowledged import {i} has {have} people")
            pool_rows: dict[str, list[object]] = {}
            for name, deleted in con.execute("SELECT name, deleted_at FROM people WHERE "
                                             "name LIKE 'Pool Person%'"):
                pool_rows.setdefault(name, []).append(deleted)
            owner: dict[str, list[int]] = {}
            for normalized, person in con.execute(
                    "SELECT normalized, person_id FROM person_emails WHERE normalized LIKE "
                    "'pool%@example.com'"):
                owner.setdefault(normalized, []).append(person)
            docs: dict[str, int] = {}
            for (body,) in con.execute("SELECT body FROM search_docs WHERE kind = 'name' "
                                       "AND body LIKE 'pool person%'"):
                docs[body] = docs.get(body, 0) + 1
            for a, b in self.tried_merges:
                batch = self.merges.get((a, b))
                acked = (a, b) in self.merges
                gone = pool_rows.get(f"Pool Person{b:04d}", [])
                pa, pb = owner.get(f"pool{a}@example.com", []), owner.get(
                    f"pool{b}@example.com", [])
                merged = sum(1 for x in pa for y in pb if x == y) == 1
                undone = batch in self.undone
                if acked and merged == undone:
                    report.lost.append(f"{what}: merge {a}+{b} merged={merged} "
                                       f"undone={undone}")
                if merged and (len(gone) != 1 or gone[0] is None):
                    report.partial.append(f"{what}: merge {a}+{b} moved the e-mail but "
                                          "kept the duplicate live")
                if not merged and (len(gone) != 1 or gone[0] is not None):
                    report.partial.append(f"{what}: merge {a}+{b} is half done")
            for i in self.tried_erasures:
                rows = len(pool_rows.get(f"Pool Person{i:04d}", []))
                mails = len(owner.get(f"pool{i}@example.com", []))
                found = docs.get(f"pool person{i:04d}", 0)
                if (rows, mails, found) not in ((0, 0, 0), (1, 1, 1)):
                    report.partial.append(f"{what}: erase of {i} left {rows, mails, found}")
                if i in self.erased and rows:
                    report.lost.append(f"{what}: acknowledged erasure of {i} undone")
        finally:
            con.close()
        folder = self.work / "backups"
        for p in folder.iterdir():
            if p.name.startswith("."):
                continue  # a killed backup's hidden temporary, removed by the next one
            bcon = sqlite3.connect(p)
            try:
                if bcon.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    report.partial.append(f"{what}: backup {p.name} is damaged")
            except sqlite3.DatabaseError as exc:
                report.partial.append(f"{what}: backup {p.name} unreadable: {exc}")
            finally:
                bcon.close()

    # -- the loop --------------------------------------------------------------------------

    def run(self, kills: int, minutes: float | None = None) -> Report:
        report = Report()
        start = time.perf_counter()
        if self.fork:
            _warm_imports()
        (self.work / "backups").mkdir(exist_ok=True)
        self.setup()
        self.measure()
        self.check(report, "after measuring")
        while report.kills < kills:
            if minutes is not None and time.perf_counter() - start > minutes * 60:
                report.stopped_at_time = True
                break
            op = self.rng.choice(OPS)
            planned = self.args_for(op)
            if planned is None:
                continue
            args, subject = planned
            when = self.rng.uniform(0.05, self.durations.get(op, 1.0) * 1.1)
            code, out = self.kb(*args, kill_after=when)
            if code == -9:
                report.kills += 1
                report.by_op[op] = report.by_op.get(op, 0) + 1
            elif code == 0:
                report.completed += 1
                self.acknowledge(op, subject, out)
            self.check(report, f"{op} #{report.kills}")
        report.seconds = time.perf_counter() - start
        return report


def _warm_imports() -> None:
    """What the CLI imports for these operations, imported once before any fork."""
    import importlib

    for name in ("kithbook.cli.main", "kithbook.services.app", "kithbook.io.vcard",
                 "kithbook.services.privacy", "kithbook.services.dupes",
                 "kithbook.services.backup", "kithbook.services.imports",
                 "kithbook.services.import_writer", "sqlalchemy"):
        try:
            importlib.import_module(name)
        except ImportError:
            continue


def run(kills: int, seed: int = 1, work: Path | None = None, *, fork: bool = False,
        minutes: float | None = None) -> Report:
    pool = max(POOL, kills + 100)  # merges and erasures never run out of people
    if work is not None:
        return Loop(work, seed, pool=pool, fork=fork).run(kills, minutes)
    with tempfile.TemporaryDirectory(prefix="kithbook-crash-") as tmp:
        return Loop(Path(tmp), seed, pool=pool, fork=fork).run(kills, minutes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fork", action="store_true",
                        help="fork each operation from a process that has imported "
                             "Kithbook (no start-up per kill)")
    parser.add_argument("--minutes", type=float, default=None,
                        help="stop after this much wall time, whatever the kill count")
    args = parser.parse_args()
    report = run(args.kills, args.seed, fork=args.fork, minutes=args.minutes)
    per_op = ", ".join(f"{k} {v}" for k, v in sorted(report.by_op.items()))
    print(f"kills: {report.kills} ({per_op})")
    print(f"completed operations between kills: {report.completed}")
    print(f"integrity failures: {report.integrity_failures}")
    print(f"partial operations: {len(report.partial)}")
    print(f"acknowledged operations lost: {len(report.lost)}")
    print(f"time: {report.seconds:.0f} s"
          f"{' (stopped at the --minutes budget)' if report.stopped_at_time else ''}")
    for line in (report.partial + report.lost)[:20]:
        print("  " + line)
    sys.exit(0 if report.ok else 1)


if __name__ == "__main__":
    main()
