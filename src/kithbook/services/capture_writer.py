"""Writing what a capture run read: one thread or one meeting occurrence becomes one
interaction with its participants; replies update it; a meeting cancelled or declined
after it was captured is taken back. Everything goes through the journal (bulk where
the rows are many), so `undo` reverses a whole run. See docs/capture.md."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kithbook import ids
from kithbook.domain.capture import (
    Batch,
    Touch,
    canonical_address,
    is_me,
    proposal_due,
    without_tag,
)
from kithbook.services.import_writer import body_of
from kithbook.store import capture as st
from kithbook.store import import_queries as iq
from kithbook.store import schema as s
from kithbook.store.capture_schema import capture_contacts, captured
from kithbook.store.journal import Journal


class PersonIndex:
    """Canonical address -> person, read once per run; and my own addresses."""

    def __init__(self, rows: Iterable[tuple[str, int, bool]], my_aliases: Iterable[str]) -> None:
        self.by_address: dict[str, int] = {}
        me: set[str] = {canonical_address(a) for a in my_aliases if a}
        for address, key, mine in rows:
            canon = canonical_address(address)
            if mine:
                me.add(canon)
            else:
                self.by_address.setdefault(canon, key)
        self.me = frozenset(me)

    def get(self, address: str) -> int | None:
        """The person with this canonical address; a `+tag` variant is tried second."""
        found = self.by_address.get(address)
        if found is None and "+" in address:
            found = self.by_address.get(without_tag(address))
        return found


@dataclass
class RunStats:
    seen: int = 0
    kept: int = 0
    duplicates: int = 0
    created: int = 0
    updated: int = 0
    withdrawn: int = 0
    proposed: int = 0
    people_touched: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {k: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v)
                for k, v in self.__dict__.items()}


@dataclass
class _Contact:
    name: str | None
    msgs_in: int = 0
    msgs_out: int = 0
    first: datetime | None = None
    last: datetime | None = None


class BatchWriter:
    """Writes batches for one run of one source."""

    def __init__(self, *, source_key: int, source_pid: str, run_key: int, me_key: int,
                 people: PersonIndex, stats: RunStats) -> None:
        self.source_key = source_key
        self.source_tag = f"capture:{source_pid}"
        self.run_key = run_key
        self.me_key = me_key
        self.people = people
        self.stats = stats

    def write(self, j: Journal, batch: Batch) -> None:
        self.stats.seen += batch.seen
        for reason, n in batch.skipped.items():
            self.stats.skipped[reason] = self.stats.skipped.get(reason, 0) + n
        self.stats.problems = (self.stats.problems + batch.problems)[:50]
        self.touched: dict[int, datetime] = {}
        self.contacts: dict[str, _Contact] = {}
        self.bulk = iq.BulkWriter(j.conn, batch_id=j.batch_id, now=j.logged_at, actor=j.actor,
                                  action=j.action)
        self._mail(j, [t for t in batch.touches if t.origin == "mail"])
        self._meetings(j, [t for t in batch.touches if t.origin == "calendar"])
        self._contacts(j)
        self._last_touch(j)

    # -- people of a touch ------------------------------------------------------------

    def _known(self, touches: Iterable[Touch]) -> list[int]:
        found = {self.people.get(p.address) for t in touches for p in t.others}
        return sorted(k for k in found if k is not None)

    def _initiator(self, address: str | None) -> int | None:
        if address is None or is_me(address, self.people.me):
            return self.me_key
        return self.people.get(address)

    def _note_unknown(self, t: Touch) -> None:
        for p in t.others:
            if self.people.get(p.address) is not None:
                continue
            c = self.contacts.setdefault(p.address, _Contact(p.name))
            c.name = c.name or p.name
            if t.origin == "calendar":
                c.msgs_in += 1
                c.msgs_out += 1
            elif t.direction == "out":
                c.msgs_out += 1
            elif t.initiator == p.address:
                c.msgs_in += 1
            c.first = t.when if c.first is None else min(c.first, t.when)
            c.last = t.when if c.last is None else max(c.last, t.when)

    def _touch(self, people: Iterable[int], when: datetime) -> None:
        for k in people:
            if k != self.me_key and (k not in self.touched or self.touched[k] < when):
                self.touched[k] = when

    def _captured_row(self, t: Touch, thread: str, interaction: int | None) -> dict[str, Any]:
        return {
            "origin": t.origin, "item_key": t.key, "thread_key": thread,
            "interaction_id": interaction, "source_id": self.source_key,
            "run_id": self.run_key, "locator": t.locator or None, "occurred_at": t.when,
            "direction": t.direction,
            "parties": " ".join(p.address for p in t.others)[:4000] or None,
            "fingerprint": t.fingerprint, "status": "kept",
        }

    def _new_interactions(self, j: Journal, specs: list[tuple[Touch, list[Touch], list[int],
                                                              int | None]]) -> list[int]:
        """(first touch, all touches, participants, initiator) -> new interaction keys."""
        rows = []
        for first, touches, _people, initiator in specs:
            summary: str | None = next((t.summary for t in touches if t.summary), None)
            rows.append({
                "public_id": ids.new_id("interaction"),
                "occurred_at": max(t.when for t in touches),
                "channel": first.channel, "minutes": first.minutes, "summary": summary,
                "initiated_by_id": initiator, "source": self.source_tag,
                "created_at": j.now,
            })
        keys = self.bulk.insert(s.interactions, rows)
        # participants go with their interaction: undoing its insert cascades to them
        self.bulk.insert(s.interaction_participants, [
            {"interaction_id": key, "person_id": p}
            for key, (_f, _t, people, _i) in zip(keys, specs, strict=True) for p in people
        ], journal=False)
        iq.add_search_docs(j.conn, [("interaction", key, body_of(str(row["summary"])))
                                    for key, row in zip(keys, rows, strict=True)
                                    if row["summary"]])
        self.stats.created += len(keys)
        return keys

    # -- mail ---------------------------------------------------------------------------

    def _mail(self, j: Journal, touches: list[Touch]) -> None:
        if not touches:
            return
        conn = j.conn
        unique: dict[str, Touch] = {}
        for t in touches:
            unique.setdefault(t.key, t)
        existing = st.captured_by_keys(conn, "mail", unique)
        new = sorted((t for k, t in unique.items() if k not in existing), key=lambda t: t.when)
        self.stats.duplicates += len(touches) - len(new)
        if not new:
            return
        refs = {r for t in new for r in t.refs}
        parent = {k: row.thread_key for k, row in st.captured_by_keys(conn, "mail", refs).items()}
        groups: dict[str, list[Touch]] = defaultdict(list)
        for t in new:
            thread = next((parent[r] for r in t.refs if r in parent), t.thread)
            parent[t.key] = thread
            groups[thread].append(t)
        states = st.threads(conn, "mail", groups)
        live = st.interaction_state(conn, [x.interaction_id for x in states.values()
                                           if x.interaction_id is not None])
        create: list[tuple[Touch, list[Touch], list[int], int | None]] = []
        create_threads: list[str] = []
        occurred: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
        initiated: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
        add_parts: list[dict[str, Any]] = []
        link: dict[str, int | None] = {}
        for thread, ts in groups.items():
            state = states.get(thread)
            known = self._known(ts)
            for t in ts:
                self._note_unknown(t)
            directions = (state.directions if state else set()) | {t.direction for t in ts}
            two_way = {"in", "out"} <= directions
            iid = state.interaction_id if state else None
            if iid is not None and iid in live:
                when, by, people, _deleted = live[iid]
                last = max(t.when for t in ts)
                if last > when:
                    occurred.append((iid, {"occurred_at": when}, {"occurred_at": last}))
                if two_way and by is not None:
                    initiated.append((iid, {"initiated_by_id": by}, {"initiated_by_id": None}))
                add_parts += [{"interaction_id": iid, "person_id": p}
                              for p in known if p not in people]
                self.stats.updated += 1
                self._touch(known, last)
                link[thread] = iid
            elif known:
                initiator = None if two_way else self._initiator(ts[0].initiator)
                create.append((ts[0], ts, [self.me_key, *known], initiator))
                create_threads.append(thread)
                self._touch(known, max(t.when for t in ts))
            else:
                link[thread] = None
        st.bulk_update(j, s.interactions, occurred)
        st.bulk_update(j, s.interactions, initiated)
        self.bulk.insert(s.interaction_participants, add_parts)
        keys = self._new_interactions(j, create)
        link.update(zip(create_threads, keys, strict=True))
        # earlier messages of a thread that had no known person join its new interaction
        relink = [(row, {"interaction_id": None}, {"interaction_id": link[th]})
                  for th in create_threads for row in (states[th].unlinked if th in states
                                                       else [])]
        st.bulk_update(j, captured, relink)
        self.bulk.insert(captured, [self._captured_row(t, thread, link[thread])
                                    for thread, ts in groups.items() for t in ts])
        self.stats.kept += len(new)

    # -- meetings -----------------------------------------------------------------------

    def _meetings(self, j: Journal, touches: list[Touch]) -> None:
        if not touches:
            return
        conn = j.conn
        unique: dict[str, Touch] = {}
        for t in touches:
            unique[t.key] = t  # a later copy of an occurrence wins
        existing = st.captured_by_keys(conn, "calendar", unique)
        live = st.interaction_state(conn, [r.interaction_id for r in existing.values()
                                           if r.interaction_id is not None])
        create: list[tuple[Touch, list[Touch], list[int], int | None]] = []
        create_touches: list[Touch] = []
        unlinked: list[Touch] = []
        for t in unique.values():
            row = existing.get(t.key)
            if t.withdraw:
                if row is not None and row.status == "kept":
                    self._withdraw(j, row, t)
                continue
            known = self._known([t])
            if row is None:
                self._note_unknown(t)
                if known:
                    create.append((t, [t], [self.me_key, *known], self._initiator(t.initiator)))
                    create_touches.append(t)
                    self._touch(known, t.when)
                else:
                    unlinked.append(t)
                continue
            if row.fingerprint == t.fingerprint and row.status == "kept":
                self.stats.duplicates += 1
                continue
            self._revise(j, row, t, known, live)
        keys = self._new_interactions(j, create)
        rows = [self._captured_row(t, t.key, k) for t, k in zip(create_touches, keys,
                                                                strict=True)]
        rows += [self._captured_row(t, t.key, None) for t in unlinked]
        self.bulk.insert(captured, rows)
        self.stats.kept += len(rows)

    def _withdraw(self, j: Journal, row: st.CapturedRow, t: Touch) -> None:
        if row.interaction_id is not None:
            j.update(s.interactions, row.interaction_id, {"deleted_at": j.now})
        j.update(captured, row.key, {"status": "withdrawn", "fingerprint": t.fingerprint})
        self.stats.withdrawn += 1

    def _revise(self, j: Journal, row: st.CapturedRow, t: Touch, known: list[int],
                live: dict[int, tuple[datetime, int | None, set[int], Any]]) -> None:
        """A meeting captured before changed: moved, renamed, attendees changed, or
        un-cancelled. The interaction follows it."""
        iid = row.interaction_id
        want = {self.me_key, *known}
        if iid is None or iid not in live:
            if known:
                [iid] = self._new_interactions(j, [(t, [t], sorted(want),
                                                    self._initiator(t.initiator))])
        else:
            _when, _by, people, _deleted = live[iid]
            j.update(s.interactions, iid, {"occurred_at": t.when, "minutes": t.minutes,
                                           "summary": t.summary, "deleted_at": None})
            for p in sorted(want - people):
                j.insert(s.interaction_participants, {"interaction_id": iid, "person_id": p})
            for p in sorted(people - want):
                j.delete(s.interaction_participants, {"interaction_id": iid, "person_id": p})
            self.stats.updated += 1
        j.update(captured, row.key, {"fingerprint": t.fingerprint, "status": "kept",
                                     "interaction_id": iid, "occurred_at": t.when})
        self._touch(known, t.when)

    # -- correspondents and last touch ----------------------------------------------------

    def _contacts(self, j: Journal) -> None:
        if not self.contacts:
            return
        have = st.contacts_by_address(j.conn, self.contacts)
        fresh = []
        changes: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
        for address, c in self.contacts.items():
            assert c.first is not None and c.last is not None
            row = have.get(address)
            if row is None:
                due = proposal_due(c.msgs_in, c.msgs_out)
                self.stats.proposed += due
                fresh.append({"address": address, "display_name": (c.name or None) and
                              c.name[:300], "msgs_in": c.msgs_in, "msgs_out": c.msgs_out,
                              "first_seen": c.first, "last_seen": c.last,
                              "status": "proposed" if due else "seen"})
                continue
            m_in, m_out = row["msgs_in"] + c.msgs_in, row["msgs_out"] + c.msgs_out
            status = row["status"]
            if status == "seen" and proposal_due(m_in, m_out):
                status = "proposed"
                self.stats.proposed += 1
            changes.append((row["id"], row, {
                "msgs_in": m_in, "msgs_out": m_out, "status": status,
                "display_name": row["display_name"] or ((c.name or None) and c.name[:300]),
                "last_seen": max(c.last, _aware(row["last_seen"])),
                "first_seen": min(c.first, _aware(row["first_seen"])),
            }))
        st.bulk_update(j, capture_contacts, changes)
        self.bulk.insert(capture_contacts, fresh)

    def _last_touch(self, j: Journal) -> None:
        """Captured touches reset keep-in-touch clocks, as a logged one does (never
        backwards: an old message is still a touch, not the latest)."""
        current = st.last_touches(j.conn, self.touched)
        changes = [(k, {"last_touch_at": current.get(k)}, {"last_touch_at": when})
                   for k, when in self.touched.items()
                   if current.get(k) is None or current[k] < when]  # type: ignore[operator]
        st.bulk_update(j, s.people, changes)
        self.stats.people_touched += len(changes)


def _aware(value: datetime) -> datetime:
    from kithbook.store.rows import utc

    out = utc(value)
    assert out is not None
    return out
