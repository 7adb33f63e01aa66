"""Working together: goals each partner confirms or disputes, joint activities with a
RACI, obligations, forums and their meetings, decisions and action plans confirmed by
each other party, action items (promises), and the exit plan (docs/alliance-management.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Connection

from kithbook import ids
from kithbook.domain.alliances.facts import (
    DECISION_KINDS,
    EXIT_ITEM_KINDS,
    FORUM_LAYERS,
    GOAL_DIRECTIONS,
    OBLIGATION_KINDS,
    REVIEW_OUTCOMES,
    VERDICTS,
    parse_letters,
)
from kithbook.domain.alliances.records import (
    ActionItem,
    Activity,
    Decision,
    ExitItem,
    Forum,
    Goal,
    Meeting,
    Obligation,
)
from kithbook.domain.parsing import parse_days
from kithbook.errors import Conflict, InvalidInput
from kithbook.services.alliance_base import AllianceBase, choice, clean, day
from kithbook.services.catalog import use_case
from kithbook.store import alliance_items as st
from kithbook.store import alliances as st_all
from kithbook.store import interactions as st_int
from kithbook.store import people as st_people
from kithbook.store import promises as st_promises
from kithbook.store import schema_alliances as a
from kithbook.store import search as st_search
from kithbook.store.journal import Journal


@dataclass
class RaciAssignment:
    """One cell: a party (and optionally one of its people) holds letters of RACI
    ('' removes the cell)."""

    partner: str
    letters: str
    person: str | None = None


@dataclass
class NewMeeting:
    with_people: list[str]
    forum: str | None = None
    when: datetime | None = None
    summary: str | None = None
    minutes: str | None = None
    minutes_on: date | None = None
    minutes_count: int | None = None  # duration in minutes
    me_attended: bool = True
    decisions: list[str] = field(default_factory=list)


class AllianceWorkService(AllianceBase):
    # -- goals and confirmations -----------------------------------------------------

    @use_case(writes=True)
    def add_goal(self, alliance: str, partner: str, text: str, *, kpi: str | None = None,
                 direction: str | None = None) -> Goal:
        """A goal of one partner; every other partner then confirms or disputes it."""
        body = clean(text, "text", required=True, limit=2000)
        with self.write("ally goal") as j:
            key = self.alliance_key(j.conn, alliance)
            pkey = self.partner_key(j.conn, key, partner)
            gkey = st.insert_row(j, a.alliance_goals, {
                "public_id": ids.new_id("goal"), "alliance_id": key, "partner_id": pkey,
                "text": body, "kpi": clean(kpi, "kpi", limit=200),
                "direction": choice(direction, GOAL_DIRECTIONS, "direction") or "increase"})
            return st.goals_of(j.conn, key, st.parties_of(j.conn, key), [gkey])[0]

    @use_case()
    def goals(self, alliance: str) -> list[Goal]:
        """Each partner's goals, with the other partners' confirmations or disputes."""
        with self.svc.db.read() as conn:
            key = self.alliance_key(conn, alliance, archived=True)
            return st.goals_of(conn, key, st.parties_of(conn, key))

    @use_case(writes=True)
    def confirm(self, alliance: str, item: str, partner: str, verdict: str, *,
                comment: str | None = None, person: str | None = None) -> Goal | Decision:
        """A partner confirms or disputes another partner's goal, decision or action
        plan (`item` is its id). The latest word of each partner counts."""
        with self.write("ally confirm") as j:
            key = self.alliance_key(j.conn, alliance)
            pkey = self.partner_key(j.conn, key, partner)
            pers = self.person_key(j.conn, person) if person else None
            return self.confirm_in(j, key, item, pkey, verdict, comment, pers, "manual")

    def confirm_in(self, j: Journal, alliance_key: int, item: str, partner_key: int,
                   verdict: str, comment: str | None, person_key: int | None,
                   via: str) -> Goal | Decision:
        """Inside a write: record the verdict (links use this too)."""
        v = choice(verdict, VERDICTS + ("confirm", "dispute"), "verdict")
        v = {"confirm": "confirmed", "dispute": "disputed"}.get(v or "", v)
        note = clean(comment, "comment", limit=4000)
        if v == "disputed" and not note:
            raise InvalidInput("say what is wrong: a dispute needs a comment.", field="comment")
        kind, subject = self.item_key(j.conn, alliance_key, item)
        table = a.alliance_goals if kind == "goal" else a.alliance_decisions
        owner = st.owner_partner(j.conn, table, subject)
        if owner == partner_key:
            raise Conflict(f"a partner does not confirm its own {kind}; another partner must.")
        if partner_key not in st.current_party_keys(j.conn, alliance_key):
            raise Conflict("that partner has left the alliance.")
        st.insert_confirmation(j, alliance_key, kind, subject, partner_key, person_key, v or "",
                               note, via)
        parties = st.parties_of(j.conn, alliance_key)
        if kind == "goal":
            return st.goals_of(j.conn, alliance_key, parties, [subject])[0]
        return st.decisions_of(j.conn, alliance_key, parties, [subject])[0]

    def item_key(self, conn: Connection, alliance_key: int, item: str) -> tuple[str, int]:
        text = (item or "").strip().lower()
        if text.startswith(ids.PREFIXES["goal"] + "_"):
            return "goal", self.row_key(conn, a.alliance_goals, alliance_key, text, "goal")
        if text.startswith(ids.PREFIXES["decision"] + "_"):
            return "decision", self.row_key(conn, a.alliance_decisions, alliance_key, text,
                                            "decision")
        raise InvalidInput(f"'{item}' is not the id of a goal or a decision.", field="item",
                           hint="Goal ids start with gol_, decision ids with dec_.")

    # -- activities and the RACI -------------------------------------------------------

    @use_case(writes=True)
    def add_activity(self, alliance: str, name: str, *, deliverable: str | None = None,
                     joint: bool = True, objective: str | None = None,
                     obligation: str | None = None, check_in_days: int | None = None,
                     raci: list[RaciAssignment] | None = None) -> Activity:
        """A joint activity; its RACI row follows (`raci`, or `assign` later)."""
        title = clean(name, "name", required=True, limit=300)
        if check_in_days is not None and not 1 <= check_in_days <= 3650:
            raise InvalidInput("the check-in interval is 1 to 3650 days.", field="check_in_days")
        with self.write("ally activity") as j:
            key = self.alliance_key(j.conn, alliance)
            akey = st.insert_row(j, a.alliance_activities, {
                "public_id": ids.new_id("activity"), "alliance_id": key, "name": title,
                "deliverable": clean(deliverable, "deliverable", limit=2000), "joint": joint,
                "objective_id": self.row_key(j.conn, a.alliance_objectives, key, objective,
                                             "objective") if objective else None,
                "obligation_id": self.row_key(j.conn, a.alliance_obligations, key, obligation,
                                              "obligation") if obligation else None,
                "check_in_days": check_in_days, "last_update_on": self.svc.today})
            for cell in raci or []:
                self._assign(j, key, akey, cell)
            return self._activity(j.conn, key, akey)

    @use_case(writes=True)
    def assign(self, alliance: str, activity: str, cells: list[RaciAssignment]) -> Activity:
        """Set RACI cells on an activity's row (letters '' clears a cell)."""
        if not cells:
            raise InvalidInput("give at least one party and its letters.", field="raci")
        with self.write("ally raci") as j:
            key = self.alliance_key(j.conn, alliance)
            akey = self.row_key(j.conn, a.alliance_activities, key, activity, "activity")
            for cell in cells:
                self._assign(j, key, akey, cell)
            j.update(a.alliance_activities, akey, {"last_update_on": self.svc.today})
            return self._activity(j.conn, key, akey)

    def _assign(self, j: Journal, alliance_key: int, activity_key: int,
                cell: RaciAssignment) -> None:
        try:
            letters = parse_letters(cell.letters)
        except ValueError as exc:
            raise InvalidInput(f"'{cell.letters}' holds letters other than R, A, C and I "
                               f"({exc}).", field="letters") from None
        pkey = self.partner_key(j.conn, alliance_key, cell.partner)
        person = None
        if cell.person:
            person = self.person_key(j.conn, cell.person)
            mine = st_all.contacts_of_person(j.conn, alliance_key, person)
            me = st_people.me_key(j.conn)
            is_us = st_all.partner_is_us(j.conn, pkey)
            if pkey not in mine and not (person == me and is_us):
                raise InvalidInput("that person is not a contact of that partner.",
                                   field="person",
                                   hint="Add them to the partner's contacts first.")
        st.set_raci(j, activity_key, pkey, person, letters)

    @use_case(writes=True)
    def update_activity(self, alliance: str, activity: str, *, done: bool | None = None,
                        deliverable: str | None = None) -> Activity:
        """A status update (resets the stale clock), or marks it done."""
        with self.write("ally activity update") as j:
            key = self.alliance_key(j.conn, alliance)
            akey = self.row_key(j.conn, a.alliance_activities, key, activity, "activity")
            values: dict[str, object] = {"last_update_on": self.svc.today}
            if done is not None:
                values["done_on"] = self.svc.today if done else None
            if deliverable is not None:
                values["deliverable"] = clean(deliverable, "deliverable", limit=2000)
            j.update(a.alliance_activities, akey, values)
            return self._activity(j.conn, key, akey)

    def _activity(self, conn: Connection, alliance_key: int, activity_key: int) -> Activity:
        found = [x for x in st.activities_of(conn, alliance_key, st.parties_of(conn, alliance_key))
                 if x.key == activity_key]
        return found[0]

    @use_case()
    def activities(self, alliance: str) -> list[Activity]:
        """The RACI grid: every activity with its cells."""
        with self.svc.db.read() as conn:
            key = self.alliance_key(conn, alliance, archived=True)
            return st.activities_of(conn, key, st.parties_of(conn, key))

    # -- obligations -----------------------------------------------------------------------

    @use_case(writes=True)
    def add_obligation(self, alliance: str, text: str, *, partner: str | None = None,
                       kind: str | None = None, due_on: date | None = None) -> Obligation:
        """A contractual duty, an exit provision, an IP or a data term."""
        body = clean(text, "text", required=True, limit=2000)
        with self.write("ally obligation") as j:
            key = self.alliance_key(j.conn, alliance)
            okey = st.insert_row(j, a.alliance_obligations, {
                "public_id": ids.new_id("obligation"), "alliance_id": key, "text": body,
                "partner_id": self.partner_key(j.conn, key, partner) if partner else None,
                "kind": choice(kind, OBLIGATION_KINDS, "kind") or "obligation",
                "due_on": due_on})
            return next(o for o in st.obligations_of(j.conn, key, st.parties_of(j.conn, key))
                        if o.key == okey)

    @use_case(writes=True)
    def close_obligation(self, alliance: str, obligation: str,
                         on: date | None = None) -> Obligation:
        """Mark an obligation done (today by default)."""
        with self.write("ally obligation done") as j:
            key = self.alliance_key(j.conn, alliance)
            okey = self.row_key(j.conn, a.alliance_obligations, key, obligation, "obligation")
            j.update(a.alliance_obligations, okey, {"done_on": on or self.svc.today})
            return next(o for o in st.obligations_of(j.conn, key, st.parties_of(j.conn, key))
                        if o.key == okey)

    @use_case()
    def obligations(self, alliance: str) -> list[Obligation]:
        """Contractual duties, exit provisions, IP and data terms, open and done."""
        with self.svc.db.read() as conn:
            key = self.alliance_key(conn, alliance, archived=True)
            return st.obligations_of(conn, key, st.parties_of(conn, key))

    # -- forums and meetings ---------------------------------------------------------------

    @use_case(writes=True)
    def add_forum(self, alliance: str, name: str, cadence: str, *,
                  layer: str | None = None) -> Forum:
        """A governance body with its agreed cadence (weekly, monthly, quarterly, 14d)."""
        title = clean(name, "name", required=True, limit=200)
        days = parse_days(cadence, field="cadence")
        with self.write("ally forum") as j:
            key = self.alliance_key(j.conn, alliance)
            fkey = st.insert_row(j, a.alliance_forums, {
                "public_id": ids.new_id("forum"), "alliance_id": key, "name": title,
                "layer": choice(layer, FORUM_LAYERS, "layer") or "management",
                "cadence_days": days, "created_on": self.svc.today})
            return next(f for f in st.forum_records(j.conn, key) if f.key == fkey)

    @use_case()
    def forums(self, alliance: str) -> list[Forum]:
        """The governance bodies with their agreed cadence."""
        with self.svc.db.read() as conn:
            key = self.alliance_key(conn, alliance, archived=True)
            return st.forum_records(conn, key)

    @use_case(writes=True)
    def log_meeting(self, alliance: str, new: NewMeeting) -> Meeting:
        """A meeting of the alliance: an interaction with the partners' people (it
        resets their keep-in-touch clocks and shows on their timelines)."""
        if not new.with_people:
            raise InvalidInput("who attended? Name at least one person.", field="with")
        when = new.when or self.svc.now
        if when.tzinfo is None:
            raise InvalidInput("the time needs a time zone.", field="when")
        with self.write("ally meeting") as j:
            key = self.alliance_key(j.conn, alliance)
            fkey = self.row_key(j.conn, a.alliance_forums, key, new.forum, "forum") \
                if new.forum else None
            me = self.svc.people.ensure_me(j)
            people = [self.person_key(j.conn, p) for p in new.with_people]
            summary = clean(new.summary, "summary", limit=2000)
            if summary is None and fkey is not None:
                summary = st.forum_name(j.conn, fkey)
            ikey = st_int.insert_interaction(
                j, ids.new_id("interaction"), [me, *people] if new.me_attended else people,
                occurred_at=when, channel="meeting", minutes=new.minutes_count,
                summary=summary, agreed="\n".join(d.strip() for d in new.decisions
                                                  if d.strip()) or None)
            st_people.set_last_touch(j, [p for p in people if p != me], when)
            st_search.reindex(j.conn, "interaction", ikey)
            minutes = (new.minutes or "").strip() or None
            mkey = st.insert_row(j, a.alliance_meetings, {
                "public_id": ids.new_id("meeting"), "alliance_id": key, "forum_id": fkey,
                "interaction_id": ikey, "minutes": minutes,
                "minutes_on": new.minutes_on or (when.date() if minutes else None)})
            us = self.partner_key(j.conn, key, "us")
            for text in new.decisions:
                if text.strip():
                    self._decision_in(j, key, text, "decision", us, me, None, mkey,
                                      when.date())
            return next(m for m in st.meetings_of(j.conn, key) if m.key == mkey)

    @use_case(writes=True)
    def record_minutes(self, alliance: str, meeting: str, minutes: str) -> Meeting:
        """Record the minutes of a meeting of the alliance."""
        text = (minutes or "").strip()
        if not text:
            raise InvalidInput("the minutes are empty.", field="minutes")
        with self.write("ally minutes") as j:
            key = self.alliance_key(j.conn, alliance)
            mkey = self.row_key(j.conn, a.alliance_meetings, key, meeting, "meeting")
            j.update(a.alliance_meetings, mkey, {"minutes": text, "minutes_on": self.svc.today})
            return next(m for m in st.meetings_of(j.conn, key) if m.key == mkey)

    @use_case()
    def meetings(self, alliance: str) -> list[Meeting]:
        """The alliance's meetings, with their minutes."""
        with self.svc.db.read() as conn:
            key = self.alliance_key(conn, alliance, archived=True)
            return st.meetings_of(conn, key)

    # -- decisions and action items ---------------------------------------------------------

    @use_case(writes=True)
    def record_decision(self, alliance: str, text: str, *, kind: str | None = None,
                        partner: str = "us", person: str | None = None,
                        outcome: str | None = None, meeting: str | None = None,
                        decided_on: date | None = None) -> Decision:
        """A decision, an action plan or a review, recorded by one partner (us by
        default); each other partner must confirm it."""
        with self.write("ally decision") as j:
            key = self.alliance_key(j.conn, alliance)
            pkey = self.partner_key(j.conn, key, partner)
            pers = self.person_key(j.conn, person) if person else (
                self.svc.people.ensure_me(j) if partner.strip().lower() == "us" else None)
            mkey = self.row_key(j.conn, a.alliance_meetings, key, meeting, "meeting") \
                if meeting else None
            dkey = self._decision_in(j, key, text, kind, pkey, pers, outcome, mkey, decided_on)
            return st.decisions_of(j.conn, key, st.parties_of(j.conn, key), [dkey])[0]

    def _decision_in(self, j: Journal, alliance_key: int, text: str, kind: str | None,
                     partner_key: int, person_key: int | None, outcome: str | None,
                     meeting_key: int | None, decided_on: date | None) -> int:
        body = clean(text, "text", required=True, limit=4000)
        k = choice(kind, DECISION_KINDS, "kind") or "decision"
        out = choice(outcome, REVIEW_OUTCOMES, "outcome")
        if k == "review" and out is None:
            raise InvalidInput("a review ends in an outcome: continue, restructure, expand "
                               "or exit.", field="outcome")
        if k != "review" and out is not None:
            raise InvalidInput("only a review has an outcome.", field="outcome")
        return st.insert_row(j, a.alliance_decisions, {
            "public_id": ids.new_id("decision"), "alliance_id": alliance_key, "kind": k,
            "text": body, "outcome": out, "partner_id": partner_key, "person_id": person_key,
            "meeting_id": meeting_key, "decided_on": decided_on or self.svc.today})

    @use_case()
    def decisions(self, alliance: str) -> list[Decision]:
        """The decisions, action plans and reviews recorded, with the partners' confirmations."""
        with self.svc.db.read() as conn:
            key = self.alliance_key(conn, alliance, archived=True)
            return st.decisions_of(conn, key, st.parties_of(conn, key))

    @use_case(writes=True)
    def add_action(self, alliance: str, what: str, owner: str, *, due: date | None = None,
                   to: str | None = None, decision: str | None = None) -> ActionItem:
        """An action item: a promise by a contact of one partner (to the other side's
        sponsor by default), tied to the alliance and optionally to a decision."""
        body = clean(what, "what", required=True, limit=2000)
        with self.write("ally action") as j:
            key = self.alliance_key(j.conn, alliance)
            me = self.svc.people.ensure_me(j)
            by = self.person_key(j.conn, owner)
            parties = st_all.contacts_of_person(j.conn, key, by)
            if not parties and by == me:
                parties = [self.partner_key(j.conn, key, "us")]
            if not parties:
                raise InvalidInput("the owner is not a contact of any partner here.",
                                   field="owner", hint="Add them to a partner's contacts.")
            pkey = parties[0]
            owed_to = self.person_key(j.conn, to) if to else self._counterpart(j.conn, key,
                                                                              pkey, me)
            if owed_to == by:
                raise InvalidInput("an action is owed to someone else; say to whom.",
                                   field="to")
            dkey = self.row_key(j.conn, a.alliance_decisions, key, decision, "decision") \
                if decision else None
            prom = st_promises.insert_promise(j, ids.new_id("promise"), owed_by_id=by,
                                              owed_to_id=owed_to, what=body, due=due)
            st.insert_row(j, a.alliance_actions, {"alliance_id": key, "promise_id": prom,
                                                  "partner_id": pkey, "decision_id": dkey})
            return next(x for x in st.actions_of(j.conn, key, st.parties_of(j.conn, key),
                                                 self.svc.today) if x.key == prom)

    def _counterpart(self, conn: Connection, alliance_key: int, partner_key: int,
                     me: int) -> int:
        """Whom an action is owed to by default: me when the owner is on another side;
        otherwise the sponsor (or first contact) of the first other partner."""
        partners = st_all.partners_of(conn, alliance_key)
        owner = next(p for p in partners if p.key == partner_key)
        if not owner.is_us:
            return me
        for p in partners:
            if p.key != partner_key and p.left_on is None:
                if p.sponsor is not None:
                    return p.sponsor.key
                if p.contacts:
                    return p.contacts[0].key
        raise InvalidInput("no one on the other side to owe it to yet; say to whom.",
                           field="to")

    @use_case()
    def actions(self, alliance: str) -> list[ActionItem]:
        """The action items: each a promise by one partner's contact, with its due date."""
        with self.svc.db.read() as conn:
            key = self.alliance_key(conn, alliance, archived=True)
            return st.actions_of(conn, key, st.parties_of(conn, key), self.svc.today)

    # -- the exit plan -------------------------------------------------------------------------

    @use_case(writes=True)
    def add_exit_item(self, alliance: str, kind: str, text: str, *,
                      partner: str | None = None) -> ExitItem:
        """One line of the termination plan: an obligation to close, a shared asset,
        IP or data to return, a customer to transition."""
        body = clean(text, "text", required=True, limit=2000)
        k = choice(kind, EXIT_ITEM_KINDS, "kind") or "other"
        with self.write("ally exit item") as j:
            key = self.alliance_key(j.conn, alliance)
            xkey = st.insert_row(j, a.alliance_exit_items, {
                "public_id": ids.new_id("exit_item"), "alliance_id": key, "kind": k,
                "text": body,
                "partner_id": self.partner_key(j.conn, key, partner) if partner else None})
            return next(x for x in st.exit_items_of(j.conn, key, st.parties_of(j.conn, key))
                        if x.key == xkey)

    @use_case(writes=True)
    def close_exit_item(self, alliance: str, item: str, on: date | None = None) -> ExitItem:
        """Mark a line of the termination plan done (today by default)."""
        with self.write("ally exit done") as j:
            key = self.alliance_key(j.conn, alliance)
            xkey = self.row_key(j.conn, a.alliance_exit_items, key, item, "exit item")
            j.update(a.alliance_exit_items, xkey, {"done_on": day(on, "on") or self.svc.today})
            return next(x for x in st.exit_items_of(j.conn, key, st.parties_of(j.conn, key))
                        if x.key == xkey)

    @use_case()
    def exit_plan(self, alliance: str) -> list[ExitItem]:
        """The termination plan: obligations to close, shared assets, IP and data, line by line."""
        with self.svc.db.read() as conn:
            key = self.alliance_key(conn, alliance, archived=True)
            return st.exit_items_of(conn, key, st.parties_of(conn, key))
