"""RACI checks R1-R13 over an alliance's joint activities (docs/alliance-management.md, "RACI").

A row is an activity; a column is a role holder: a named person of a party, or the
party as a whole when no person is named. Each finding carries a severity (error,
warn, info) and the fix, in words a newcomer can act on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from kithbook.domain.alliances.facts import (
    DEFAULT_SETTINGS,
    Activity,
    AllianceFacts,
    Finding,
    Goal,
    RaciCell,
    Settings,
    sort_findings,
)

Column = tuple[int, int | None]  # (party key, person key or None)
ROW_ERRORS = ("R1", "R2", "R3")


def _count(cells: Iterable[RaciCell], letter: str) -> int:
    return sum(1 for c in cells if letter in c.letters)


def _subject(a: Activity) -> str:
    return f"activity '{a.name}'"


def _holder(facts: AllianceFacts, col: Column) -> str:
    party, person = col
    if person is None:
        return facts.party_name(party)
    return f"{facts.person_name(person)} ({facts.party_name(party)})"


def is_orphan(a: Activity) -> bool:
    """Only I, or nothing at all: nobody owns, does or advises on it."""
    return not any("R" in c.letters or "A" in c.letters or "C" in c.letters
                   for c in a.cells)


def row_findings(facts: AllianceFacts, a: Activity, roles: int, s: Settings) -> list[Finding]:
    """R1-R5 for one row. An orphan row gets R5 alone (it lacks an A and an R by
    definition; one finding says it once)."""
    subj = _subject(a)
    if is_orphan(a):
        return [Finding("R5", "warn", "orphan activity", subj,
                        "nobody is accountable, responsible or consulted; at most informed.",
                        "Give it an accountable party and someone responsible, or drop it.",
                        a.id)]
    out: list[Finding] = []
    n_a = _count(a.cells, "A")
    if n_a == 0:
        out.append(Finding("R1", "error", "no owner", subj, "no one is accountable (A).",
                           "Make exactly one person or party accountable.", a.id))
    elif n_a > 1:
        holders = ", ".join(_holder(facts, (c.party_key, c.person_key))
                            for c in a.cells if "A" in c.letters)
        out.append(Finding("R2", "error", "diffused accountability", subj,
                           f"{n_a} are accountable ({holders}).",
                           "Keep one A; make the others R or C, or split the activity.",
                           a.id))
    if _count(a.cells, "R") == 0:
        out.append(Finding("R3", "error", "nobody doing the work", subj,
                           "no one is responsible (R) for doing it.",
                           "Name who does the work (R); the accountable one may be A/R.",
                           a.id))
    n_c = _count(a.cells, "C")
    if n_c > max(s.raci_drag_min, 0.5 * roles):
        out.append(Finding("R4", "warn", "decision drag", subj,
                           f"{n_c} must be consulted, which slows every decision.",
                           "Move some consulted (C) to informed (I).", a.id))
    return out


def row_is_valid(a: Activity) -> bool:
    """A row without R1-R3 errors that is not an orphan: counts toward clarity."""
    if is_orphan(a):
        return False
    return _count(a.cells, "A") == 1 and _count(a.cells, "R") >= 1


def check(facts: AllianceFacts, s: Settings = DEFAULT_SETTINGS, *,
          conflicts: Sequence[tuple[Goal, Goal, str]] | None = None) -> list[Finding]:
    """Every RACI finding of the alliance, errors first. `conflicts`: the goal
    conflicts when the caller has them already (evaluation.evaluate)."""
    rows = [a for a in facts.activities if not a.done]
    columns: set[Column] = {(c.party_key, c.person_key) for a in rows for c in a.cells}
    out: list[Finding] = []
    for a in rows:
        out.extend(row_findings(facts, a, len(columns), s))
    out.extend(_columns(facts, rows, columns, s))
    out.extend(_interfaces(facts, rows))
    out.extend(_stale(facts, rows))
    out.extend(_coverage(facts, s))
    out.extend(_balance(facts, rows, s))
    out.extend(_goals(facts, goal_conflicts(facts) if conflicts is None else conflicts))
    return sort_findings(out)


def _columns(
    facts: AllianceFacts, rows: list[Activity], columns: set[Column], s: Settings
) -> list[Finding]:
    out: list[Finding] = []
    letters: dict[Column, Counter[str]] = {col: Counter() for col in columns}
    for a in rows:
        for c in a.cells:
            held = letters[(c.party_key, c.person_key)]
            for letter in c.letters:  # canonical: each letter once
                held[letter] += 1
    for col in sorted(columns, key=lambda c: (c[0], c[1] or 0)):
        held = letters[col]
        who = _holder(facts, col)
        if not held["R"] and not held["A"]:
            out.append(Finding("R6", "info", "unused role", who,
                               "holds no R or A anywhere: only consulted or informed.",
                               "Remove the role, or give it the work it is missing.",
                               _col_id(facts, col)))
        if col[1] is None or len(rows) < s.raci_overload_min_rows:
            continue  # a whole party holding many rows is R12's question, not overload
        a_share = held["A"] / len(rows)
        r_share = held["R"] / len(rows)
        if a_share > s.raci_overload_a or r_share > s.raci_overload_r:
            out.append(Finding(
                "R7", "warn", "overload", who,
                f"accountable for {a_share:.0%} and responsible for {r_share:.0%} of "
                "the activities: a bottleneck.",
                "Hand some A or R to others; check the person has the time.",
                _col_id(facts, col)))
    return out


def _col_id(facts: AllianceFacts, col: Column) -> str | None:
    if col[1] is not None:
        return next((c.person_id for c in facts.contacts if c.person_key == col[1]), None)
    p = facts.party(col[0])
    return p.id if p else None


def _interfaces(facts: AllianceFacts, rows: list[Activity]) -> list[Finding]:
    """R8 interface gap and R9 no mirror, for joint activities."""
    out: list[Finding] = []
    for a in rows:
        if not a.joint or is_orphan(a):
            continue
        doers = {c.party_key for c in a.cells if "R" in c.letters or "A" in c.letters}
        consulted = {c.party_key for c in a.cells if "C" in c.letters}
        if len(doers) == 1 and not (consulted - doers):
            owner = facts.party_name(next(iter(doers)))
            out.append(Finding(
                "R8", "warn", "interface gap", _subject(a),
                f"all the work sits with {owner}, yet it needs the other side's input and "
                "nobody there is consulted.",
                "Make a person on the other side C (consulted), or mark the activity as "
                "not joint.", a.id))
        accountable = {c.party_key for c in a.cells if "A" in c.letters}
        named_elsewhere = {c.party_key for c in a.cells
                           if c.person_key is not None and c.party_key not in accountable}
        if accountable and not named_elsewhere:
            out.append(Finding(
                "R9", "warn", "no mirror", _subject(a),
                "no counterpart person is named on the other side.",
                "Name a person of another party in this row (any of R, C or I).", a.id))
    return out


def _stale(facts: AllianceFacts, rows: list[Activity]) -> list[Finding]:
    """R10: accountability held by someone who is no longer there."""
    active = {c.person_key: c.active for c in facts.contacts}
    out: list[Finding] = []
    for a in rows:
        for c in a.cells:
            if "A" in c.letters and c.person_key is not None and not active.get(
                c.person_key, False
            ):
                out.append(Finding(
                    "R10", "error", "stale accountability", _subject(a),
                    f"{facts.person_name(c.person_key)} is accountable but has left the "
                    "alliance or the organization.",
                    "Hand the A to someone who is still there.", a.id))
    return out


def _coverage(facts: AllianceFacts, s: Settings) -> list[Finding]:
    """R11: every open obligation and every objective maps to a row with an A."""
    owned_objectives = set()
    owned_obligations = set()
    for a in facts.activities:
        if any("A" in c.letters for c in a.cells):
            if a.objective_key is not None:
                owned_objectives.add(a.objective_key)
            if a.obligation_key is not None:
                owned_obligations.add(a.obligation_key)
    out: list[Finding] = []
    for ob in facts.obligations:
        if ob.kind == "obligation" and not ob.done and ob.key not in owned_obligations:
            out.append(Finding(
                "R11", "error", "uncovered commitment", f"obligation '{ob.text}'",
                "no activity with an accountable party carries this obligation.",
                "Add an activity for it (or link an existing one) and make someone A.",
                ob.id))
    for o in facts.objectives:
        if o.key not in owned_objectives:
            out.append(Finding(
                "R11", "error", "uncovered commitment", f"objective '{o.name}'",
                "no activity with an accountable party works toward this objective.",
                "Link an activity to the objective and make someone A.", o.id))
    return out


def _balance(facts: AllianceFacts, rows: list[Activity], s: Settings) -> list[Finding]:
    """R12: share of A per party far from the agreed split (equal if none agreed)."""
    parties = facts.current_parties
    if len(parties) < 2:
        return []
    held: Counter[int] = Counter()
    for a in rows:
        for c in a.cells:
            if "A" in c.letters:
                held[c.party_key] += 1
    total = sum(held.values())
    if total < s.raci_overload_min_rows:
        return []
    agreed_total = sum(p.share_bp or 0 for p in parties)
    out = []
    for p in parties:
        agreed = (p.share_bp / agreed_total) if agreed_total and p.share_bp is not None else (
            1 / len(parties))
        actual = held[p.key] / total
        if (actual - agreed) * 100 > s.raci_asymmetry_points:
            out.append(Finding(
                "R12", "info", "asymmetric ownership", p.name,
                f"holds {actual:.0%} of the accountabilities against an agreed share of "
                f"{agreed:.0%}.",
                "Discuss it in the health check; rebalance the A's or record the split "
                "you actually agreed.", p.id))
    return out


def _goals(facts: AllianceFacts, conflicts: Sequence[tuple[Goal, Goal, str]]
           ) -> list[Finding]:
    """R13: a goal with no objective, or two parties pulling the same measure apart."""
    measured = {o.goal_key for o in facts.objectives if o.goal_key is not None}
    out: list[Finding] = []
    for g in facts.goals:
        if g.key not in measured:
            out.append(Finding(
                "R13", "warn", "goal without a measure",
                f"goal '{g.text}' of {facts.party_name(g.party_key)}",
                "no objective measures it, so nobody will know whether it was met.",
                "Add an objective (metric, target, deadline) for this goal.", g.id))
    for a, b, why in conflicts:
        out.append(Finding(
            "R13", "warn", "goal conflict", f"measure '{a.kpi}'",
            f"{facts.party_name(a.party_key)} and {facts.party_name(b.party_key)}"
            f" pull it apart: {why}.",
            "Settle who owns it (accounts, exclusivity) before the next stage; "
            "record the outcome as a decision.", b.id))
    return out


def goal_conflicts(facts: AllianceFacts) -> list[tuple[Goal, Goal, str]]:
    """Pairs of goals of different parties on the same measure that pull apart: one
    up and one down, or both claiming it ("own": an account, an exclusivity)."""
    out = []
    goals = [g for g in facts.goals if g.kpi]
    for i, a in enumerate(goals):
        for b in goals[i + 1:]:
            if a.kpi != b.kpi or a.party_key == b.party_key:
                continue
            if {a.direction, b.direction} == {"increase", "decrease"}:
                out.append((a, b, "one wants it up, the other down"))
            elif a.direction == b.direction == "own":
                out.append((a, b, "both claim it for themselves"))
    return out


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that block launch: errors of R1-R3, R10 and R11."""
    return [f for f in findings if f.severity == "error"
            and f.code in ("R1", "R2", "R3", "R10", "R11")]
