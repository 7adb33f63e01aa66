"""What the craft pages' forms share (docs/networking-craft.md, "Web pages"): the
typed values, the field an error belongs next to, the redirect after a save."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from fastapi.responses import RedirectResponse, Response

from kithbook.errors import KithbookError


def values(form: dict[str, Any]) -> dict[str, str]:
    """What was typed, to show again on an error (the token left out)."""
    return {k: str(v) for k, v in form.items() if k != "csrf_token"}


def error_at(which: str, exc: KithbookError, fields: Sequence[str], default: str) -> str:
    """`which_field`: the form's field the error names, or `default` for one that the
    form does not show (the message then sits at its first field)."""
    field = getattr(exc, "field", None)
    return f"{which}_{field if field in fields else default}"


def after_save(path: str, what: str, anchor: str = "", **query: str) -> Response:
    """After a save: back to the page (a 303), saying what was saved."""
    params = urlencode({**{k: v for k, v in query.items() if v}, "saved": what})
    return RedirectResponse(f"{path}?{params}{'#' + anchor if anchor else ''}",
                            status_code=303)


def status_of(exc: KithbookError) -> int:
    return exc.http_status if exc.http_status < 500 else 422
