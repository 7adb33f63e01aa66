"""A LinkedIn data-archive zip brings what it holds beyond Connections.csv
(docs/architecture.md, import contract): messages become interactions with their dates
and direction; invitations, endorsements and recommendations received become evidence
(interactions on the `social` channel, which tie strength weighs; see domain/strength.py).

- One interaction per conversation per day: a thread of many messages on one day is one
  touch. Its key (`captured`, origin `linkedin`: kind, conversation, day) makes a
  re-import of the same archive, or of a newer one, a no-op for what is already in.
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

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kithbook import ids
from kithbook.io.linkedin_archive import ArchiveTouch, Party
from kithbook.io.normalize import fast_fold
from kithbook.services.import_writer import body_of
from kithbook.store import capture as st_capture
from kithbook.store import import_queries as q
from kithbook.store import schema as s
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
class PlannedTouch:
    kind: str
    item_key: str
    thread_key: str
    when: datetime  # the last message of the day
    targets: list[Any]  # Plan (of this import) or int (a person already there)
    initiator: Any  # "me", a target, or None
    directions: set[str]
    summary: str | None
    parties: str


@dataclass
class TouchPlan:
    touches: list[PlannedTouch] = field(default_factory=list)
    read: Counter[str] = field(default_factory=Counter)  # rows per kind
    matched: Counter[str] = field(default_factory=Counter)  # rows with someone known
    existing: int = 0  # conversation-days already imported

    def details(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for kind in KINDS:
            if self.read[kind]:
                out[kind + "s"] = {"read": self.read[kind], "matched": self.matched[kind],
                                   "unmatched": self.read[kind] - self.matched[kind]}
        new = Counter(t.kind for t in self.touches)
        out["interactions"] = {"created": len(self.touches), "existing": self.existing,
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
    out = TouchPlan()
    parties = [p for t in touches for p in [*([t.sender] if t.sender else []), *t.recipients]]
    matcher = _Matcher(conn, planner, parties)
    me = _me(touches, matcher, owner)

    def is_me(p: Party) -> bool:
        return _pkey(p) in me or "name:" + fast_fold(p.name) in me

    groups: dict[tuple[str, str, str], list[tuple[ArchiveTouch, str, list[Any]]]] = {}
    for t in touches:
        out.read[t.kind] += 1
        direction = t.direction or ("out" if t.sender is None or is_me(t.sender) else "in")
        others = [p for p in [*([t.sender] if t.sender else []), *t.recipients]
                  if not is_me(p)]
        targets = list(dict.fromkeys(x for p in others if (x := matcher.find(p)) is not None))
        if not targets:
            continue
        out.matched[t.kind] += 1
        day = t.when.date().isoformat()
        groups.setdefault((t.kind, t.conversation, day), []).append((t, direction, targets))
    keys = {k: _item_key(*k) for k in groups}
    done = st_capture.captured_by_keys(conn, ORIGIN, keys.values())
    for k, rows in groups.items():
        if keys[k] in done:
            out.existing += 1
            continue
        rows.sort(key=lambda r: r[0].when)
        first, first_dir, first_targets = rows[0]
        initiator: Any = "me" if first_dir == "out" else (
            matcher.find(first.sender) if first.sender else None)
        targets = list(dict.fromkeys(x for _t, _d, ts in rows for x in ts))
        out.touches.append(PlannedTouch(
            kind=k[0], item_key=keys[k], thread_key=_item_key(k[0], k[1], ""),
            when=rows[-1][0].when, targets=targets, initiator=initiator,
            directions={d for _t, d, _x in rows},
            summary=_summary(first.kind, [r[0] for r in rows], with_content),
            parties=" ".join(dict.fromkeys(
                _pkey(p) for t, _d, _x in rows
                for p in [*([t.sender] if t.sender else []), *t.recipients]
                if not is_me(p)))[:4000]))
    return out


def _item_key(kind: str, conversation: str, day: str) -> str:
    key = f"{kind}:{conversation}:{day}"
    if len(key) > 400:
        key = f"{kind}:{hashlib.sha256(conversation.encode()).hexdigest()}:{day}"
    return key


def _summary(kind: str, rows: list[ArchiveTouch], with_content: bool) -> str:
    subject = next((t.subject for t in rows if t.subject), None)
    if kind == "message":
        head = f"LinkedIn: {subject}" if subject else "LinkedIn message"
        if len(rows) > 1:
            head += f" ({len(rows)} messages)"
    else:
        head = subject or f"LinkedIn {kind}"
    if not with_content:
        return head
    words = [t.content for t in rows if t.content]
    return "\n\n".join([head, *words])[:50_000] if words else head


def write_touches(j: Journal, plan: TouchPlan, *, me: int, source: str) -> int:
    """Write the planned touches after the people (every Plan has its key); returns the
    number of people whose keep-in-touch clock moved."""
    if not plan.touches:
        return 0
    bulk = q.BulkWriter(j.conn, batch_id=j.batch_id, now=j.now, actor=j.actor,
                        action=j.action)

    def key_of(target: Any) -> int:
        return int(target if isinstance(target, int) else target.key)

    rows: list[dict[str, Any]] = []
    people: list[list[int]] = []
    touched: dict[int, datetime] = {}
    for t in plan.touches:
        keys = [k for k in dict.fromkeys(key_of(x) for x in t.targets) if k != me]
        initiator = me if t.initiator == "me" else (
            key_of(t.initiator) if t.initiator is not None else None)
        rows.append({"public_id": ids.new_id("interaction"), "occurred_at": t.when,
                     "channel": CHANNELS[t.kind], "summary": t.summary,
                     "initiated_by_id": initiator, "source": source, "created_at": j.now})
        people.append([me, *keys])
        if t.kind in TOUCHING:
            for k in keys:
                if k not in touched or touched[k] < t.when:
                    touched[k] = t.when
    new = bulk.insert(s.interactions, rows)
    # participants and capture marks go with their interaction on undo (CASCADE)
    bulk.insert(s.interaction_participants, [
        {"interaction_id": key, "person_id": p}
        for key, ps in zip(new, people, strict=True) for p in ps], journal=False)
    bulk.insert(captured, [
        {"origin": ORIGIN, "item_key": t.item_key, "thread_key": t.thread_key,
         "interaction_id": key, "source_id": None, "run_id": None, "locator": None,
         "occurred_at": t.when, "fingerprint": None, "status": "kept", "parties": t.parties,
         "direction": "both" if len(t.directions) > 1 else next(iter(t.directions))}
        for key, t in zip(new, plan.touches, strict=True)], journal=False)
    q.add_search_docs(j.conn, [("interaction", key, body_of(str(r["summary"])))
                               for key, r in zip(new, rows, strict=True) if r["summary"]])
    current = st_capture.last_touches(j.conn, touched)
    changes = [(k, {"last_touch_at": current.get(k)}, {"last_touch_at": when})
               for k, when in touched.items()
               if current.get(k) is None or current[k] < when]  # type: ignore[operator]
    st_capture.bulk_update(j, s.people, changes)
    return len(changes)
