"""HTML pages to read: today, people (search as you type, filters), a person,
organizations and the network map. Forms live in pages_forms.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from kithbook.domain.models import STAGES, TIERS, as_dict
from kithbook.errors import KithbookError
from kithbook.ids import kind_of
from kithbook.services.app import Services
from kithbook.web import (
    pages_craft,
    pages_crowds,
    pages_economics,
    pages_edit,
    pages_forms,
    pages_research,
)
from kithbook.web.app import html, services

router = APIRouter(include_in_schema=False)
Svc = Annotated[Services, Depends(services)]
Opt = Annotated[str | None, Query(max_length=300)]
TOUCH_CHOICES = {"30": "not in 30 days", "90": "not in 90 days", "365": "not in a year"}
MAP_NEIGHBOURS = 60
router.include_router(pages_forms.router)  # first, so /people/new wins over /people/{person}
router.include_router(pages_edit.router)
router.include_router(pages_economics.router)
router.include_router(pages_craft.router)
router.include_router(pages_research.router)
router.include_router(pages_crowds.router)


@router.get("/")
def today(request: Request, svc: Svc) -> Response:
    agenda = None
    problem = None
    if hasattr(svc, "agenda"):
        try:
            agenda = svc.agenda.today(limit=30)
        except KithbookError as exc:  # no "me" yet, for instance: say so, keep the page
            problem = exc
    promises, _ = svc.promises.list(status="open", limit=20)
    return html(
        request,
        "today.html",
        {"agenda": agenda, "problem": problem, "promises": promises, "today": svc.today,
         "alliance_work": svc.alliance_agenda.today(limit=20)},
    )


@router.get("/people")
def people(
    request: Request,
    svc: Svc,
    q: Annotated[str | None, Query(max_length=100)] = None,
    tag: Opt = None,
    tier: Opt = None,
    stage: Opt = None,
    org: Opt = None,
    touched: Opt = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    filters = {"q": q or "", "tag": tag or "", "tier": tier or "", "stage": stage or "",
               "org": org or "", "touched": touched or ""}
    error = None
    found: list[Any] = []
    total = 0
    touched_before = None
    if touched in TOUCH_CHOICES:
        touched_before = svc.now - timedelta(days=int(touched))
    hits: list[Any] | None = None
    more = False  # the total is a lower bound (a very common name prefix)
    try:
        if q and not (tag or tier or stage or org or touched_before):
            # typing in the box: the full-text index (names, emails, organizations) is
            # both broader and much faster than a LIKE scan over every name
            hits = svc.search.find(q, kinds=("person",), limit=50)
            total = len(hits)
        else:
            listed = svc.people.list(
                name_prefix=q or None,
                tag=tag or None,
                tier=tier if tier in TIERS else None,
                stage=stage if stage in STAGES else None,
                org=org or None,
                touched_before=touched_before,
                limit=50,
                offset=offset,
            )
            found, total, more = listed.items, listed.total, listed.total_is_lower_bound
    except KithbookError as exc:
        error = exc
    context = {
        "people": found,
        "hits": hits,
        "total": total,
        "more": more,
        "offset": offset,
        "filters": filters,
        "error": error,
        "tiers": TIERS,
        "stages": STAGES,
        "touch_choices": TOUCH_CHOICES,
    }
    if request.headers.get("hx-request"):
        return html(request, "_people_rows.html", context)
    return html(request, "people.html", context)


@router.get("/people/{person}")
def person(
    request: Request,
    person: str,
    svc: Svc,
    saved: Annotated[str | None, Query(max_length=60)] = None,
    what: Annotated[str | None, Query(max_length=300)] = None,
) -> Response:
    data = svc.people.show(person, timeline_limit=50)
    # after a quick capture: what was saved, a link to it and Undo (the change's id)
    batch = saved if saved and saved.startswith("bat") else None
    return html(request, "person.html", {"p": data, "note_error": None, "note_body": "",
                                         "saved": saved, "saved_batch": batch,
                                         "saved_what": what})


@router.get("/orgs")
def orgs(
    request: Request,
    svc: Svc,
    q: Annotated[str | None, Query(max_length=100)] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    found, total = svc.orgs.list(name_prefix=q or None, limit=50, offset=offset)
    context = {"orgs": found, "total": total, "q": q or "", "offset": offset}
    return html(request, "orgs.html", context)


@router.get("/orgs/{org}")
def org(request: Request, org: str, svc: Svc) -> Response:
    return html(request, "org.html", {"org": svc.orgs.show(org)})


@router.get("/map")
def network_map(request: Request, svc: Svc, person: Opt = None, target: Opt = None) -> Response:
    center = svc.people.resolve(person) if person else None
    return html(
        request,
        "map.html",
        {"center": center, "person": person or "", "target": target or "",
         "has_paths": hasattr(svc, "network")},
    )


@router.get("/map/data")
def map_data(svc: Svc, person: Opt = None, target: Opt = None) -> JSONResponse:
    """Cytoscape elements: the person (or me), their strongest ties, the ties among
    those, and the warm paths to `target` when the network engine is present."""
    center = svc.people.resolve(person or "me")
    ties = sorted(svc.ties.of(center.id), key=lambda t: -t.strength)[:MAP_NEIGHBOURS]
    nodes: dict[str, dict[str, Any]] = {center.id: {"id": center.id, "label": center.name,
                                                     "center": True}}
    edges: dict[tuple[str, str], dict[str, Any]] = {}

    def add_edge(a: str, b: str, strength: int, kind: str) -> None:
        pair = (a, b) if a < b else (b, a)
        edges.setdefault(pair, {"id": f"{pair[0]}~{pair[1]}", "source": pair[0],
                                "target": pair[1], "strength": strength, "kind": kind})

    for t in ties:
        other = t.other(center.key)
        nodes.setdefault(other.id, {"id": other.id, "label": other.name})
        add_edge(center.id, other.id, t.strength, t.kind)
    for other_id in [n for n in nodes if n != center.id]:
        for t in svc.ties.of(other_id):
            if t.a.id in nodes and t.b.id in nodes:
                add_edge(t.a.id, t.b.id, t.strength, t.kind)
    routes: list[dict[str, Any]] = []
    message = None
    if target and hasattr(svc, "network"):
        found = svc.network.path(target, source=center.id, k=3, max_hops=4)
        routes = as_dict(found.routes)
        message = found.message
        for route in routes:
            people = route["people"]
            for ref in people:
                nodes.setdefault(ref["id"], {"id": ref["id"], "label": ref["name"]})
                nodes[ref["id"]]["path"] = True
            for a, b in zip(people, people[1:], strict=False):
                add_edge(a["id"], b["id"], 3, "path")
                pair = tuple(sorted((a["id"], b["id"])))
                edges[pair]["path"] = True
        if kind_of(found.id) == "org":
            # the organization itself is drawn, each route ending at someone who works there
            label = svc.orgs.show(found.id).name
            nodes[found.id] = {"id": found.id, "label": label, "org": True, "path": True}
            for route in routes:
                last = route["people"][-1]["id"]
                add_edge(last, found.id, 3, "works at")
                edges[tuple(sorted((last, found.id)))]["path"] = True
    elements = [{"data": n} for n in nodes.values()] + [{"data": e} for e in edges.values()]
    return JSONResponse(
        {"center": center.to_dict(), "elements": as_dict(elements),
         "routes": routes, "message": message}
    )

