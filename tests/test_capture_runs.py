"""Capture runs end to end, on SQLite and PostgreSQL: threads and meetings become
interactions, re-runs change nothing, undo removes a whole run, proposals, cadences
and tie strength follow."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from kithbook.services.capture import NewSource
from kithbook.services.people import NewPerson

DATA = Path(__file__).parent / "data" / "capture"
ME = "alex@owner.example"


def _people(svc: Any) -> None:
    svc.people.set_me("Alex Owner")
    svc.people.add(NewPerson(name="Maria Lopez", emails=["maria@northwind.example"]))
    svc.people.add(NewPerson(name="Sam Chen", emails=["sam.chen@acme.example"]))
    svc.people.add(NewPerson(name="John Doe", emails=["jdoe@gmail.com"]))


def _snapshot(svc: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Everything a run may change, except its own log and the journal."""
    out = {}
    with svc.db.read() as conn:
        for name in ("people", "interactions", "interaction_participants", "captured",
                     "capture_contacts", "capture_sources", "search_docs"):
            out[name] = sorted(tuple(str(v) for v in r) for r in conn.execute(
                text(f"SELECT * FROM {name}")))
    return out


def _add_all(svc: Any, tmp: Path, privacy: str = "subject") -> None:
    for kind, name, loc in (("mbox", "inbox", "inbox.mbox"), ("maildir", "md", "maildir"),
                            ("ics", "cal", "meetings.ics")):
        target = tmp / loc
        if (DATA / loc).is_dir():
            shutil.copytree(DATA / loc, target)
        else:
            shutil.copy(DATA / loc, target)
        svc.capture.add(NewSource(kind=kind, name=name, location=str(target), me=[ME],
                                  privacy=privacy))


def test_capture_everything_then_rerun_and_undo(svc: Any, tmp_path: Path) -> None:
    _people(svc)
    _add_all(svc, tmp_path)
    before = _snapshot(svc)
    reports = {r.name: r for r in svc.capture.run()}
    inbox, cal, md = reports["inbox"], reports["cal"], reports["md"]
    assert (inbox.seen, inbox.kept) == (10, 6)
    assert inbox.skipped["no sender"] == 1  # the junk at the end of the file
    assert inbox.skipped["bulk mail (Precedence)"] == 1
    assert inbox.skipped["automated (Auto-Submitted)"] == 1
    assert inbox.skipped["mailing list (List-Id)"] == 1
    assert inbox.proposed == 1
    assert cal.created == 7 and cal.skipped["cancelled"] == 2
    assert cal.skipped["you declined"] == 1 and md.created == 1

    maria, _ = svc.interactions.timeline("Maria Lopez")
    thread = [i for i in maria if i.channel == "email"][0]
    # one thread = one interaction: the first message and the reply from an alias
    assert thread.captured.items == 2 and thread.captured.origin == "mail"
    assert thread.captured.id == "thread1-a@northwind.example"
    assert {p.name for p in thread.participants} == {"Alex Owner", "Maria Lopez", "Sam Chen"}
    assert thread.occurred_at.isoformat() == "2026-11-02T10:00:00+00:00"  # the reply
    assert thread.summary == "Packaging quote – next steps"
    assert thread.initiated_by is None  # two-way: both wrote
    john, _ = svc.interactions.timeline("John Doe")  # j.doe+crm@googlemail.com
    assert len(john) == 1 and john[0].initiated_by.name == "John Doe"

    # captured touches reset cadences and feed tie strength and co-attendance
    assert str(svc.people.show("Maria Lopez").last_touch_at)[:10] == "2026-11-23"
    assert svc.network.strength("Maria Lopez").interactions >= 6
    pair = svc.network.strength("Maria Lopez", "Sam Chen")
    assert pair.interactions >= 5 and pair.basis == "interactions"

    after = _snapshot(svc)
    again = svc.capture.run()
    assert all(r.kept == 0 and r.created == 0 for r in again)
    assert _snapshot(svc) == after  # re-running never changes the database

    # undo removes the last run whole (runs that kept nothing wrote no changes)
    undone = svc.history.undo()
    assert undone.name.startswith("capture")
    reports_after = {r.name: r for r in svc.capture.report()}
    assert sum(r.undone for r in reports_after.values()) >= 1
    for _ in range(2):
        svc.history.undo()
    assert _snapshot(svc)["interactions"] == before["interactions"]
    assert _snapshot(svc)["captured"] == []
    # and a run after the undo captures it all again, once
    assert sum(r.created for r in svc.capture.run()) == sum(r.created for r in reports.values())


def test_proposal_accept_brings_the_history(svc: Any, tmp_path: Path) -> None:
    _people(svc)
    _add_all(svc, tmp_path)
    svc.capture.run()
    proposals, total = svc.capture.review()
    assert total == 1 and proposals[0].address == "dana@newco.example"
    assert proposals[0].name == "Dana Newman"
    assert "dana" not in json.dumps([p.to_dict() for p in svc.people.list().items]).lower()
    [dana] = svc.capture.accept(["Dana@NewCo.example"])
    items, _ = svc.interactions.timeline(dana.id)
    # the intro thread (two messages) and the lunch mail; the packaging thread cc'd her
    assert len(items) == 3
    assert svc.capture.review()[1] == 0
    svc.history.undo()
    assert svc.capture.review()[1] == 1
    done = svc.capture.dismiss(["Dana@NewCo.example"])  # the JSON shape front ends print
    assert done.to_dict() == {"total": 1, "items": ["Dana@NewCo.example"]}
    assert svc.capture.review()[1] == 0


def test_meeting_cancelled_after_capture_is_taken_back(svc: Any, tmp_path: Path) -> None:
    _people(svc)
    cal = tmp_path / "c.ics"
    body = (DATA / "meetings.ics").read_bytes()
    cal.write_bytes(body)
    svc.capture.add(NewSource(kind="ics", name="cal", location=str(cal), me=[ME]))
    svc.capture.run()
    lunch = [i for i in svc.interactions.timeline("Sam Chen")[0] if i.minutes == 60]
    assert len(lunch) == 1
    cal.write_bytes(body.replace(b"UID:lunch@owner.example\r\n",
                                 b"UID:lunch@owner.example\r\nSTATUS:CANCELLED\r\n"))
    [r] = svc.capture.run()
    assert r.withdrawn == 1
    assert not [i for i in svc.interactions.timeline("Sam Chen")[0] if i.minutes == 60]


def test_bad_source_writes_nothing(svc: Any, tmp_path: Path) -> None:
    _people(svc)
    bad = tmp_path / "bad.mbox"
    bad.write_bytes(b"PK\x03\x04 this is a zip, not mail")
    svc.capture.add(NewSource(kind="mbox", name="bad", location=str(bad), me=[ME]))
    before = _snapshot(svc)
    [r] = svc.capture.run(["bad"])
    assert r.status == "failed" and "not an mbox file" in (r.message or "")
    assert _snapshot(svc) == before


def test_mail_source_needs_my_address(svc: Any, tmp_path: Path) -> None:
    from kithbook.errors import InvalidInput

    with pytest.raises(InvalidInput, match="your own e-mail address"):
        svc.capture.add(NewSource(kind="mbox", name="x", location=str(DATA / "inbox.mbox")))


# -- property: re-running over the same source never changes the database --------------

_ADDR = st.sampled_from(["maria@northwind.example", "sam.chen@acme.example", ME,
                         "stranger@else.example", "noreply@shop.example"])


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(_ADDR, _ADDR, st.integers(0, 5), st.booleans()), min_size=1,
                max_size=15))
def test_rerun_is_a_no_op(tmp_path: Path, msgs: list[tuple[str, str, int, bool]]) -> None:
    import uuid

    from kithbook.config import Config
    from kithbook.services.app import Services

    folder = tmp_path / uuid.uuid4().hex
    folder.mkdir()
    svc = Services.open(Config(db=str(folder / "k.db"), as_of=date(2026, 11, 27)))
    try:
        _people(svc)
        box = folder / "m.mbox"
        with open(box, "wb") as fh:
            for n, (frm, to, parent, reply) in enumerate(msgs):
                refs = f"In-Reply-To: <m{parent}@t>\n" if reply else ""
                fh.write(f"From x Mon Nov  2 09:15:00 2026\nMessage-ID: <m{n}@t>\n{refs}"
                         f"From: {frm}\nTo: {to}\nDate: Mon, 2 Nov 2026 09:{n:02d}:00 +0000"
                         f"\n\nhi\n\n".encode())
        svc.capture.add(NewSource(kind="mbox", name="m", location=str(box), me=[ME]))
        svc.capture.run()
        first = _snapshot(svc)
        with svc.db.write("reset cursor", record=False) as j:  # force a full re-read
            j.conn.execute(text("UPDATE capture_sources SET cursor = NULL"))
        svc.capture.run()
        second = _snapshot(svc)
        first.pop("capture_sources"), second.pop("capture_sources")
        assert first == second
    finally:
        svc.close()


# -- kill -9 in the middle of a run, then again: no duplicates, nothing lost --------------


def _big_mbox(path: Path, n: int) -> None:
    with open(path, "wb") as fh:
        for i in range(n):
            who = "maria@northwind.example" if i % 2 else "sam.chen@acme.example"
            fh.write(f"From x Mon Nov  2 09:15:00 2026\nMessage-ID: <k{i}@t>\nFrom: {who}\n"
                     f"To: {ME}\nDate: Mon, 2 Nov 2026 09:15:00 +0000\n\n{'body ' * 40}\n\n"
                     .encode())


def test_kill_mid_run_then_resume(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    box = tmp_path / "big.mbox"
    n = 6000
    _big_mbox(box, n)
    env = {**os.environ, "KITHBOOK_DB": str(db)}
    cli = [sys.executable, "-m", "kithbook"]
    subprocess.run([*cli, "me", "Alex Owner"], env=env, check=True, capture_output=True)
    for name, email in (("Maria Lopez", "maria@northwind.example"),
                        ("Sam Chen", "sam.chen@acme.example")):
        subprocess.run([*cli, "add", "person", name, "--email", email], env=env, check=True,
                       capture_output=True)
    subprocess.run([*cli, "capture", "add", "mbox", "big", str(box), "--me", ME], env=env,
                   check=True, capture_output=True)
    proc = subprocess.Popen([*cli, "capture", "run"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    import sqlite3

    killed_at = None
    for _ in range(2000):  # poll until the first batches are committed, then kill
        time.sleep(0.01)
        if proc.poll() is not None:
            break
        try:
            with sqlite3.connect(db) as c:
                done = c.execute("SELECT count(*) FROM captured").fetchone()[0]
        except sqlite3.Error:
            continue
        if done >= 500:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            killed_at = done
            break
    assert killed_at is None or killed_at < n  # when the machine is too fast it just ends
    out = subprocess.run([*cli, "--json", "capture", "run"], env=env, check=True,
                         capture_output=True, text=True)
    report = json.loads(out.stdout)["items"][0]
    with sqlite3.connect(db) as c:
        kept = c.execute("SELECT count(*), count(DISTINCT item_key) FROM captured").fetchone()
        statuses = [r[0] for r in c.execute("SELECT status FROM capture_runs ORDER BY id")]
    assert kept == (n, n)
    if killed_at is not None:
        assert statuses[0] == "interrupted" and report["kept"] == n - killed_at


def test_capture_over_the_rest_api_and_cli_json(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from kithbook.cli.main import app as cli
    from kithbook.config import Config
    from kithbook.web.app import create_app

    db = str(tmp_path / "k.db")
    runner = CliRunner()

    def kb(*args: str) -> Any:
        res = runner.invoke(cli, ["--db", db, "--as-of", "2026-11-27", "--json", *args])
        assert res.exit_code == 0, res.output
        return json.loads(res.stdout)

    runner.invoke(cli, ["--db", db, "me", "Alex Owner"])
    kb("add", "person", "Maria Lopez", "--email", "maria@northwind.example")
    box = tmp_path / "inbox.mbox"
    shutil.copy(DATA / "inbox.mbox", box)
    src = kb("capture", "add", "mbox", "inbox", str(box), "--me", ME)
    assert src["id"].startswith("src_") and src["privacy"] == "metadata"
    assert kb("capture", "list")["total"] == 1
    app = create_app(Config(db=db, as_of=date(2026, 11, 27)))
    with TestClient(app, base_url="http://127.0.0.1:8765") as client:
        r = client.post("/api/v1/capture/runs", params={"source": "inbox"},
                        headers={"Origin": "http://127.0.0.1:8765"})
        assert r.status_code == 200, r.text
        run = r.json()["items"][0]
        assert run["kept"] == 6 and run["skipped"]["mailing list (List-Id)"] == 1
        assert client.get("/api/v1/capture/runs").json()["total"] == 1
        review = client.get("/api/v1/capture/review").json()
        assert [p["address"] for p in review["items"]] == ["dana@newco.example"]
        person = client.get("/api/v1/people", params={"q": "Maria"}).json()["items"][0]
        page = client.get(f"/people/{person['id']}")
        assert "captured: mail from inbox" in page.text
        bad = client.post("/api/v1/capture/sources", json={
            "kind": "mbox", "name": "x", "location": str(tmp_path / "missing.mbox"),
            "me": [ME]})
        assert bad.status_code == 422 and bad.json()["error"]["field"] == "location"
    report = kb("capture", "report")
    assert report["items"][0]["id"] == run["id"]
    shown = kb("show", "Maria Lopez")
    assert shown["timeline"][0]["captured"]["origin"] == "mail"
    accepted = kb("capture", "accept", "dana@newco.example")
    assert accepted["items"][0]["name"] == "Dana Newman"
    assert kb("capture", "remove", "inbox")["name"] == "inbox"


def test_erase_reaches_captured_data(svc: Any, tmp_path: Path) -> None:
    _people(svc)
    _add_all(svc, tmp_path)
    svc.capture.run()
    [dana] = svc.capture.accept(["dana@newco.example"])
    svc.privacy.erase(dana.id)
    with svc.db.read() as conn:
        contacts = conn.execute(text("SELECT address FROM capture_contacts")).scalars().all()
        parties = conn.execute(text("SELECT parties FROM captured")).scalars().all()
    assert "dana@newco.example" not in contacts
    assert not any("dana@newco.example" in (p or "") for p in parties)


def test_a_second_run_of_the_same_source_waits_its_turn(svc: Any, tmp_path: Path) -> None:
    """Two runs of one source at once would read from the same cursor and race: the
    second is refused with one line while the first holds the source, on both engines;
    the lock dies with its holder, so the next run goes on."""
    from kithbook.errors import Conflict
    from kithbook.store.run_lock import source_lock

    _people(svc)
    _add_all(svc, tmp_path)
    with svc.db.read() as conn:
        key = conn.execute(text("SELECT id FROM capture_sources WHERE name = 'inbox'")).scalar()
    with source_lock(svc.db, int(key)) as mine:  # another process's run, as far as we know
        assert mine
        with pytest.raises(Conflict, match="'inbox' is already running in another process"):
            svc.capture.run(["inbox"])
        assert {r.name for r in svc.capture.run(["cal"])} == {"cal"}  # others are free
    assert svc.capture.run(["inbox"])[0].kept == 6  # released: the run goes on
