"""Follow through and follow up: the daily agenda, snooze, quick touches, pruning,
archive / unarchive, reliability records and the calendar export.

The store selects and ranks candidates in SQL; the domain decides each item. A stored
`last_touch_at` is only a hint: every candidate's latest touch is re-read from history
(interactions, promises kept) before it is judged, so a touch always resets the clock
and an `--as-of` agenda ignores everything that happened later.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from kithbook.domain import agenda as rules
from kithbook.domain import prune as prune_rules
from kithbook.domain.agenda import Agenda, AgendaItem, FollowUpFact, PersonFacts, guarded
from kithbook.domain.cadence import KIND_CADENCE_DAYS, snooze_until
from kithbook.domain.parsing import parse_days
from kithbook.domain.reliability import Reliability, reliability
from kithbook.errors import InvalidInput
from kithbook.services.catalog import use_case
from kithbook.services.results import Archived, Snoozed, Touched
from kithbook.store import agenda_queries as q
from kithbook.store import people as st_people
from kithbook.store import promises as st_promises
from kithbook.store import prune_queries as pq
from kithbook.store import schema as s

if TYPE_CHECKING:
    from kithbook.io.ics import CalendarEvent
    from kithbook.services.app import Services

DEFAULT_LIMIT = 20
MAX_LIMIT = 1000
SLACK = 10  # extra candidates fetched so re-checks against history rarely need a 2nd page
EPS = 1e-3


class AgendaService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    # -- the window -----------------------------------------------------------------

    def window(self, conn: Connection) -> q.Window:
        as_of = self.svc.config.as_of
        return q.Window(
            today=self.svc.today,
            now=self.svc.now,
            me=st_people.me_key(conn),
            tier_days=dict(self.svc.config.tier_cadence_days),
            kind_days=dict(KIND_CADENCE_DAYS),
            historical=as_of is not None and as_of < datetime.now(UTC).date(),
        )

    def _verify(
        self, conn: Connection, w: q.Window, facts: Sequence[PersonFacts]
    ) -> list[PersonFacts]:
        """Each candidate's latest real touch (from history, not only the stored hint)
        and relationship kinds with me."""
        kinds = q.kinds_with(conn, w.me, [f.key for f in facts], w.kind_days)
        return [replace(f, kinds=kinds.get(f.key, ())) for f in q.with_history(conn, facts, w.now)]

    # -- today ----------------------------------------------------------------------

    @use_case()
    def today(self, limit: int = DEFAULT_LIMIT) -> Agenda:
        """The ranked queue of next best relationship actions, most important first."""
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidInput(
                f"the agenda shows between 1 and {MAX_LIMIT} items.", field="limit"
            )
        with self.svc.db.read() as conn:
            w = self.window(conn)
            items: list[AgendaItem] = []
            more = False
            for part in (self._keep_in_touch, self._follow_ups, self._promises):
                got, extra = part(conn, w, limit)
                items.extend(got)
                more = more or extra
            items.extend(self._problems(conn, w, limit))
            from kithbook.services import triage as day

            first, triage = day.day_one(conn, w)
            items.extend(first)
            from kithbook.services import craft_agenda as craft

            items.extend(craft.items(conn, w, timezone=self.svc.config.timezone))
        ranked = rules.rank(items)
        shown = ranked[:limit]  # rank keeps one keep-in-touch item per person
        return Agenda(
            as_of=w.today,
            items=shown,
            problems=sum(1 for i in ranked if i.kind == "problem"),
            truncated=more or len(ranked) > limit,
            counts=day.counts(shown),
            triage=triage,
        )

    def _paged(
        self,
        limit: int,
        fetch: Callable[[int, int], list[Any]],
        judge: Callable[[list[Any]], list[AgendaItem]],
        score_of: Callable[[Any], float],
    ) -> tuple[list[AgendaItem], bool]:
        """Fetch candidates best-first until `limit` judged items score at least as high
        as the last candidate fetched (judging only ever lowers a score), or none are
        left. Returns the items and whether candidates remain unfetched."""
        items: list[AgendaItem] = []
        offset, size = 0, limit + SLACK
        while True:
            rows = fetch(size, offset)
            items.extend(judge(rows))
            if len(rows) < size:
                return items, False
            floor = score_of(rows[-1]) - EPS
            if sum(1 for i in items if i.score >= floor) >= limit:
                return items, True
            offset += size
            size *= 2

    def _keep_in_touch(
        self, conn: Connection, w: q.Window, limit: int
    ) -> tuple[list[AgendaItem], bool]:
        def judge(facts: list[PersonFacts]) -> list[AgendaItem]:
            out = []
            for f in self._verify(conn, w, facts):
                item = guarded(
                    f,
                    "keep-in-touch status",
                    partial(
                        rules.keep_in_touch_item,
                        f,
                        today=w.today,
                        tier_days=w.tier_days,
                        kind_days=w.kind_days,
                    ),
                )
                if item is not None:
                    out.append(item)
            return out

        scores: dict[int, float] = {}

        def fetch(size: int, offset: int) -> list[PersonFacts]:
            rows = q.due_people(conn, w, limit=size, offset=offset)
            scores.update({f.key: sc for f, sc in rows})
            return [f for f, _ in rows]

        items, more = self._paged(limit, fetch, judge, lambda f: scores[f.key])
        # Stored touches after `now` (an --as-of in the past): judged from history alone.
        items.extend(judge(q.touched_later(conn, w)))
        return items, more

    def _follow_ups(
        self, conn: Connection, w: q.Window, limit: int
    ) -> tuple[list[AgendaItem], bool]:
        def judge(facts: list[FollowUpFact]) -> list[AgendaItem]:
            verified = {f.key: f for f in self._verify(conn, w, [x.person for x in facts])}
            out = []
            for fu in facts:
                fu = replace(fu, person=verified[fu.person.key])
                item = guarded(
                    fu.person, "follow-up", partial(rules.follow_up_item, fu, today=w.today)
                )
                if item is not None:
                    out.append(item)
            return out

        def tier_score(fu: FollowUpFact) -> float:
            tier_w = rules.TIER_WEIGHT.get(fu.person.tier, rules.TIER_WEIGHT[None])
            return round(60.0 + tier_w / 3, 3)

        return self._paged(
            limit,
            lambda size, offset: q.follow_up_candidates(conn, w, limit=size, offset=offset),
            judge,
            tier_score,
        )

    def _promises(self, conn: Connection, w: q.Window, limit: int) -> tuple[list[AgendaItem], bool]:
        if w.me is None:
            return [], False
        fetched = [
            q.my_dated_promises(conn, w, limit=limit + 1),
            q.my_undated_promises(conn, w, limit=limit + 1),
            q.overdue_to_me(conn, w, limit=limit + 1),
        ]
        more = any(len(batch) > limit for batch in fetched)
        promises = [pr for batch in fetched for pr in batch[:limit]]
        others = {pr.owed_to.key if pr.owed_by.key == w.me else pr.owed_by.key for pr in promises}
        facts = q.facts_for(conn, others)
        me = w.me
        out = []
        for pr in promises:
            other = pr.owed_to if pr.owed_by.key == me else pr.owed_by
            item = guarded(
                other,
                "promise",
                partial(
                    rules.promise_item, pr, me_key=me, today=w.today, other=facts.get(other.key)
                ),
            )
            if item is not None:
                out.append(item)
        return out, more

    def _problems(self, conn: Connection, w: q.Window, limit: int) -> list[AgendaItem]:
        out: list[AgendaItem] = []
        if w.me is None:
            out.append(
                AgendaItem(
                    id="me",
                    name="(you)",
                    kind="problem",
                    score=100.0,
                    why="Kithbook does not know who you are, so promises cannot be sorted into "
                    "yours and theirs and none are on this agenda.",
                    action="Tell Kithbook who you are, once.",
                )
            )
        if not w.historical:
            for f in q.future_touches(conn, w.now, limit=limit):
                out.append(
                    AgendaItem(
                        id=f.id,
                        name=f.name,
                        kind="problem",
                        score=100.0,
                        why=f"The last touch is dated {f.last_touch_at:%Y-%m-%d}, in the future, "
                        "so their keep-in-touch status cannot be judged.",
                        action="Check the dates of their interactions, fix the wrong one, then "
                        "look at the agenda again.",
                        tier=f.tier,
                        stage=f.stage,
                        key=f.key,
                    )
                )
        return out

    # -- snooze, quick touch --------------------------------------------------------

    @use_case(writes=True)
    def snooze(self, person: str, duration: str) -> Snoozed:
        """Defer a person's keep-in-touch and follow-up items without recording a touch.
        `duration`: 14d, 2w, 3m, ... ; `off` ends a snooze."""
        off = duration.strip().lower() in ("off", "0", "0d", "none")
        until = None if off else snooze_until(self.svc.today, parse_days(duration, field="snooze"))
        with self.svc.db.write("snooze", actor=self.svc.actor, now=self.svc.now) as j:
            key = self.svc.resolve.person_key(j.conn, person)
            j.update(s.people, key, {"snoozed_until": until})
            ref = st_people.ref_by_key(j.conn, key)
            batch = j.batch_id
        return Snoozed(id=ref.id, name=ref.name, snoozed_until=until, batch_id=batch)

    @use_case(writes=True)
    def touched(self, person: str, note: str | None = None) -> Touched:
        """Record a quick touch: a short interaction that resets the cadence clock (and
        shows in their timeline; `kithbook undo` removes it)."""
        from kithbook.services.interactions import NewInteraction

        who = self.svc.people.resolve(person)
        interaction = self.svc.interactions.log(NewInteraction(
            with_people=[who], channel="other", summary=note or "Quick touch",
        ))
        return Touched(id=who.id, name=who.name, touched_at=interaction.occurred_at,
                       interaction_id=interaction.id)

    # -- prune, archive ---------------------------------------------------------------

    @use_case()
    def prune(self, limit: int = 50) -> list[prune_rules.Proposal]:
        """Pruning proposals (downgrade / slow down / archive), with reasons."""
        if limit < 1:
            raise InvalidInput("the number of proposals must be at least 1.", field="limit")
        with self.svc.db.read() as conn:
            w = self.window(conn)
            keys, started = pq.prune_candidates(
                conn,
                w,
                silence_factor=prune_rules.SILENCE_FACTOR,
                archive_days=prune_rules.ARCHIVE_SILENCE_DAYS,
                broken_min=prune_rules.BROKEN_MIN,
                one_sided_min=prune_rules.ONE_SIDED_MIN,
                given_min=prune_rules.GIVEN_UNANSWERED,
            )
            facts = pq.prune_facts(conn, w, keys, started)
        return prune_rules.review(facts, today=w.today, tier_days=w.tier_days, limit=limit)

    @use_case(writes=True)
    def archive(self, person: str, reason: str) -> Archived:
        """Archive with a reason: kept in full, off the agenda, undoable."""
        reason = (reason or "").strip()
        if not reason:
            raise InvalidInput(
                "say why you archive them.",
                field="reason",
                hint='For example: "no contact in 3 years".',
            )
        with self.svc.db.write("archive", actor=self.svc.actor, now=self.svc.now) as j:
            key = self.svc.resolve.person_key(j.conn, person)
            if key == st_people.me_key(j.conn):
                raise InvalidInput("you cannot archive yourself.", field="person")
            j.update(s.people, key, {"archived_at": j.now, "archive_reason": reason})
            ref = st_people.ref_by_key(j.conn, key)
            batch = j.batch_id
        return Archived(
            id=ref.id,
            name=ref.name,
            archived_at=self.svc.now,
            archive_reason=reason,
            batch_id=batch,
        )

    @use_case(writes=True)
    def unarchive(self, person: str) -> Archived:
        """Bring an archived person back to the network and the agenda."""
        with self.svc.db.write("unarchive", actor=self.svc.actor, now=self.svc.now) as j:
            key = self.svc.resolve.person_key(j.conn, person)
            j.update(s.people, key, {"archived_at": None, "archive_reason": None})
            ref = st_people.ref_by_key(j.conn, key)
            batch = j.batch_id
        return Archived(
            id=ref.id, name=ref.name, archived_at=None, archive_reason=None, batch_id=batch
        )

    # -- reliability --------------------------------------------------------------------

    @use_case()
    def reliability(self, person: str) -> Reliability:
        """How reliable a person is: promises kept and broken, both ways."""
        with self.svc.db.read() as conn:
            key = self.svc.resolve.person_key(conn, person)
            ref = st_people.ref_by_key(conn, key)
            promises = st_promises.promises_of(conn, key, status=None, limit=100_000)
            me = st_people.me_key(conn)
        return reliability(ref, promises, me_key=me, today=self.svc.today)

    # -- calendar -----------------------------------------------------------------------

    def calendar_events(self, limit: int = MAX_LIMIT) -> list[CalendarEvent]:
        """Open dated promises both ways, due follow-ups, birthdays and the dates of
        live alliances (services/alliance_agenda.py), as calendar events."""
        from kithbook.io.ics import CalendarEvent

        with self.svc.db.read() as conn:
            w = self.window(conn)
            promises = q.calendar_promises(conn, w, limit=limit)
            follow, _ = self._follow_ups(conn, w, limit)
        events = []
        for pr in promises:
            mine = pr.owed_by.key == w.me
            if mine:
                title = f"Promised {pr.owed_to.name}: {pr.what}"
                text = (
                    f"You promised {pr.owed_to.name}: {pr.what}. Deliver it, then mark it done "
                    f"({pr.id})."
                )
            else:
                title = f"{pr.owed_by.name} owes you: {pr.what}"
                text = (
                    f"{pr.owed_by.name} promised you: {pr.what}. If it has not come, "
                    "send a friendly nudge."
                )
            assert pr.due is not None
            events.append(
                CalendarEvent(
                    uid=f"{pr.id}@kithbook",
                    day=pr.due,
                    summary=title,
                    description=text,
                    created=pr.created_at,
                    category="promise" if mine else "owed-to-me",
                )
            )
        for item in follow:
            assert item.due is not None
            events.append(
                CalendarEvent(
                    uid=f"follow-up-{item.subject_id}-{item.id}@kithbook",
                    day=item.due,
                    summary=f"Follow up with {item.name}",
                    description=f"{item.why} {item.action}",
                    created=None,
                    category="follow-up",
                )
            )
        from kithbook.services import triage as day

        with self.svc.db.read() as conn:
            w = self.window(conn)
            dates = day.birthdays(conn, w) + day.anniversaries(conn, w)
        for item in dates:
            assert item.due is not None
            title = item.kind.capitalize()
            events.append(
                CalendarEvent(
                    uid=f"{item.kind}-{item.id}-{item.due.year}@kithbook",
                    day=item.due,
                    summary=f"{title}: {item.name}",
                    description=f"{item.why} {item.action}",
                    created=None,
                    category=item.kind,
                )
            )
        events.extend(self.svc.alliance_agenda.calendar_events())
        events.sort(key=lambda e: (e.day, e.uid))
        return events

    def ics(self) -> bytes:
        from kithbook.io.ics import write_calendar

        return write_calendar(self.calendar_events(), stamp=self.svc.now)


def export_ics(svc: Services, *, tag: str | None = None) -> bytes:
    """Exporter entry point for `kithbook export ics` (see services/formats.py)."""
    if tag:
        raise InvalidInput("the calendar export does not filter by tag.", field="tag")
    return AgendaService(svc).ics()
