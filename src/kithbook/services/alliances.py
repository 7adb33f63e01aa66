"""The alliance record and its lifecycle: create, edit, list, show, archive; partners,
their sponsors and contacts; documents; the stage gate and stage moves
(docs/alliance-management.md)."""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kithbook import ids
from kithbook.domain.alliances import lifecycle
from kithbook.domain.alliances.facts import (
    DOCUMENT_KINDS,
    STAGES,
    TERMINATION_CODES,
    TYPES,
)
from kithbook.domain.alliances.records import (
    Alliance,
    AllianceSummary,
    Document,
    Partner,
    StageMove,
)
from kithbook.domain.models import Page, Record
from kithbook.errors import Conflict, InvalidInput, NotFound
from kithbook.services.alliance_base import AllianceBase, choice, clean, day
from kithbook.services.catalog import use_case
from kithbook.store import alliance_facts as st_facts
from kithbook.store import alliance_items as st_items
from kithbook.store import alliances as st
from kithbook.store import people as st_people
from kithbook.store import schema_alliances as a

CURRENCY_LEN = 3


@dataclass
class NewAlliance:
    """What `create` takes. `us` names our own organization (default: my current
    employer); `partners` are the other organizations, created in the rolodex if new."""

    name: str
    type: str | None = None
    purpose: str | None = None
    rationale: str | None = None
    us: str | None = None
    partners: list[str] = field(default_factory=list)
    started_on: date | None = None
    planned_end_on: date | None = None
    notice_days: int | None = None
    decision_on: date | None = None
    currency: str = "EUR"
    sla_hours: int | None = None


@dataclass
class AllianceChanges:
    """Fields to change; None leaves a field as it is."""

    name: str | None = None
    type: str | None = None
    purpose: str | None = None
    rationale: str | None = None
    started_on: date | None = None
    planned_end_on: date | None = None
    notice_days: int | None = None
    decision_on: date | None = None
    currency: str | None = None
    sla_hours: int | None = None
    termination_code: str | None = None
    termination_reason: str | None = None
    lessons: str | None = None


@dataclass
class GateView(Record):
    """What blocks the next stage (`criteria` not met) and the continuous checks."""

    id: str  # the alliance's id
    name: str
    stage: str
    next: str | None
    open: bool
    criteria: list[lifecycle.Criterion]
    advisories: list[lifecycle.Criterion]


@dataclass
class StageResult(Record):
    id: str
    name: str
    stage: str
    move: StageMove
    forced: bool
    unmet: list[lifecycle.Criterion]


class AllianceService(AllianceBase):
    # -- the record ------------------------------------------------------------------

    @use_case(writes=True)
    def create(self, new: NewAlliance) -> Alliance:
        """A new alliance in the explore stage, with us and the partners named."""
        name = clean(new.name, "name", required=True, limit=300)
        assert name is not None
        values = self._values(AllianceChanges(
            type=new.type, purpose=new.purpose, rationale=new.rationale,
            started_on=new.started_on, planned_end_on=new.planned_end_on,
            notice_days=new.notice_days, decision_on=new.decision_on, currency=new.currency,
            sla_hours=new.sla_hours))
        with self.write("ally create") as j:
            if st.keys_by_exact_name(j.conn, name):
                raise Conflict(f"an alliance named '{name}' exists already.",
                               hint="Pick another name, or change the existing one.")
            me = self.svc.people.ensure_me(j)
            us_org = self._us_org(j.conn, me, new.us)
            key = st.insert_alliance(j, ids.new_id("alliance"), name, **values)
            us_key = st.insert_partner(j, ids.new_id("partner"), key,
                                       self.svc.orgs.ensure(j, us_org) if isinstance(us_org, str)
                                       else us_org, is_us=True)
            st.insert_contact(j, us_key, me, None)
            for org in dict.fromkeys(p.strip() for p in new.partners if p.strip()):
                org_key = self.svc.orgs.ensure(j, org)
                if st.partner_key_for_org(j.conn, key, org_key) is None:
                    st.insert_partner(j, ids.new_id("partner"), key, org_key)
        return self.get_by_key(key)

    def _us_org(self, conn: Any, me: int, us: str | None) -> str | int:
        if us and us.strip():
            return us.strip()
        person = st_people.get_person(conn, me)
        role = person.current_role if person else None
        if role is None:
            raise InvalidInput("which organization is us in this alliance?", field="us",
                               hint="Name our own organization.")
        return self.svc.resolve.org_key(conn, role.org_id, field="us")

    def _values(self, ch: AllianceChanges) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if ch.name is not None:
            out["name"] = clean(ch.name, "name", required=True, limit=300)
        if ch.type is not None:
            out["type"] = choice(ch.type, TYPES, "type")
        for f in ("purpose", "rationale", "termination_reason", "lessons"):
            v = getattr(ch, f)
            if v is not None:
                out[f] = (v.strip() or None) if isinstance(v, str) else None
                if out[f] is not None and len(out[f]) > 20_000:
                    raise InvalidInput(f"the {f} is longer than 20,000 characters.", field=f)
        for f in ("started_on", "planned_end_on", "decision_on"):
            v = getattr(ch, f)
            if v is not None:
                out[f] = day(v, f)
        for f, low, high in (("notice_days", 0, 3650), ("sla_hours", 1, 24 * 365)):
            v = getattr(ch, f)
            if v is not None:
                if not low <= int(v) <= high:
                    raise InvalidInput(f"{f.replace('_', ' ')} must be between {low} and "
                                       f"{high}.", field=f)
                out[f] = int(v)
        if ch.currency is not None:
            cur = ch.currency.strip().upper()
            if len(cur) != CURRENCY_LEN or not cur.isalpha():
                raise InvalidInput(f"'{ch.currency}' is not a currency code.",
                                   field="currency", hint="Use three letters, e.g. EUR.")
            out["currency"] = cur
        if ch.termination_code is not None:
            out["termination_code"] = choice(ch.termination_code, TERMINATION_CODES,
                                             "termination_code")
        started, ends = out.get("started_on"), out.get("planned_end_on")
        if started and ends and ends < started:
            raise InvalidInput("the planned end is before the start.", field="planned_end_on")
        return out

    @use_case(writes=True)
    def edit(self, alliance: str, changes: AllianceChanges) -> Alliance:
        """Change an alliance's details: name, type, purpose, dates, notice, currency, SLA,
        termination, lessons."""
        values = self._values(changes)
        if not values:
            raise InvalidInput("nothing to change.", field="alliance")
        with self.write("ally edit") as j:
            key = self.alliance_key(j.conn, alliance)
            if "name" in values and [
                    k for k in st.keys_by_exact_name(j.conn, values["name"]) if k != key]:
                raise Conflict(f"an alliance named '{values['name']}' exists already.")
            row = st.get_alliance(j.conn, key)
            assert row is not None
            started = values.get("started_on", row.started_on)
            ends = values.get("planned_end_on", row.planned_end_on)
            if started and ends and ends < started:
                raise InvalidInput("the planned end is before the start.",
                                   field="planned_end_on")
            st.update_alliance(j, key, values)
        return self.get_by_key(key)

    def get_by_key(self, key: int) -> Alliance:
        with self.svc.db.read() as conn:
            found = st.get_alliance(conn, key)
        if found is None:
            raise NotFound("that alliance is no longer here.")
        return found

    @use_case()
    def get(self, alliance: str) -> Alliance:
        """The record: details, partners with sponsors and contacts, documents."""
        with self.svc.db.read() as conn:
            key = self.alliance_key(conn, alliance, archived=True)
            found = st.get_alliance(conn, key)
        assert found is not None
        return found

    @use_case()
    def list(self, *, stage: str | None = None, archived: bool = False, limit: int = 100,
             offset: int = 0) -> Page[AllianceSummary]:
        """The portfolio, by name; archived ones only when asked."""
        if stage is not None:
            stage = choice(stage, STAGES, "stage")
        if not 1 <= limit <= 1000:
            raise InvalidInput("the page size must be between 1 and 1000.", field="limit")
        with self.svc.db.read() as conn:
            items, total = st.list_alliances(conn, stage=stage, archived=archived, limit=limit,
                                             offset=offset)
        return Page(total, items)

    @use_case(writes=True)
    def archive(self, alliance: str) -> Alliance:
        """Off the portfolio and the agenda, kept in full; undo restores it."""
        with self.write("ally archive") as j:
            key = self.alliance_key(j.conn, alliance)
            st.update_alliance(j, key, {"deleted_at": j.now})
        return self.get_by_key(key)

    @use_case(writes=True)
    def restore(self, alliance: str) -> Alliance:
        """Bring an archived alliance back to the portfolio."""
        with self.write("ally restore") as j:
            key = self.alliance_key(j.conn, alliance, archived=True)
            st.update_alliance(j, key, {"deleted_at": None})
        return self.get_by_key(key)

    # -- partners ----------------------------------------------------------------------

    @use_case(writes=True)
    def add_partner(self, alliance: str, org: str, *, sponsor: str | None = None,
                    role: str | None = None, share_bp: int | None = None,
                    contacts: builtins.list[str] | None = None, us: bool = False) -> Partner:
        """Add an organization (from the rolodex, created if new) as a partner, with
        its sponsor and contacts; adding a known partner fills in what is new."""
        role = clean(role, "role", limit=40)
        if share_bp is not None and not 0 <= share_bp <= 10_000:
            raise InvalidInput("the agreed share is in basis points, 0 to 10,000.",
                               field="share_bp")
        with self.write("ally partner") as j:
            key = self.alliance_key(j.conn, alliance)
            org_key: int | None = None
            pkey: int | None
            if org.strip().lower() in ("us", "we"):
                pkey = self.partner_key(j.conn, key, "us")
            else:
                org_key = self.svc.orgs.ensure(j, org)
                pkey = st.partner_key_for_org(j.conn, key, org_key)
            if us:
                current_us = self._us_key(j.conn, key)
                if current_us is not None and current_us != pkey:
                    raise Conflict("this alliance already has a partner marked as us.")
            if pkey is None:
                assert org_key is not None
                pkey = st.insert_partner(j, ids.new_id("partner"), key, org_key, is_us=us,
                                         role=role, share_bp=share_bp,
                                         joined_on=self.svc.today)
            else:
                changes: dict[str, Any] = {"left_on": None}
                if role is not None:
                    changes["role"] = role
                if share_bp is not None:
                    changes["share_bp"] = share_bp
                j.update(a.alliance_partners, pkey, changes)
            if sponsor:
                person = self.person_key(j.conn, sponsor)
                j.update(a.alliance_partners, pkey, {"sponsor_id": person})
                self._ensure_contact(j, pkey, person, "sponsor")
            for c in contacts or []:
                self._ensure_contact(j, pkey, self.person_key(j.conn, c), None)
        return self._partner(key, pkey)

    def _us_key(self, conn: Any, alliance_key: int) -> int | None:
        return next((p.key for p in st.partners_of(conn, alliance_key) if p.is_us), None)

    def _ensure_contact(self, j: Any, partner_key: int, person_key: int,
                        role: str | None) -> None:
        existing = st.contact_key(j.conn, partner_key, person_key)
        if existing is None:
            st.insert_contact(j, partner_key, person_key, role)
        else:
            changes: dict[str, Any] = {"departed_on": None}
            if role:
                changes["role"] = role
            j.update(a.alliance_contacts, existing, changes)

    @use_case(writes=True)
    def edit_partner(self, alliance: str, partner: str, *, sponsor: str | None = None,
                     role: str | None = None, share_bp: int | None = None,
                     left_on: date | None = None) -> Partner:
        """Change a partner's sponsor, role or agreed share, or record that it left."""
        with self.write("ally partner edit") as j:
            key = self.alliance_key(j.conn, alliance)
            pkey = self.partner_key(j.conn, key, partner)
            changes: dict[str, Any] = {}
            if sponsor:
                person = self.person_key(j.conn, sponsor)
                changes["sponsor_id"] = person
                self._ensure_contact(j, pkey, person, "sponsor")
            if role is not None:
                changes["role"] = clean(role, "role", limit=40)
            if share_bp is not None:
                if not 0 <= share_bp <= 10_000:
                    raise InvalidInput("the agreed share is in basis points, 0 to 10,000.",
                                       field="share_bp")
                changes["share_bp"] = share_bp
            if left_on is not None:
                changes["left_on"] = left_on
            if not changes:
                raise InvalidInput("nothing to change.", field="partner")
            j.update(a.alliance_partners, pkey, changes)
        return self._partner(key, pkey)

    @use_case(writes=True)
    def add_contact(self, alliance: str, partner: str, person: str,
                    role: str | None = None) -> Partner:
        """A person of the partner's side joins the alliance (from the rolodex)."""
        role = clean(role, "role", limit=100)
        with self.write("ally contact") as j:
            key = self.alliance_key(j.conn, alliance)
            pkey = self.partner_key(j.conn, key, partner)
            pers = self.person_key(j.conn, person)
            other = [k for k in st.contacts_of_person(j.conn, key, pers) if k != pkey]
            if other:
                raise Conflict("that person is already a contact of another partner here.",
                               hint="Record their departure there first.")
            self._ensure_contact(j, pkey, pers, role)
        return self._partner(key, pkey)

    @use_case(writes=True)
    def depart_contact(self, alliance: str, person: str, on: date | None = None) -> Partner:
        """A contact leaves the alliance; their open accountabilities become stale."""
        with self.write("ally contact left") as j:
            key = self.alliance_key(j.conn, alliance)
            pers = self.person_key(j.conn, person)
            parties = st.contacts_of_person(j.conn, key, pers)
            contact = next((c for p in parties
                            if (c := st.contact_key(j.conn, p, pers)) is not None), None)
            if contact is None:
                raise NotFound("that person is not a contact of this alliance.")
            j.update(a.alliance_contacts, contact, {"departed_on": on or self.svc.today})
            pkey = parties[0]
        return self._partner(key, pkey)

    def _partner(self, alliance_key: int, partner_key: int) -> Partner:
        with self.svc.db.read() as conn:
            found = next((p for p in st.partners_of(conn, alliance_key)
                          if p.key == partner_key), None)
        assert found is not None
        return found

    # -- documents ---------------------------------------------------------------------

    @use_case(writes=True)
    def add_document(self, alliance: str, title: str, location: str,
                     kind: str | None = None, added_on: date | None = None) -> Document:
        """A link or a file path: the agreement, the exit provisions, minutes..."""
        t = clean(title, "title", required=True, limit=300)
        loc = (location or "").strip()
        if not loc:
            raise InvalidInput("where is the document? Give a link or a file path.",
                               field="location")
        if len(loc) > 2000:
            raise InvalidInput("the location is longer than 2,000 characters.",
                               field="location")
        with self.write("ally document") as j:
            key = self.alliance_key(j.conn, alliance)
            dkey = st.insert_document(j, ids.new_id("document"), key, title=t, location=loc,
                                      kind=choice(kind, DOCUMENT_KINDS, "kind") or "other",
                                      added_on=added_on or self.svc.today)
            found = next(d for d in st.documents_of(j.conn, key) if d.key == dkey)
        return found

    # -- lifecycle ---------------------------------------------------------------------

    @use_case()
    def gate(self, alliance: str) -> GateView:
        """What blocks the next stage, computed from the data."""
        with self.svc.db.read() as conn:
            key = self.alliance_key(conn, alliance, archived=True)
            facts = st_facts.load(conn, key, self.svc.now, history=False)
        g = lifecycle.gate(facts, self.svc.now)
        return GateView(facts.id, facts.name, g.stage, g.next, g.open, list(g.criteria),
                        list(g.advisories))

    @use_case(writes=True)
    def move(self, alliance: str, to: str, *, force: bool = False,
             reason: str | None = None) -> StageResult:
        """Move to another stage ('next' for the following one). Forward past unmet
        criteria only with `force`; the move and what was unmet are journaled."""
        target = (to or "").strip().lower()
        with self.write("ally stage") as j:
            key = self.alliance_key(j.conn, alliance)
            facts = st_facts.load(j.conn, key, j.now, history=False)
            if target == "next":
                nxt = lifecycle.next_stage(facts.stage)
                if nxt is None:
                    raise Conflict("the alliance is closed: there is no next stage.")
                target = nxt
            target = choice(target, STAGES, "stage") or facts.stage
            if target == facts.stage:
                raise Conflict(f"the alliance is already in the {target} stage.")
            unmet = lifecycle.entry_criteria(target, facts, j.now)
            if unmet and not force:
                raise Conflict(
                    f"{len(unmet)} criteri{'a' if len(unmet) != 1 else 'on'} for moving to "
                    f"{target} {'are' if len(unmet) != 1 else 'is'} not met: "
                    + "; ".join(c.text + (f" ({c.detail})" if c.detail else "")
                                for c in unmet) + ".",
                    hint="Meet them, or force the move (it is journaled with what was unmet).")
            st.update_alliance(j, key, {"stage": target})
            st_items.insert_row(j, a.alliance_stage_log, {
                "alliance_id": key, "at": j.now, "from_stage": facts.stage, "to_stage": target,
                "forced": bool(unmet), "unmet": [c.text for c in unmet],
                "reason": clean(reason, "reason", limit=2000)})
            moves = st_items.stage_log_of(j.conn, key, facts.id)
        return StageResult(facts.id, facts.name, target, moves[-1], bool(unmet), unmet)

    @use_case()
    def stage_log(self, alliance: str) -> builtins.list[StageMove]:
        """The alliance's stage moves in order: when, from and to, forced past what, and why."""
        with self.svc.db.read() as conn:
            key = self.alliance_key(conn, alliance, archived=True)
            pub = st.get_alliance(conn, key)
            assert pub is not None
            return st_items.stage_log_of(conn, key, pub.id)
