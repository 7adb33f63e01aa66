"""Read replicas (issue 16, docs/scaling.md section 2): the read-only paths answer from a
PostgreSQL hot standby exactly as from the primary, the warm graph follows the replica
through the replicated change log, and a write sent to the replica is refused with one
clear line.

The test starts its own pair of servers in a temporary folder: a primary (initdb, a
replication entry in pg_hba) and a streaming replica made with `pg_basebackup -R`. The
machine's own PostgreSQL cannot be used for this, since replication needs its own
pg_hba entry. Skipped with the reason where the server binaries are missing or cannot
run (PostgreSQL refuses to run as root, so as root the servers run as the `postgres`
system user).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.postgres


def _bindir() -> Path | None:
    """The folder holding every server program (Debian keeps them out of PATH)."""
    wanted = ("initdb", "pg_ctl", "createdb", "pg_basebackup")
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    found = shutil.which("pg_ctl")
    if found:
        candidates.append(Path(found).resolve().parent)
    return next((c for c in candidates if all((c / w).exists() for w in wanted)), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """Runs the server tools as the postgres user when we are root."""

    def __init__(self, bindir: Path, root: Path) -> None:
        self.bindir = bindir
        self.root = root
        self.user: str | None = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("running as root and there is no postgres user to run a server as")
            self.user = "postgres"

    def run(self, tool: str, *args: str, timeout: float = 120) -> str:
        cmd = [str(self.bindir / tool), *args]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              cwd=self.root)
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed: {done.stderr.strip()[-1500:]}")
        return done.stdout

    def start(self, data: Path, port: int) -> None:
        self.run("pg_ctl", "-D", str(data), "-l", str(data.parent / f"{data.name}.log"),
                 "-w", "-t", "60", "-o", f"-p {port} -k {self.root} -c listen_addresses=127.0.0.1",
                 "start")

    def stop(self, data: Path) -> None:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self.run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop", timeout=60)


@pytest.fixture(scope="module")
def replica_pair() -> Iterator[tuple[str, str]]:
    """(primary URL, replica URL) of a fresh primary and its streaming replica."""
    pytest.importorskip("psycopg", reason="psycopg is not installed "
                        "(pip install 'kithbook[postgres]')")
    bindir = _bindir()
    if bindir is None:
        pytest.skip("the PostgreSQL server programs (initdb, pg_ctl, pg_basebackup) are not "
                    "installed here")
    # under /tmp with open permissions: pytest's own folders are private to root
    root = Path(tempfile.mkdtemp(prefix="kb-replica-"))
    root.chmod(0o777)
    cluster = Cluster(bindir, root)
    primary, replica = root / "primary", root / "replica"
    started: list[Path] = []
    try:
        try:
            cluster.run("initdb", "-D", str(primary), "-U", "postgres", "--auth=trust",
                        "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
            with (primary / "pg_hba.conf").open("a") as f:
                f.write("host replication all 127.0.0.1/32 trust\n")
            with (primary / "postgresql.conf").open("a") as f:
                f.write("wal_level = replica\nmax_wal_senders = 4\nfsync = off\n")
            pport, rport = _free_port(), _free_port()
            cluster.start(primary, pport)
            started.append(primary)
            cluster.run("createdb", "-h", "127.0.0.1", "-p", str(pport), "-U", "postgres", "kb")
            cluster.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(pport), "-U", "postgres",
                        "-D", str(replica), "-R", "-X", "stream", "--no-sync",
                        "--checkpoint=fast")
            cluster.start(replica, rport)
            started.append(replica)
        except (RuntimeError, subprocess.TimeoutExpired, OSError) as exc:
            pytest.skip(f"could not start a PostgreSQL primary and replica here: {exc}")
        yield (f"postgresql+psycopg://postgres@127.0.0.1:{pport}/kb",
               f"postgresql+psycopg://postgres@127.0.0.1:{rport}/kb")
    finally:
        for data in reversed(started):
            cluster.stop(data)
        shutil.rmtree(root, ignore_errors=True)


def _caught_up(primary_url: str, replica_url: str, timeout: float = 30) -> None:
    """Wait until the replica has replayed everything the primary has written."""
    import sqlalchemy as sa

    p = sa.create_engine(primary_url)
    r = sa.create_engine(replica_url)
    try:
        with p.connect() as c:
            lsn = c.execute(sa.text("SELECT pg_current_wal_lsn()")).scalar()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with r.connect() as c:
                if c.execute(sa.text("SELECT pg_last_wal_replay_lsn() >= CAST(:l AS pg_lsn)"),
                             {"l": lsn}).scalar():
                    return
            time.sleep(0.05)
        pytest.fail("the replica did not catch up within 30 s")
    finally:
        p.dispose()
        r.dispose()


def _plain(record: Any) -> Any:
    return dataclasses.asdict(record) if dataclasses.is_dataclass(record) else record


def test_read_paths_answer_from_a_replica_and_follow_it(
        replica_pair: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kithbook.config import Config
    from kithbook.errors import KithbookError
    from kithbook.services.app import Services
    from kithbook.services.people import NewPerson

    primary_url, replica_url = replica_pair
    # separate graph cache folders: each side must find its own way, not share a file
    monkeypatch.setenv("KITHBOOK_CACHE_DIR", str(tmp_path / "primary-cache"))
    day = date(2026, 11, 27)
    primary = Services.open(Config(db=primary_url, as_of=day))
    primary.people.set_me("Alex Owner")
    ids = {n: primary.people.add(NewPerson(name=n, org=org)).id for n, org in (
        ("Ann Hub", "Hubco"), ("Ben Bridge", "Bridgeco"), ("Cat Target", "Targetco"),
        ("Dan Side", "Sideco"), ("Eve Late", "Lateco"), ("Anna Hubert", "Hubco"))}
    primary.ties.tie("me", ids["Ann Hub"], strength=5)
    primary.ties.tie(ids["Ann Hub"], ids["Ben Bridge"], strength=4)
    primary.ties.tie(ids["Ben Bridge"], ids["Cat Target"], strength=4)
    primary.ties.tie("me", ids["Dan Side"], strength=3)
    _caught_up(primary_url, replica_url)

    monkeypatch.setenv("KITHBOOK_CACHE_DIR", str(tmp_path / "replica-cache"))
    # a replica is opened as it is: migrations and the erasure check write, and belong
    # to the primary
    replica = Services.open(Config(db=replica_url, as_of=day), migrate=False)
    try:
        # the read-only paths of docs/scaling.md give the primary's answers
        for side in (primary, replica):
            page = side.people.list(name_prefix="an", limit=20)
            assert {p.name for p in page.items} == {"Ann Hub", "Anna Hubert"}
            assert page.total == 2 and not page.total_is_lower_bound
        cat = "Cat Target"
        assert _plain(replica.people.show(cat)) == _plain(primary.people.show(cat))
        assert _plain(replica.search.find("hubco")) == _plain(primary.search.find("hubco"))
        for question in (lambda s: s.network.path("Cat Target"),
                         lambda s: s.network.path("Targetco"),
                         lambda s: s.network.reach(), lambda s: s.network.brokers()):
            assert _plain(question(replica)) == _plain(question(primary))
        route = replica.network.path("Cat Target")
        assert [p.name for p in route.routes[0].people] == [
            "Alex Owner", "Ann Hub", "Ben Bridge", "Cat Target"]
        assert not replica.network.path("Eve Late").reachable

        # a tie written on the primary reaches the replica's warm graph through the
        # replicated change log, without a rebuild
        primary.ties.tie(ids["Dan Side"], ids["Eve Late"], strength=4)
        _caught_up(primary_url, replica_url)
        late = replica.network.path("Eve Late")
        assert late.reachable
        assert [p.name for p in late.routes[0].people] == ["Alex Owner", "Dan Side", "Eve Late"]
        assert _plain(late) == _plain(primary.network.path("Eve Late"))

        # a write sent to the replica is one clear error, and nothing changes
        with pytest.raises(KithbookError) as refused:
            replica.people.add(NewPerson(name="Written On Replica"))
        message = str(refused.value)
        assert "\n" not in message and "read-only" in message.lower(), message
        assert primary.people.list(name_prefix="written").total == 0
    finally:
        replica.close()
        primary.close()
