"""Web pages for the craft of networking (docs/networking-craft.md): a person's
one-page brief (phone-sized and printable), and /craft: the pitch bank, the story bank
and targets, each with a form to add one, and the events of the next 30 days with
their plans. Forms carry the CSRF token; on an error the
page comes back with the message next to the field and what was typed kept."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from kithbook.errors import KithbookError
from kithbook.services.app import Services
from kithbook.web.app import html, services
from kithbook.web.pages_forms import Form, _local

router = APIRouter(include_in_schema=False)
Svc = Annotated[Services, Depends(services)]
PRIORITIES = ("high", "medium", "low")


@router.get("/people/{person}/brief")
def brief(request: Request, person: str, svc: Svc) -> Response:
    return html(request, "brief.html", {"b": svc.briefs.brief(person)})


def _craft(request: Request, svc: Services, *, form: str | None = None,
           values: dict[str, str] | None = None, errors: dict[str, str] | None = None,
           saved: str | None = None, status: int = 200) -> Response:
    context: dict[str, Any] = {
        "pitches": svc.pitches.list().items,
        "stories": svc.stories.list().items,
        "targets": svc.research.targets(status="open").items,
        "events": svc.research.events(days=30).items,
        "thanks_loop": svc.referrals.loop().items,
        "priorities": PRIORITIES,
        "form": form, "v": values or {}, "errors": errors or {}, "saved": saved,
    }
    return html(request, "craft.html", context, status=status)


@router.get("/craft")
def craft(request: Request, svc: Svc,
          saved: Annotated[str | None, Query(max_length=300)] = None) -> Response:
    return _craft(request, svc, saved=saved)


def _values(form: dict[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in form.items() if k != "csrf_token"}


def _failed(request: Request, svc: Services, which: str, values: dict[str, str],
            exc: KithbookError, default: str) -> Response:
    field = f"{which}_{getattr(exc, 'field', None) or default}"
    return _craft(request, svc, form=which, values=values, errors={field: str(exc)},
                  status=exc.http_status)


def _done(anchor: str, what: str) -> Response:
    return RedirectResponse(f"/craft?{urlencode({'saved': what})}#{anchor}", status_code=303)


@router.post("/craft/pitches")
def add_pitch(request: Request, svc: Svc, form: Form) -> Response:
    v = _values(form)
    try:
        p = svc.pitches.add(v.get("name", ""), v.get("audience", ""), v.get("text", ""),
                            goal=v.get("goal") or None)
    except KithbookError as exc:
        return _failed(request, svc, "pitch", v, exc, "name")
    return _done("pitches", f"pitch '{p.name}' ({p.seconds} s)")


@router.post("/craft/stories")
def add_story(request: Request, svc: Svc, form: Form) -> Response:
    v = _values(form)
    try:
        s = svc.stories.add(v.get("title", ""), v.get("text", ""),
                            theme=v.get("theme") or None, audience=v.get("audience") or None)
    except KithbookError as exc:
        return _failed(request, svc, "story", v, exc, "title")
    return _done("stories", f"story '{s.name}' ({s.seconds} s)")


@router.post("/craft/targets")
def add_target(request: Request, svc: Svc, form: Form) -> Response:
    v = _values(form)
    try:
        t = svc.research.add_target(v.get("who", ""), person=not v.get("kind"),
                                    why=v.get("why") or None,
                                    priority=v.get("priority") or None,
                                    how=v.get("how") or None)
    except KithbookError as exc:
        return _failed(request, svc, "target", v, exc, "who")
    return _done("targets", f"target '{t.name}'")


@router.post("/craft/targets/{target}/status")
def target_status(target: str, svc: Svc, form: Form) -> Response:
    t = svc.research.set_target_status(target, str(form.get("status", "met")))
    return _done("targets", f"target '{t.name}' {t.status}")


@router.post("/craft/referrals/{referral}/{step}")
def referral_step(referral: str, step: str, svc: Svc, form: Form) -> Response:
    """The thank-you loop from the agenda or /craft: thanked, or reported back."""
    if step == "thanked":
        svc.referrals.thank(referral)
    elif step == "reported":
        svc.referrals.reported(referral)
    else:
        from kithbook.errors import NotFound

        raise NotFound("there is nothing at this address.")
    return RedirectResponse(_local(str(form.get("next", "/craft"))), status_code=303)
