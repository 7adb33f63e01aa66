"""REST API for alliances, part two: goals and confirmations, activities and the RACI,
obligations, forums, meetings, decisions, action items, objectives and measurements,
contributions, health checks and the exit plan."""

from __future__ import annotations

from enum import Enum

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from kithbook.domain.alliances.records import (
    ActionItem,
    Activity,
    CheckSummary,
    Contribution,
    Decision,
    ExitItem,
    Forum,
    Goal,
    Meeting,
    Objective,
    Obligation,
    PartyLedger,
)
from kithbook.services.alliance_measures import NewObjective
from kithbook.services.alliance_work import NewMeeting, RaciAssignment
from kithbook.web.api_alliance_models import (
    ActionIn,
    ActivityIn,
    ActivityPatch,
    AnswerIn,
    CheckIn,
    ConfirmIn,
    ContributionIn,
    DecisionIn,
    DoneIn,
    ExitItemIn,
    ForumIn,
    GoalIn,
    MeasurementIn,
    MeetingIn,
    MinutesIn,
    ObjectiveIn,
    ObligationIn,
    RaciCellIn,
    RaciIn,
)
from kithbook.web.api_models import READ_ONE, WRITE
from kithbook.web.api_records import Svc, created, ok

router = APIRouter()
TAG: list[str | Enum] = ["alliance work"]
BASE = "/alliances/{alliance}"


def cells(items: list[RaciCellIn]) -> list[RaciAssignment]:
    return [RaciAssignment(c.partner, c.letters, c.person) for c in items]


@router.get(BASE + "/goals", response_model=list[Goal], responses=READ_ONE, tags=TAG,
            summary="Each partner's goals with the others' confirmations")
def goals(svc: Svc, alliance: str) -> JSONResponse:
    return ok(svc.alliance_work.goals(alliance))


@router.post(BASE + "/goals", status_code=201, response_model=Goal, responses=WRITE,
             tags=TAG, summary="Write down a partner's goal")
def add_goal(svc: Svc, alliance: str, body: GoalIn) -> JSONResponse:
    return created(svc.alliance_work.add_goal(alliance, body.partner, body.text, kpi=body.kpi,
                                              direction=body.direction))


@router.post(BASE + "/confirmations", response_model=Goal | Decision, responses=WRITE,
             tags=TAG, summary="A partner confirms or disputes a goal or a decision")
def confirm(svc: Svc, alliance: str, body: ConfirmIn) -> JSONResponse:
    return ok(svc.alliance_work.confirm(alliance, body.item, body.partner, body.verdict,
                                        comment=body.comment, person=body.person))


@router.get(BASE + "/activities", response_model=list[Activity], responses=READ_ONE,
            tags=TAG, summary="The RACI grid: every joint activity with its cells")
def activities(svc: Svc, alliance: str) -> JSONResponse:
    return ok(svc.alliance_work.activities(alliance))


@router.post(BASE + "/activities", status_code=201, response_model=Activity,
             responses=WRITE, tags=TAG, summary="Add a joint activity with its RACI row")
def add_activity(svc: Svc, alliance: str, body: ActivityIn) -> JSONResponse:
    return created(svc.alliance_work.add_activity(
        alliance, body.name, deliverable=body.deliverable, joint=body.joint,
        objective=body.objective, obligation=body.obligation,
        check_in_days=body.check_in_days, raci=cells(body.raci)))


@router.post(BASE + "/activities/{activity}/raci", response_model=Activity, responses=WRITE,
             tags=TAG, summary="Set RACI cells on an activity (empty letters clear one)")
def assign(svc: Svc, alliance: str, activity: str, body: RaciIn) -> JSONResponse:
    return ok(svc.alliance_work.assign(alliance, activity, cells(body.cells)))


@router.patch(BASE + "/activities/{activity}", response_model=Activity, responses=WRITE,
              tags=TAG, summary="A status update on an activity, or mark it done")
def update_activity(svc: Svc, alliance: str, activity: str, body: ActivityPatch
                    ) -> JSONResponse:
    return ok(svc.alliance_work.update_activity(alliance, activity, done=body.done,
                                                deliverable=body.deliverable))


@router.get(BASE + "/obligations", response_model=list[Obligation], responses=READ_ONE,
            tags=TAG, summary="Obligations, exit provisions, IP and data terms")
def obligations(svc: Svc, alliance: str) -> JSONResponse:
    return ok(svc.alliance_work.obligations(alliance))


@router.post(BASE + "/obligations", status_code=201, response_model=Obligation,
             responses=WRITE, tags=TAG, summary="Record an obligation")
def add_obligation(svc: Svc, alliance: str, body: ObligationIn) -> JSONResponse:
    return created(svc.alliance_work.add_obligation(alliance, body.text, partner=body.partner,
                                                    kind=body.kind, due_on=body.due_on))


@router.post(BASE + "/obligations/{obligation}/done", response_model=Obligation,
             responses=WRITE, tags=TAG, summary="An obligation is closed")
def close_obligation(svc: Svc, alliance: str, obligation: str, body: DoneIn) -> JSONResponse:
    return ok(svc.alliance_work.close_obligation(alliance, obligation, body.on))


@router.get(BASE + "/forums", response_model=list[Forum], responses=READ_ONE, tags=TAG,
            summary="Governance forums and their cadences")
def forums(svc: Svc, alliance: str) -> JSONResponse:
    return ok(svc.alliance_work.forums(alliance))


@router.post(BASE + "/forums", status_code=201, response_model=Forum, responses=WRITE,
             tags=TAG, summary="Add a forum with its agreed cadence")
def add_forum(svc: Svc, alliance: str, body: ForumIn) -> JSONResponse:
    return created(svc.alliance_work.add_forum(alliance, body.name, body.cadence,
                                               layer=body.layer))


@router.get(BASE + "/meetings", response_model=list[Meeting], responses=READ_ONE, tags=TAG,
            summary="Meetings (interactions with the partners' people)")
def meetings(svc: Svc, alliance: str) -> JSONResponse:
    return ok(svc.alliance_work.meetings(alliance))


@router.post(BASE + "/meetings", status_code=201, response_model=Meeting, responses=WRITE,
             tags=TAG, summary="Log a meeting, with its minutes and decisions")
def log_meeting(svc: Svc, alliance: str, body: MeetingIn) -> JSONResponse:
    return created(svc.alliance_work.log_meeting(alliance, NewMeeting(**body.model_dump())))


@router.post(BASE + "/meetings/{meeting}/minutes", response_model=Meeting, responses=WRITE,
             tags=TAG, summary="Record a meeting's minutes")
def minutes(svc: Svc, alliance: str, meeting: str, body: MinutesIn) -> JSONResponse:
    return ok(svc.alliance_work.record_minutes(alliance, meeting, body.minutes))


@router.get(BASE + "/decisions", response_model=list[Decision], responses=READ_ONE,
            tags=TAG, summary="Decisions and action plans with each partner's answer")
def decisions(svc: Svc, alliance: str) -> JSONResponse:
    return ok(svc.alliance_work.decisions(alliance))


@router.post(BASE + "/decisions", status_code=201, response_model=Decision, responses=WRITE,
             tags=TAG, summary="Record a decision, action plan or review")
def record_decision(svc: Svc, alliance: str, body: DecisionIn) -> JSONResponse:
    return created(svc.alliance_work.record_decision(
        alliance, body.text, kind=body.kind, partner=body.partner, person=body.person,
        outcome=body.outcome, meeting=body.meeting, decided_on=body.decided_on))


@router.get(BASE + "/actions", response_model=list[ActionItem], responses=READ_ONE,
            tags=TAG, summary="Action items (promises tied to the alliance)")
def actions(svc: Svc, alliance: str) -> JSONResponse:
    return ok(svc.alliance_work.actions(alliance))


@router.post(BASE + "/actions", status_code=201, response_model=ActionItem, responses=WRITE,
             tags=TAG, summary="Add an action item (a promise by a partner's contact)")
def add_action(svc: Svc, alliance: str, body: ActionIn) -> JSONResponse:
    return created(svc.alliance_work.add_action(alliance, body.what, body.owner, due=body.due,
                                                to=body.to, decision=body.decision))


@router.get(BASE + "/objectives", response_model=list[Objective], responses=READ_ONE,
            tags=TAG, summary="Objectives with linear and to-date pacing")
def objectives(svc: Svc, alliance: str, history: bool = False) -> JSONResponse:
    return ok(svc.alliance_measures.objectives(alliance, history=history))


@router.post(BASE + "/objectives", status_code=201, response_model=Objective,
             responses=WRITE, tags=TAG, summary="Add an objective")
def add_objective(svc: Svc, alliance: str, body: ObjectiveIn) -> JSONResponse:
    return created(svc.alliance_measures.add_objective(alliance, NewObjective(
        **body.model_dump())))


@router.post(BASE + "/objectives/{objective}/measurements", response_model=Objective,
             responses=WRITE, tags=TAG, summary="Record where an objective stands")
def measure(svc: Svc, alliance: str, objective: str, body: MeasurementIn) -> JSONResponse:
    return ok(svc.alliance_measures.measure(alliance, objective, body.value, body.on,
                                            body.note))


@router.get(BASE + "/contributions", response_model=list[Contribution], responses=READ_ONE,
            tags=TAG, summary="The contributions ledger, line by line")
def contributions(svc: Svc, alliance: str) -> JSONResponse:
    return ok(svc.alliance_measures.contributions(alliance))


@router.post(BASE + "/contributions", status_code=201, response_model=Contribution,
             responses=WRITE, tags=TAG, summary="A contribution, committed or delivered")
def contribute(svc: Svc, alliance: str, body: ContributionIn) -> JSONResponse:
    return created(svc.alliance_measures.contribute(
        alliance, body.partner, body.kind, body.amount, stage=body.stage, rate=body.rate,
        on=body.on, description=body.description))


@router.get(BASE + "/ledger", response_model=list[PartyLedger], responses=READ_ONE,
            tags=TAG, summary="Skin in the game: committed against delivered per partner")
def ledger(svc: Svc, alliance: str) -> JSONResponse:
    return ok(svc.alliance_measures.ledger(alliance))


@router.get(BASE + "/checks", response_model=list[CheckSummary], responses=READ_ONE,
            tags=TAG, summary="Health checks with each side's ratings and perception gaps")
def checks(svc: Svc, alliance: str) -> JSONResponse:
    return ok(svc.alliance_measures.checks(alliance))


@router.post(BASE + "/checks", status_code=201, response_model=CheckSummary,
             responses=WRITE, tags=TAG, summary="Open a two-sided health check")
def open_check(svc: Svc, alliance: str, body: CheckIn) -> JSONResponse:
    return created(svc.alliance_measures.open_check(alliance, min_group=body.min_group,
                                                    closes_on=body.closes_on))


@router.post(BASE + "/checks/{check}/answers", response_model=CheckSummary, responses=WRITE,
             tags=TAG, summary="One anonymous answer for a side")
def rate(svc: Svc, alliance: str, check: str, body: AnswerIn) -> JSONResponse:
    return ok(svc.alliance_measures.rate(alliance, check, body.partner, body.ratings,
                                         body.comment))


@router.get(BASE + "/exit-plan", response_model=list[ExitItem], responses=READ_ONE,
            tags=TAG, summary="The termination plan")
def exit_plan(svc: Svc, alliance: str) -> JSONResponse:
    return ok(svc.alliance_work.exit_plan(alliance))


@router.post(BASE + "/exit-plan", status_code=201, response_model=ExitItem, responses=WRITE,
             tags=TAG, summary="Add a line to the termination plan")
def add_exit_item(svc: Svc, alliance: str, body: ExitItemIn) -> JSONResponse:
    return created(svc.alliance_work.add_exit_item(alliance, body.kind, body.text,
                                                   partner=body.partner))


@router.post(BASE + "/exit-plan/{item}/done", response_model=ExitItem, responses=WRITE,
             tags=TAG, summary="An exit plan item is done")
def close_exit_item(svc: Svc, alliance: str, item: str, body: DoneIn) -> JSONResponse:
    return ok(svc.alliance_work.close_exit_item(alliance, item, body.on))
