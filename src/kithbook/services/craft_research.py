"""Key 1, do your research: targets (people or kinds of people to meet), events with
attendees and a plan, research notes with sources (docs/networking-craft.md)."""

from __future__ import annotations

from datetime import date

from kithbook import ids
from kithbook.domain import research as rules
from kithbook.domain.craft_records import ResearchNote
from kithbook.domain.models import Page
from kithbook.errors import InvalidInput, NotFound
from kithbook.services.catalog import use_case
from kithbook.services.craft_base import CraftBase, clean, parsed
from kithbook.services.resolve import PersonLike
from kithbook.store import craft as st
from kithbook.store import schema_craft as c


class ResearchService(CraftBase):
    # -- targets ------------------------------------------------------------------------

    @use_case(writes=True)
    def add_target(self, who: str, *, person: bool = True, why: str | None = None,
                   priority: str | None = None, how: str | None = None,
                   org: str | None = None) -> rules.Target:
        """A person (or a kind of person) I want to meet: why, priority and how."""
        text = clean(who, "who", required=True, limit=300)
        assert text is not None
        prio = parsed(rules.parse_priority, priority, "priority")
        with self.write("target add") as j:
            pkey = self.svc.resolve.person_key(j.conn, text, field="who") if person else None
            okey = self.svc.resolve.org_key(j.conn, org, field="org") if org else None
            key = st.insert(j, c.craft_targets, {
                "public_id": ids.new_id("target"), "person_id": pkey, "name": text,
                "org_id": okey, "why": clean(why, "why"), "priority": prio,
                "how": clean(how, "how"), "status": "open", "created_at": j.now,
                "updated_at": j.now})
            return st.targets(j.conn, status=None, keys=[key])[0]

    @use_case()
    def targets(self, *, status: str | None = "open") -> Page[rules.Target]:
        """Targets: who I want to meet, most important first."""
        if status and status not in rules.TARGET_STATUSES:
            raise InvalidInput(f"'{status}' is not a status ({', '.join(rules.TARGET_STATUSES)}).",
                               field="status")
        with self.svc.db.read() as conn:
            items = st.targets(conn, status=status, limit=1000)
        return Page(total=len(items), items=items)

    @use_case(writes=True)
    def set_target_status(self, target: str, status: str) -> rules.Target:
        """Mark a target met or dropped (or open again)."""
        if status not in rules.TARGET_STATUSES:
            raise InvalidInput(f"'{status}' is not a status ({', '.join(rules.TARGET_STATUSES)}).",
                               field="status")
        with self.write(f"target {status}") as j:
            key = self.record_key(j.conn, c.craft_targets, target, what="target")
            j.update(c.craft_targets, key, {"status": status, "updated_at": j.now})
            return st.targets(j.conn, status=None, keys=[key])[0]

    # -- events -------------------------------------------------------------------------

    @use_case(writes=True)
    def add_event(self, name: str, on: date, *, kind: str = "other", at: str | None = None,
                  place: str | None = None, url: str | None = None) -> rules.Event:
        """An event where I can meet people: date, time, place."""
        title = clean(name, "name", required=True, limit=300)
        if kind not in rules.EVENT_KINDS:
            raise InvalidInput(f"'{kind}' is not an event kind ({', '.join(rules.EVENT_KINDS)}).",
                               field="kind")
        start = parsed(rules.parse_time, at, "at")
        with self.write("event add") as j:
            key = st.insert(j, c.craft_events, {
                "public_id": ids.new_id("event"), "name": title, "kind": kind, "on_date": on,
                "start_time": start, "place": clean(place, "place"), "url": clean(url, "url"),
                "created_at": j.now})
            return st.events(j.conn, keys=[key])[0]

    @use_case(writes=True)
    def attend(self, event: str, person: PersonLike, *, role: str = "attendee",
               plan: bool = False, rank: int | None = None, via: PersonLike | None = None,
               opener: str | None = None) -> rules.Event:
        """Someone attends an event; with `plan`, meeting them is in my plan (in order,
        through someone, with an opener)."""
        if role not in rules.ATTENDEE_ROLES:
            raise InvalidInput(f"'{role}' is not a role ({', '.join(rules.ATTENDEE_ROLES)}).",
                               field="role")
        if rank is not None and not 1 <= rank <= 1000:
            raise InvalidInput("the rank is a position in the plan, from 1.", field="rank")
        with self.write("event attend") as j:
            ekey = self.record_key(j.conn, c.craft_events, event, what="event")
            pkey = self.svc.resolve.person_key(j.conn, person)
            vkey = self.svc.resolve.person_key(j.conn, via, field="via") if via else None
            ep = c.craft_event_people
            row = st.event_person_row(j.conn, ekey, pkey)
            planned = plan or rank is not None or via is not None or opener is not None
            if planned and rank is None:
                ranks = st.plan_ranks(j.conn, ekey)
                rank = row.plan_rank if row is not None and row.plan_rank else \
                    rules.next_plan_rank(ranks)
            values = {"role": role, "plan_rank": rank if planned else None, "via_id": vkey,
                      "opener": clean(opener, "opener")}
            if row is None:
                st.insert(j, ep, {"event_id": ekey, "person_id": pkey, "met": False, **values})
            else:
                j.update(ep, row.id, values)
            return st.events(j.conn, keys=[ekey])[0]

    @use_case(writes=True)
    def met_at(self, event: str, person: PersonLike) -> rules.Event:
        """I met this person at the event: the plan step is done."""
        with self.write("event met") as j:
            ekey = self.record_key(j.conn, c.craft_events, event, what="event")
            pkey = self.svc.resolve.person_key(j.conn, person)
            row = st.event_person_row(j.conn, ekey, pkey)
            if row is None:
                raise NotFound("that person is not on the event's list.", field="person")
            j.update(c.craft_event_people, row.id, {"met": True})
            return st.events(j.conn, keys=[ekey])[0]

    @use_case()
    def events(self, *, days: int = 90, past: bool = False) -> Page[rules.Event]:
        """Upcoming events with attendees and plans, soonest first (today's among them);
        or past ones, before today, most recent first, with whom I met there."""
        today = self.svc.today
        with self.svc.db.read() as conn:
            if past:
                items = st.events(conn, until=date.fromordinal(today.toordinal() - 1),
                                  limit=500, newest_first=True)
            else:
                items = st.events(conn, since=today, until=date.fromordinal(
                    today.toordinal() + max(0, days)), limit=500)
        return Page(total=len(items), items=items)

    @use_case()
    def event(self, event: str) -> rules.Event:
        """One event: attendees and the plan in order."""
        with self.svc.db.read() as conn:
            key = self.record_key(conn, c.craft_events, event, what="event")
            return st.events(conn, keys=[key])[0]

    # -- research notes -----------------------------------------------------------------

    @use_case(writes=True)
    def add_note(self, about: str, text: str, *, sources: list[str] | None = None
                 ) -> ResearchNote:
        """A research note on a person or an organization, with its sources."""
        body = clean(text, "text", required=True, lines=True)
        with self.write("research add") as j:
            subject = self.svc.resolve.subject(j.conn, about, kinds=("person", "org"))
            pkey = subject.key if subject.kind == "person" else None
            okey = subject.key if subject.kind == "org" else None
            key = st.insert(j, c.craft_research, {
                "public_id": ids.new_id("research"), "person_id": pkey, "org_id": okey,
                "text": body, "sources": rules.parse_sources(sources or []),
                "created_at": j.now})
            return st.research_notes(j.conn, keys=[key])[0]

    @use_case()
    def notes(self, about: str | None = None) -> Page[ResearchNote]:
        """Research notes, newest first; of one person or organization."""
        with self.svc.db.read() as conn:
            if about:
                subject = self.svc.resolve.subject(conn, about, kinds=("person", "org"))
                if subject.kind == "person":
                    items = st.research_notes(conn, person=subject.key)
                else:
                    items = st.research_notes(conn, org=subject.key)
            else:
                items = st.research_notes(conn, limit=500)
        return Page(total=len(items), items=items)
