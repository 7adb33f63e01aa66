"""Alliance work on the daily agenda (docs/alliance-management.md, "On the agenda"): forums due,
decisions waiting for our word or for the partners', renewal and notice dates, health
checks due, measures off track, partners gone quiet. Pure: facts and `now` in, tasks
out, most urgent first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kithbook.domain.alliances import communication_alerts as comm_alerts
from kithbook.domain.alliances import pacing
from kithbook.domain.alliances.facts import AllianceFacts, latest_verdicts
from kithbook.domain.alliances.lifecycle import HEALTH_CHECK_EVERY_DAYS
from kithbook.domain.models import Record

FORUM_AHEAD_DAYS = 7  # a forum shows up to a week (a quarter cadence) before it is due
DATE_AHEAD_DAYS = 30  # renewal decision and notice dates show a month ahead
CONFIRM_AFTER_DAYS = 5  # our decisions the partners have not confirmed, after 5 days
MEETING_STAGES = ("negotiate", "launch", "manage", "terminate")
CHECK_STAGES = ("launch", "manage")

# base scores: the agenda's 0..100 scale, most urgent highest
SCORES = {"notice_date": 90.0, "decision_date": 85.0, "to_confirm": 75.0,
          "forum_due": 70.0, "partner_quiet": 65.0, "awaiting_partners": 60.0,
          "measure_off_track": 55.0, "health_check_due": 50.0}
LABELS = {"notice_date": "notice date", "decision_date": "renewal/exit decision",
          "to_confirm": "confirm a decision", "forum_due": "forum due",
          "partner_quiet": "partner gone quiet", "awaiting_partners": "awaiting partners",
          "measure_off_track": "measure off track", "health_check_due": "health check due"}


@dataclass(frozen=True)
class AllianceTask(Record):
    id: str  # "<alliance id>:<kind>:<subject>"
    name: str  # the alliance's name
    alliance_id: str
    kind: str
    label: str
    score: float
    why: str
    action: str
    due: date | None = None
    days_late: int = 0
    subject_id: str | None = None


def _task(f: AllianceFacts, kind: str, subject: str, why: str, action: str, *,
          due: date | None, today: date, subject_id: str | None = None) -> AllianceTask:
    late = max(0, (today - due).days) if due is not None else 0
    score = min(100.0, SCORES[kind] + min(late, 30) / 3)
    return AllianceTask(f"{f.id}:{kind}:{subject}", f.name, f.id, kind, LABELS[kind],
                        round(score, 3), why, action, due, late, subject_id)


def _when(due: date, today: date) -> str:
    days = (due - today).days
    if days < 0:
        return f"was due {due.isoformat()} ({-days} days ago)"
    if days == 0:
        return "is due today"
    return f"is due {due.isoformat()} (in {days} days)"


def tasks(f: AllianceFacts, now: datetime, *, notice_by: date | None = None
          ) -> list[AllianceTask]:
    """Everything on one alliance that needs doing soon. `notice_by` is the last day to
    give notice before the planned end (store/alliances.py computes it)."""
    today = now.date()
    out: list[AllianceTask] = []
    us = next((p for p in f.current_parties if p.is_us), None)
    if f.stage in ("closed",):
        return out
    # dates of the limited life
    if notice_by is not None and today <= notice_by <= today + timedelta(DATE_AHEAD_DAYS):
        out.append(_task(f, "notice_date", notice_by.isoformat(),
                         f"The last day to give notice before the planned end "
                         f"{_when(notice_by, today)}.",
                         "Decide: renew, renegotiate or give notice; record it as a review.",
                         due=notice_by, today=today))
    if f.decision_on is not None and f.decision_on <= today + timedelta(DATE_AHEAD_DAYS) \
            and f.stage != "terminate":
        reviewed = any(d.kind == "review" and d.recorded_at.date() >= f.decision_on
                       - timedelta(DATE_AHEAD_DAYS) for d in f.decisions)
        if not reviewed:
            out.append(_task(f, "decision_date", f.decision_on.isoformat(),
                             f"The renewal or exit decision {_when(f.decision_on, today)}.",
                             "Hold the review with the partners and record its outcome.",
                             due=f.decision_on, today=today))
    # forums due
    if f.stage in MEETING_STAGES:
        for forum in f.forums:
            held = [m.at.date() for m in forum.meetings if m.at <= now]
            last = held[-1] if held else forum.created_on
            if last is None:
                continue
            due = last + timedelta(days=forum.cadence_days)
            ahead = min(FORUM_AHEAD_DAYS, forum.cadence_days // 4)
            if due <= today + timedelta(ahead):
                out.append(_task(f, "forum_due", forum.id,
                                 f"'{forum.name}' meets every {forum.cadence_days} days; "
                                 f"the next meeting {_when(due, today)}.",
                                 "Schedule it with the partners, then log it as a meeting.",
                                 due=due, today=today, subject_id=forum.id))
    # decisions: ours awaiting the partners, theirs awaiting us
    current = {p.key for p in f.current_parties}
    for d in f.decisions:
        if d.recorded_at > now:
            continue
        verdicts = latest_verdicts(v for v in d.verdicts if v.at <= now)
        if us is not None and d.party_key != us.key and us.key not in verdicts:
            out.append(_task(f, "to_confirm", d.id,
                             f"{f.party_name(d.party_key)} recorded: '{d.text}'. "
                             "Your side has not confirmed or disputed it.",
                             "Confirm it, or dispute it with a comment.",
                             due=d.recorded_at.date(), today=today, subject_id=d.id))
        elif us is not None and d.party_key == us.key:
            missing = sorted(f.party_name(k) for k in current - {d.party_key}
                             if k not in verdicts)
            waited = (today - d.recorded_at.date()).days
            if missing and waited >= CONFIRM_AFTER_DAYS:
                out.append(_task(f, "awaiting_partners", d.id,
                                 f"'{d.text}' waits for {', '.join(missing)} to confirm "
                                 f"({waited} days).",
                                 "Send their contact a private link to confirm it.",
                                 due=d.recorded_at.date()
                                 + timedelta(days=CONFIRM_AFTER_DAYS),
                                 today=today, subject_id=d.id))
    # health check due
    if f.stage in CHECK_STAGES:
        checks = [c for c in f.checks if c.opened_on <= today]
        last_check = checks[-1].opened_on if checks else None
        started = f.started_on or today
        due_check = (last_check or started) + timedelta(days=HEALTH_CHECK_EVERY_DAYS)
        if due_check <= today + timedelta(DATE_AHEAD_DAYS):
            why = (f"The last health check was {last_check.isoformat()}." if last_check
                   else "No health check has been run.")
            out.append(_task(f, "health_check_due", "check", why + " One a year at least.",
                             "Open a health check and send each partner's people the link.",
                             due=due_check, today=today))
    # measures off track, partners gone quiet
    for finding in pacing.findings(f, today):
        if finding.code == "DEADLINE_AT_RISK":
            out.append(_task(f, "measure_off_track", finding.subject_id or finding.subject,
                             f"{finding.subject}: {finding.message}", finding.fix,
                             due=None, today=today, subject_id=finding.subject_id))
    if f.stage in MEETING_STAGES:
        for finding in comm_alerts.quiet_partners(f, now):
            out.append(_task(f, "partner_quiet", finding.subject_id or finding.subject,
                             f"{finding.subject}: {finding.message}", finding.fix,
                             due=None, today=today, subject_id=finding.subject_id))
    return rank(out)


def rank(items: list[AllianceTask]) -> list[AllianceTask]:
    return sorted(items, key=lambda t: (-t.score, t.due or date.max, t.name, t.id))
