"""The API's router turns away paths outside /api/v1 without matching them against its
routes (web/prefix_router.py), and routing is otherwise unchanged."""

from __future__ import annotations

from typing import Any

import fastapi.routing
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from kithbook.web.prefix_router import PrefixRouter

asked: list[str] = []


class CountingRoute(APIRoute):
    def matches(self, scope: Any) -> Any:
        asked.append(scope["path"])
        return super().matches(scope)


def _app() -> FastAPI:
    api = PrefixRouter(prefix="/api/v1", route_class=CountingRoute)

    @api.get("/{rest:path}")
    def anything(rest: str) -> dict[str, str]:
        return {"api": rest}

    app = FastAPI()
    app.include_router(api)

    @app.get("/api/v1x")
    def beside() -> dict[str, str]:  # shares the prefix's letters, not the prefix
        return {"page": "beside"}

    @app.get("/people/{ref}")
    def person(ref: str) -> dict[str, str]:
        return {"page": ref}

    return app


def test_paths_outside_the_prefix_never_reach_the_api_routes() -> None:
    client = TestClient(_app())
    asked.clear()
    assert client.get("/people/ann").json() == {"page": "ann"}
    assert client.get("/api/v1x").json() == {"page": "beside"}
    assert client.get("/nowhere").status_code == 404
    # where FastAPI keeps included routers (0.16x) the guard spares the API's routes;
    # where it copies their routes into the app, they are asked as before
    if hasattr(fastapi.routing, "_IncludedRouter"):
        assert asked == []
    assert client.get("/api/v1/people/ann").json() == {"api": "people/ann"}
    assert client.get("/api/v1/").json() == {"api": ""}
    assert "/api/v1/people/ann" in asked

