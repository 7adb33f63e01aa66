"""A router that turns away, at once, every path outside its prefix.

FastAPI 0.16x keeps an included router's routes inside it and matches a request against
them one by one, twice (to choose, then to handle), at about 3 µs a route: every web
page paid for the REST API's 206 routes before its own (3 ms of a 13 ms person page,
bench/RESULTS.md). None of those routes can match a path outside /api/v1, so the API's
router says "no match" for such a path without asking them. Where FastAPI copies an
included router's routes into the app instead (older versions), this is never asked
and changes nothing."""

from __future__ import annotations

from fastapi import APIRouter
from starlette._utils import get_route_path  # what FastAPI's own routes match against
from starlette.routing import Match
from starlette.types import Scope


class PrefixRouter(APIRouter):
    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = get_route_path(scope)
        if self.prefix and not (path == self.prefix or path.startswith(self.prefix + "/")):
            return Match.NONE, {}
        return super().matches(scope)
