"""The rule results several views read, computed once per alliance and moment.

The portfolio shows each alliance's health, its findings and its gate. The health score
reads the pacing of every objective, the validity of every RACI row and the goal
conflicts; the findings list the same pacing and the RACI checks (goal conflicts
included); the launch gate blocks on the RACI errors. `evaluate` runs each of those
once, and the health score, the pacing findings and the gate take the result instead
of running them again. Each of them, called without it, computes its own: the same
figures either way (tests/test_alliance_batch.py compares the two paths).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kithbook.domain.alliances import pacing, raci
from kithbook.domain.alliances.facts import (
    DEFAULT_SETTINGS,
    AllianceFacts,
    Finding,
    Goal,
    Settings,
)

# the row checks that make a RACI row invalid (raci.row_is_valid): no A, several A's,
# no R, or an orphan row (reported as R5 instead of R1 and R3)
INVALID_ROW_CODES = frozenset({"R1", "R2", "R3", "R5"})


@dataclass(frozen=True)
class Evaluation:
    """What the rules found for one alliance at `now` (with settings `settings`)."""

    now: datetime
    settings: Settings
    paces: tuple[pacing.Pace, ...]  # one per objective, in the facts' order
    pacing_findings: tuple[Finding, ...]
    raci_findings: tuple[Finding, ...]  # raci.check, sorted
    goal_conflicts: tuple[tuple[Goal, Goal, str], ...]
    invalid_rows: frozenset[str]  # ids of the open activities that fail R1-R3 or R5

    def row_is_valid(self, activity_id: str) -> bool:
        return activity_id not in self.invalid_rows

    def fits(self, now: datetime, s: Settings) -> bool:
        """Whether this evaluation answers for `now` and `s` (else recompute)."""
        return self.now == now and self.settings == s


def evaluate(facts: AllianceFacts, now: datetime,
             s: Settings = DEFAULT_SETTINGS) -> Evaluation:
    paces = tuple(pacing.paces(facts, now.date(), s))
    conflicts = tuple(raci.goal_conflicts(facts))
    found = raci.check(facts, s, conflicts=conflicts)
    invalid = frozenset(f.subject_id for f in found
                        if f.code in INVALID_ROW_CODES and f.subject_id is not None)
    return Evaluation(now, s, paces,
                      tuple(pacing.findings(facts, now.date(), s, paces=paces)),
                      tuple(found), conflicts, invalid)
