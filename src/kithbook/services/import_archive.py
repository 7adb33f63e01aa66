"""A LinkedIn data-archive zip brings what it holds beyond Connections.csv
(docs/architecture.md, import contract): messages become interactions with their dates
and direction; invitations, endorsements and recommendations received become evidence
(interactions on the `social` channel, which tie strength weighs; see domain/strength.py).

- One interaction per conversation per day: a thread of many messages on one day is one
  touch. The conversation is the set of people on it besides me and the day is the UTC
  day, so a 2018 archive and a current one of the same account (other headers, ids and
  time format) find the same conversation-days, in either order. Each message (each
  endorsement, invitation, recommendation) has a capture mark (`captured`, origin
  `linkedin`) whose stamp tells it apart in every vintage (io/linkedin_archive.py):
  re-importing the same archive adds nothing; a newer archive that holds more messages
  of a day imported before adds those messages to that day's interaction (count, words
  with `with_content`, last time), never a second interaction.
- Only people in this import or already in the database are matched (by profile URL,
  else by a name that names one person); the others are counted, never created.
- The archive's owner is "me": the file says so (2018 `Direction`, invitations), or
  it is the party present in the most conversations who is not one of the connections.
- Metadata only by default: the subject is the summary; the words of messages,
  invitations and recommendations are kept only with `with_content`.
- Messages and invitations are touches: they advance the keep-in-touch clock (never
  backwards). Endorsements and recommendations are evidence, not contact.

Everything is written in the import's transaction, journaled, so `undo` reverses it."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kithbook import ids
from kithbook.io import linkedin_archive as la
from kithbook.io.linkedin_archive import ArchiveTouch, Party
from kithbook.io.normalize import fast_fold
from kithbook.services.import_writer import body_of
from kithbook.store import capture as st_capture
from kithbook.store import import_queries as q
from kithbook.store import people as st_people
from kithbook.store import schema as s
from kithbook.store import search as st_search
from kithbook.store.capture_schema import captured

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kithbook.services.import_plan import Planner
    from kithbook.store.journal import Journal

ORIGIN = "linkedin"
CHANNELS = {"message": "message", "invitation": "social", "endorsement": "social",
            "recommendation": "social"}
TOUCHING = frozenset({"message", "invitation"})  # advance the keep-in-touch clock
KINDS = ("message", "invitation", "endorsement", "recommendation")


@dataclass
class PlannedItem:
    """One touch (a message, an endorsement...) as its capture mark will record it."""

    stamp: str  # io/linkedin_archive.stamps
    when: datetime
    direction: str
    parties: str


@dataclass
class PlannedTouch:
    """A conversation-day to create, or (`grows`) one imported before that gains the
    touches in `items`."""

    kind: str
    thread_key: str
    when: datetime  # the last touch of the day
    targets: list[Any]  # Plan (of this import) or int (a person already there)
    initiator: Any  # "me", a target, or None
    directions: set[str]
    summary: str | None
    items: list[PlannedItem] = field(default_factory=list)
    grows: int | None = None  # the interaction imported before
    before: dict[str, Any] = field(default_factory=dict)  # its columns as they are
    after: dict[str, Any] = field(default_factory=dict)  # and as they will be


@dataclass
class TouchPlan:
    touches: list[PlannedTouch] = field(default_factory=list)
    read: Counter[str] = field(default_factory=Counter)  # rows per kind
    matched: Counter[str] = field(default_factory=Counter)  # rows with someone known
    existing: int = 0  # conversation-days already imported, with nothing new

    def details(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        new = Counter(t.kind for t in self.touches if t.grows is None)
        gaining = Counter(t.kind for t in self.touches if t.grows is not None)
        added: Counter[str] = Counter()
        for t in self.touches:
            if t.grows is not None:
                added[t.kind] += len(t.items)
        for kind in KINDS:
            if self.read[kind]:
                out[kind + "s"] = {"read": self.read[kind], "matched": self.matched[kind],
                                   "unmatched": self.read[kind] - self.matched[kind],
                                   "conversations_gaining": gaining[kind],
                                   "added": added[kind]}
        out["interactions"] = {"created": sum(new.values()), "existing": self.existing,
                               "updated": sum(gaining.values()),
                               **{f"from_{k}s": new[k] for k in KINDS if new[k]}}
        return out


def _pkey(p: Party) -> str:
    return p.url or "name:" + fast_fold(p.name)


class _Matcher:
    """Profile URL or unambiguous folded name -> a Plan of this import or a person key."""

    def __init__(self, conn: Connection, planner: Planner, parties: list[Party]) -> None:
        self.by_url: dict[str, Any] = {}
        names: dict[str, list[Any]] = defaultdict(list)
        for plan in planner.plans:
            row = planner.existing.people.get(plan.key, {}) if plan.key is not None else {}
            target: Any = plan.key if plan.key is not None else plan
            url = plan.person.get("linkedin_url") or row.get("linkedin_url")
            if url:
                self.by_url.setdefault(str(url), target)
            name = plan.person.get("name") or row.get("name")
            if name and target not in names[fast_fold(str(name))]:
                names[fast_fold(str(name))].append(target)
        urls = {p.url for p in parties if p.url and p.url not in self.by_url}
        for url, key in q.keys_by_linkedin(conn, urls).items():
            self.by_url.setdefault(url, key)
        wanted = {fast_fold(p.name) for p in parties} - set(names)
        for name, keys in q.keys_by_folded_names(conn, wanted).items():
            names[name].extend(keys)
        self.by_name = {k: v[0] for k, v in names.items() if len(v) == 1}
        self.connections = {fast_fold(str(p.person.get("name") or "")) for p in planner.plans}
        self.connections |= set(self.by_url)

    def find(self, p: Party) -> Any:
        if p.url and p.url in self.by_url:
            return self.by_url[p.url]
        return self.by_name.get(fast_fold(p.name))


def _me(touches: list[ArchiveTouch], matcher: _Matcher, owner: Party | None) -> set[str]:
    """The owner's party keys and folded names: the name in Profile.csv, from rows
    whose direction the file states, else the party in the most conversations who is
    not a connection."""
    if owner is not None:
        return {"name:" + fast_fold(owner.name)}
    me: Counter[str] = Counter()
    for t in touches:
        if t.direction == "out" and t.sender is not None:
            me[_pkey(t.sender)] += 1
            me["name:" + fast_fold(t.sender.name)] += 1
        elif t.direction == "in" and t.kind == "message":
            for r in t.recipients:
                me[_pkey(r)] += 1
                me["name:" + fast_fold(r.name)] += 1
    if me:
        top = me.most_common(1)[0][1]
        return {k for k, v in me.items() if v * 2 >= top}
    seen: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for t in touches:
        if t.kind != "message":
            continue
        for p in [*([t.sender] if t.sender else []), *t.recipients]:
            seen[_pkey(p)].add(t.conversation)
            names[_pkey(p)] = fast_fold(p.name)
    if not seen:
        return set()

    def rank(k: str) -> tuple[int, int]:
        known = k in matcher.connections or names[k] in matcher.connections
        return len(seen[k]), 0 if known else 1

    best = max(sorted(seen), key=rank)
    return {best, "name:" + names[best]}


def plan_touches(conn: Connection, planner: Planner, touches: list[ArchiveTouch], *,
                 with_content: bool = False, owner: Party | None = None) -> TouchPlan:
    """Group the touches into conversation-days (io/linkedin_archive.py: kind, UTC day
    and the people on it besides me, whatever the vintage) and compare them with what
    earlier imports brought: a day not there yet is created, a day there already gains
    the touches it did not have (a newer archive of a day exported mid-day), a day with
    nothing new is counted as existing."""
    out = TouchPlan()
    parties = [p for t in touches for p in [*([t.sender] if t.sender else []), *t.recipients]]
    matcher = _Matcher(conn, planner, parties)
    me = _me(touches, matcher, owner)
    me_key = st_people.me_key(conn)

    def is_me(p: Party) -> bool:
        return _pkey(p) in me or "name:" + fast_fold(p.name) in me

    Row = tuple[ArchiveTouch, str, list[Any], str]  # touch, direction, targets, parties
    groups: dict[tuple[str, frozenset[Any]], list[Row]] = {}
    for t in touches:
        out.read[t.kind] += 1
        direction = t.direction or ("out" if t.sender is None or is_me(t.sender) else "in")
        others = [p for p in [*([t.sender] if t.sender else []), *t.recipients]
                  if not is_me(p)]
        targets = list(dict.fromkeys(
            x for p in others if (x := matcher.find(p)) is not None and x != me_key))
        if not targets:
            continue
        out.matched[t.kind] += 1
        key = (la.thread_key(t.kind, direction, t.when), frozenset(targets))
        groups.setdefault(key, []).append(
            (t, direction, targets, " ".join(dict.fromkeys(_pkey(p) for p in others))[:4000]))
    out.existing += _drop_read_as_utc(conn, me_key, groups)
    earlier = _earlier(conn, me_key, [k for k in groups
                                      if all(isinstance(x, int) for x in k[1])])
    growing: list[tuple[PlannedTouch, list[ArchiveTouch], int]] = []
    for key, rows in groups.items():
        rows.sort(key=lambda r: r[0].when)
        items = [PlannedItem(stamp, t.when, d, parties) for (t, d, _x, parties), stamp
                 in zip(rows, la.stamps([(r[0], r[1]) for r in rows]), strict=True)]
        kind = rows[0][0].kind
        targets = list(dict.fromkeys(x for _t, _d, ts, _p in rows for x in ts))
        first = rows[0]
        initiator: Any = "me" if first[1] == "out" else (
            matcher.find(first[0].sender) if first[0].sender else None)
        found = earlier.get(key)
        if found is None:
            out.touches.append(PlannedTouch(
                kind=kind, thread_key=key[0], when=rows[-1][0].when, targets=targets,
                initiator=initiator, directions={d for _t, d, _x, _p in rows},
                summary=_summary(kind, [r[0] for r in rows], with_content), items=items))
            continue
        fresh = [(r, it) for r, it in zip(rows, items, strict=True)
                 if it.stamp not in found.stamps]
        if not fresh or found.deleted:  # nothing new, or deleted since: left as it is
            out.existing += 1
            continue
        new_rows = [r[0] for r, _it in fresh]
        last = max(found.when, new_rows[-1].when)
        earliest = fresh[0][0]
        by = found.initiated_by
        if found.first is None or earliest[0].when < found.first:  # began earlier
            by = me_key if earliest[1] == "out" else (
                _int_or_none(matcher.find(earliest[0].sender)) if earliest[0].sender
                else None)
        out.touches.append(PlannedTouch(
            kind=kind, thread_key=key[0], when=last, targets=targets, initiator=initiator,
            directions={d for (_t, d, _x, _p), _it in fresh}, summary=None,
            items=[it for _r, it in fresh], grows=found.key,
            before={"occurred_at": found.when, "initiated_by_id": found.initiated_by},
            after={"occurred_at": last, "initiated_by_id": by}))
        growing.append((out.touches[-1], new_rows, len(found.stamps) + len(fresh)))
    # the summaries of the days that gain touches, read for those days only
    summaries = st_capture.interaction_summaries(conn, [g.grows for g, _r, _n in growing
                                                        if g.grows is not None])
    for g, new_rows, total in growing:
        old = summaries.get(g.grows) if g.grows is not None else None
        g.before["summary"] = old
        g.after["summary"] = _grown(g.kind, old, new_rows, total, with_content)
    return out


_Key = tuple[str, frozenset[Any]]


def _drop_read_as_utc(conn: Connection, me_key: int | None,
                      groups: dict[_Key, list[Any]]) -> int:
    """Take out of `groups` the touches an earlier import brought when their zone-less
    times were read as UTC (before the time-zone setting, or under another zone): keyed
    by that reading's day and stamped by its minute, they would otherwise come in again.
    Returns how many conversation-days are left with nothing new."""
    legacy: dict[_Key, list[tuple[_Key, int]]] = {}
    for key, rows in groups.items():
        for i, (t, direction, _x, _p) in enumerate(rows):
            if t.as_utc is not None:
                legacy.setdefault((la.thread_key(t.kind, direction, t.as_utc), key[1]),
                                  []).append((key, i))
    if not legacy:
        return 0
    seen = _earlier(conn, me_key, [k for k in legacy if all(isinstance(x, int) for x in k[1])])
    drop: dict[_Key, set[int]] = defaultdict(set)
    for lkey, members in legacy.items():
        found = seen.get(lkey)
        if found is None:
            continue
        as_read = [(replace(groups[g][i][0], when=groups[g][i][0].as_utc), groups[g][i][1])
                   for g, i in members]
        for (g, i), stamp in zip(members, la.stamps(as_read), strict=True):
            if stamp in found.stamps:
                drop[g].add(i)
    emptied = 0
    for g, gone in drop.items():
        kept = [r for i, r in enumerate(groups[g]) if i not in gone]
        if kept:
            groups[g] = kept
        else:
            del groups[g]
            emptied += 1
    return emptied


def _int_or_none(target: Any) -> int | None:
    return target if isinstance(target, int) else None


@dataclass
class _Earlier:
    """A conversation-day an earlier import brought."""

    key: int  # its interaction
    when: datetime
    initiated_by: int | None
    deleted: bool
    stamps: set[str] = field(default_factory=set)
    first: datetime | None = None  # its earliest touch


def _earlier(conn: Connection, me_key: int | None, keys: list[tuple[str, frozenset[Any]]]
             ) -> dict[tuple[str, frozenset[Any]], _Earlier]:
    """The interactions earlier imports made for these conversation-days (thread key
    and the people besides me), found by their people rather than by any id of the
    archive's: merged people, renamed people and either vintage find the same day."""
    if not keys or me_key is None:
        return {}
    items = st_capture.items_in_threads(conn, ORIGIN, {k[0] for k in keys})
    iids = sorted({it.interaction_id for it in items})
    state = st_capture.interaction_state(conn, iids)
    by_iid: dict[int, _Earlier] = {}
    index: dict[tuple[str, frozenset[Any]], _Earlier] = {}
    for it in sorted(items, key=lambda x: x.interaction_id):
        if it.interaction_id not in state:
            continue
        when, by, people, deleted = state[it.interaction_id]
        e = by_iid.get(it.interaction_id)
        if e is None:
            e = by_iid[it.interaction_id] = _Earlier(
                it.interaction_id, when, by, deleted is not None)
            index.setdefault((it.thread_key, frozenset(people - {me_key})), e)
        e.stamps.add(it.item_key.split("/", 2)[-1])
        e.first = it.occurred_at if e.first is None else min(e.first, it.occurred_at)
    return {k: index[k] for k in keys if k in index}


def item_key(thread_key: str, interaction: int, stamp: str) -> str:
    """A capture mark's key: unique per interaction, the stamp last."""
    return f"{thread_key}/{interaction}/{stamp}"


def _head(kind: str, rows: list[ArchiveTouch], total: int, subject: str | None = None
          ) -> str:
    subject = subject or next((t.subject for t in rows if t.subject), None)
    if kind == "message":
        head = f"LinkedIn: {subject}" if subject else "LinkedIn message"
        return head + (f" ({total} messages)" if total > 1 else "")
    head = subject or f"LinkedIn {kind}"
    topics = list(dict.fromkeys(t.topic for t in rows if t.topic))
    return head + (f" for {', '.join(topics)}" if topics else "")


def _summary(kind: str, rows: list[ArchiveTouch], with_content: bool) -> str:
    head = _head(kind, rows, len(rows))
    if not with_content:
        return head
    words = [t.content for t in rows if t.content]
    return "\n\n".join([head, *words])[:50_000] if words else head


_MESSAGE_HEAD = re.compile(r"^LinkedIn(?:: (.*?)| message)(?: \(\d+ messages\))?$", re.DOTALL)


def _grown(kind: str, old: str | None, rows: list[ArchiveTouch], total: int,
           with_content: bool) -> str | None:
    """The summary of a conversation-day that gains `rows`: the count (messages) or the
    skills (endorsements) in its first line follow, when that line is still the one an
    import wrote; the words of the new touches are added after the ones there, with
    `with_content`. Nothing already in the summary is lost."""
    head, _sep, rest = (old or "").partition("\n\n")
    if kind == "message":
        m = _MESSAGE_HEAD.match(head)
        if m is not None:
            head = _head(kind, rows, total, m.group(1))
    elif kind == "endorsement" and rows[0].subject and head.startswith(rows[0].subject):
        topics = [t.topic for t in rows if t.topic and t.topic not in head]
        if topics:
            head += (", " if " for " in head else " for ") + ", ".join(dict.fromkeys(topics))
    words = [t.content for t in rows if t.content] if with_content else []
    text = "\n\n".join(p for p in [head, rest, *words] if p)[:50_000]
    return text or None


def write_touches(j: Journal, plan: TouchPlan, *, me: int, source: str) -> int:
    """Write the planned touches after the people (every Plan has its key); returns the
    number of people whose keep-in-touch clock moved. New conversation-days are
    inserted with their capture marks (which go with them on undo); days imported
    before gain their new marks and their new count, words and last time, journaled,
    so `undo` of this import takes the gain back and leaves the earlier import whole."""
    if not plan.touches:
        return 0
    bulk = q.BulkWriter(j.conn, batch_id=j.batch_id, now=j.logged_at, actor=j.actor,
                        action=j.action)

    def key_of(target: Any) -> int:
        return int(target if isinstance(target, int) else target.key)

    def mark(t: PlannedTouch, iid: int, it: PlannedItem) -> dict[str, Any]:
        return {"origin": ORIGIN, "item_key": item_key(t.thread_key, iid, it.stamp),
                "thread_key": t.thread_key, "interaction_id": iid, "source_id": None,
                "run_id": None, "locator": None, "occurred_at": it.when,
                "fingerprint": None, "status": "kept", "parties": it.parties,
                "direction": it.direction}

    created = [t for t in plan.touches if t.grows is None]
    grown = [t for t in plan.touches if t.grows is not None]
    rows: list[dict[str, Any]] = []
    people: list[list[int]] = []
    touched: dict[int, datetime] = {}
    for t in plan.touches:
        keys = [k for k in dict.fromkeys(key_of(x) for x in t.targets) if k != me]
        if t.kind in TOUCHING:
            for k in keys:
                if k not in touched or touched[k] < t.when:
                    touched[k] = t.when
        if t.grows is not None:
            continue
        initiator = me if t.initiator == "me" else (
            key_of(t.initiator) if t.initiator is not None else None)
        rows.append({"public_id": ids.new_id("interaction"), "occurred_at": t.when,
                     "channel": CHANNELS[t.kind], "summary": t.summary,
                     "initiated_by_id": initiator, "source": source, "created_at": j.now})
        people.append([me, *keys])
    new = bulk.insert(s.interactions, rows)
    # participants and capture marks go with their interaction on undo (CASCADE)
    bulk.insert(s.interaction_participants, [
        {"interaction_id": key, "person_id": p}
        for key, ps in zip(new, people, strict=True) for p in ps], journal=False)
    bulk.insert(captured, [mark(t, key, it) for key, t in zip(new, created, strict=True)
                           for it in t.items], journal=False)
    q.add_search_docs(j.conn, [("interaction", key, body_of(str(r["summary"])))
                               for key, r in zip(new, rows, strict=True) if r["summary"]])
    # days imported before: their new marks and columns, journaled one by one
    bulk.insert(captured, [mark(t, t.grows, it) for t in grown if t.grows is not None
                           for it in t.items])
    st_capture.bulk_update(j, s.interactions, [(t.grows, t.before, t.after) for t in grown
                                               if t.grows is not None])
    st_search.reindex_many(j.conn, [("interaction", t.grows) for t in grown
                                    if t.grows is not None])
    current = st_capture.last_touches(j.conn, touched)
    changes = [(k, {"last_touch_at": current.get(k)}, {"last_touch_at": when})
               for k, when in touched.items()
               if current.get(k) is None or current[k] < when]  # type: ignore[operator]
    st_capture.bulk_update(j, s.people, changes)
    return len(changes)
