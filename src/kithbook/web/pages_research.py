"""Web pages for research (key 1) and honesty (key 5) (docs/networking-craft.md):
/craft/research lists targets, events with their plan (and, apart, past events, most
recent first, with whom I met there) and research notes with their sources, each with
a form to add one; /craft/honesty lists the claims people made with
their verdict and source (set it there), what I told whom with the conflict warnings,
and one person's reliability. Forms post to the services, carry the CSRF token, and on
an error come back with the message next to the field and what was typed kept."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from kithbook.domain.research import ATTENDEE_ROLES, EVENT_KINDS, TARGET_STATUSES
from kithbook.errors import KithbookError
from kithbook.services.app import Services
from kithbook.services.craft_honesty import CLAIM_STATUSES
from kithbook.web.app import html, services
from kithbook.web.craft_forms import after_save, error_at, status_of, values
from kithbook.web.pages_forms import Form

router = APIRouter(include_in_schema=False)
Svc = Annotated[Services, Depends(services)]
Opt = Annotated[str | None, Query(max_length=300)]
PRIORITIES = ("high", "medium", "low")
NOTES = 100
PAST_EVENTS = 20  # the most recent; `kithbook event list --past` lists them all

# -- research -----------------------------------------------------------------------------


def _research(request: Request, svc: Services, *, status: str = "open",
              form: str | None = None, v: dict[str, str] | None = None,
              errors: dict[str, str] | None = None, done: str | None = None,
              code: int = 200) -> Response:
    shown = status if status in TARGET_STATUSES else None
    context: dict[str, Any] = {
        "targets": svc.research.targets(status=shown).items, "status": shown or "all",
        "statuses": TARGET_STATUSES, "events": svc.research.events(days=90).items,
        "past": svc.research.events(past=True).items[:PAST_EVENTS],
        "notes": svc.research.notes().items[:NOTES],
        "priorities": PRIORITIES, "event_kinds": EVENT_KINDS, "roles": ATTENDEE_ROLES,
        "form": form, "v": v or {}, "errors": errors or {}, "saved": done,
        "today": svc.today}
    return html(request, "craft_research.html", context, status=code)


@router.get("/craft/research")
def research(request: Request, svc: Svc, status: Opt = None, saved: Opt = None) -> Response:
    return _research(request, svc, status=status or "open", done=saved)


def _research_failed(request: Request, svc: Services, which: str, v: dict[str, str],
                     exc: KithbookError, fields: tuple[str, ...]) -> Response:
    return _research(request, svc, form=which, v=v, code=status_of(exc),
                     errors={error_at(which, exc, fields, fields[0]): str(exc)})


@router.post("/craft/research/targets")
def research_target(request: Request, svc: Svc, form: Form) -> Response:
    v = values(form)
    try:
        t = svc.research.add_target(v.get("who", ""), person=not v.get("kind"),
                                    why=v.get("why") or None,
                                    priority=v.get("priority") or None,
                                    how=v.get("how") or None, org=v.get("org") or None)
    except KithbookError as exc:
        return _research_failed(request, svc, "target", v, exc,
                                ("who", "why", "priority", "how", "org"))
    return after_save("/craft/research", f"target '{t.name}'", "targets")


@router.post("/craft/research/events")
def research_event(request: Request, svc: Svc, form: Form) -> Response:
    v = values(form)
    try:
        on = svc.dates.day(v.get("on", ""), field="on")
        if on is None:
            from kithbook.errors import InvalidInput

            raise InvalidInput("on which day? (2026-12-03, friday, +7d)", field="on")
        e = svc.research.add_event(v.get("name", ""), on, kind=v.get("kind") or "other",
                                   at=v.get("at") or None, place=v.get("place") or None,
                                   url=v.get("url") or None)
    except KithbookError as exc:
        return _research_failed(request, svc, "event", v, exc,
                                ("name", "on", "kind", "at", "place", "url"))
    return after_save("/craft/research", f"event '{e.name}' on {e.on_date.isoformat()}",
                 f"event-{e.id}")


@router.post("/craft/research/events/{event}/attendees")
def research_attend(request: Request, event: str, svc: Svc, form: Form) -> Response:
    v = {**values(form), "event": event}
    try:
        rank = int(v["rank"]) if v.get("rank", "").strip().isdigit() else None
        e = svc.research.attend(event, v.get("person", ""), role=v.get("role") or "attendee",
                                plan=bool(v.get("plan")), rank=rank,
                                via=v.get("via") or None, opener=v.get("opener") or None)
    except KithbookError as exc:
        return _research_failed(request, svc, f"attend-{event}", v, exc,
                                ("person", "role", "rank", "via", "opener"))
    return after_save("/craft/research", f"{v.get('person', '').strip()} on '{e.name}'",
                 f"event-{e.id}")


@router.post("/craft/research/events/{event}/met")
def research_met(event: str, svc: Svc, form: Form) -> Response:
    e = svc.research.met_at(event, str(form.get("person", "")))
    return after_save("/craft/research", f"met at '{e.name}'", f"event-{e.id}")


@router.post("/craft/research/notes")
def research_note(request: Request, svc: Svc, form: Form) -> Response:
    v = values(form)
    try:
        n = svc.research.add_note(v.get("about", ""), v.get("text", ""),
                                  sources=[v.get("sources", "")])
    except KithbookError as exc:
        return _research_failed(request, svc, "note", v, exc, ("about", "text", "sources"))
    return after_save("/craft/research", f"research note '{n.name}'", "notes")


# -- honesty ------------------------------------------------------------------------------


def _honesty(request: Request, svc: Services, *, person: str | None = None,
             status: str | None = None, form: str | None = None,
             v: dict[str, str] | None = None, errors: dict[str, str] | None = None,
             done: str | None = None, warnings: list[Any] | None = None,
             code: int = 200) -> Response:
    who = svc.people.resolve(person) if person else None
    chosen = status if status in CLAIM_STATUSES else None
    context: dict[str, Any] = {
        "who": who, "person": person or "", "status": chosen or "",
        "statuses": CLAIM_STATUSES,
        "claims": svc.honesty.claims(who.id if who else None, status=chosen).items,
        "told": svc.honesty.told(who.id if who else None).items,
        "conflicts": svc.honesty.conflicts().items,
        "reliability": svc.agenda.reliability(who.id) if who else None,
        "form": form, "v": v or {}, "errors": errors or {}, "saved": done,
        "warnings": warnings or []}
    return html(request, "craft_honesty.html", context, status=code)


@router.get("/craft/honesty")
def honesty(request: Request, svc: Svc, person: Opt = None, status: Opt = None,
            saved: Opt = None) -> Response:
    return _honesty(request, svc, person=person or None, status=status, done=saved)


def _honesty_failed(request: Request, svc: Services, which: str, v: dict[str, str],
                    exc: KithbookError, fields: tuple[str, ...]) -> Response:
    person = v.get("back") or None
    return _honesty(request, svc, person=person, form=which, v=v, code=status_of(exc),
                    errors={error_at(which, exc, fields, fields[0]): str(exc)})


@router.post("/craft/honesty/claims")
def honesty_claim(request: Request, svc: Svc, form: Form) -> Response:
    v = values(form)
    try:
        on = svc.dates.day(v.get("on", ""), field="on", past=True)
        c = svc.honesty.claim(v.get("person", ""), v.get("text", ""),
                              topic=v.get("topic") or None, on=on,
                              status=v.get("status") or "unknown",
                              source=v.get("source") or None)
    except KithbookError as exc:
        return _honesty_failed(request, svc, "claim", v, exc,
                               ("person", "text", "topic", "on", "status", "source"))
    return after_save("/craft/honesty", f"claim '{c.name}' by {c.person.name}", "claims",
                 person=v.get("back", ""))


@router.post("/craft/honesty/claims/{claim}/check")
def honesty_check(request: Request, claim: str, svc: Svc, form: Form) -> Response:
    v = values(form)
    try:
        c = svc.honesty.check_claim(claim, v.get("status", ""),
                                    source=v.get("source") or None)
    except KithbookError as exc:
        return _honesty_failed(request, svc, f"check-{claim}", v, exc, ("status", "source"))
    return after_save("/craft/honesty", f"'{c.name}' is {c.status}", f"claim-{c.id}",
                 person=v.get("back", ""))


@router.post("/craft/honesty/told")
def honesty_told(request: Request, svc: Svc, form: Form) -> Response:
    v = values(form)
    try:
        on = svc.dates.day(v.get("on", ""), field="on", past=True)
        r = svc.honesty.said(v.get("person", ""), v.get("topic", ""), v.get("text", ""),
                             value=v.get("value") or None, on=on)
    except KithbookError as exc:
        return _honesty_failed(request, svc, "told", v, exc,
                               ("person", "topic", "text", "value", "on"))
    if r.conflicts:  # the warning, at once, on the page (the statement is kept)
        return _honesty(request, svc, person=v.get("back") or None, warnings=r.conflicts,
                        done=f"what you told {r.statement.person.name} about "
                             f"{r.statement.topic}")
    return after_save("/craft/honesty", f"what you told {r.statement.person.name} about "
                 f"{r.statement.topic}", "told", person=v.get("back", ""))


@router.post("/craft/honesty/told/{statement}/withdraw")
def honesty_withdraw(statement: str, svc: Svc, form: Form) -> Response:
    s = svc.honesty.withdraw(statement)
    return after_save("/craft/honesty", f"withdrawn: '{s.name}'", "told",
                 person=str(form.get("back", "")))
