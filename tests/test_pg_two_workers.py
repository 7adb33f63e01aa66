"""Team scale (issue 16): `kithbook serve --workers 2` on PostgreSQL answers warm paths,
reach and brokers, and a tie added through one worker is seen by the next path query
whichever worker answers it (each keeps its graph current from the database's change
log, docs/graph-cache.md). A real server in a subprocess, real HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import date
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.postgres


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_two_workers_on_postgres_share_one_current_graph(pg_migrated_url: str,
                                                         tmp_path: Any) -> None:
    from kithbook.config import Config
    from kithbook.services.app import Services
    from kithbook.services.people import NewPerson

    svc = Services.open(Config(db=pg_migrated_url, as_of=date(2026, 11, 27)))
    svc.people.set_me("Alex Owner")
    ids = {n: svc.people.add(NewPerson(name=n, org=org)).id for n, org in (
        ("Ann Hub", "Hubco"), ("Ben Bridge", "Bridgeco"), ("Cat Target", "Targetco"),
        ("Dan Side", "Sideco"), ("Eve Late", "Lateco"))}
    svc.ties.tie("me", ids["Ann Hub"], strength=5)
    svc.ties.tie(ids["Ann Hub"], ids["Ben Bridge"], strength=4)
    svc.ties.tie(ids["Ben Bridge"], ids["Cat Target"], strength=4)
    svc.ties.tie("me", ids["Dan Side"], strength=3)
    svc.close()
    port = _free_port()
    env = {**os.environ, "KITHBOOK_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kithbook", "--db", pg_migrated_url, "--as-of", "2026-11-27",
         "serve", "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        # a new connection per request, so the two workers share the requests (a kept-
        # alive connection would stay with one of them)
        with httpx.Client(base_url=base, timeout=20, headers={"Connection": "close"},
                          limits=httpx.Limits(max_keepalive_connections=0)) as http:
            for _ in range(300):
                try:
                    if http.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None:
                    pytest.fail(f"the server stopped: {proc.stderr.read().decode()[-2000:]}"
                                if proc.stderr else "the server stopped")
                time.sleep(0.1)
            found = http.get("/api/v1/paths", params={"to": "Cat Target"}).json()
            names = [[p["name"] for p in r["people"]] for r in found["routes"]]
            assert ["Alex Owner", "Ann Hub", "Ben Bridge", "Cat Target"] in names, found
            org = http.get("/api/v1/paths", params={"to": "Targetco"}).json()
            assert org["routes"] and org["routes"][0]["people"][-1]["id"] == ids["Cat Target"]
            reach = http.get("/api/v1/reach")
            brokers = http.get("/api/v1/brokers")
            assert reach.status_code == brokers.status_code == 200, (reach.text, brokers.text)
            assert ids["Ben Bridge"] in reach.text  # reached through Ann
            # both workers have a warm graph now (several requests); a new tie through
            # one of them must show in every answer that follows, from either worker
            for _ in range(6):
                assert http.get("/api/v1/paths", params={"to": "Cat Target"}).status_code == 200
            r = http.post("/api/v1/ties", json={"a": ids["Dan Side"], "b": ids["Eve Late"],
                                                "strength": 4})
            assert r.status_code in (200, 201), r.text
            for _ in range(8):
                late = http.get("/api/v1/paths", params={"to": "Eve Late"}).json()
                assert [[p["name"] for p in r["people"]] for r in late["routes"]][:1] == [
                    ["Alex Owner", "Dan Side", "Eve Late"]], late
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
