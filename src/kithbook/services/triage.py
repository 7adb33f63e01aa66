"""Day one on the agenda: never-contacted ranked people due now, birthdays, and the
first-day triage of people never touched or never ranked (domain/triage.py)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from kithbook.domain import agenda as rules
from kithbook.domain import triage as tr
from kithbook.domain.agenda import AgendaItem
from kithbook.store import triage_queries as tq

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kithbook.store.agenda_queries import Window


def never_contacted(conn: Connection, w: Window) -> list[AgendaItem]:
    from kithbook.store import agenda_queries as q

    facts = q.with_history(conn, tq.never_contacted(conn, w.today), w.now)
    out = []
    for f in facts:
        item = rules.guarded(f, "first contact",
                             lambda f=f: rules.first_contact_item(f, today=w.today))  # type: ignore[misc]
        if item is not None:
            out.append(item)
    return out


def birthdays(conn: Connection, w: Window) -> list[AgendaItem]:
    people = {p.id: p for p in tq.with_birthdays(conn)}
    return [rules.birthday_item(s.id, s.name, people[s.id].key, tr.next_birthday(
        people[s.id].birthday, w.today) or w.today, s.why, today=w.today)
        for s in tr.birthday_suggestions(list(people.values()), w.today)]


def anniversaries(conn: Connection, w: Window) -> list[AgendaItem]:
    people = {p.id: p for p in tq.with_anniversaries(conn)}
    return [rules.anniversary_item(s.id, s.name, people[s.id].key, tr.next_birthday(
        people[s.id].anniversary, w.today) or w.today, s.why, today=w.today)
        for s in tr.anniversary_suggestions(list(people.values()), w.today)]


def day_one(conn: Connection, w: Window) -> tuple[list[AgendaItem], tr.Triage | None]:
    """Agenda items (first contacts, birthdays) and the triage; None when everyone is
    known (touched and ranked)."""
    items = never_contacted(conn, w) + birthdays(conn, w) + anniversaries(conn, w)
    unknown = tq.unknown_people(conn, w.me)
    if not unknown:
        return items, None
    triage = tr.triage(unknown, w.today)
    triage.unknown = tq.count_unknown(conn)
    triage.birthdays = [s for s in tr.birthday_suggestions(unknown, w.today)]
    triage.anniversaries = tr.anniversary_suggestions(unknown, w.today)
    return items, triage


def counts(items: list[AgendaItem]) -> dict[str, int]:
    return dict(Counter(i.kind for i in items))
