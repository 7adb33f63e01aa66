"""Views over alliances: the portfolio with each alliance's health, one alliance's
findings, health (per side, combined, over time), the whole page, and the quarterly
scorecard (docs/alliance-management.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Connection

from kithbook.domain.alliances import communication as comm
from kithbook.domain.alliances import communication_alerts as comm_alerts
from kithbook.domain.alliances import health as rules
from kithbook.domain.alliances import lifecycle, perception, raci
from kithbook.domain.alliances.evaluation import Evaluation, evaluate
from kithbook.domain.alliances.facts import DIMENSIONS, AllianceFacts, Finding, sort_findings
from kithbook.domain.alliances.records import (
    ActionItem,
    Activity,
    Alliance,
    CheckSummary,
    Decision,
    ExitItem,
    Forum,
    Goal,
    Meeting,
    Objective,
    Obligation,
    PartyLedger,
    StageMove,
)
from kithbook.domain.models import Record
from kithbook.services.alliance_base import AllianceBase
from kithbook.services.alliance_measures import check_records, ledger_records
from kithbook.services.alliances import GateView
from kithbook.services.catalog import use_case
from kithbook.store import alliance_facts as st_facts
from kithbook.store import alliance_items as st_items
from kithbook.store import alliances as st

TREND_QUARTERS = 4


@dataclass
class SideHealth(Record):
    id: str  # the partner's id
    name: str
    score: float | None
    category: str
    capped: bool
    weakest: str | None
    coverage: float
    thin: bool
    is_us: bool = False


@dataclass
class HealthPoint(Record):
    id: str  # the day
    name: str  # the category
    on: date
    score: float | None


@dataclass
class HealthView(Record):
    """The composite score, combined and per side, with its components and trend."""

    id: str
    name: str
    score: float | None
    category: str
    capped: bool
    weakest: str | None
    coverage: float
    thin: bool
    trend: str | None
    components: list[rules.Component] = field(default_factory=list)
    sides: list[SideHealth] = field(default_factory=list)
    series: list[HealthPoint] = field(default_factory=list)


@dataclass
class PortfolioLine(Record):
    id: str
    name: str
    type: str | None
    stage: str
    partners: list[str]
    score: float | None
    category: str
    capped: bool
    weakest: str | None
    coverage: float
    errors: int
    warnings: int
    next_stage: str | None
    gate_open: bool
    unmet: int
    decision_on: date | None = None
    notice_by: date | None = None


@dataclass
class Overview(Record):
    """Everything on the alliance page."""

    id: str
    name: str
    alliance: Alliance
    gate: GateView
    health: HealthView
    findings: list[Finding]
    goals: list[Goal]
    activities: list[Activity]
    objectives: list[Objective]
    ledger: list[PartyLedger]
    forums: list[Forum]
    meetings: list[Meeting]
    decisions: list[Decision]
    actions: list[ActionItem]
    obligations: list[Obligation]
    checks: list[CheckSummary]
    exit_plan: list[ExitItem]
    stage_log: list[StageMove]


@dataclass
class RadarSide(Record):
    id: str
    name: str
    means: dict[str, float]


@dataclass
class Scorecard(Record):
    """One page for the quarterly review."""

    id: str
    name: str
    as_of: date
    alliance: Alliance
    health: HealthView
    objectives: list[Objective]
    ledger: list[PartyLedger]
    radar: list[RadarSide]
    dimensions: list[str]
    findings: list[Finding]
    gate: GateView


def findings_of(facts: AllianceFacts, now: datetime, ev: Evaluation | None = None
                ) -> list[Finding]:
    """Every finding of every rule: RACI, communication, pacing, perception."""
    ev = ev or evaluate(facts, now)
    p = perception.latest(facts, now.date())
    return sort_findings([*ev.raci_findings, *comm_alerts.alerts(facts, now),
                          *ev.pacing_findings, *perception.findings(p)])


def health_view(facts: AllianceFacts, now: datetime, *, series: bool = True,
                ev: Evaluation | None = None) -> HealthView:
    ev = ev or evaluate(facts, now)
    combined = rules.health(facts, now, shared=ev)
    sides = []
    for p in facts.current_parties:
        h = rules.health(facts, now, p.key, shared=ev)
        sides.append(SideHealth(p.id, p.name, h.score, h.category, h.capped, h.weakest,
                                h.coverage, h.thin, p.is_us))
    points: list[HealthPoint] = []
    trend = None
    if series:
        for day in rules.quarter_ends(now.date(), TREND_QUARTERS):
            at = min(rules.at_day_end(day, now), now)
            h = combined if day == now.date() else rules.health(facts, at)
            points.append(HealthPoint(day.isoformat(), h.category, day, h.score))
        if len(points) >= 2:
            trend = rules.trend(points[-1].score, points[-2].score)
    return HealthView(facts.id, facts.name, combined.score, combined.category, combined.capped,
                      combined.weakest, combined.coverage, combined.thin, trend,
                      list(combined.components), sides, points)


def gate_view(facts: AllianceFacts, now: datetime, ev: Evaluation | None = None) -> GateView:
    g = lifecycle.gate(facts, now, shared=ev)
    return GateView(facts.id, facts.name, g.stage, g.next, g.open, list(g.criteria),
                    list(g.advisories))


def forum_details(forums: list[Forum], facts: AllianceFacts, now: datetime) -> list[Forum]:
    by_key = {f.key: f for f in facts.forums}
    for f in forums:
        fact = by_key.get(f.key)
        if fact is None:
            continue
        f.adherence = comm.cadence_adherence(fact, now)
        last = f.last_held.date() if f.last_held else f.created_on
        f.next_due = last + timedelta(days=f.cadence_days) if last else None
    return forums


class AllianceViewService(AllianceBase):
    def _facts(self, conn: Connection, alliance: str, *, history: bool = True
               ) -> AllianceFacts:
        key = self.alliance_key(conn, alliance, archived=True)
        return st_facts.load(conn, key, self.svc.now, history=history)

    @use_case()
    def findings(self, alliance: str) -> list[Finding]:
        """RACI checks, communication alerts, pacing risks and perception gaps, each
        with its severity and fix."""
        with self.svc.db.read() as conn:
            facts = self._facts(conn, alliance)
        return findings_of(facts, self.svc.now)

    @use_case()
    def raci_findings(self, alliance: str) -> list[Finding]:
        """What the RACI grid's checks find, as findings."""
        with self.svc.db.read() as conn:
            facts = self._facts(conn, alliance, history=False)
        return raci.check(facts)

    @use_case()
    def communication(self, alliance: str) -> list[Finding]:
        """Communication alerts and perception gaps on communication quality, as findings."""
        with self.svc.db.read() as conn:
            facts = self._facts(conn, alliance, history=False)
        p = perception.latest(facts, self.svc.today)
        gaps = [f for f in perception.findings(p) if f.subject == "communication quality"]
        return sort_findings([*comm_alerts.alerts(facts, self.svc.now), *gaps])

    @use_case()
    def health(self, alliance: str) -> HealthView:
        """Per side and combined, the weakest factor, coverage, and the trend."""
        with self.svc.db.read() as conn:
            facts = self._facts(conn, alliance)
        return health_view(facts, self.svc.now)

    @use_case()
    def portfolio(self, *, stage: str | None = None) -> list[PortfolioLine]:
        """Every live alliance with its health, findings and gate, worst first."""
        now = self.svc.now
        out = []
        with self.svc.db.read() as conn:
            summaries, _ = st.list_alliances(conn, stage=stage, limit=100_000)
            loaded = st_facts.load_many(conn, [s.key for s in summaries], now, history=False)
        for s in summaries:
            facts = loaded[s.key]
            ev = evaluate(facts, now)  # pacing and RACI once, for health, findings, gate
            h = rules.health(facts, now, shared=ev)
            found = [*ev.raci_findings, *comm_alerts.alerts(facts, now), *ev.pacing_findings]
            g = lifecycle.gate(facts, now, shared=ev)
            out.append(PortfolioLine(
                s.id, s.name, s.type, s.stage, s.partners, h.score, h.category, h.capped,
                h.weakest, h.coverage, sum(f.severity == "error" for f in found),
                sum(f.severity == "warn" for f in found), g.next, g.open, len(g.unmet),
                s.decision_on, s.notice_by))
        out.sort(key=lambda x: (x.score is None, x.score if x.score is not None else 0, x.name))
        return out

    @use_case()
    def overview(self, alliance: str) -> Overview:
        """The alliance page: the record, gate, health, findings and every section."""
        from kithbook.services.alliance_measures import AllianceMeasureService

        now = self.svc.now
        with self.svc.db.read() as conn:
            facts = self._facts(conn, alliance)
            key = facts.key
            record = st.get_alliance(conn, key)
            assert record is not None
            parties = st_items.parties_of(conn, key)
            ev = evaluate(facts, now)
            view = Overview(
                facts.id, facts.name, record, gate_view(facts, now, ev),
                health_view(facts, now, ev=ev), findings_of(facts, now, ev),
                st_items.goals_of(conn, key, parties),
                st_items.activities_of(conn, key, parties),
                AllianceMeasureService(self.svc).objective_records(conn, facts),
                ledger_records(facts, now.date()),
                forum_details(st_items.forum_records(conn, key), facts, now),
                st_items.meetings_of(conn, key), st_items.decisions_of(conn, key, parties),
                st_items.actions_of(conn, key, parties, now.date()),
                st_items.obligations_of(conn, key, parties), check_records(conn, facts),
                st_items.exit_items_of(conn, key, parties),
                st_items.stage_log_of(conn, key, facts.id))
        return view

    @use_case()
    def scorecard(self, alliance: str) -> Scorecard:
        """The one-page quarterly review: objectives against target, contributions,
        the health radar of every side."""
        from kithbook.services.alliance_measures import AllianceMeasureService

        now = self.svc.now
        with self.svc.db.read() as conn:
            facts = self._facts(conn, alliance)
            record = st.get_alliance(conn, facts.key)
            assert record is not None
            objectives = AllianceMeasureService(self.svc).objective_records(conn, facts,
                                                                             history=True)
        p = perception.latest(facts, now.date())
        radar = [RadarSide(x.id, x.name, dict(x.means)) for x in (p.sides if p else ())
                 if x.shown and x.means]
        ev = evaluate(facts, now)
        return Scorecard(facts.id, facts.name, now.date(), record,
                         health_view(facts, now, ev=ev), objectives,
                         ledger_records(facts, now.date()), radar, list(DIMENSIONS),
                         findings_of(facts, now, ev), gate_view(facts, now, ev))
