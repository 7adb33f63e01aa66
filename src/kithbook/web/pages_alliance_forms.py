"""The alliance page's forms (docs/alliance-management.md, "In the browser"): start an alliance,
and on its page everything an owner records from explore to terminate: the record's
fields, partners with sponsors and contacts, goals and the other side's verdicts, joint
activities with their RACI row, objectives and measurements, contributions, forums,
meetings, decisions and action items (and closing them), documents and obligations,
the exit plan.

Each form is a thin adapter over one use case (the same as `kithbook ally ...` and the
REST API): it reads the fields, calls the service, and goes back to the page (saying
what was saved where the page would not show it at a glance), or shows the page again
with the service's message when the input is refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from kithbook.domain.alliances.facts import TYPES
from kithbook.domain.alliances.records import Goal
from kithbook.errors import InvalidInput, KithbookError, NotFound
from kithbook.services.alliance_measures import NewObjective
from kithbook.services.alliance_work import NewMeeting, RaciAssignment
from kithbook.services.alliances import AllianceChanges, NewAlliance
from kithbook.services.app import Services
from kithbook.web.app import html, services
from kithbook.web.pages_alliances import alliance_error
from kithbook.web.pages_forms import form_data, names

router = APIRouter(include_in_schema=False)
Svc = Annotated[Services, Depends(services)]
Form = Annotated[dict[str, Any], Depends(form_data)]
RACI_ROWS = 4  # cells offered by the activity form


def _text(form: dict[str, Any], name: str) -> str | None:
    value = str(form.get(name) or "").strip()
    return value or None


def _day(svc: Services, form: dict[str, Any], name: str) -> date | None:
    raw = _text(form, name)
    return svc.dates.day(raw, field=name) if raw else None


def _int(form: dict[str, Any], name: str) -> int | None:
    raw = _text(form, name)
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput(f"{name.replace('_', ' ')} is a whole number, not '{raw}'.",
                           field=name) from None


def _required(form: dict[str, Any], name: str) -> str:
    return str(form.get(name) or "")


# -- starting an alliance -----------------------------------------------------------


@router.get("/alliances/new")
def new_alliance_form(request: Request, svc: Svc) -> Response:
    return html(request, "alliance_new.html", {"form": {}, "error": None,
                                               "types": _types()})


def _types() -> list[tuple[str, str]]:
    return [(t, t.replace("_", " ")) for t in TYPES]


@router.post("/alliances/new")
def create_alliance(request: Request, svc: Svc, form: Form) -> Response:
    try:
        made = svc.alliances.create(NewAlliance(
            _required(form, "name"), type=_text(form, "type"), purpose=_text(form, "purpose"),
            rationale=_text(form, "rationale"), us=_text(form, "us"),
            partners=names(str(form.get("partners") or "")),
            started_on=_day(svc, form, "started_on"),
            planned_end_on=_day(svc, form, "planned_end_on"),
            notice_days=_int(form, "notice_days"), decision_on=_day(svc, form, "decision_on")))
    except KithbookError as exc:
        return html(request, "alliance_new.html", {"form": form, "error": exc,
                                                   "types": _types()},
                    exc.http_status if exc.http_status < 500 else 422)
    return RedirectResponse(f"/alliances/{made.id}", status_code=303)


# -- the forms on the alliance page -------------------------------------------------


def _edit(svc: Services, alliance: str, f: dict[str, Any]) -> str:
    svc.alliances.edit(alliance, AllianceChanges(
        type=_text(f, "type"), purpose=_text(f, "purpose"), rationale=_text(f, "rationale"),
        planned_end_on=_day(svc, f, "planned_end_on"), notice_days=_int(f, "notice_days"),
        decision_on=_day(svc, f, "decision_on"), termination_code=_text(f, "termination_code"),
        termination_reason=_text(f, "termination_reason"), lessons=_text(f, "lessons")))
    return "record"


def _partner(svc: Services, alliance: str, f: dict[str, Any]) -> str:
    svc.alliances.add_partner(alliance, _required(f, "org"), sponsor=_text(f, "sponsor"),
                              contacts=names(str(f.get("contacts") or "")),
                              role=_text(f, "role"), us=bool(f.get("us")))
    return "partners"


def _goal(svc: Services, alliance: str, f: dict[str, Any]) -> str:
    svc.alliance_work.add_goal(alliance, _required(f, "partner"), _required(f, "text"),
                               kpi=_text(f, "kpi"), direction=_text(f, "direction"))
    return "goals"


def _confirm(svc: Services, alliance: str, f: dict[str, Any]) -> str:
    done = svc.alliance_work.confirm(alliance, _required(f, "item"), _required(f, "partner"),
                                     _required(f, "verdict"), comment=_text(f, "comment"))
    return "goals" if isinstance(done, Goal) else "decisions"


def _activity(svc: Services, alliance: str, f: dict[str, Any]) -> str:
    cells = [RaciAssignment(str(f[f"partner_{i}"]), _required(f, f"letters_{i}"),
                            _text(f, f"person_{i}"))
             for i in range(1, RACI_ROWS + 1)
             if _text(f, f"partner_{i}") and _text(f, f"letters_{i}")]
    svc.alliance_work.add_activity(alliance, _required(f, "name"),
                                   objective=_text(f, "objective"),
                                   obligation=_text(f, "obligation"), raci=cells)
    return "raci"


def _objective(svc: Services, alliance: str, f: dict[str, Any]) -> str:
    svc.alliance_measures.add_objective(alliance, NewObjective(
        _required(f, "name"), metric=_text(f, "metric"), unit=_text(f, "unit"),
        baseline=_text(f, "baseline"), target=_text(f, "target"),
        start_on=_day(svc, f, "start_on"), deadline=_day(svc, f, "deadline"),
        owner=_text(f, "owner"), weight=_int(f, "weight") or 1, goal=_text(f, "goal")))
    return "objectives"


def _measure(svc: Services, alliance: str, f: dict[str, Any]) -> str:
    svc.alliance_measures.measure(alliance, _required(f, "objective"), _required(f, "value"),
                                  on=_day(svc, f, "on"))
    return "objectives"


def _contribute(svc: Services, alliance: str, f: dict[str, Any]) -> str:
    svc.alliance_measures.contribute(alliance, _required(f, "partner"), _required(f, "kind"),
                                     _required(f, "amount"), stage=_text(f, "stage"),
                                     rate=_text(f, "rate"), description=_text(f, "description"))
    return "ledger"


def _forum(svc: Services, alliance: str, f: dict[str, Any]) -> str:
    svc.alliance_work.add_forum(alliance, _required(f, "name"), _required(f, "cadence"),
                                layer=_text(f, "layer"))
    return "forums"


def _meeting(svc: Services, alliance: str, f: dict[str, Any]) -> str:
    svc.alliance_work.log_meeting(alliance, NewMeeting(
        with_people=names(str(f.get("with") or "")), forum=_text(f, "forum"),
        summary=_text(f, "summary"), minutes=_text(f, "minutes")))
    return "meetings"


def _decision(svc: Services, alliance: str, f: dict[str, Any]) -> str:
    svc.alliance_work.record_decision(alliance, _required(f, "text"), kind=_text(f, "kind"),
                                      partner=_text(f, "partner") or "us",
                                      outcome=_text(f, "outcome"))
    return "decisions"


def _action(svc: Services, alliance: str, f: dict[str, Any]) -> str:
    svc.alliance_work.add_action(alliance, _required(f, "what"), _required(f, "owner"),
                                 due=_day(svc, f, "due"), decision=_text(f, "decision"))
    return "actions"


def _action_done(svc: Services, alliance: str, f: dict[str, Any]) -> tuple[str, str]:
    """An action item is a promise: closing it is the promise's own use case (the same
    as `kithbook done ID`), one journaled change that undo reverses. Only an item of
    this alliance closes here, so a stale or edited form cannot close another promise."""
    wanted = _required(f, "item")
    item = next((x for x in svc.alliance_work.actions(alliance) if x.id == wanted), None)
    if item is None:
        raise NotFound("no such action item in this alliance.", field="item")
    svc.promises.close(item.id, "done")
    return "actions", f"“{item.name}” ({item.owner.name}) is done"


def _document(svc: Services, alliance: str, f: dict[str, Any]) -> str:
    svc.alliances.add_document(alliance, _required(f, "title"), _required(f, "location"),
                               kind=_text(f, "kind"))
    return "documents"


def _obligation(svc: Services, alliance: str, f: dict[str, Any]) -> str:
    svc.alliance_work.add_obligation(alliance, _required(f, "text"),
                                     partner=_text(f, "partner"), kind=_text(f, "kind"),
                                     due_on=_day(svc, f, "due_on"))
    return "obligations"


def _obligation_done(svc: Services, alliance: str, f: dict[str, Any]) -> str:
    svc.alliance_work.close_obligation(alliance, _required(f, "obligation"))
    return "obligations"


def _exit_item(svc: Services, alliance: str, f: dict[str, Any]) -> str:
    svc.alliance_work.add_exit_item(alliance, _required(f, "kind"), _required(f, "text"),
                                    partner=_text(f, "partner"))
    return "exit"


def _exit_done(svc: Services, alliance: str, f: dict[str, Any]) -> str:
    svc.alliance_work.close_exit_item(alliance, _required(f, "item"))
    return "exit"


# what -> the use case; each returns the page section to come back to, and may add
# what was saved for the confirmation on top of the page
Handler = Callable[[Services, str, dict[str, Any]], str | tuple[str, str]]
FORMS: dict[str, Handler] = {
    "edit": _edit, "partner": _partner, "goal": _goal, "confirm": _confirm,
    "activity": _activity, "objective": _objective, "measure": _measure,
    "contribute": _contribute, "forum": _forum, "meeting": _meeting,
    "decision": _decision, "action": _action, "action-done": _action_done,
    "document": _document,
    "obligation": _obligation, "obligation-done": _obligation_done,
    "exit-item": _exit_item, "exit-done": _exit_done,
}


@router.post("/alliances/{alliance}/do/{what}")
def alliance_form(request: Request, alliance: str, what: str, svc: Svc,
                  form: Form) -> Response:
    handler = FORMS.get(what)
    if handler is None:
        raise NotFound(f"no alliance form '{what}'.")
    try:
        with svc.one_change(f"ally {what.replace('-', ' ')}") as change:
            done = handler(svc, alliance, form)
    except KithbookError as exc:
        return alliance_error(request, svc, alliance, exc)
    section, saved = done if isinstance(done, tuple) else (done, "")
    # what the page confirms comes with an Undo of exactly that change
    query = f"?{urlencode({'saved': saved, 'undo': change})}" if saved else ""
    return RedirectResponse(f"/alliances/{svc.alliances.get(alliance).id}{query}#{section}",
                            status_code=303)
