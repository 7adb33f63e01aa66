"""The one-page briefing before a meeting (key 1): who they are, how we met, our
history, what they want and what I want, open promises both ways, their needs and
offers, stories I told them, claims they made, mutual connections and the warm path
if we have not met, a suggested pitch and a question to ask
(docs/networking-craft.md)."""

from __future__ import annotations

from typing import Any

from kithbook.domain import briefing as rules
from kithbook.domain import pitches as pitch_rules
from kithbook.domain import stories as story_rules
from kithbook.domain.briefing import (
    Brief,
    BriefPitch,
    Contract,
    History,
    HowWeMet,
    Line,
    Mutual,
    WarmPath,
)
from kithbook.domain.models import PersonRef
from kithbook.domain.reliability import reliability
from kithbook.domain.speech import spoken_length
from kithbook.errors import KithbookError
from kithbook.services.catalog import use_case
from kithbook.services.craft_base import CraftBase
from kithbook.services.resolve import PersonLike
from kithbook.store import craft as st
from kithbook.store import craft_brief as st_brief
from kithbook.store import craft_crowds as st_crowds
from kithbook.store import craft_honesty as st_honesty
from kithbook.store import graph_queries as gq
from kithbook.store import interactions as st_int
from kithbook.store import people as st_people
from kithbook.store import promises as st_promises

RECENT = 5
MUTUAL = 8
STORIES = 3
EVENT_DAYS = 60


class BriefService(CraftBase):
    @use_case()
    def brief(self, person: PersonLike, *, path: bool = True) -> Brief:
        """A one-page briefing on a person before a meeting."""
        today = self.svc.today
        with self.svc.db.read() as conn:
            key = self.svc.resolve.person_key(conn, person)
            p = st_people.get_person(conn, key)
            assert p is not None
            me = st_people.me_key(conn)
            role = next((r for r in p.roles if r.is_current), None)
            b = Brief(id=p.id, name=p.name, as_of=today, title=role.title if role else None,
                      org=role.org_name if role else None, org_id=role.org_id if role else None,
                      tier=p.tier, stage=p.stage, tags=list(p.tags),
                      emails=[e.value for e in p.emails], phones=[x.value for x in p.phones],
                      linkedin_url=p.linkedin_url, key=key)
            ties = gq.declared_between(conn, me, key) if me else []
            count, first, last, minutes = st_brief.history(conn, key)
            b.met = bool(ties) or count > 0 or p.first_met_on is not None
            b.how_we_met = HowWeMet(how_met=p.how_met, met_via=p.met_via,
                                    first_met_on=p.first_met_on,
                                    tie_kinds=sorted({t[0] for t in ties}),
                                    tie_strength=max((t[1] for t in ties), default=None))
            recent, _ = st_int.timeline(conn, key, limit=RECENT)
            b.history = History(interactions=count, first_at=first, last_at=last,
                                minutes=minutes,
                                recent=[Line(id=i.id, name=i.name, on=i.occurred_at.date(),
                                             detail=i.channel) for i in recent])
            contract = st_brief.latest_contract(conn, key)
            if contract:
                b.contract = Contract(interaction_id=contract["interaction_id"],
                                      on=contract["at"].date() if contract["at"] else None,
                                      they_want=contract["they_want"],
                                      i_want=contract["i_want"], agreed=contract["agreed"],
                                      next_step=contract["next_step"])
            promises = st_promises.promises_of(conn, key, status=None, limit=10_000)
            for pr in promises:
                if pr.status != "open":
                    continue
                line = Line(id=pr.id, name=pr.what, on=pr.due)
                if pr.owed_by.key == key:
                    b.promises_they_owe.append(line)
                elif me is None or pr.owed_by.key == me:
                    b.promises_i_owe.append(line)
            rel = reliability(PersonRef(p.id, p.name, key), promises, me_key=me, today=today)
            b.reliability_theirs, b.reliability_mine = rel.theirs, rel.mine
            for nid, _pk, kind, text, _tags, created in gq.open_needs_offers(conn, person=key):
                (b.needs if kind == "need" else b.offers).append(
                    Line(id=nid, name=text, on=created.date()))
            tellings = st.tellings(conn, person=key, limit=200)
            b.stories_told = [Line(id=t.story_id, name=t.story_name, on=t.told_at.date(),
                                   detail={True: "landed", False: "fell flat"}.get(
                                       t.landed))  # type: ignore[arg-type]
                              for t in tellings]
            b.claims = [Line(id=c.id, name=c.name, on=c.said_on, detail=c.status)
                        for c in st_honesty.claims(conn, person=key, limit=50)]
            b.told = [Line(id=s.id, name=f"{s.topic}: {s.name}", on=s.said_on)
                      for s in st_honesty.statements(conn, person=key, limit=50)]
            b.mutual, b.mutual_total = self._mutual(conn, me, key)
            notes = st.research_notes(conn, person=key, limit=20)
            if role is not None:
                okeys = self.svc.resolve.org_keys(conn, role.org_id)
                if okeys:
                    notes += st.research_notes(conn, org=okeys[0], limit=10)
            b.research = [Line(id=n.id, name=n.name, on=n.created_at.date()
                               if n.created_at else None, detail="; ".join(n.sources) or None)
                          for n in notes]
            b.targets = [Line(id=t.id, name=t.why or t.name, detail=f"{t.priority} priority"
                              + (f"; how: {t.how}" if t.how else ""))
                         for t in st.targets(conn, status="open", person=key)]
            b.events = [Line(id=e.id, name=e.name, on=e.on_date, detail=e.place)
                        for e in st.events(conn, person=key, since=today, until=
                                           today.fromordinal(today.toordinal() + EVENT_DAYS))]
            pitches = st.pitches(conn)
            stories = st.stories(conn)
            all_tellings = st.telling_facts(st.tellings(conn, limit=100_000)) if stories else []
            open_surveys = st_crowds.open_surveys_of(conn, key)
        words = [*b.tags, b.title or "", b.org or "", b.stage or "", b.tier or ""]
        suggestion = pitch_rules.suggest_for(words, st.pitch_facts(pitches))
        if suggestion is not None:
            chosen = next(x for x in pitches if x.id == suggestion.id)
            b.pitch = BriefPitch(id=chosen.id, name=chosen.name, audience=chosen.audience,
                                 why=suggestion.why, text=chosen.text,
                                 seconds=spoken_length(chosen.text).seconds)
        heard = {t.story_id for t in tellings}
        candidates = [s for s in stories if s.id not in heard]
        stats = {s.id: story_rules.story_stats(s.id, s.name, all_tellings) for s in candidates}
        candidates.sort(key=lambda s: (-(stats[s.id].landed_rate or 0.0), s.seconds, s.name))
        b.stories_to_tell = [Line(id=s.id, name=s.name, detail=f"{s.seconds} s"
                                  + (f", {s.theme}" if s.theme else ""))
                             for s in candidates[:STORIES]]
        want = (b.contract.they_want, b.contract.on) if b.contract.they_want and \
            b.contract.on else None
        b.question = rules.question_to_ask(open_surveys=open_surveys, they_want=want,
                                           needs=[n.name for n in b.needs], stage=p.stage,
                                           met=b.met)
        if path and not b.met and me is not None:
            b.warm_path = self._warm_path(p.id)
        return b

    def _mutual(self, conn: Any, me: int | None, key: int) -> tuple[list[Mutual], int]:
        if me is None:
            return [], 0
        mine = gq.declared_of(conn, me)
        theirs = gq.declared_of(conn, key)
        both = [k for k in theirs if k in mine and k not in (me, key)]
        refs = st_people.refs_by_keys(conn, both)
        rows = [Mutual(id=refs[k].id, name=refs[k].name,
                       strength_with_me=max(x[1] for x in mine[k]),
                       strength_with_them=max(x[1] for x in theirs[k]))
                for k in both if k in refs]
        rows.sort(key=lambda m: (-(m.strength_with_me + m.strength_with_them), m.name))
        return rows[:MUTUAL], len(rows)

    def _warm_path(self, person_id: str) -> WarmPath | None:
        try:
            found = self.svc.network.path(person_id, k=1)
        except KithbookError:
            return None
        if not found.routes:
            return None
        r = found.routes[0]
        return WarmPath(people=[PersonRef(x.id, x.name) for x in r.people], score=r.score,
                        ask=r.ask)
