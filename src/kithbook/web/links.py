"""The private response page at /r/<token> (docs/private-links.md): no login, no
navigation, nothing but the one question the link was made for."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from kithbook.errors import InvalidInput, KithbookError
from kithbook.services.app import Services
from kithbook.web.app import html, services
from kithbook.web.pages_forms import form_data

router = APIRouter(include_in_schema=False)
Svc = Annotated[Services, Depends(services)]
NOINDEX = {"x-robots-tag": "noindex, nofollow"}


def _page(request: Request, token: str, view: Any, *, form: dict[str, Any] | None = None,
          error: KithbookError | None = None, done: str | None = None,
          status: int = 200) -> Response:
    resp = html(request, "link.html", {"view": view, "token": token, "form": form or {},
                                       "error": error, "done": done}, status)
    resp.headers.update(NOINDEX)
    return resp


@router.get("/r/{token}")
def link_page(request: Request, token: str, svc: Svc) -> Response:
    return _page(request, token, svc.links.view(token))


@router.post("/r/{token}")
def link_answer(request: Request, token: str, svc: Svc,
                form: Annotated[dict[str, Any], Depends(form_data)]) -> Response:
    view = svc.links.view(token)
    if view.answered_at is not None:  # a second submission: show the first answer's note
        return _page(request, token, view, status=409)
    fields = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    try:
        result = svc.links.answer(token, fields)
    except InvalidInput as exc:
        return _page(request, token, view, form=fields, error=exc, status=422)
    return _page(request, token, svc.links.view(token), done=result.name)
