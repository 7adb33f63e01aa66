"""Alliance work for the daily agenda (docs/alliance-management.md, "On the agenda"): the tasks
of every live alliance, most urgent first. Kept apart from the people agenda
(services/agenda.py) so each can change without the other."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kithbook.domain.alliances import agenda as rules
from kithbook.domain.alliances.agenda import AllianceTask
from kithbook.domain.alliances.records import AllianceDate
from kithbook.errors import InvalidInput
from kithbook.services.alliance_base import AllianceBase
from kithbook.services.catalog import use_case
from kithbook.store import alliance_facts as st_facts
from kithbook.store import alliances as st

if TYPE_CHECKING:
    from kithbook.io.ics import CalendarEvent

MAX_LIMIT = 1000
# Facts the agenda's rules (domain/alliances/agenda.py, with the pacing and
# partner-quiet checks it calls) never read, so they are not loaded; the activities
# with their RACI are most of the portfolio's rows. tests/test_alliance_batch.py
# compares the agenda with the one computed from complete facts.
AGENDA_SKIPS = frozenset({"documents", "goals", "activities", "obligations",
                          "contributions", "actions", "exit_items"})
CALENDAR_TEXT = {
    "decision": ("Renewal/exit decision", "Hold the review with the partners and record "
                 "its outcome."),
    "notice": ("Notice date", "The last day to give notice before the planned end: renew, "
               "renegotiate or give notice."),
    "end": ("Planned end", "The alliance's planned end."),
    "objective": ("Milestone", "The objective's deadline; record where it stands."),
    "forum": ("Forum due", "Its next meeting by the agreed cadence: schedule it with the "
              "partners, then log it as a meeting."),
    "obligation": ("Obligation due", "Close it, or record why it is still open."),
}


class AllianceAgendaService(AllianceBase):
    @use_case()
    def today(self, limit: int = 20) -> list[AllianceTask]:
        """Forums due, decisions to confirm or awaiting the partners, renewal and notice
        dates, health checks due, measures off track, partners gone quiet."""
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidInput(f"the limit must be between 1 and {MAX_LIMIT}.",
                               field="limit")
        now = self.svc.now
        out: list[AllianceTask] = []
        with self.svc.db.read() as conn:
            summaries, _ = st.list_alliances(conn, limit=100_000)
            loaded = st_facts.load_many(conn, [s.key for s in summaries], now, history=False,
                                        skip=AGENDA_SKIPS)
        for s in summaries:
            out.extend(rules.tasks(loaded[s.key], now, notice_by=s.notice_by))
        return rules.rank(out)[:limit]

    def dates(self) -> list[AllianceDate]:
        """The dates of live alliances the calendar shows: renewal/exit decisions,
        notice dates, planned ends, objective deadlines, forums' next meetings, open
        obligations. (Not a use
        case of its own: it reaches the user through the calendar feed.)"""
        with self.svc.db.read() as conn:
            return st.dated_items(conn, self.svc.now)

    def calendar_events(self) -> list[CalendarEvent]:
        """`dates` as all-day calendar events (the feed and `kithbook export ics`)."""
        from kithbook.io.ics import CalendarEvent

        out = []
        for d in self.dates():
            label, action = CALENDAR_TEXT[d.kind]
            out.append(CalendarEvent(
                uid=f"{d.id.replace(':', '-')}@kithbook", day=d.on,
                summary=f"{label}: {d.name}" + (f": {d.title}" if d.kind in (
                    "objective", "obligation", "forum") else ""),
                description=f"{d.name}: {d.title} on {d.on.isoformat()}. {action}",
                category="alliance"))
        return out
