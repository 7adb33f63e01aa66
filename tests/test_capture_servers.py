"""Capture from real servers started by the suite: Dovecot over IMAPS, Radicale over
CalDAV (a separate process: it is GPL, tests only). Each test skips with the reason
when its server cannot start here."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kithbook.services.app import Services
from kithbook.services.capture import NewSource
from kithbook.services.people import NewPerson

ME = "alex@owner.example"


class _MemoryKeyring:
    """An in-process OS keyring stand-in, so tests never touch the real one."""

    def __init__(self) -> None:
        import keyring.backend

        class Backend(keyring.backend.KeyringBackend):
            priority = 1  # type: ignore[assignment]
            store: dict[tuple[str, str], str] = {}

            def get_password(self, service: str, username: str) -> str | None:
                return self.store.get((service, username))

            def set_password(self, service: str, username: str, password: str) -> None:
                self.store[(service, username)] = password

            def delete_password(self, service: str, username: str) -> None:
                self.store.pop((service, username), None)

        self.backend = Backend()


@pytest.fixture
def memory_keyring() -> Iterator[Any]:
    import keyring

    old = keyring.get_keyring()
    kr = _MemoryKeyring().backend
    keyring.set_keyring(kr)
    try:
        yield kr
    finally:
        keyring.set_keyring(old)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_port(port: int, proc: subprocess.Popen[bytes], seconds: float = 15) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            return False
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.1)
    return False


def _cert(d: Path) -> None:
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem"), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True)


def _message(n: int, frm: str, to: str, refs: str = "") -> bytes:
    return (f"Message-ID: <imap{n}@t>\r\n{refs}From: {frm}\r\nTo: {to}\r\n"
            f"Date: Mon, 2 Nov 2026 09:{n:02d}:00 +0000\r\nSubject: hello {n}\r\n\r\n"
            f"body {n}\r\n").encode()


@pytest.fixture
def dovecot(tmp_path: Path) -> Iterator[dict[str, Any]]:
    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    if not os.path.exists(binary):
        pytest.skip("Dovecot is not installed (.ci/run installs dovecot-imapd with apt)")
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make the test server's certificate")
    d = tmp_path / "dovecot"
    (d / "home" / "alex" / "Maildir" / "cur").mkdir(parents=True)
    for sub in ("new", "tmp"):
        (d / "home" / "alex" / "Maildir" / sub).mkdir()
    _cert(d)
    (d / "passwd").write_text("alex:{PLAIN}s3cret::::::\n")
    port = _free_port()
    import tempfile

    run_dir = Path(tempfile.mkdtemp(prefix="kbdv"))  # Unix sockets need a short path
    uid, gid = os.getuid(), os.getgid()
    user = login = os.environ.get("USER", "nobody")
    if uid == 0:  # Dovecot's own users: its login and mail processes refuse root
        import pwd

        try:
            mail_user, login = pwd.getpwnam("dovecot"), "dovenull"
            pwd.getpwnam(login)
        except KeyError:
            pytest.skip("running as root without Dovecot's users (dovecot, dovenull)")
        uid, gid, user = mail_user.pw_uid, mail_user.pw_gid, "dovecot"
        for p in [d, *d.rglob("*")]:
            os.chown(p, uid, gid)
        for p in [tmp_path, *tmp_path.parents]:
            if str(p) in ("/", "/tmp"):
                break
            os.chmod(p, os.stat(p).st_mode | 0o711)
    conf = f"""
protocols = imap
listen = 127.0.0.1
base_dir = {run_dir}
state_dir = {d}/state
log_path = {d}/dovecot.log
ssl = required
ssl_cert = <{d}/cert.pem
ssl_key = <{d}/key.pem
auth_mechanisms = plain
default_internal_user = {user}
default_login_user = {login}
first_valid_uid = {uid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {d}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={d}/home/%u
}}
mail_location = maildir:{d}/home/%u/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
"""
    (d / "dovecot.conf").write_text(conf)
    proc = subprocess.Popen([binary, "-F", "-c", str(d / "dovecot.conf")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if not _wait_port(port, proc):
        proc.kill()
        shutil.rmtree(run_dir, ignore_errors=True)
        out = proc.communicate()[0].decode(errors="replace")[-300:]
        log = (d / "dovecot.log").read_text()[-300:] if (d / "dovecot.log").exists() else ""
        pytest.skip(f"Dovecot could not start here: {out} {log}".strip())
    try:
        yield {"port": port, "dir": d, "maildir": d / "home" / "alex" / "Maildir",
               "ca": str(d / "cert.pem")}
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(run_dir, ignore_errors=True)


def _drop(maildir: Path, name: str, data: bytes) -> None:
    target = maildir / "new" / name
    target.write_bytes(data)
    st = os.stat(maildir)
    if os.getuid() == 0:
        os.chown(target, st.st_uid, st.st_gid)


def test_imap_capture_incremental(svc: Any, dovecot: dict[str, Any], memory_keyring: Any
                                  ) -> None:
    svc.people.set_me("Alex Owner")
    svc.people.add(NewPerson(name="Maria Lopez", emails=["maria@northwind.example"]))
    md = dovecot["maildir"]
    _drop(md, "1.a", _message(1, "Maria <maria@northwind.example>", ME))
    _drop(md, "2.a", _message(2, ME, "maria@northwind.example", "In-Reply-To: <imap1@t>\r\n"))
    _drop(md, "3.a", _message(3, "news@shop.example", ME))
    src = svc.capture.add(NewSource(kind="imap", name="work", location="127.0.0.1",
                                    user="alex", port=dovecot["port"], me=[ME],
                                    ca_file=dovecot["ca"]), password="s3cret")
    assert src.password_stored is True
    [r] = svc.capture.run()
    assert (r.status, r.seen, r.kept, r.created) == ("done", 3, 2, 1), r.message
    with svc.db.read() as conn:
        from sqlalchemy import text

        cursor = conn.execute(text("SELECT cursor FROM capture_sources")).scalar()
        settings = conn.execute(text("SELECT settings FROM capture_sources")).scalar()
    assert "s3cret" not in str(settings) and "s3cret" not in str(cursor)
    [again] = svc.capture.run()
    assert (again.seen, again.kept) == (0, 0)  # incremental by UIDVALIDITY/UID
    _drop(md, "4.a", _message(4, "maria@northwind.example", ME, "References: <imap1@t>\r\n"))
    [third] = svc.capture.run()
    assert (third.seen, third.kept, third.created, third.updated) == (1, 1, 0, 1)
    items, _ = svc.interactions.timeline("Maria Lopez")
    assert len(items) == 1 and items[0].captured.items == 3
    assert items[0].captured.locator.startswith("INBOX;UIDVALIDITY=")
    # read-only: nothing was marked read or moved
    assert sorted(p.name for p in (md / "new").iterdir()) == ["1.a", "2.a", "3.a", "4.a"] or \
        all(":2,S" not in p.name for p in (md / "cur").iterdir())


def test_imap_wrong_password_and_no_server(svc: Any, dovecot: dict[str, Any],
                                           memory_keyring: Any) -> None:
    svc.people.set_me("Alex Owner")
    svc.capture.add(NewSource(kind="imap", name="bad", location="127.0.0.1", user="alex",
                              port=dovecot["port"], me=[ME], ca_file=dovecot["ca"]),
                    password="wrong")
    [r] = svc.capture.run(["bad"])
    assert r.status == "failed" and "refused the login" in (r.message or "")
    svc.capture.add(NewSource(kind="imap", name="gone", location="127.0.0.1", user="alex",
                              port=_free_port(), me=[ME], timeout=2), password="x")
    [r] = svc.capture.run(["gone"])
    assert r.status == "failed" and "cannot reach the mail server" in (r.message or "")


def test_imap_silent_server_is_bounded(svc: Any, memory_keyring: Any) -> None:
    """A server that accepts and never answers: the run stops at the timeout, cleanly."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    svc.people.set_me("Alex Owner")
    svc.capture.add(NewSource(kind="imap", name="mute", location="127.0.0.1", user="a",
                              port=srv.getsockname()[1], me=[ME], timeout=1), password="x")
    try:
        [r] = svc.capture.run(["mute"])
    finally:
        srv.close()
    assert r.status == "failed" and r.seen == 0


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[str]:
    pytest.importorskip("caldav", reason="the caldav client is not installed")
    try:
        import radicale  # noqa: F401
    except ImportError:
        pytest.skip("Radicale is not installed (it is in the test extra)")
    d = tmp_path / "radicale"
    d.mkdir()
    (d / "users").write_text("alex:s3cret\n")
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--server-hosts", f"127.0.0.1:{port}",
         "--storage-filesystem-folder", str(d / "collections"), "--auth-type", "htpasswd",
         "--auth-htpasswd-filename", str(d / "users"), "--auth-htpasswd-encryption", "plain",
         "--logging-level", "warning"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if not _wait_port(port, proc):
        proc.kill()
        pytest.skip(f"Radicale could not start: {proc.communicate()[0][-300:]!r}")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


_EVENT = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//t//EN
BEGIN:VEVENT
UID:{uid}
DTSTAMP:20261001T000000Z
DTSTART:{start}
DTEND:{end}
SUMMARY:{summary}
{extra}ORGANIZER:mailto:alex@owner.example
ATTENDEE;PARTSTAT=ACCEPTED:mailto:maria@northwind.example
ATTENDEE;PARTSTAT=ACCEPTED:mailto:sam.chen@acme.example
END:VEVENT
END:VCALENDAR
"""


def test_caldav_capture_by_sync_token(svc: Any, radicale: str, memory_keyring: Any) -> None:
    import caldav

    client = caldav.DAVClient(url=radicale, username="alex", password="s3cret")
    cal = client.principal().make_calendar(name="work", cal_id="work")
    cal.save_event(_EVENT.format(uid="m1", start="20261102T100000Z", end="20261102T110000Z",
                                 summary="Kickoff", extra=""))
    cal.save_event(_EVENT.format(uid="m2", start="20261105T100000Z", end="20261105T103000Z",
                                 summary="Review", extra="RRULE:FREQ=WEEKLY\n"))
    cal.save_event(_EVENT.format(uid="m3", start="20261201T100000Z", end="20261201T110000Z",
                                 summary="Later", extra=""))
    svc.people.set_me("Alex Owner")
    svc.people.add(NewPerson(name="Maria Lopez", emails=["maria@northwind.example"]))
    svc.people.add(NewPerson(name="Sam Chen", emails=["sam.chen@acme.example"]))
    url = f"{radicale}/alex/work/"
    svc.capture.add(NewSource(kind="caldav", name="cal", location=url, user="alex", me=[ME]),
                    password="s3cret")
    [r] = svc.capture.run()
    # Nov 2, and the weekly review on Nov 5, 12, 19, 26 (as of Nov 27); Dec 1 not yet
    assert (r.status, r.created) == ("done", 5), r
    [again] = svc.capture.run()
    assert (again.seen, again.created) == (0, 0)  # the sync token says nothing changed
    cal.event_by_uid("m1").delete()
    [third] = svc.capture.run()
    assert third.withdrawn == 1
    pair = svc.network.strength("Maria Lopez", "Sam Chen")  # co-attendance
    assert pair.interactions == 4


def test_caldav_without_sync_collection_polls_by_etag(svc: Any, radicale: str,
                                                     memory_keyring: Any,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A server that refuses sync-collection (RFC 6578) is read whole each run and each
    event compared by its ETag: nothing new is nothing captured, a moved meeting is
    taken back, a deleted one withdrawn."""
    import caldav

    def refuse(*_a: Any, **_k: Any) -> Any:
        raise caldav.lib.error.ReportError("501 Not Implemented: REPORT sync-collection")

    monkeypatch.setattr(caldav.Calendar, "objects_by_sync_token", refuse)
    client = caldav.DAVClient(url=radicale, username="alex", password="s3cret")
    cal = client.principal().make_calendar(name="poll", cal_id="poll")
    for uid, day in (("p1", "02"), ("p2", "05"), ("p3", "09")):
        cal.save_event(_EVENT.format(uid=uid, start=f"202611{day}T100000Z",
                                     end=f"202611{day}T110000Z", summary=uid, extra=""))
    svc.people.set_me("Alex Owner")
    svc.people.add(NewPerson(name="Maria Lopez", emails=["maria@northwind.example"]))
    svc.capture.add(NewSource(kind="caldav", name="poll", location=f"{radicale}/alex/poll/",
                              user="alex", me=[ME]), password="s3cret")
    [r] = svc.capture.run()
    assert (r.status, r.created) == ("done", 3), r
    [again] = svc.capture.run()
    assert (again.status, again.seen, again.created) == ("done", 0, 0)  # same ETags
    with svc.db.read() as conn:
        from sqlalchemy import text

        cursor = conn.execute(text("SELECT cursor FROM capture_sources")).scalar()
    assert "etags" in str(cursor) and "sync_token" in str(cursor)
    cal.event_by_uid("p3").delete()
    [third] = svc.capture.run()
    assert third.withdrawn == 1 and third.created == 0
    items, _ = svc.interactions.timeline("Maria Lopez")
    assert len(items) == 2


class _CuttingProxy:
    """A TCP relay in front of the IMAP server that can drop the connection after the
    server has sent `cut` bytes: the network failing in the middle of a FETCH."""

    def __init__(self, port: int) -> None:
        import threading

        self.target = port
        self.cut: int | None = None  # server -> client bytes after which to drop
        self.srv = socket.socket()
        self.srv.bind(("127.0.0.1", 0))
        self.srv.listen(4)
        self.port = self.srv.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import threading

        while True:
            try:
                client, _ = self.srv.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            cut = self.cut  # each connection counts its own bytes against the cut it met
            threading.Thread(target=self._pipe, args=(client, upstream, None),
                             daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, cut),
                             daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket, cut: int | None) -> None:
        import contextlib

        sent = 0
        with contextlib.suppress(OSError):
            while data := src.recv(16384):
                if cut is not None and sent + len(data) > cut:
                    dst.sendall(data[: cut - sent])
                    break
                sent += len(data)
                dst.sendall(data)
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def close(self) -> None:
        self.srv.close()


def test_imap_cut_mid_fetch_then_the_next_run_goes_on(svc: Any, dovecot: dict[str, Any],
                                                     memory_keyring: Any) -> None:
    """The connection drops in the middle of a FETCH: the run ends with one line, what
    was committed stays, and the next run captures the rest, nothing twice."""
    from sqlalchemy import text

    n = 1000
    svc.people.set_me("Alex Owner")
    svc.people.add(NewPerson(name="Maria Lopez", emails=["maria@northwind.example"]))
    md = dovecot["maildir"]
    pad = "".join(f"X-Pad-{k}: {'x' * 490}\r\n" for k in range(3))  # headers are fetched
    for i in range(n):
        msg = (f"{pad}Message-ID: <cut{i}@t>\r\nFrom: Maria <maria@northwind.example>\r\n"
               f"To: {ME}\r\nDate: Mon, 2 Nov 2026 {9 + i // 60 % 10:02d}:{i % 60:02d}:00 "
               f"+0000\r\nSubject: hello {i}\r\n\r\nbody {i}\r\n")
        _drop(md, f"{i}.a", msg.encode())
    proxy = _CuttingProxy(dovecot["port"])
    try:
        svc.capture.add(NewSource(kind="imap", name="flaky", location="127.0.0.1",
                                  user="alex", port=proxy.port, me=[ME], timeout=10,
                                  ca_file=dovecot["ca"]), password="s3cret")
        proxy.cut = n * 1500 * 3 // 4  # three quarters of the mail: inside the 4th FETCH
        [first] = svc.capture.run(["flaky"])
        assert first.message and "\n" not in first.message
        assert "stopped answering" in first.message, first.message
        with svc.db.read() as conn:
            kept_first = conn.execute(text("SELECT count(*) FROM captured")).scalar()
        # whole batches of 500 committed before the cut stay (usually one: where the
        # cut lands in bytes depends on TLS framing), and the run says which it was
        assert kept_first in (0, 500) and kept_first < n
        assert first.status == ("partial" if kept_first else "failed"), first.status
        proxy.cut = None
        [second] = svc.capture.run(["flaky"])
        assert second.status == "done", second.message
        with svc.db.read() as conn:
            total, distinct = conn.execute(text(
                "SELECT count(*), count(DISTINCT item_key) FROM captured")).one()
        assert total == distinct == n
        assert second.seen == n - kept_first  # it went on from the cursor, not from 0
    finally:
        proxy.close()


def test_imap_hostile_messages_on_a_real_server_are_skipped_and_counted(
        tmp_path: Path, dovecot: dict[str, Any], memory_keyring: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The hostile messages of tests/test_hostile_capture.py, served by Dovecot: each is
    skipped under its reason (the header is fetched only up to its cap, the size comes
    from the server) and the good message after them is kept."""
    import imapclient

    from kithbook.io import mail
    from test_hostile_capture import MESSAGES, _config, _msg

    received: list[int] = []
    fetch = imapclient.IMAPClient.fetch

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        out = fetch(self, *args, **kwargs)
        received.extend(len(v) for data in out.values() for k, v in data.items()
                        if k.startswith(b"BODY[HEADER]"))
        return out

    monkeypatch.setattr(imapclient.IMAPClient, "fetch", counting)

    svc = Services.open(_config(tmp_path))
    svc.people.set_me("Alex Owner")
    svc.people.add(NewPerson(name="Maria Lopez", emails=["maria@northwind.example"]))
    md = dovecot["maildir"]
    for n, (make, _) in enumerate(MESSAGES.values()):
        _drop(md, f"{n}.h", make(n).replace(b"\n", b"\r\n"))
    _drop(md, "99.h", _msg(99).replace(b"\n", b"\r\n"))
    # "snippet": the body's first part is fetched too, so MIME nesting is checked
    svc.capture.add(NewSource(kind="imap", name="work", location="127.0.0.1", user="alex",
                              port=dovecot["port"], me=["alex@owner.example"],
                              ca_file=dovecot["ca"], privacy="snippet"), password="s3cret")
    [r] = svc.capture.run()
    want: dict[str, int] = {}
    for _, reason in MESSAGES.values():
        if reason is not None:
            want[reason] = want.get(reason, 0) + 1
    assert r.status == "done", r.message
    assert dict(r.skipped) == want
    assert r.seen == len(MESSAGES) + 1
    assert r.kept == len(MESSAGES) + 1 - sum(want.values())
    # the 300 KiB header came over the wire only up to the cap
    assert len(received) == len(MESSAGES) + 1 and max(received) == mail.HEAD_CAP + 1
    svc.close()


def test_caldav_object_over_the_limits_on_a_real_server_is_skipped_and_counted(
        tmp_path: Path, radicale: str, memory_keyring: Any) -> None:
    """Radicale serves a 2 MiB event (the limit is set to 1 MiB) beside a good one: the
    big object is skipped and counted, the good meeting comes in."""
    import caldav

    from test_hostile_capture import _config

    client = caldav.DAVClient(url=radicale, username="alex", password="s3cret")
    cal = client.principal().make_calendar(name="work", cal_id="work")
    cal.save_event(_EVENT.format(uid="big", start="20261102T100000Z", end="20261102T110000Z",
                                 summary="Padded", extra="X-PAD:" + "p" * (2 * 1024 * 1024)
                                 + "\n"))
    cal.save_event(_EVENT.format(uid="ok", start="20261103T100000Z", end="20261103T110000Z",
                                 summary="Kickoff", extra=""))
    svc = Services.open(_config(tmp_path))
    svc.people.set_me("Alex Owner")
    svc.people.add(NewPerson(name="Maria Lopez", emails=["maria@northwind.example"]))
    svc.capture.add(NewSource(kind="caldav", name="cal", location=f"{radicale}/alex/work/",
                              user="alex", me=[ME]), password="s3cret")
    [r] = svc.capture.run()
    assert r.status == "done", r.message
    assert dict(r.skipped) == {"calendar object over the limits": 1}
    assert r.created == 1
    svc.close()
