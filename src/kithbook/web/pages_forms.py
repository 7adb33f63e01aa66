"""HTML forms: quick capture, add a person, notes, import with preview, and the
name autocomplete. Every form carries the CSRF token; on an error the form comes back
with the message next to the field and everything typed still in place."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kithbook.domain.models import CHANNELS, STAGES, TIERS
from kithbook.errors import Ambiguous, InvalidInput, KithbookError, NotFound
from kithbook.services.app import Services
from kithbook.services.interactions import NewInteraction, NewPromise
from kithbook.services.people import NewPerson
from kithbook.web import security
from kithbook.web.app import html, services
from kithbook.web.pending import PendingImports

router = APIRouter(include_in_schema=False)
Svc = Annotated[Services, Depends(services)]


async def form_data(request: Request) -> dict[str, Any]:
    """The submitted form, after checking its CSRF token (403 otherwise)."""
    form = await request.form()
    given = form.get("csrf_token") or request.headers.get("x-csrf-token")
    if not security.token_ok(request.app.state.secret, str(given) if given else None):
        raise KithbookForbidden()
    return {k: v for k, v in form.multi_items()}


class KithbookForbidden(KithbookError):
    http_status = 403
    code = "bad_csrf_token"

    def __init__(self) -> None:
        super().__init__(
            "this form has expired or did not come from Kithbook.",
            hint="Reload the page and submit it again.",
        )


Form = Annotated[dict[str, Any], Depends(form_data)]


def field_of(exc: KithbookError, default: str) -> str:
    if isinstance(exc, (NotFound, Ambiguous)):
        return "with"
    field = getattr(exc, "field", None) or default
    return {"person": "with", "to": "with", "with_people": "with", "from_": "with",
            "what": "text", "body": "text", "summary": "text", "name": "name"}.get(field, field)


def names(raw: str) -> list[str]:
    return [n.strip() for n in raw.replace(";", ",").split(",") if n.strip()]


def _date(svc: Services, raw: str, field: str) -> date | None:
    """What was typed in a date field (`friday`, `+3d`, `31/12`, ISO): services/dates.py."""
    return svc.dates.day(raw, field=field)


# -- autocomplete -------------------------------------------------------------------


@router.get("/suggest/people")
def suggest_people(
    request: Request,
    svc: Svc,
    q: Annotated[str, Query(max_length=300)] = "",
    with_: Annotated[str, Query(alias="with", max_length=300)] = "",
) -> Response:
    """<option>s for a datalist. For "Ann, Bo" it suggests "Ann, Bob Smith": the list
    being typed stays intact and only the last name is completed."""
    typed = q or with_
    head, _, last = typed.rpartition(",")
    prefix = (head + ", ") if head else ""
    options: list[str] = []
    if last.strip():
        found = svc.people.list(name_prefix=last.strip(), limit=8).items
        options = [prefix + p.name for p in found]
    return html(request, "_options.html", {"options": options})


# -- quick capture ------------------------------------------------------------------


def _capture_context(values: dict[str, Any], errors: dict[str, str],
                     candidates: list[Any] | None = None, done: Any = None) -> dict[str, Any]:
    return {"v": values, "errors": errors, "channels": CHANNELS, "candidates": candidates or [],
            "done": done}


@router.get("/capture")
def capture_form(
    request: Request, with_: Annotated[str, Query(alias="with", max_length=300)] = ""
) -> Response:
    values = {"kind": "interaction", "with": with_, "channel": "meeting"}
    return html(request, "capture.html", _capture_context(values, {}))


@router.post("/capture")
def capture(request: Request, svc: Svc, form: Form) -> Response:
    """One form, one change (docs/quick-capture.md): the conversation with its implicit
    contract, and promises both ways, saved together so one Undo reverses it all."""
    values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    kind = values.get("kind", "interaction")
    text = values.get("text", "").strip()
    who = names(values.get("with", ""))
    try:
        if not who:
            raise InvalidInput("who was it with? Type a name.", field="with")
        if kind not in ("interaction", "promise", "note"):
            raise InvalidInput("choose interaction, promise or note.", field="kind")
        # resolved once here; the record itself is handed on, never its name again
        first = svc.people.resolve(who[0])
        if kind == "note":
            svc.people.add_note(first, text)
            return RedirectResponse(f"/people/{first.id}?saved=note#notes", status_code=303)
        promises = _promises(svc, values, kind, text)
        done = svc.interactions.capture(
            NewInteraction(
                with_people=[first, *who[1:]], channel=values.get("channel") or None,
                when=svc.dates.moment(values.get("when", ""), field="when"),
                summary=text or None, they_want=values.get("they_want") or None,
                i_want=values.get("i_want") or None,
                agreed=[a for a in values.get("agreed", "").splitlines() if a.strip()],
                next_step=values.get("next_step") or None,
            ),
            promises, log=kind == "interaction",
            agreed_promises=bool(values.get("agreed_promises")),
        )
    except KithbookError as exc:
        errors = {field_of(exc, "text"): str(exc)}
        cands = exc.candidates if isinstance(exc, Ambiguous) else None
        return html(request, "capture.html", _capture_context(values, errors, cands),
                    status=exc.http_status)
    query = urlencode({"saved": done.id, "what": done.name})
    return RedirectResponse(f"/people/{first.id}?{query}", status_code=303)


def _promises(svc: Services, values: dict[str, str], kind: str,
              text: str) -> list[NewPromise]:
    """The promise fields, both ways; an old-style "a promise" (the text, a direction
    and `due`) still works. A due date without its promise is an error, never dropped."""
    out: list[NewPromise] = []
    for field, mine in (("i_owe", True), ("they_owe", False)):
        what = values.get(field, "").strip()
        due = _date(svc, values.get(field + "_due", ""), field + "_due")
        if due and not what:
            raise InvalidInput(f"a due date needs the promise: what {'do I' if mine else 'do they'}"
                               " owe?", field=field + "_due")
        if what:
            out.append(NewPromise(what, mine=mine, due=due))
    due = _date(svc, values.get("due", ""), "due")
    # "only a promise", or the old single Due field under "We talked": the text is it
    if (kind == "promise" and not out) or due:
        if due and not text:
            raise InvalidInput("a due date needs the promise: what was promised?", field="due")
        out.append(NewPromise(text, mine=values.get("direction") != "theirs", due=due))
    return out


# -- people and notes ---------------------------------------------------------------


@router.get("/people/new")
def new_person_form(request: Request) -> Response:
    return html(request, "person_new.html",
                {"v": {}, "errors": {}, "tiers": TIERS, "stages": STAGES})


@router.post("/people/new")
def new_person(request: Request, svc: Svc, form: Form) -> Response:
    values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    try:
        person = svc.people.add(NewPerson(
            name=values.get("name", ""),
            emails=names(values.get("email", "")),
            phones=names(values.get("phone", "")),
            org=values.get("org") or None,
            title=values.get("title") or None,
            tier=values.get("tier") or None,
            stage=values.get("stage") or None,
            how_met=values.get("how_met") or None,
            tags=names(values.get("tags", "")),
            note=values.get("note") or None,
        ))
    except KithbookError as exc:
        field = getattr(exc, "field", None) or "name"
        errors = {field: str(exc)}
        return html(request, "person_new.html",
                    {"v": values, "errors": errors, "tiers": TIERS, "stages": STAGES},
                    status=exc.http_status)
    return RedirectResponse(f"/people/{person.id}", status_code=303)


@router.post("/people/{person}/notes")
def add_note(request: Request, person: str, svc: Svc, form: Form) -> Response:
    body = str(form.get("body", ""))
    try:
        note = svc.people.add_note(person, body)
    except InvalidInput as exc:
        data = svc.people.show(person, timeline_limit=50)
        return html(request, "person.html",
                    {"p": data, "note_error": exc.message, "note_body": body}, status=422)
    return RedirectResponse(f"/people/{note.subject_id}#notes", status_code=303)


@router.post("/people/bulk")
async def bulk_edit(request: Request, svc: Svc, form: Form) -> Response:
    """Bulk edit from the people list (docs/bulk-edit.md): the ticked rows, or everyone
    the list's filters match; a preview first, then one change with Undo."""
    from kithbook.services.bulk_edit import PeopleSelection

    # the form dependency keeps one value per name; the ticked ids are many
    raw = await request.form()
    fields = [(k, str(v)) for k, v in raw.multi_items() if k not in ("csrf_token", "apply")]
    ids = [str(v) for k, v in fields if k == "ids"]
    get = {k: v for k, v in fields if k != "ids"}
    try:
        if get.get("all"):
            touched = get.get("f_touched", "")
            selection = PeopleSelection(
                search=get.get("f_q") or None, tag=get.get("f_tag") or None,
                tier=get.get("f_tier") or None, stage=get.get("f_stage") or None,
                org=get.get("f_org") or None,
                untouched_days=int(touched) if touched.isdigit() else None)
        else:
            selection = PeopleSelection(ids=ids)
        result = await run_in_threadpool(
            svc.bulk.edit, selection, get.get("action", ""), get.get("value") or None,
            preview=not form.get("apply"))
    except KithbookError as exc:
        return html(request, "bulk.html", {"error": str(exc), "r": None, "fields": []},
                    status=exc.http_status)
    return html(request, "bulk.html", {"error": None, "r": result, "fields": fields})


@router.post("/interactions/{interaction}/agreed/{index}/promise")
def promise_agreed(interaction: str, index: int, svc: Svc, form: Form) -> Response:
    """An agreed item becomes a promise with one click, its words kept."""
    done = svc.interactions.promise_agreed(interaction, index)
    query = urlencode({"saved": done.id, "what": done.name})
    return RedirectResponse(f"{_local(str(form.get('next', '/')))}?{query}", status_code=303)


@router.post("/promises/{promise}/close")
def close_promise(promise: str, svc: Svc, form: Form) -> Response:
    status = str(form.get("status", "done"))
    svc.promises.close(promise, status, str(form.get("reason") or "") or None)
    return RedirectResponse(_local(str(form.get("next", "/"))), status_code=303)


def _local(path: str) -> str:
    """Only same-site paths for redirects (no //host or scheme: open-redirect guard)."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


# -- import: upload, preview, confirm -----------------------------------------------


def _pending(request: Request) -> PendingImports:
    return request.app.state.imports  # type: ignore[no-any-return]


@router.get("/import")
def import_form(request: Request) -> Response:
    return html(request, "import.html", {"errors": {}, "report": None, "token": None})


@router.post("/import/preview")
async def import_preview(request: Request, svc: Svc, form: Form) -> Response:
    upload = form.get("file")
    fmt = str(form.get("format") or "") or None
    # a LinkedIn archive's messages keep their words only when asked
    options = {"with_content": True} if form.get("with_content") else {}
    errors: dict[str, str] = {}
    if not isinstance(upload, UploadFile) and not hasattr(upload, "read"):
        errors["file"] = "choose a file to import."
        return html(request, "import.html", {"errors": errors, "report": None, "token": None},
                    status=422)
    data = await upload.read()  # type: ignore[union-attr]
    filename = (getattr(upload, "filename", None) or "upload").rsplit("/", 1)[-1][:200]
    try:
        if not data:
            raise InvalidInput(f"{filename} is empty.", field="file")
        report = await run_in_threadpool(
            lambda: svc.transfer.import_bytes(data, filename=filename, fmt=fmt, dry_run=True,
                                              **options))
    except KithbookError as exc:
        errors[getattr(exc, "field", None) or "file"] = str(exc)
        return html(request, "import.html", {"errors": errors, "report": None, "token": None},
                    status=exc.http_status)
    token = _pending(request).put(data, filename=filename, fmt=fmt, options=options)
    return html(request, "import.html", {"errors": {}, "report": report, "token": token})


@router.post("/import/confirm")
async def import_confirm(request: Request, svc: Svc, form: Form) -> Response:
    token = str(form.get("token", ""))
    pending = _pending(request).pop(token)
    if pending is None:
        errors = {"file": "that preview has expired; upload the file again."}
        return html(request, "import.html", {"errors": errors, "report": None, "token": None},
                    status=409)
    options = dict(pending.get("options") or {})
    report = await run_in_threadpool(
        lambda: svc.transfer.import_bytes(pending["data"], filename=pending["filename"],
                                          fmt=pending["format"], dry_run=False, **options))
    return html(request, "import.html",
                {"errors": {}, "report": report, "token": None, "done": True})
