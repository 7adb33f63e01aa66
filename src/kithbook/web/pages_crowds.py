"""Web pages for the wisdom of crowds and for time and value
(docs/networking-craft.md): /craft/surveys lists the surveys and starts one;
/craft/surveys/{survey} shows one survey's aggregates (median, spread and outliers for
estimates, tallies for choices, drawn as SVG), the answers, who has not answered (and
who has no link yet), the thank-you list, and sends the private answer links (each
shown once); /craft/time is the monthly time-and-value report with its charts and a
month picker."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from kithbook.domain import timevalue as tv
from kithbook.domain.models import STAGES, TIERS
from kithbook.domain.surveys import KINDS as SURVEY_KINDS
from kithbook.errors import Conflict, KithbookError
from kithbook.io.craft_charts import (
    KIND_LABELS,
    hours,
    money,
    number,
    report_charts,
    survey_charts,
)
from kithbook.services.app import Services
from kithbook.services.links import IssuedLink
from kithbook.services.resolve import PersonLike
from kithbook.web.app import html, services
from kithbook.web.craft_forms import after_save, error_at, status_of, values
from kithbook.web.pages_forms import Form, names

router = APIRouter(include_in_schema=False)
Svc = Annotated[Services, Depends(services)]
Opt = Annotated[str | None, Query(max_length=300)]

# -- surveys ------------------------------------------------------------------------------


def _surveys(request: Request, svc: Services, *, form: str | None = None,
             v: dict[str, str] | None = None, errors: dict[str, str] | None = None,
             done: str | None = None, code: int = 200) -> Response:
    return html(request, "craft_surveys.html", {
        "surveys": svc.surveys.list().items, "kinds": SURVEY_KINDS, "tiers": TIERS,
        "stages": STAGES, "form": form, "v": v or {}, "errors": errors or {},
        "saved": done}, status=code)


@router.get("/craft/surveys")
def surveys(request: Request, svc: Svc, saved: Opt = None) -> Response:
    return _surveys(request, svc, done=saved)


@router.post("/craft/surveys")
def new_survey(request: Request, svc: Svc, form: Form) -> Response:
    v = values(form)
    try:
        choices = [c for c in v.get("choices", "").splitlines() if c.strip()]
        people: list[PersonLike] = [*names(v.get("people", ""))]
        s = svc.surveys.create(v.get("question", ""), kind=v.get("kind") or "estimate",
                               choices=choices, tag=v.get("tag") or None,
                               tier=v.get("tier") or None, org=v.get("org") or None,
                               stage=v.get("stage") or None,
                               people=people or None)
    except KithbookError as exc:
        fields = ("question", "kind", "choices", "tag", "tier", "org", "stage", "people")
        return _surveys(request, svc, form="survey", v=v, code=status_of(exc),
                        errors={error_at("survey", exc, fields, "question"): str(exc)})
    return after_save(f"/craft/surveys/{s.id}", f"survey put to {s.asked} people")


def _survey(request: Request, svc: Services, survey: str, *, form: str | None = None,
            v: dict[str, str] | None = None, errors: dict[str, str] | None = None,
            done: str | None = None, issued: list[IssuedLink] | None = None,
            code: int = 200) -> Response:
    r = svc.surveys.results(survey)
    unsent = {p.id for p in r.unsent}
    return html(request, "craft_survey.html", {
        "r": r, "s": r.survey, "charts": survey_charts(r), "unsent": unsent, "num": number,
        "form": form, "v": v or {}, "errors": errors or {}, "saved": done,
        "issued": issued or []}, status=code)


@router.get("/craft/surveys/{survey}")
def survey_page(request: Request, survey: str, svc: Svc, saved: Opt = None) -> Response:
    return _survey(request, svc, survey, done=saved)


@router.post("/craft/surveys/{survey}/answers")
def survey_answer(request: Request, survey: str, svc: Svc, form: Form) -> Response:
    v = values(form)
    try:
        r = svc.surveys.answer(survey, v.get("person", ""), v.get("answer", ""))
    except KithbookError as exc:
        return _survey(request, svc, survey, form="answer", v=v, code=status_of(exc),
                       errors={error_at("answer", exc, ("person", "answer"), "person"):
                               str(exc)})
    return after_save(f"/craft/surveys/{r.id}", f"{v.get('person', '').strip()}'s answer",
                      "answers")


@router.post("/craft/surveys/{survey}/send")
def survey_send(request: Request, survey: str, svc: Svc, form: Form) -> Response:
    """One link (`to` given) or one for everyone not sent a link yet; the page shows
    each address and its message once."""
    to = str(form.get("to") or "").strip()
    results = svc.surveys.results(survey)
    targets = [to] if to else [p.id for p in results.unsent]
    issued: list[IssuedLink] = []
    problems: list[str] = []
    if not targets:
        problems.append("this survey is closed." if results.survey.closed else
                        "everyone asked has an answer or a link already.")
    for who in targets:  # each link its own write: one refused, the others still shown
        try:
            issued.append(svc.surveys.send(survey, who))
        except KithbookError as exc:
            problems.append(str(exc) if to else f"{who}: {exc}")
            if isinstance(exc, Conflict):  # closed: the same for everyone
                break
    done = f"{len(issued)} link{'s' if len(issued) != 1 else ''} made" if issued else None
    errors = {"send_to": " ".join(problems)} if problems else None
    code = 422 if problems and not issued else 200
    return _survey(request, svc, survey, issued=issued, done=done, form="send",
                   v=values(form), errors=errors, code=code)


@router.post("/craft/surveys/{survey}/thanks")
def survey_thank(survey: str, svc: Svc, form: Form) -> Response:
    r = svc.surveys.thank(survey, str(form.get("person", "")))
    return after_save(f"/craft/surveys/{r.id}", "thanked", "thanks")


@router.post("/craft/surveys/{survey}/close")
def survey_close(survey: str, svc: Svc, form: Form) -> Response:
    s = svc.surveys.close(survey)
    return after_save(f"/craft/surveys/{s.id}", "closed: no more answers")


# -- time and value -----------------------------------------------------------------------


def _time(request: Request, svc: Services, month: str | None, *, form: str | None = None,
          v: dict[str, str] | None = None, errors: dict[str, str] | None = None,
          done: str | None = None, code: int = 200) -> Response:
    report = svc.timevalue.report(month or None)
    year, mon = tv.parse_month(report.id)
    prev = tv.month_label(*tv.next_month(year, mon, -1))
    nxt = tv.month_label(*tv.next_month(year, mon, 1))
    this = tv.month_label(svc.today.year, svc.today.month)
    context: dict[str, Any] = {
        "r": report, "charts": report_charts(report), "prev": prev,
        "next": nxt if nxt <= this else None, "this": this, "labels": KIND_LABELS,
        "hours": hours, "money": money, "activity_kinds": tv.ACTIVITY_KINDS,
        "value_kinds": tv.VALUE_KINDS, "form": form, "v": v or {}, "errors": errors or {},
        "saved": done}
    return html(request, "craft_time.html", context, status=code)


@router.get("/craft/time")
def time_report(request: Request, svc: Svc,
                month: Annotated[str | None, Query(max_length=20)] = None,
                saved: Opt = None) -> Response:
    return _time(request, svc, month, done=saved)


def _minutes(text: str) -> int:
    """'90', '1:30', '1h30', '1.5h' -> minutes (0 for nothing a clock reads)."""
    raw = text.strip().lower().replace(" ", "")
    try:
        if ":" in raw or ("h" in raw and not raw.endswith("h")):
            h, _, m = raw.replace("h", ":").partition(":")
            return int(h or 0) * 60 + int(m or 0)
        if raw.endswith("h"):
            return round(float(raw[:-1]) * 60)
        return int(raw.removesuffix("min").removesuffix("m"))
    except ValueError:
        return 0


@router.post("/craft/time/log")
def log_time(request: Request, svc: Svc, form: Form) -> Response:
    from kithbook.services.craft_time import midday

    v = values(form)
    try:
        on = svc.dates.day(v.get("on", ""), field="on", past=True)
        t = svc.timevalue.log_time(_minutes(v.get("minutes", "")), v.get("kind", ""),
                                   person=v.get("person") or None, org=v.get("org") or None,
                                   at=midday(on) if on else None, note=v.get("note") or None)
    except KithbookError as exc:
        fields = ("minutes", "kind", "person", "org", "on", "note")
        return _time(request, svc, None, form="time", v=v, code=status_of(exc),
                     errors={error_at("time", exc, fields, "minutes"): str(exc)})
    try:
        month = tv.month_label(*tv.month_of(t.at, tv.zone(svc.config.timezone)))
    except ValueError:  # a time zone the report will name as the problem
        month = tv.month_label(t.at.year, t.at.month)
    return after_save("/craft/time", f"{hours(t.minutes)} of {t.kind.replace('_', '-')}",
                      "totals", month=month)


@router.post("/craft/time/value")
def log_value(request: Request, svc: Svc, form: Form) -> Response:
    v = values(form)
    try:
        on = svc.dates.day(v.get("on", ""), field="on", past=True)
        x = svc.timevalue.log_value(v.get("kind", ""), amount=v.get("amount") or None,
                                    person=v.get("person") or None,
                                    org=v.get("org") or None, on=on,
                                    note=v.get("note") or None)
    except KithbookError as exc:
        fields = ("kind", "amount", "person", "org", "on", "note")
        return _time(request, svc, None, form="value", v=v, code=status_of(exc),
                     errors={error_at("value", exc, fields, "kind"): str(exc)})
    return after_save("/craft/time", f"a {x.kind}" + (f" of {money(x.amount)}"
                                                      if x.amount else ""),
                      "values", month=tv.month_label(x.on.year, x.on.month))
