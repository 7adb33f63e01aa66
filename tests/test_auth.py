"""Sign-in before the network: the owner account, sessions, personal API tokens,
throttling, the allowed hosts and an access log that never shows a token."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kithbook.config import Config
from kithbook.services.app import Services
from kithbook.web.access_log import redact_path
from kithbook.web.app import create_app

PASSWORD = "correct horse battery"


def _raw(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal"))
                    if p.exists())


def _app(tmp_path: Path, **kw: object) -> tuple[TestClient, Path]:
    path = tmp_path / "k.db"
    svc = Services.open(Config(db=str(path)))
    if not svc.accounts.has_users():
        svc.accounts.add_user("alex", PASSWORD)
    svc.close()
    base = str(kw.pop("base", "http://127.0.0.1:8765"))
    app = create_app(Config(db=str(path)), **kw)  # type: ignore[arg-type]
    return TestClient(app, base_url=base), path


def _token(client: TestClient) -> str:
    page = client.get("/login")
    return page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def _sign_in(client: TestClient, password: str = PASSWORD, user: str = "alex") -> object:
    return client.post("/login", data={"username": user, "password": password,
                                       "csrf_token": _token(client), "next": "/people"},
                       headers={"origin": str(client.base_url)}, follow_redirects=False)


def test_loopback_needs_no_sign_in_by_default(tmp_path: Path) -> None:
    client, _ = _app(tmp_path)
    with client:
        assert client.get("/api/v1/people").status_code == 200


def test_required_sign_in_guards_pages_and_api(tmp_path: Path) -> None:
    client, _ = _app(tmp_path, login="required")
    with client:
        api = client.get("/api/v1/people")
        assert api.status_code == 401 and api.json()["error"]["code"] == "not_authenticated"
        page = client.get("/people", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"] == "/login?next=/people"
        assert client.get("/static/app.css").status_code == 200
        assert client.get("/healthz").status_code == 200


def test_sign_in_sets_a_safe_cookie_and_sign_out_ends_it(tmp_path: Path) -> None:
    client, path = _app(tmp_path, login="required")
    with client:
        wrong = _sign_in(client, "wrong password!")
        unknown = _sign_in(client, PASSWORD, user="nobody")
        assert wrong.status_code == unknown.status_code == 401
        assert "wrong" in wrong.text and "wrong" in unknown.text
        done = _sign_in(client)
        assert done.status_code == 303 and done.headers["location"] == "/people"
        cookie = done.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
        first = client.cookies.get("kb_session")
        assert client.get("/api/v1/people").status_code == 200
        _sign_in(client)  # a new session at each sign-in, never the old one
        second = client.cookies.get("kb_session")
        assert second != first
        client.post("/logout", data={"csrf_token": _token(client)},
                    headers={"origin": str(client.base_url)})
        client.cookies.set("kb_session", second or "")  # replayed after sign-out: dead
        assert client.get("/api/v1/people").status_code == 401
    raw = _raw(path)
    assert b"$argon2id$" in raw and PASSWORD.encode() not in raw
    assert (first or "x").encode() not in raw


def test_secure_cookie_over_https(tmp_path: Path) -> None:
    client, _ = _app(tmp_path, login="required", base="https://127.0.0.1:8765")
    with client:
        done = _sign_in(client)
        cookie = done.headers["set-cookie"].lower()
        assert cookie.startswith("__host-kb_session=") and "secure" in cookie


def test_failed_sign_ins_are_throttled(tmp_path: Path) -> None:
    client, _ = _app(tmp_path, login="required")
    with client:
        for _ in range(5):
            assert _sign_in(client, "not the password").status_code == 401
        blocked = _sign_in(client)  # even the right password waits now
        assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0


def test_api_tokens_open_the_api_until_revoked(tmp_path: Path) -> None:
    client, path = _app(tmp_path, login="required")
    svc = Services.open(Config(db=str(path)))
    made = svc.accounts.create_token("nightly export")
    with client:
        auth = {"authorization": f"Bearer {made.token}"}
        assert client.get("/api/v1/people", headers=auth).status_code == 200
        assert client.get(f"/api/v1/people?token={made.token}").status_code == 401
        assert client.get("/api/v1/people",
                          headers={"authorization": "Bearer kbt_guess"}).status_code == 401
        svc.accounts.revoke_token(made.id)
        assert client.get("/api/v1/people", headers=auth).status_code == 401
    assert [t.revoked_at is not None for t in svc.accounts.tokens()] == [True]
    svc.close()
    assert made.token.encode() not in _raw(path)


def test_allowed_host_names_the_machine(tmp_path: Path) -> None:
    client, _ = _app(tmp_path, bound_host="0.0.0.0", allowed_hosts=["crm.example.org"],
                     login="optional")
    with client:
        assert client.get("/healthz", headers={"host": "crm.example.org"}).status_code == 200
        assert client.get("/healthz", headers={"host": "evil.example"}).status_code == 421


def test_beyond_loopback_sign_in_is_required(tmp_path: Path) -> None:
    client, _ = _app(tmp_path, bound_host="0.0.0.0", allowed_hosts=["crm.example.org"])
    with client:
        got = client.get("/api/v1/people", headers={"host": "crm.example.org"})
        assert got.status_code == 401


@pytest.mark.parametrize("spelling", [
    "/feeds/{t}.ics", "//feeds/{t}.ics", "/static/../feeds/{t}.ics", "/./feeds/{t}.ics",
    "/%66eeds/{t}.ics", "/%2Ffeeds%2F{t}.ics", "/feeds/%{hex}", "/FEEDS/{t}.ics",
    "\\feeds\\{t}.ics", "/feeds/{t}.ics?x=1", "/api/v1/people?token={t}", "/r/{t}",
    "/{t}.ics",
])
def test_the_access_log_never_shows_a_token(spelling: str) -> None:
    token = "Zk9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA"
    hexed = "%".join(f"{b:02X}" for b in f"{token}.ics".encode())
    raw = spelling.format(t=token, hex=hexed)
    shown = redact_path(raw)
    assert token not in shown and token[:12] not in shown, shown


def test_the_server_logs_requests_without_tokens(tmp_path: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    client, path = _app(tmp_path, log_access=True)
    svc = Services.open(Config(db=str(path)))
    from kithbook.web import feeds

    token = feeds.feed_token(svc)
    svc.close()
    logger = logging.getLogger("kithbook.access")
    logger.addHandler(caplog.handler)
    try:
        with client, caplog.at_level(logging.INFO, logger="kithbook.access"):
            assert client.get(f"/feeds/{token}.ics").status_code == 200
            client.get(f"//feeds/{token}.ics")
            client.get(f"/static/../feeds/{token}.ics")
    finally:
        logger.removeHandler(caplog.handler)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert len(caplog.records) >= 3 and token not in text, text


def test_storage_faults_answer_503(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from kithbook.services import people

    def full(*_a: object, **_k: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    client, _ = _app(tmp_path)
    monkeypatch.setattr(people.PeopleService, "add", full)
    with client:
        got = client.post("/api/v1/people", json={"name": "New Person"})
    assert got.status_code == 503 and "disk is full" in got.json()["error"]["message"]


def test_serve_beyond_loopback_needs_tls_and_an_account(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kithbook.cli.main import app

    db = str(tmp_path / "k.db")
    runner = CliRunner()
    plain = runner.invoke(app, ["--db", db, "serve", "--host", "0.0.0.0"])
    assert plain.exit_code == 2 and "allow-remote" in plain.output
    no_tls = runner.invoke(app, ["--db", db, "serve", "--host", "0.0.0.0", "--allow-remote"])
    assert no_tls.exit_code == 2 and "TLS" in no_tls.output
    no_user = runner.invoke(app, ["--db", db, "serve", "--host", "0.0.0.0", "--allow-remote",
                                  "--behind-proxy"])
    assert no_user.exit_code == 2 and "user add" in no_user.output
    made = runner.invoke(app, ["--db", db, "user", "add", "alex", "--password-stdin"],
                         input=PASSWORD + "\n")
    assert made.exit_code == 0, made.output
    token = runner.invoke(app, ["--db", db, "--json", "token", "create", "script"])
    assert token.exit_code == 0 and '"token": "kbt_' in token.output
