"""Measures and motivation: objectives and measurements with pacing, contributions
committed and delivered (the skin-in-the-game ledger), and two-sided anonymous health
checks (docs/alliance-management.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection

from kithbook import ids
from kithbook.domain.alliances import pacing, perception
from kithbook.domain.alliances.contributions import ledger
from kithbook.domain.alliances.facts import (
    CONTRIBUTION_KINDS,
    CONTRIBUTION_STAGES,
    DIMENSIONS,
    OBJECTIVE_KINDS,
    AllianceFacts,
)
from kithbook.domain.alliances.records import (
    CheckSummary,
    Contribution,
    LedgerLine,
    Measurement,
    Objective,
    PartyLedger,
    PartyRef,
    PerceptionGap,
    SideAnswers,
)
from kithbook.errors import Conflict, InvalidInput
from kithbook.services.alliance_base import AllianceBase, choice, clean, day, money
from kithbook.services.catalog import use_case
from kithbook.store import alliance_facts as st_facts
from kithbook.store import alliance_items as st_items
from kithbook.store import alliance_measures as st
from kithbook.store import schema_alliances as a
from kithbook.store.journal import Journal
from kithbook.store.people import refs_by_keys


@dataclass
class NewObjective:
    name: str
    metric: str | None = None
    unit: str | None = None
    kind: str | None = None  # ends, means
    baseline: Decimal | str | None = None
    target: Decimal | str | None = None
    start_on: date | None = None
    deadline: date | None = None
    owner: str | None = None  # a partner
    owner_person: str | None = None
    weight: int = 1
    goal: str | None = None


class AllianceMeasureService(AllianceBase):
    # -- objectives ------------------------------------------------------------------

    @use_case(writes=True)
    def add_objective(self, alliance: str, new: NewObjective) -> Objective:
        """An objective with metric, baseline, target, deadline, owner and weight."""
        name = clean(new.name, "name", required=True, limit=300)
        if not 1 <= new.weight <= 100:
            raise InvalidInput("the weight is 1 to 100.", field="weight")
        baseline = money(new.baseline, "baseline", allow_negative=True)
        target = money(new.target, "target", allow_negative=True)
        start, deadline = day(new.start_on, "start_on"), day(new.deadline, "deadline")
        if start and deadline and deadline <= start:
            raise InvalidInput("the deadline is not after the start.", field="deadline")
        with self.write("ally objective") as j:
            key = self.alliance_key(j.conn, alliance)
            owner = self.partner_key(j.conn, key, new.owner) if new.owner else None
            okey = st_items.insert_row(j, a.alliance_objectives, {
                "public_id": ids.new_id("objective"), "alliance_id": key, "name": name,
                "metric": clean(new.metric, "metric", limit=200),
                "unit": clean(new.unit, "unit", limit=40),
                "kind": choice(new.kind, OBJECTIVE_KINDS, "kind") or "ends",
                "baseline": baseline, "target": target, "start_on": start,
                "deadline": deadline, "owner_partner_id": owner,
                "owner_person_id": self.person_key(j.conn, new.owner_person)
                if new.owner_person else None,
                "weight": new.weight,
                "goal_id": self.row_key(j.conn, a.alliance_goals, key, new.goal, "goal")
                if new.goal else None})
        return self._objective(key, okey)

    @use_case(writes=True)
    def measure(self, alliance: str, objective: str, value: Decimal | str,
                on: date | None = None, note: str | None = None) -> Objective:
        """Record where an objective stands on a day (today by default)."""
        v = money(value, "value", allow_negative=True)
        if v is None:
            raise InvalidInput("the value is needed.", field="value")
        with self.write("ally measure") as j:
            key = self.alliance_key(j.conn, alliance)
            okey = self.row_key(j.conn, a.alliance_objectives, key, objective, "objective")
            st_items.insert_row(j, a.alliance_measurements, {
                "objective_id": okey, "measured_on": on or self.svc.today, "value": v,
                "note": clean(note, "note", limit=2000)})
        return self._objective(key, okey)

    def _objective(self, alliance_key: int, objective_key: int) -> Objective:
        with self.svc.db.read() as conn:
            facts = st_facts.load(conn, alliance_key, self.svc.now)
            return next(o for o in self.objective_records(conn, facts) if o.key == objective_key)

    @use_case()
    def objectives(self, alliance: str, *, history: bool = False) -> list[Objective]:
        """Objectives with their pacing (and the measurements when `history`)."""
        with self.svc.db.read() as conn:
            key = self.alliance_key(conn, alliance, archived=True)
            facts = st_facts.load(conn, key, self.svc.now)
            return self.objective_records(conn, facts, history=history)

    def objective_records(self, conn: Connection, facts: AllianceFacts, *,
                          history: bool = False) -> list[Objective]:
        parties = {p.key: p for p in facts.parties}
        refs = refs_by_keys(conn, [o.owner_person_key for o in facts.objectives
                                   if o.owner_person_key])
        goals = {g.key: g.id for g in facts.goals}
        out = []
        for o, p in zip(facts.objectives, pacing.paces(facts, self.svc.today), strict=True):
            owner = parties.get(o.owner_party_key) if o.owner_party_key else None
            out.append(Objective(
                id=o.id, name=o.name, metric=o.metric, unit=o.unit, kind=o.kind,
                baseline=o.baseline, target=o.target, start_on=o.start_on, deadline=o.deadline,
                owner=PartyRef(owner.id, owner.name, owner.is_us, owner.key) if owner else None,
                owner_person=refs.get(o.owner_person_key) if o.owner_person_key else None,
                weight=o.weight, goal_id=goals.get(o.goal_key) if o.goal_key else None,
                status=p.status, latest_value=p.latest.value if p.latest else None,
                latest_on=p.latest.on if p.latest else None, progress=p.progress,
                expected=p.expected, linear_ratio=p.linear_ratio,
                linear_at_risk=p.linear_at_risk, projected=p.projected,
                projected_progress=p.projected_progress, to_date_at_risk=p.to_date_at_risk,
                measurements=[Measurement(f"{o.id}@{m.on}", str(m.value), m.on, m.value)
                              for m in o.measurements] if history else [],
                key=o.key))
        return out

    # -- contributions ---------------------------------------------------------------

    @use_case(writes=True)
    def contribute(self, alliance: str, partner: str, kind: str, amount: Decimal | str, *,
                   stage: str | None = None, rate: Decimal | str | None = None,
                   on: date | None = None, description: str | None = None) -> Contribution:
        """A ledger line: cash, hours (at a rate), an asset (at its value) or
        introductions (at a value each), committed or delivered."""
        k = choice(kind, CONTRIBUTION_KINDS, "kind")
        stg = choice(stage, CONTRIBUTION_STAGES, "stage") or "committed"
        amt = money(amount, "amount")
        if k is None or amt is None:
            raise InvalidInput("the kind and the amount are needed.", field="amount")
        r = money(rate, "rate")
        if r is not None and k not in ("hours", "introduction"):
            raise InvalidInput("only hours and introductions have a rate.", field="rate")
        with self.write("ally contribution") as j:
            key = self.alliance_key(j.conn, alliance)
            pkey = self.partner_key(j.conn, key, partner)
            ckey = st_items.insert_row(j, a.alliance_contributions, {
                "public_id": ids.new_id("contribution"), "alliance_id": key,
                "partner_id": pkey, "kind": k, "stage": stg, "amount": amt, "rate": r,
                "description": clean(description, "description", limit=2000),
                "on_date": on or self.svc.today})
            parties = st_items.parties_of(j.conn, key)
            return next(c for c in st.contributions_of(j.conn, key, parties) if c.key == ckey)

    @use_case()
    def contributions(self, alliance: str) -> list[Contribution]:
        """The alliance's ledger lines: what each party contributed (cash, hours, assets,
        introductions)."""
        with self.svc.db.read() as conn:
            key = self.alliance_key(conn, alliance, archived=True)
            return st.contributions_of(conn, key, st_items.parties_of(conn, key))

    @use_case()
    def ledger(self, alliance: str) -> list[PartyLedger]:
        """Committed against delivered per party, side by side."""
        with self.svc.db.read() as conn:
            key = self.alliance_key(conn, alliance, archived=True)
            facts = st_facts.load(conn, key, self.svc.now, history=False)
        return ledger_records(facts, self.svc.today)

    # -- health checks ---------------------------------------------------------------

    @use_case(writes=True)
    def open_check(self, alliance: str, *, min_group: int = 3,
                   closes_on: date | None = None) -> CheckSummary:
        """A new round of anonymous ratings by each party's people."""
        if not 1 <= min_group <= 50:
            raise InvalidInput("the minimum group size is 1 to 50.", field="min_group")
        with self.write("ally check") as j:
            key = self.alliance_key(j.conn, alliance)
            ckey = st_items.insert_row(j, a.alliance_checks, {
                "public_id": ids.new_id("check"), "alliance_id": key,
                "opened_on": self.svc.today, "closes_on": closes_on, "min_group": min_group})
        return self._check(key, ckey)

    @use_case(writes=True)
    def rate(self, alliance: str, check: str, partner: str, ratings: dict[str, int],
             comment: str | None = None) -> CheckSummary:
        """One anonymous answer for a party: the dimensions rated 1-5. Nothing records
        who gave it (the private link journals that someone answered)."""
        with self.write("ally check answer") as j:
            key = self.alliance_key(j.conn, alliance)
            ckey = self.row_key(j.conn, a.alliance_checks, key, check, "health check")
            pkey = self.partner_key(j.conn, key, partner)
            self.rate_in(j, ckey, pkey, ratings, comment)
        return self._check(key, ckey)

    def rate_in(self, j: Journal, check_key: int, partner_key: int,
                ratings: dict[str, int], comment: str | None) -> None:
        """Inside a write: store one anonymous answer (links use this too)."""
        clean_ratings = valid_ratings(ratings)
        row = st_items.item_row(j.conn, a.alliance_checks, check_key)
        if row.closes_on is not None and self.svc.today > row.closes_on:
            raise Conflict("this health check is closed.")
        st_items.insert_row(j, a.alliance_check_responses, {
            "check_id": check_key, "partner_id": partner_key, "answered_on": self.svc.today,
            "ratings": clean_ratings, "comment": clean(comment, "comment", limit=4000)})

    def _check(self, alliance_key: int, check_key: int) -> CheckSummary:
        with self.svc.db.read() as conn:
            facts = st_facts.load(conn, alliance_key, self.svc.now, history=False)
            return next(c for c in check_records(conn, facts) if c.key == check_key)

    @use_case()
    def checks(self, alliance: str) -> list[CheckSummary]:
        """Every health check, with each side's answers once it reached the minimum
        group, and the perception gaps."""
        with self.svc.db.read() as conn:
            key = self.alliance_key(conn, alliance, archived=True)
            facts = st_facts.load(conn, key, self.svc.now, history=False)
            return check_records(conn, facts)


def valid_ratings(ratings: dict[str, int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for dim, value in ratings.items():
        d = dim.strip().lower().replace("-", "_").replace(" ", "_")
        if d not in DIMENSIONS:
            raise InvalidInput(f"'{dim}' is not a health-check dimension.", field="ratings",
                               hint=f"Rate any of: {', '.join(DIMENSIONS)}.")
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise InvalidInput(f"rate {d} from 1 to 5.", field=d)
        out[d] = value
    if not out:
        raise InvalidInput("rate at least one dimension from 1 to 5.", field="ratings")
    return out


def ledger_records(facts: AllianceFacts, today: date) -> list[PartyLedger]:
    return [PartyLedger(
        id=lg.id, name=lg.name, committed=lg.committed, delivered=lg.delivered,
        outstanding=lg.outstanding, ratio=lg.ratio,
        lines=[LedgerLine(f"{lg.id}:{ln.kind}", ln.kind, ln.committed_amount,
                          ln.delivered_amount, ln.committed_value, ln.delivered_value)
               for ln in lg.lines])
        for lg in ledger(facts, today)]


def check_records(conn: Connection, facts: AllianceFacts) -> list[CheckSummary]:
    rows = {r.id: r for r in st.check_rows(conn, facts.key)}
    out = []
    for c in facts.checks:
        p = perception.perception(facts, c)
        out.append(CheckSummary(
            id=c.id, name=f"health check {c.opened_on}", opened_on=c.opened_on,
            closes_on=rows[c.key].closes_on, min_group=c.min_group,
            responses=len(c.responses), held_back=p.held_back, score=p.score,
            sides=[SideAnswers(x.id, x.name, x.responses, x.shown, dict(x.means))
                   for x in p.sides],
            gaps=[PerceptionGap(g.dimension, g.label, round(g.spread, 2), list(g.low_sides),
                                g.flagged) for g in p.gaps],
            key=c.key))
    return out
