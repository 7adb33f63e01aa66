"""Local-server safety (reliability.md S1, S2, S3, S11): Host allow-list against DNS
rebinding, CSRF on every state-changing request, security headers, size limits, XSS."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kithbook.config import Config
from kithbook.web.app import create_app

BASE = "http://127.0.0.1:8765"
SAME = {"origin": BASE, "sec-fetch-site": "same-origin"}
HOSTILE = [
    '<script>alert("name")</script>',
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "{{7*7}} <iframe src=javascript:alert(1)>",
]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Config(db=str(tmp_path / "k.db")))
    with TestClient(app, base_url=BASE) as c:
        yield c


def db_hash(client: TestClient) -> str:
    return hashlib.sha256(client.get("/api/v1/openapi.json").content
                          + client.get("/api/v1/people?limit=200").content).hexdigest()


def routes(client: TestClient) -> list[str]:
    return ["/", "/people", "/orgs", "/capture", "/import", "/map", "/api/v1/people",
            "/api/v1/openapi.json", "/api/v1/docs", "/static/app.css", "/feeds/x.ics",
            "/healthz", "/nothing-here"]


@pytest.mark.parametrize("host", ["attacker.example", "127.0.0.1.nip.io", "localhost.evil.com",
                                  "", "127.0.0.2"])
def test_foreign_host_is_refused_on_every_route(client: TestClient, host: str) -> None:
    for path in routes(client):
        for method in ("GET", "POST"):
            r = client.request(method, path, headers={"host": host, **SAME})
            assert r.status_code == 421, (method, path, r.status_code)
            assert r.json()["error"]["code"] == "bad_host"


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "[::1]:8765", "localhost"])
def test_local_hosts_are_served(client: TestClient, host: str) -> None:
    assert client.get("/people", headers={"host": host}).status_code == 200


def test_bound_host_is_added_to_the_allow_list(tmp_path: Path) -> None:
    app = create_app(Config(db=str(tmp_path / "k.db")), bound_host="192.168.1.5")
    with TestClient(app, base_url="http://192.168.1.5:8765") as c:
        assert c.get("/healthz").status_code == 200
        assert c.get("/healthz", headers={"host": "evil.example"}).status_code == 421


CROSS = [
    {"sec-fetch-site": "cross-site", "origin": "https://evil.example"},
    {"sec-fetch-site": "same-site", "origin": "http://127.0.0.1:9999"},
    {"origin": "https://evil.example"},
    {"origin": "null"},
    {"origin": "http://127.0.0.1:9999"},
    {},  # legacy: no Origin, no Sec-Fetch-Site
]


@pytest.mark.parametrize("headers", CROSS)
def test_cross_site_writes_are_refused_and_change_nothing(
    client: TestClient, headers: dict[str, str]
) -> None:
    token = client.app.state.csrf_token  # type: ignore[attr-defined]
    before = db_hash(client)
    form = {"csrf_token": token, "name": "Eve", "kind": "note", "with": "me", "text": "x"}
    attempts = [
        ("POST", "/people/new", {"data": form}),
        ("POST", "/capture", {"data": form}),
        ("POST", "/api/v1/people", {"data": {"name": "Eve"}}),  # a simple form post
        ("POST", "/api/v1/people", {"content": b'{"name":"Eve"}',
                                    "headers": {"content-type": "text/plain"}}),
        ("POST", "/import/preview", {"files": {"file": ("a.json", b"{}")}, "data": form}),
    ]
    if headers:  # with fetch metadata or an Origin, even JSON and DELETE are refused
        attempts += [
            ("POST", "/api/v1/people", {"json": {"name": "Eve"}}),
            ("DELETE", "/api/v1/people/me", {}),
            ("PATCH", "/api/v1/people/me", {"json": {"name": "Eve"}}),
        ]
    for method, path, kwargs in attempts:
        extra = {**headers, **kwargs.pop("headers", {})}  # type: ignore[dict-item]
        r = client.request(method, path, headers=extra, **kwargs)  # type: ignore[arg-type]
        assert r.status_code == 403, (method, path, headers, r.status_code, r.text[:200])
        assert r.json()["error"]["code"] == "cross_site_request"
    assert db_hash(client) == before


def test_same_origin_form_needs_the_token(client: TestClient) -> None:
    r = client.post("/people/new", data={"name": "Ann"}, headers=SAME)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "bad_csrf_token"
    r = client.post("/people/new", data={"name": "Ann", "csrf_token": "0" * 64}, headers=SAME)
    assert r.status_code == 403
    token = client.app.state.csrf_token  # type: ignore[attr-defined]
    r = client.post("/people/new", data={"name": "Ann", "csrf_token": token}, headers=SAME,
                    follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/api/v1/people?q=ann").json()["total"] == 1


def test_script_clients_may_send_json_without_origin(client: TestClient) -> None:
    r = client.post("/api/v1/people", json={"name": "Bo"})
    assert r.status_code == 201


def test_gets_have_no_side_effects(client: TestClient) -> None:
    before = db_hash(client)
    for path in routes(client):
        client.get(path)
    assert db_hash(client) == before


def test_security_headers_on_every_route(client: TestClient) -> None:
    client.post("/api/v1/people", json={"name": "Cy"})
    for path in routes(client):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, path
        assert "base-uri 'none'" in csp
        script_src = re.search(r"script-src ([^;]*)", csp)
        assert script_src and "unsafe-inline" not in script_src.group(1)
        assert "unsafe-eval" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        if not path.startswith("/static/"):
            assert r.headers["cache-control"] == "no-store", path
        assert "server" not in r.headers or "uvicorn" not in r.headers["server"]


def test_head_is_answered_like_get_without_a_body(client: TestClient) -> None:
    r = client.head("/people")
    assert r.status_code == 200 and r.content == b""
    assert r.headers["x-content-type-options"] == "nosniff"


def test_trace_and_debug_are_off(client: TestClient) -> None:
    assert client.request("TRACE", "/").status_code == 405
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404


def test_request_size_limits(client: TestClient) -> None:
    big = b"x" * (1024 * 1024 + 1)
    r = client.post("/api/v1/people", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while streaming
        for _ in range(20):
            yield b"y" * 100_000

    r = client.post("/api/v1/people", content=chunks(),
                    headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_hostile_names_and_notes_are_inert(client: TestClient) -> None:
    token = client.app.state.csrf_token  # type: ignore[attr-defined]
    ids = []
    for i, payload in enumerate(HOSTILE):
        r = client.post("/api/v1/people", json={
            "name": f"{payload} {i}", "how_met": payload, "tags": ["x" + str(i)],
            "org": f"Org {payload}", "note": f"# hi\n{payload}\n[click](javascript:alert(1))",
        })
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
        client.post(f"/people/{ids[-1]}/notes", headers=SAME,
                    data={"csrf_token": token, "body": f"<b onmouseover=alert(1)>{payload}</b>"})
    pages = ["/people", "/orgs", "/", *[f"/people/{i}" for i in ids], "/capture?with=%3Cscript%3E"]
    for path in pages:
        body = client.get(path).text
        assert "<script>alert" not in body, path
        assert "onerror=" not in body.replace("onerror=alert(1)&gt;", ""), path
        assert not re.search(r"<[^>]+\son\w+=", body), path
        assert 'href="javascript:' not in body.lower(), path
        assert "<svg" not in body and "<iframe" not in body, path
    hostile_search = client.get("/people", params={"q": "<script>alert(1)</script>"}).text
    assert "<script>alert(1)" not in hostile_search


def test_feed_token_is_unguessable_and_rotates(client: TestClient) -> None:
    from kithbook.services.app import Services
    from kithbook.web import feeds

    app = client.app
    svc = Services(app.state.db, app.state.config)  # type: ignore[attr-defined]
    token = feeds.feed_token(svc)
    assert token and len(token) >= 43
    assert client.get(f"/feeds/{token}.ics").status_code in (200, 404)
    assert client.get(f"/feeds/{token[:-1]}x.ics").status_code == 404
    new = feeds.rotate_feed_token(svc)
    assert new != token
    assert client.get(f"/feeds/{token}.ics").status_code == 404


def test_hostile_vcard_import_renders_inert(client: TestClient) -> None:
    cards = "".join(
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"FN:{p.replace(',', ' ')} {i}\r\nN:X{i};Y;;;\r\n"
        f"ORG:{p.replace(',', ' ').replace(';', ' ')}\r\n"
        f"NOTE:{p.replace(',', ' ')}\r\nURL:javascript:alert({i})\r\nEND:VCARD\r\n"
        for i, p in enumerate(HOSTILE)
    ).encode()
    r = client.post("/api/v1/import", params={"filename": "evil.vcf", "dry_run": "false"},
                    content=cards, headers={"content-type": "application/octet-stream"})
    assert r.status_code == 200, r.text
    listed = client.get("/api/v1/people", params={"limit": 200}).json()["items"]
    assert len(listed) >= len(HOSTILE)
    for path in ["/people", "/orgs", *[f"/people/{p['id']}" for p in listed]]:
        body = client.get(path).text
        assert not re.search(r'<script(?! src="/static/)|<(svg|iframe|img)\b', body), path
        assert not re.search(r"<[^>]+\son\w+=", body), path
        assert 'href="javascript:' not in body.lower(), path
