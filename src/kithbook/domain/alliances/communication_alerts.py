"""Under-communication alerts: the findings of docs/alliance-management.md, "Communication"
(missed cadences, absent sponsors, missing minutes, silent pairs, single threads,
one-way traffic, slow answers, unconfirmed decisions, overdue actions, stale tasks,
partners gone quiet), errors first. They read the signals and helpers of
domain/alliances/communication.py; thresholds come from `Settings`.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, datetime, timedelta

from kithbook.domain.alliances.communication import (
    ANSWER_CHANNELS,
    PairScore,
    business_hours,
    cadence_adherence,
    cross_parties,
    cross_touches,
    forum_held,
    initiation_shares,
    needs_confirmation,
    pair_scores,
    person_pairs,
    shortest_cadence,
)
from kithbook.domain.alliances.facts import (
    DEFAULT_SETTINGS,
    AllianceFacts,
    Decision,
    Finding,
    Settings,
    Touch,
    latest_verdicts,
    sort_findings,
)
from kithbook.domain.cadence import add_working_days


def alerts(facts: AllianceFacts, now: datetime, s: Settings = DEFAULT_SETTINGS) -> list[Finding]:
    """Every communication alert, errors first."""
    today = now.date()
    out: list[Finding] = []
    out.extend(_cadence(facts, now, s))
    out.extend(sponsor_absences(facts, now))
    out.extend(_minutes(facts, now, s))
    out.extend(_silence(facts, now, s))
    out.extend(_threads(facts, now, s))
    out.extend(_one_way(facts, now, s))
    out.extend(_slow(facts, now, s))
    out.extend(_confirmations(facts, now, s))
    out.extend(_overdue(facts, now))
    out.extend(_stale_tasks(facts, today))
    out.extend(quiet_partners(facts, now, s))
    return sort_findings(out)


def _cadence(facts: AllianceFacts, now: datetime, s: Settings) -> list[Finding]:
    out = []
    for f in facts.forums:
        held = forum_held(f, now)
        if held:
            last = held[-1]
        elif f.created_on is not None:
            last = datetime.combine(f.created_on, datetime.min.time(), tzinfo=now.tzinfo)
        else:
            continue
        days = (now - last).total_seconds() / 86400
        if days > s.cadence_missed_factor * f.cadence_days:
            since = f"last met {last:%Y-%m-%d}" if held else "has never met"
            out.append(Finding(
                "CADENCE_MISSED", "warn", "cadence missed", f"forum '{f.name}'",
                f"agreed every {f.cadence_days} days, {since} ({days:.0f} days).",
                "Schedule the meeting now, or agree a cadence you will keep.", f.id))
            continue
        adherence = cadence_adherence(f, now, s)
        if adherence is not None and adherence < s.cadence_adherence_min:
            out.append(Finding(
                "CADENCE_LOW", "warn", "cadence not kept", f"forum '{f.name}'",
                f"held {adherence:.0%} of the expected meetings over the last half year.",
                "Put the remaining dates in both calendars now.", f.id))
    return out


def sponsor_absences(facts: AllianceFacts, now: datetime) -> list[Finding]:
    """SPONSOR_ABSENT: a party's sponsor missed the last two steering meetings."""
    out = []
    for f in facts.forums:
        if f.layer != "steering":
            continue
        last_two = [m for m in f.meetings if m.at <= now][-2:]
        if len(last_two) < 2:
            continue
        for p in facts.current_parties:
            if p.sponsor_key is not None and all(
                p.sponsor_key not in m.attendee_keys for m in last_two
            ):
                out.append(Finding(
                    "SPONSOR_ABSENT", "warn", "sponsor absent", f"{p.name} at '{f.name}'",
                    f"{facts.person_name(p.sponsor_key)}, the sponsor, missed the last two "
                    "steering meetings.",
                    "Ask the sponsor to attend the next one, or name a sponsor who will.",
                    p.id))
    return out


def _minutes(facts: AllianceFacts, now: datetime, s: Settings) -> list[Finding]:
    out = []
    today = now.date()
    for f in facts.forums:
        window = now - timedelta(days=max(90, 2 * f.cadence_days))
        for m in f.meetings:
            if m.at > now or m.at < window:
                continue
            deadline = add_working_days(m.at.date(), s.minutes_business_days)
            late = m.minutes_on is None and today > deadline
            if late:
                out.append(Finding(
                    "MINUTES_LATE", "warn", "minutes late", f"'{f.name}' on {m.at:%Y-%m-%d}",
                    f"no minutes recorded; they were due by {deadline.isoformat()}.",
                    "Write the minutes and send them to every party for confirmation.",
                    m.id))
    return out


def _silence(facts: AllianceFacts, now: datetime, s: Settings) -> list[Finding]:
    """SILENCE: a pair of people that used to talk regularly went quiet."""
    active = {c.person_key: c.active for c in facts.contacts}
    seen: dict[tuple[int, int], list[datetime]] = defaultdict(list)
    for t in cross_touches(facts, now):
        for pair in person_pairs(facts, t):
            seen[pair].append(t.at)
    out = []
    for (a, b), times in sorted(seen.items()):
        if len(times) < s.silence_min_interactions:
            continue
        if not (active.get(a, True) and active.get(b, True)):
            continue
        gaps = [(y - x).total_seconds() / 86400 for x, y in zip(times, times[1:], strict=False)]
        baseline = statistics.median(gaps)
        quiet = (now - times[-1]).total_seconds() / 86400
        limit = max(s.silence_factor * baseline, s.silence_floor_days)
        if quiet > limit:
            who = f"{facts.person_name(a)} and {facts.person_name(b)}"
            out.append(Finding(
                "SILENCE", "warn", "silence", who,
                f"they usually talk every {baseline:.0f} days; nothing for {quiet:.0f} days.",
                "One of them should check in this week.", None))
    return out


def _threads(facts: AllianceFacts, now: datetime, s: Settings) -> list[Finding]:
    """SINGLE_THREADED: one person carries every live link between two parties."""
    scores = [p for p in pair_scores(facts, now, s) if p.score > s.active_pair_score]
    by_parties: dict[tuple[int, int], list[PairScore]] = defaultdict(list)
    for p in scores:
        pa, pb = facts.party_of(p.a), facts.party_of(p.b)
        if pa is None or pb is None:
            continue
        by_parties[(min(pa, pb), max(pa, pb))].append(p)
    out = []
    for (pa, pb), pairs in sorted(by_parties.items()):
        common = set.intersection(*({p.a, p.b} for p in pairs))
        if common:
            carrier = facts.person_name(min(common))
            out.append(Finding(
                "SINGLE_THREADED", "warn", "single-threaded",
                f"{facts.party_name(pa)} and {facts.party_name(pb)}",
                f"{carrier} carries the whole link ({len(pairs)} live contact pair"
                f"{'s' if len(pairs) != 1 else ''}).",
                "Introduce a second person on each side (ops to ops, finance to finance).",
                None))
    return out


def _one_way(facts: AllianceFacts, now: datetime, s: Settings) -> list[Finding]:
    parties = facts.current_parties
    out = []
    for i, x in enumerate(parties):
        for y in parties[i + 1:]:
            shares, total = initiation_shares(facts, now, s.one_way_window_days, [x.key, y.key])
            if total < s.one_way_min_interactions:
                continue
            low = min((x, y), key=lambda p: shares[p.key])
            high = y if low is x else x
            if shares[low.key] < s.one_way_min_share:
                out.append(Finding(
                    "ONE_WAY", "warn", "one-way traffic", f"{x.name} and {y.name}",
                    f"{high.name} started {shares[high.key]:.0%} of the last {total} "
                    f"conversations; {low.name} only {shares[low.key]:.0%}.",
                    f"Ask {low.name} what keeps them from reaching out; agree who calls "
                    "whom about what.", low.id))
    return out


def response_hours(facts: AllianceFacts, now: datetime,
                   since: datetime) -> dict[int, list[float]]:
    """Per answering party, business hours from a touch one side started to the next
    touch the other side started in the same person pair, for answers since `since`."""
    out: dict[int, list[float]] = defaultdict(list)
    by_pair: dict[tuple[int, int], list[Touch]] = defaultdict(list)
    for t in cross_touches(facts, now):
        if t.initiator_key is None or t.channel not in ANSWER_CHANNELS:
            continue
        for pair in person_pairs(facts, t):
            if t.initiator_key in pair:
                by_pair[pair].append(t)
    for ts in by_pair.values():
        for ask, answer in zip(ts, ts[1:], strict=False):
            if answer.initiator_key == ask.initiator_key or answer.at < since:
                continue
            party = facts.party_of(answer.initiator_key)
            if party is not None:
                out[party].append(business_hours(ask.at, answer.at))
    return out


def _slow(facts: AllianceFacts, now: datetime, s: Settings) -> list[Finding]:
    """SLOW_RESPONSE: median answer time above the SLA two quarters running."""
    sla = facts.sla_hours or s.response_sla_hours
    recent = response_hours(facts, now, now - timedelta(days=91))
    before_all = response_hours(facts, now - timedelta(days=91), now - timedelta(days=182))
    out = []
    for p in facts.current_parties:
        a, b = recent.get(p.key), before_all.get(p.key)
        if not a or not b:
            continue
        m1, m2 = statistics.median(a), statistics.median(b)
        if m1 > sla and m2 > sla:
            out.append(Finding(
                "SLOW_RESPONSE", "warn", "slow answers", p.name,
                f"median answer time {m1:.0f} business hours this quarter and {m2:.0f} the "
                f"quarter before, against {sla:.0f} agreed.",
                "Agree who answers for the party and by when; raise it in the next forum.",
                p.id))
    return out


def _confirmations(facts: AllianceFacts, now: datetime, s: Settings) -> list[Finding]:
    out = []
    today = now.date()
    for _, item, parties in needs_confirmation(facts, now):
        if not isinstance(item, Decision):
            continue
        latest = latest_verdicts(v for v in item.verdicts if v.at <= now)
        label = "action plan" if item.kind == "action_plan" else "decision"
        for p in parties:
            v = latest.get(p)
            if v is not None and v.verdict == "disputed":
                out.append(Finding(
                    "DECISION_DISPUTED", "error", f"{label} disputed", f"{label} '{item.text}'",
                    f"{facts.party_name(p)} disputes it"
                    + (f": {v.comment}" if v.comment else "."),
                    "Discuss it in the next forum and record the revised decision.", item.id))
            elif v is None:
                due = add_working_days(item.recorded_at.date(), s.confirm_business_days)
                if today > due:
                    out.append(Finding(
                        "UNCONFIRMED_DECISION", "warn", f"{label} unconfirmed",
                        f"{label} '{item.text}'",
                        f"{facts.party_name(p)} has not confirmed it (due {due.isoformat()}).",
                        "Send them a confirmation link, or ask in the next meeting.", item.id))
    return out


def _overdue(facts: AllianceFacts, now: datetime) -> list[Finding]:
    out = []
    today = now.date()
    for a in facts.actions:
        if a.status_on(now) == "open" and a.due is not None and a.due < today:
            late = (today - a.due).days
            out.append(Finding(
                "OVERDUE_ACTION", "warn", "overdue action", f"action '{a.what}'",
                f"{facts.person_name(a.owner_key)} ({facts.party_name(a.party_key)}) is "
                f"{late} day{'s' if late != 1 else ''} late.",
                "Ask for a new date, or mark it done or broken.", a.id))
    return out


def _stale_tasks(facts: AllianceFacts, today: date) -> list[Finding]:
    out = []
    for a in facts.activities:
        if a.done or a.check_in_days is None or a.last_update_on is None:
            continue
        if (today - a.last_update_on).days > 2 * a.check_in_days:
            out.append(Finding(
                "STALE_TASK", "warn", "stale activity", f"activity '{a.name}'",
                f"no update since {a.last_update_on.isoformat()} (check-in every "
                f"{a.check_in_days} days).",
                "Ask the responsible person for a status.", a.id))
    return out


def last_touch_by_party(facts: AllianceFacts, now: datetime) -> dict[int, datetime]:
    out: dict[int, datetime] = {}
    for t in cross_touches(facts, now):
        for p in cross_parties(facts, t):
            out[p] = t.at
    return out


def quiet_after_days(facts: AllianceFacts, s: Settings = DEFAULT_SETTINGS) -> int:
    return max(2 * shortest_cadence(facts), s.quiet_floor_days)


def quiet_partners(facts: AllianceFacts, now: datetime,
                   s: Settings = DEFAULT_SETTINGS) -> list[Finding]:
    """PARTNER_QUIET: no touch with anyone of a party for twice the shortest cadence
    (30 days at least)."""
    last = last_touch_by_party(facts, now)
    limit = quiet_after_days(facts, s)
    start = facts.started_on
    out = []
    for p in facts.current_parties:
        if p.is_us:
            continue
        at = last.get(p.key)
        if at is None:
            if start is None or (now.date() - start).days <= limit:
                continue
            why = "no conversation with them is on record."
        else:
            days = (now - at).total_seconds() / 86400
            if days <= limit:
                continue
            why = f"the last conversation was {days:.0f} days ago ({at:%Y-%m-%d})."
        out.append(Finding("PARTNER_QUIET", "warn", "partner gone quiet", p.name, why,
                           "Call their sponsor or main contact this week.", p.id))
    return out
