"""Alliance work for the daily agenda (docs/alliances.md, "On the agenda"): the tasks
of every live alliance, most urgent first. Kept apart from the people agenda
(services/agenda.py) so each can change without the other."""

from __future__ import annotations

from kithbook.domain.alliances import agenda as rules
from kithbook.domain.alliances.agenda import AllianceTask
from kithbook.errors import InvalidInput
from kithbook.services.alliance_base import AllianceBase
from kithbook.services.catalog import use_case
from kithbook.store import alliance_facts as st_facts
from kithbook.store import alliances as st

MAX_LIMIT = 1000


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
            loaded = st_facts.load_many(conn, [s.key for s in summaries], now, history=False)
        for s in summaries:
            out.extend(rules.tasks(loaded[s.key], now, notice_by=s.notice_by))
        return rules.rank(out)[:limit]
