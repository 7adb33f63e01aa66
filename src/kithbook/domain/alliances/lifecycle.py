"""Lifecycle stages and their exit criteria, computed from the data
(docs/alliance-management.md, "Lifecycle").

explore -> negotiate -> launch -> manage -> terminate -> closed. Each stage has exit
criteria; `gate` says which of them block the next stage. Moving forward past unmet
criteria needs an explicit force (the service journals it with the unmet list).
Moving back (to renegotiate, say) is always allowed. An alliance can be wound up from
any stage: entering `terminate` needs a recorded decision to exit and a coded reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from kithbook.domain.alliances import communication as comm
from kithbook.domain.alliances import raci
from kithbook.domain.alliances.evaluation import Evaluation
from kithbook.domain.alliances.facts import (
    DEFAULT_SETTINGS,
    STAGES,
    TERMINATION_LABELS,
    AllianceFacts,
    Finding,
    Settings,
    latest_verdicts,
)

HEALTH_CHECK_EVERY_DAYS = 365


@dataclass(frozen=True)
class Criterion:
    code: str
    text: str
    met: bool
    detail: str = ""  # why not, or the evidence

    @property
    def id(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return self.text


@dataclass(frozen=True)
class Gate:
    stage: str
    next: str | None
    criteria: tuple[Criterion, ...]
    advisories: tuple[Criterion, ...] = ()  # continuous checks: shown, never blocking

    @property
    def open(self) -> bool:
        return all(c.met for c in self.criteria)

    @property
    def unmet(self) -> list[Criterion]:
        return [c for c in self.criteria if not c.met]


def next_stage(stage: str) -> str | None:
    i = STAGES.index(stage)
    return STAGES[i + 1] if i + 1 < len(STAGES) else None


def _names(items: list[str]) -> str:
    return ", ".join(items[:5]) + (f" and {len(items) - 5} more" if len(items) > 5 else "")


def explore(f: AllianceFacts) -> list[Criterion]:
    us = f.us
    others = [p for p in f.current_parties if not p.is_us]
    no_goals = [p.name for p in f.current_parties if not any(g.party_key == p.key
                                                              for g in f.goals)]
    return [
        Criterion("rationale", "why partner rather than build or buy is recorded",
                  bool(f.rationale and f.rationale.strip()),
                  "" if f.rationale else "record the rationale"),
        Criterion("type", "the alliance type is chosen", f.type is not None),
        Criterion("partners", "us and at least one partner organization",
                  us is not None and bool(others),
                  "" if us is not None else "add our own organization as the 'us' partner"),
        Criterion("internal_sponsor", "our internal sponsor is named",
                  us is not None and us.sponsor_key is not None),
        Criterion("own_goals", "each party's own goals are written down", not no_goals,
                  f"no goals yet: {_names(no_goals)}" if no_goals else ""),
    ]


def negotiate(f: AllianceFacts) -> list[Criterion]:
    current = [p.key for p in f.current_parties]
    unconfirmed = []
    disputed = []
    for g in f.goals:
        latest = latest_verdicts(g.verdicts)
        for k in current:
            if k == g.party_key:
                continue
            v = latest.get(k)
            if v is None:
                unconfirmed.append(f"'{g.text}' by {f.party_name(k)}")
            elif v.verdict != "confirmed":
                disputed.append(f"'{g.text}' by {f.party_name(k)}")
    conflicts = raci.goal_conflicts(f)
    no_contrib = [p.name for p in f.current_parties
                  if not any(c.party_key == p.key and c.stage == "committed"
                             for c in f.contributions)]
    exit_recorded = (any(o.kind == "exit_provision" for o in f.obligations)
                     or "exit_provisions" in f.documents)
    agreement = any(k in f.documents for k in ("agreement", "mou", "term_sheet"))
    return [
        Criterion("goals_confirmed", "each partner's goals are confirmed by the others",
                  bool(f.goals) and not unconfirmed and not disputed,
                  "; ".join(filter(None, [
                      f"disputed: {_names(disputed)}" if disputed else "",
                      f"awaiting: {_names(unconfirmed)}" if unconfirmed else ""]))),
        Criterion("no_goal_conflicts", "no two partners' goals pull the same measure apart",
                  not conflicts,
                  _names([f"'{a.kpi}'" for a, _, _ in conflicts]) if conflicts else ""),
        Criterion("contributions", "every partner's committed contributions are recorded",
                  not no_contrib, f"none from {_names(no_contrib)}" if no_contrib else ""),
        Criterion("governance", "at least one forum with an agreed cadence", bool(f.forums)),
        Criterion("exit_provisions", "exit provisions are recorded", exit_recorded,
                  "" if exit_recorded else "record them as an obligation of kind "
                  "exit_provision or a document of kind exit_provisions"),
        Criterion("agreement", "the agreement (term sheet, MOU or contract) is on file",
                  agreement),
        Criterion("limited_life", "planned end and notice period are recorded",
                  f.planned_end_on is not None and f.notice_days is not None),
    ]


def launch(f: AllianceFacts, s: Settings,
           raci_findings: Sequence[Finding] | None = None) -> list[Criterion]:
    active = {c.person_key for c in f.contacts if c.active}
    unstaffed = [p.name for p in f.current_parties
                 if p.sponsor_key is None or not any(c.party_key == p.key and c.person_key in active
                                                     for c in f.contacts)]
    incomplete = [f"'{o.name}'" for o in f.objectives if not o.complete]
    blocking = raci.blocking(raci.check(f, s) if raci_findings is None else raci_findings)
    meetings = sum(len(fo.meetings) for fo in f.forums)
    return [
        Criterion("staffed", "every partner has a sponsor and a contact", not unstaffed,
                  f"missing for {_names(unstaffed)}" if unstaffed else ""),
        Criterion("scorecard", "every objective has metric, owner, baseline, target and "
                  "deadline", bool(f.objectives) and not incomplete,
                  "no objectives yet" if not f.objectives else (
                      f"incomplete: {_names(incomplete)}" if incomplete else "")),
        Criterion("raci", "the RACI has activities and no R1-R3, R10 or R11 errors",
                  bool(f.activities) and not blocking,
                  "no activities yet" if not f.activities else (
                      f"{len(blocking)} error{'s' if len(blocking) != 1 else ''}: "
                      + _names([f"{x.code} {x.subject}" for x in blocking]) if blocking
                      else "")),
        Criterion("kickoff", "a first joint meeting (kickoff) is held", meetings > 0),
        Criterion("review_date", "the renewal or exit decision date is set",
                  f.decision_on is not None),
    ]


def manage(f: AllianceFacts) -> list[Criterion]:
    exit_decided = any(d.kind == "review" and d.outcome == "exit" for d in f.decisions)
    return [
        Criterion("exit_decision", "a review decision to exit is recorded", exit_decided,
                  "" if exit_decided else "record a decision of kind review, outcome exit"),
        Criterion("reason", "the termination reason is coded",
                  f.termination_code is not None,
                  "" if f.termination_code is None else
                  TERMINATION_LABELS.get(f.termination_code, f.termination_code)),
        Criterion("exit_plan", "an exit plan is drawn up", bool(f.exit_items)),
    ]


def terminate(f: AllianceFacts, now: datetime) -> list[Criterion]:
    open_items = [f"'{x.text}'" for x in f.exit_items if not x.done]
    open_obligations = [f"'{o.text}'" for o in f.obligations
                        if o.kind == "obligation" and not o.done]
    open_actions = [f"'{a.what}'" for a in f.actions if a.status_on(now) == "open"]
    return [
        Criterion("exit_plan_done", "every exit plan item is done",
                  bool(f.exit_items) and not open_items,
                  "no exit plan" if not f.exit_items else (
                      f"open: {_names(open_items)}" if open_items else "")),
        Criterion("obligations_closed", "every obligation is closed", not open_obligations,
                  f"open: {_names(open_obligations)}" if open_obligations else ""),
        Criterion("actions_closed", "every action item is closed", not open_actions,
                  f"open: {_names(open_actions)}" if open_actions else ""),
        Criterion("reason", "the termination reason is coded", f.termination_code is not None),
        Criterion("lessons", "lessons are recorded", bool(f.lessons and f.lessons.strip())),
    ]


def exit_criteria(stage: str, f: AllianceFacts, now: datetime,
                  s: Settings = DEFAULT_SETTINGS, *,
                  raci_findings: Sequence[Finding] | None = None) -> list[Criterion]:
    if stage == "explore":
        return explore(f)
    if stage == "negotiate":
        return negotiate(f)
    if stage == "launch":
        return launch(f, s, raci_findings)
    if stage == "manage":
        return manage(f)
    if stage == "terminate":
        return terminate(f, now)
    return []


def advisories(f: AllianceFacts, now: datetime, s: Settings = DEFAULT_SETTINGS
               ) -> list[Criterion]:
    """The continuous checks of the manage stage."""
    if f.stage != "manage":
        return []
    adherence = comm.mean_adherence(f, now, s)
    checks = [c for c in f.checks if c.opened_on <= now.date()]
    recent_check = bool(checks) and (
        now.date() - checks[-1].opened_on <= timedelta(days=HEALTH_CHECK_EVERY_DAYS))
    upcoming = f.decision_on is not None and f.decision_on >= now.date()
    return [
        Criterion("cadence", f"meetings keep the agreed cadence (at least "
                  f"{s.cadence_adherence_min:.0%})",
                  adherence is None or adherence >= s.cadence_adherence_min,
                  "" if adherence is None else f"{adherence:.0%} kept"),
        Criterion("health_check", "a health check in the last 12 months", recent_check),
        Criterion("review_point", "the next renewal or exit decision date is ahead",
                  upcoming, "" if f.decision_on is None else f"set to {f.decision_on}"),
    ]


def gate(f: AllianceFacts, now: datetime, s: Settings = DEFAULT_SETTINGS, *,
         shared: Evaluation | None = None) -> Gate:
    """What blocks the move from the current stage to the next. `shared`: the RACI
    checks already run for `now` (evaluation.evaluate)."""
    found = shared.raci_findings if shared is not None and shared.fits(now, s) else None
    return Gate(f.stage, next_stage(f.stage),
                tuple(exit_criteria(f.stage, f, now, s, raci_findings=found)),
                tuple(advisories(f, now, s)))


def entry_criteria(target: str, f: AllianceFacts, now: datetime,
                   s: Settings = DEFAULT_SETTINGS) -> list[Criterion]:
    """Unmet criteria standing between the current stage and `target` (forward moves).

    Going to `terminate` from any earlier stage needs the exit decision and the coded
    reason (and, from launch or manage, the exit plan); going further forward needs
    the exit criteria of every stage passed."""
    here, there = STAGES.index(f.stage), STAGES.index(target)
    if there <= here:
        return []
    if target == "terminate":
        crit = manage(f)
        if here < STAGES.index("launch"):
            crit = [c for c in crit if c.code != "exit_plan"]
        return [c for c in crit if not c.met]
    out: list[Criterion] = []
    for stage in STAGES[here:there]:
        out.extend(c for c in exit_criteria(stage, f, now, s) if not c.met)
    return out
