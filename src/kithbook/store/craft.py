"""Queries of the craft of networking, part one: targets, events and plans, research
notes, pitches and stories (docs/networking-craft.md). Honesty is in
craft_honesty.py, surveys and referrals in craft_crowds.py, time and value in
craft_time.py, the briefing's facts in craft_brief.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from kithbook.domain.craft_records import (
    Pitch,
    PitchUse,
    PitchVersion,
    Rehearsal,
    ResearchNote,
    Story,
    Telling,
)
from kithbook.domain.pitches import PitchFacts
from kithbook.domain.research import PRIORITY_NAMES, Event, EventAttendee, PlanStep, Target
from kithbook.domain.stories import Telling as TellingFact
from kithbook.store import schema as s
from kithbook.store import schema_craft as c
from kithbook.store.journal import Journal
from kithbook.store.people import refs_by_keys
from kithbook.store.rows import utc, utc_at


def insert(j: Journal, table: Any, values: dict[str, Any]) -> int:
    key = j.insert(table, values)
    assert key is not None
    return key


def keys_by_public_id(conn: Connection, table: Any, text: str) -> list[int]:
    """Rows whose public id is `text` or starts with it (live rows only)."""
    text = text.strip().lower()
    q = select(table.c.id).where(table.c.public_id == text)
    found = list(conn.execute(q).scalars())
    if found or len(text) < 8:
        return found
    q = select(table.c.id).where(table.c.public_id.startswith(text, autoescape=True))
    if "deleted_at" in table.c:
        q = q.where(table.c.deleted_at.is_(None))
    return list(conn.execute(q.limit(5)).scalars())


def keys_by_name(conn: Connection, table: Any, column: str, text: str) -> list[int]:
    q = select(table.c.id).where(func.lower(table.c[column]) == text.strip().lower())
    if "deleted_at" in table.c:
        q = q.where(table.c.deleted_at.is_(None))
    return list(conn.execute(q.limit(5)).scalars())


def org_names(conn: Connection, keys: Sequence[int | None]) -> dict[int, str]:
    wanted = {k for k in keys if k}
    if not wanted:
        return {}
    rows = conn.execute(select(s.orgs.c.id, s.orgs.c.name).where(s.orgs.c.id.in_(wanted)))
    return {r.id: r.name for r in rows}


# -- targets --------------------------------------------------------------------------


def targets(conn: Connection, *, status: str | None = "open", person: int | None = None,
            keys: Sequence[int] | None = None, limit: int = 200) -> list[Target]:
    t = c.craft_targets
    q = select(t).where(t.c.deleted_at.is_(None))
    if status:
        q = q.where(t.c.status == status)
    if person is not None:
        q = q.where(t.c.person_id == person)
    if keys is not None:
        q = q.where(t.c.id.in_(list(keys)))
    rows = conn.execute(q.order_by(t.c.priority, t.c.created_at, t.c.id).limit(limit)).all()
    refs = refs_by_keys(conn, [r.person_id for r in rows if r.person_id])
    orgs = org_names(conn, [r.org_id for r in rows])
    upcoming: dict[int, list[str]] = {}
    pkeys = [r.person_id for r in rows if r.person_id]
    if pkeys:
        e, ep = c.craft_events, c.craft_event_people
        for row in conn.execute(
            select(ep.c.person_id, e.c.name, e.c.on_date).join(e, e.c.id == ep.c.event_id)
            .where(ep.c.person_id.in_(pkeys), e.c.deleted_at.is_(None))
            .order_by(e.c.on_date)
        ):
            upcoming.setdefault(row.person_id, []).append(f"{row.name} ({row.on_date})")
    return [
        Target(id=r.public_id, name=refs[r.person_id].name if r.person_id else r.name,
               person=refs.get(r.person_id) if r.person_id else None, why=r.why,
               priority=PRIORITY_NAMES[r.priority], how=r.how, status=r.status,
               org=orgs.get(r.org_id), events=upcoming.get(r.person_id, []),
               created_at=utc(r.created_at), key=r.id)
        for r in rows
    ]


# -- events -----------------------------------------------------------------------------


def events(conn: Connection, *, keys: Sequence[int] | None = None,
           since: date | None = None, until: date | None = None,
           person: int | None = None, limit: int = 100,
           newest_first: bool = False) -> list[Event]:
    e, ep = c.craft_events, c.craft_event_people
    q = select(e).where(e.c.deleted_at.is_(None))
    if keys is not None:
        q = q.where(e.c.id.in_(list(keys)))
    if since is not None:
        q = q.where(e.c.on_date >= since)
    if until is not None:
        q = q.where(e.c.on_date <= until)
    if person is not None:
        q = q.where(e.c.id.in_(select(ep.c.event_id).where(ep.c.person_id == person)))
    order = (e.c.on_date, e.c.start_time, e.c.id)
    rows = conn.execute(q.order_by(*(col.desc() for col in order) if newest_first else order)
                        .limit(limit)).all()
    if not rows:
        return []
    people = conn.execute(select(ep).where(ep.c.event_id.in_([r.id for r in rows]))
                          .order_by(ep.c.id)).all()
    refs = refs_by_keys(conn, [p.person_id for p in people] + [p.via_id for p in people
                                                                 if p.via_id])
    t = c.craft_targets
    target_rows = conn.execute(
        select(t.c.person_id, t.c.public_id).where(
            t.c.person_id.in_([p.person_id for p in people]) if people else t.c.id < 0,
            t.c.deleted_at.is_(None), t.c.status == "open")).all()
    target_of = {r.person_id: r.public_id for r in target_rows}
    out = []
    for r in rows:
        mine = [p for p in people if p.event_id == r.id]
        attendees = [EventAttendee(id=refs[p.person_id].id, name=refs[p.person_id].name,
                                   role=p.role, target=p.person_id in target_of,
                                   plan_rank=p.plan_rank, met=bool(p.met)) for p in mine]
        plan = [PlanStep(id=refs[p.person_id].id, name=refs[p.person_id].name,
                         rank=p.plan_rank, via=refs.get(p.via_id) if p.via_id else None,
                         opener=p.opener, met=p.met, target_id=target_of.get(p.person_id))
                for p in mine if p.plan_rank is not None]
        from kithbook.domain.research import order_plan

        out.append(Event(id=r.public_id, name=r.name, kind=r.kind, on_date=r.on_date,
                         start_time=r.start_time, place=r.place, url=r.url,
                         attendees=attendees, plan=order_plan(plan), key=r.id))
    return out


def event_person_row(conn: Connection, event: int, person: int) -> Any:
    ep = c.craft_event_people
    return conn.execute(select(ep).where(ep.c.event_id == event,
                                         ep.c.person_id == person)).first()


def plan_ranks(conn: Connection, event: int) -> list[int | None]:
    """The plan rank of everyone on an event's list (None: not planned)."""
    ep = c.craft_event_people
    return [r.plan_rank for r in conn.execute(
        select(ep.c.plan_rank).where(ep.c.event_id == event))]


# -- research notes ---------------------------------------------------------------------


def research_notes(conn: Connection, *, person: int | None = None, org: int | None = None,
                   keys: Sequence[int] | None = None, limit: int = 100) -> list[ResearchNote]:
    r = c.craft_research
    q = select(r).where(r.c.deleted_at.is_(None))
    if person is not None:
        q = q.where(r.c.person_id == person)
    if org is not None:
        q = q.where(r.c.org_id == org)
    if keys is not None:
        q = q.where(r.c.id.in_(list(keys)))
    rows = conn.execute(q.order_by(r.c.created_at.desc(), r.c.id.desc()).limit(limit)).all()
    refs = refs_by_keys(conn, [x.person_id for x in rows if x.person_id])
    orgs = org_names(conn, [x.org_id for x in rows])
    return [ResearchNote(id=x.public_id, name=x.text.split("\n", 1)[0][:120], text=x.text,
                         sources=list(x.sources or []), person=refs.get(x.person_id),
                         org=orgs.get(x.org_id), created_at=utc(x.created_at))
            for x in rows]


# -- pitches ----------------------------------------------------------------------------


def pitch_rows(conn: Connection, keys: Sequence[int] | None = None) -> list[Any]:
    p = c.pitches
    q = select(p).where(p.c.deleted_at.is_(None))
    if keys is not None:
        q = q.where(p.c.id.in_(list(keys)))
    return list(conn.execute(q.order_by(p.c.audience, p.c.name, p.c.id)).all())


def latest_version(conn: Connection, pitch: int) -> int:
    v = c.pitch_versions
    return int(conn.execute(select(func.max(v.c.version)).where(v.c.pitch_id == pitch))
               .scalar() or 0)


def pitches(conn: Connection, keys: Sequence[int] | None = None, *,
            details: bool = False) -> list[Pitch]:
    rows = pitch_rows(conn, keys)
    if not rows:
        return []
    pk = [r.id for r in rows]
    v, rh, u = c.pitch_versions, c.pitch_rehearsals, c.pitch_uses
    versions: dict[int, list[Any]] = {}
    for row in conn.execute(select(v).where(v.c.pitch_id.in_(pk)).order_by(v.c.version)):
        versions.setdefault(row.pitch_id, []).append(row)
    rehearsals: dict[int, list[Any]] = {}
    for row in conn.execute(select(rh).where(rh.c.pitch_id.in_(pk))
                            .order_by(rh.c.on_date, rh.c.id)):
        rehearsals.setdefault(row.pitch_id, []).append(row)
    uses: dict[int, list[Any]] = {}
    for row in conn.execute(select(u).where(u.c.pitch_id.in_(pk)).order_by(u.c.used_on, u.c.id)):
        uses.setdefault(row.pitch_id, []).append(row)
    refs = refs_by_keys(conn, [x.person_id for xs in uses.values() for x in xs])
    ints = {}
    ikeys = {x.interaction_id for xs in uses.values() for x in xs if x.interaction_id}
    if ikeys:
        ints = dict(conn.execute(select(s.interactions.c.id, s.interactions.c.public_id)
                                 .where(s.interactions.c.id.in_(ikeys))).all())
    from kithbook.domain.speech import spoken_length

    out = []
    for r in rows:
        vs = versions.get(r.id, [])
        last = vs[-1]
        out.append(Pitch(
            id=r.public_id, name=r.name, audience=r.audience, goal=r.goal,
            version=last.version, text=last.text, words=last.words, seconds=last.seconds,
            warnings=spoken_length(last.text).warnings,
            versions=[PitchVersion(id=f"{r.public_id}@v{x.version}", name=r.name,
                                   version=x.version, text=x.text, words=x.words,
                                   seconds=x.seconds, created_at=utc(x.created_at))
                      for x in vs] if details else [],
            rehearsals=[Rehearsal(id=x.public_id, name=r.name, version=x.version,
                                  on=x.on_date, seconds=x.seconds, rating=x.rating,
                                  notes=x.notes) for x in rehearsals.get(r.id, [])],
            uses=[PitchUse(id=x.public_id, name=refs[x.person_id].name, pitch_id=r.public_id,
                           person=refs[x.person_id], version=x.version, used_on=x.used_on,
                           outcome=x.outcome, note=x.note,
                           interaction_id=ints.get(x.interaction_id))
                  for x in uses.get(r.id, [])],
            created_at=utc(r.created_at), key=r.id))
    return out


def pitch_facts(items: Sequence[Pitch]) -> list[PitchFacts]:
    return [PitchFacts(id=p.id, name=p.name, audience=p.audience, seconds=p.seconds,
                       outcomes=tuple(u.outcome for u in p.uses),
                       ratings=tuple(x.rating for x in p.rehearsals if x.rating))
            for p in items]


# -- stories ----------------------------------------------------------------------------


def stories(conn: Connection, keys: Sequence[int] | None = None, *,
            theme: str | None = None) -> list[Story]:
    st = c.stories
    q = select(st).where(st.c.deleted_at.is_(None))
    if keys is not None:
        q = q.where(st.c.id.in_(list(keys)))
    if theme:
        q = q.where(func.lower(st.c.theme) == theme.strip().lower())
    rows = conn.execute(q.order_by(st.c.theme, st.c.title, st.c.id)).all()
    return [Story(id=r.public_id, name=r.title, text=r.text, theme=r.theme,
                  audience=r.audience, words=r.words, seconds=r.seconds, key=r.id)
            for r in rows]


def tellings(conn: Connection, *, stories_: Sequence[int] | None = None,
             person: int | None = None, limit: int = 10_000) -> list[Telling]:
    t, st = c.story_tellings, c.stories
    q = (select(t, st.c.public_id.label("story_pid"), st.c.title)
         .join(st, st.c.id == t.c.story_id).where(st.c.deleted_at.is_(None)))
    if stories_ is not None:
        q = q.where(t.c.story_id.in_(list(stories_)))
    if person is not None:
        q = q.where(t.c.person_id == person)
    rows = conn.execute(q.order_by(t.c.told_at.desc(), t.c.id.desc()).limit(limit)).all()
    refs = refs_by_keys(conn, [r.person_id for r in rows])
    return [Telling(id=r.public_id, name=refs[r.person_id].name, story_id=r.story_pid,
                    story_name=r.title, person=refs[r.person_id], told_at=utc_at(r.told_at),
                    landed=r.landed) for r in rows]


def telling_facts(items: Sequence[Telling]) -> list[TellingFact]:
    return [TellingFact(story_id=t.story_id, person=t.person, told_at=t.told_at,
                        landed=t.landed) for t in items]


def pitch_of_use(conn: Connection, use: int) -> int:
    """The pitch that one use of a pitch used."""
    u = c.pitch_uses
    return int(conn.execute(select(u.c.pitch_id).where(u.c.id == use)).scalar_one())


def story_of_telling(conn: Connection, telling: int) -> int:
    """The story that one telling told."""
    t = c.story_tellings
    return int(conn.execute(select(t.c.story_id).where(t.c.id == telling)).scalar_one())
