"""The calendar feed at /feeds/<token>.ics: the same events as `kithbook export ics`.

The token is 256 bits from `secrets`, kept in the `meta` table under "feed_token",
compared in constant time, and rotatable (`kithbook serve --rotate-feed-token` or
`kithbook feed-token --rotate`); the old URL stops working at once."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from kithbook.errors import NotFound
from kithbook.services.app import Services
from kithbook.services.feeds import (  # noqa: F401 - re-exported for callers
    META_KEY,
    feed_token,
    rotate_feed_token,
    token_matches,
)
from kithbook.web.app import services

router = APIRouter()


def calendar_bytes(svc: Services) -> bytes:
    """Whatever `kithbook export ics` writes."""
    return svc.transfer.export_bytes("ics")


@router.get("/feeds/{name}", include_in_schema=False)
def feed(name: str, svc: Annotated[Services, Depends(services)]) -> Response:
    token = name.removesuffix(".ics")
    if not name.endswith(".ics") or not token_matches(svc, token):
        raise NotFound("there is no calendar feed at this address.",
                       hint="The feed address changes when its token is rotated.")
    return Response(
        calendar_bytes(svc),
        media_type="text/calendar; charset=utf-8",
        headers={"content-disposition": 'inline; filename="kithbook.ics"'},
    )
