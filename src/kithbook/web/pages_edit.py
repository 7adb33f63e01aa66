"""Editing a person from the browser, moving them to the trash and undoing it, and the
quick agenda actions (in touch today, snooze)."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from kithbook.domain.models import STAGES, TIERS
from kithbook.errors import KithbookError
from kithbook.web.app import html
from kithbook.web.pages_forms import Form, Svc, names

router = APIRouter(include_in_schema=False)


def _values(person: Any) -> dict[str, str]:
    role = person.current_role
    return {
        "name": person.name,
        "org": role.org_name if role else "",
        "title": (role.title or "") if role else "",
        "tier": person.tier or "",
        "stage": person.stage or "",
        "cadence": str(person.cadence_days or ""),
        "how_met": person.how_met or "",
        "tags": ", ".join(person.tags),
        "email": "",
        "phone": "",
    }


def _page(request: Request, person: Any, values: dict[str, str], errors: dict[str, str],
          status: int = 200) -> Response:
    return html(request, "person_edit.html", {
        "p": person, "v": values, "errors": errors, "tiers": TIERS, "stages": STAGES,
    }, status=status)


@router.get("/people/{person}/edit")
def edit_form(request: Request, person: str, svc: Svc) -> Response:
    found = svc.people.resolve(person)
    return _page(request, found, _values(found), {})


@router.post("/people/{person}/edit")
def edit_submit(request: Request, person: str, svc: Svc, form: Form) -> Response:
    found = svc.people.resolve(person)
    values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    before = set(found.tags)
    after = set(names(values.get("tags", "").lower()))
    org = values.get("org", "").strip()
    current_org = found.current_role.org_name if found.current_role else ""
    title = values.get("title", "").strip()
    try:
        svc.people.edit(
            found,
            name=values.get("name", "").strip() or None,
            emails=names(values.get("email", "")),
            phones=names(values.get("phone", "")),
            org=org if org and (org != current_org or title) else None,
            title=title or None,
            tier=values.get("tier", ""),
            stage=values.get("stage", ""),
            cadence=values.get("cadence", "").strip() or "default",
            how_met=values.get("how_met", ""),
            add_tags=sorted(after - before),
            remove_tags=sorted(before - after),
        )
    except KithbookError as exc:
        field = getattr(exc, "field", None) or "name"
        errors = {field: str(exc)}
        return _page(request, found, values, errors, status=exc.http_status)
    return RedirectResponse(f"/people/{found.id}", status_code=303)


@router.post("/people/{person}/delete")
def delete(request: Request, person: str, svc: Svc, form: Form) -> Response:
    result = svc.trash.delete(person)
    return html(request, "trashed.html", {"r": result})


@router.post("/undo/{batch}")
def undo(request: Request, batch: str, svc: Svc, form: Form) -> Response:
    result = svc.history.undo(batch)
    back = str(form.get("back") or "")
    # only a page of this site: an open redirect would let a link send you anywhere
    if not re.fullmatch(r"/[A-Za-z0-9_/-]*", back) or back.startswith("//"):
        back = ""
    return html(request, "trashed.html", {"r": None, "undone": result, "back": back})


@router.post("/people/{person}/touched")
def touched(request: Request, person: str, svc: Svc, form: Form) -> Response:
    svc.agenda.touched(person)
    return RedirectResponse("/", status_code=303)


@router.post("/people/{person}/snooze")
def snooze(request: Request, person: str, svc: Svc, form: Form) -> Response:
    svc.agenda.snooze(person, str(form.get("duration") or "2w"))
    return RedirectResponse("/", status_code=303)
