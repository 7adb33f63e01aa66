"""Fold many duplicate people into their keepers in one journaled batch (issue 16, "bulk
paths at bulk speed"): each table is read once per chunk of people and written with a
few statements, where `dupes_queries.merge_people` reads and writes row by row (and
scans every table that points at people) for each pair. The rules are the same: fill
the keeper's empty fields, drop contact details and roles the keeper already has, move
ties (merging a clash, keeping the stronger), interactions, tags, notes and every other
reference, and trash the duplicate. The journal gets one entry per changed row, as
before, so `undo` of the batch restores every row.

`groups` maps each keeper to the people folded into it, in folding order
(domain.dupes.merge_groups); no keeper is also folded."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, insert, select, update

from kithbook.store import schema as s
from kithbook.store.dupes_queries import _DETAILS, _SCALARS, person_reference_columns
from kithbook.store.journal import Journal
from kithbook.store.journal_values import jsonable as _jsonable
from kithbook.store.key_lists import one_of, parts


def _rows(conn: Connection, table: Table, col: Any, keys: Sequence[int]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for chunk in parts(conn, keys):
        out += [dict(r._mapping) for r in conn.execute(
            select(table).where(one_of(conn, col, chunk)).order_by(*table.primary_key.columns))]
    return out


def _json(row: dict[str, Any]) -> dict[str, Any]:
    return {k: _jsonable(v) for k, v in row.items()}


def _delete_ids(j: Journal, table: Table, rows: list[dict[str, Any]]) -> None:
    for part in parts(j.conn, [r["id"] for r in rows]):
        j.conn.execute(delete(table).where(one_of(j.conn, table.c.id, part)))
    j.log_many(table, [({"id": r["id"]}, "delete", _json(r), None) for r in rows])


def _set_column(j: Journal, table: Table, column: str,
                moves: list[tuple[int, Any, Any]]) -> None:
    """(row id, old value, new value) of one column, one executemany."""
    if not moves:
        return
    j.conn.execute(update(table).where(table.c.id == bindparam("_id"))
                   .values({column: bindparam("_v")}),
                   [{"_id": i, "_v": new} for i, _, new in moves])
    j.log_many(table, [({"id": i}, "update", {column: _jsonable(old)},
                        {column: _jsonable(new)}) for i, old, new in moves])


def merge_many(j: Journal, groups: dict[int, list[int]],
               keeper_public_ids: dict[int, str]) -> dict[str, int]:
    """Fold every group's people into its keeper; returns counts of what moved."""
    conn = j.conn
    keeper_of = {g: k for k, gones in groups.items() for g in gones}
    gones = list(keeper_of)
    everyone = [*groups, *gones]
    moved: dict[str, int] = defaultdict(int)
    people = {r["id"]: r for r in _rows(conn, s.people, s.people.c.id, everyone)}
    _fill_keepers(j, groups, people, moved)
    for kind, (table, col) in _DETAILS.items():
        _move_details(j, table, col, kind, groups, keeper_of, everyone, moved)
    _move_roles(j, groups, keeper_of, everyone, moved)
    moved["ties"] += _move_ties(j, groups, keeper_of, everyone)
    _move_pairs(j, s.interaction_participants, "interaction_id", "person_id", {},
                keeper_of, moved, "interactions")
    _move_pairs(j, s.taggings, "tag_id", "subject_id", {"subject_kind": "person"},
                keeper_of, None, "")
    note_rows = [r for r in _rows(conn, s.notes, s.notes.c.subject_id, gones)
                 if r["subject_kind"] == "person"]
    _set_column(j, s.notes, "subject_id",
                [(r["id"], r["subject_id"], keeper_of[r["subject_id"]]) for r in note_rows])
    moved["notes"] += len(note_rows)
    _repoint(j, keeper_of, moved)
    trash = [(g, people[g]) for g in gones]
    j.conn.execute(
        update(s.people).where(s.people.c.id == bindparam("_id")).values(
            deleted_at=bindparam("_at"), updated_at=bindparam("_at"),
            archive_reason=bindparam("_why")),
        [{"_id": g, "_at": j.now, "_why": f"merged into {keeper_public_ids[keeper_of[g]]}"}
         for g, _ in trash])
    now = _jsonable(j.now)
    j.log_many(s.people, [
        ({"id": g}, "update",
         {"deleted_at": _jsonable(row["deleted_at"]), "updated_at": _jsonable(row["updated_at"]),
          "archive_reason": row["archive_reason"]},
         {"deleted_at": now, "updated_at": now,
          "archive_reason": f"merged into {keeper_public_ids[keeper_of[g]]}"})
        for g, row in trash])
    return dict(moved)


def _fill_keepers(j: Journal, groups: dict[int, list[int]], people: dict[int, dict[str, Any]],
                  moved: dict[str, int]) -> None:
    by_cols: dict[tuple[str, ...], list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    before: dict[int, dict[str, Any]] = {}
    for keep, gones in groups.items():
        a = dict(people[keep])
        changed: dict[str, Any] = {}
        for gone in gones:
            b = people[gone]
            fill: dict[str, Any] = {k: b[k] for k in _SCALARS if a[k] in (None, "") and b[k]}
            if fill.get("met_via_id") == keep:
                fill.pop("met_via_id")
            if b["first_met_on"] and (a["first_met_on"] is None
                                      or b["first_met_on"] < a["first_met_on"]):
                fill["first_met_on"] = b["first_met_on"]
            if b["last_touch_at"] and (a["last_touch_at"] is None
                                       or str(b["last_touch_at"]) > str(a["last_touch_at"])):
                fill["last_touch_at"] = b["last_touch_at"]
            if fill:
                moved["fields"] += len(fill)
                a.update(fill)
                changed.update(fill)
                changed["updated_at"] = j.now
        changed = {k: v for k, v in changed.items() if _jsonable(v) != _jsonable(people[keep][k])}
        if changed:
            by_cols[tuple(sorted(changed))].append((keep, changed))
            before[keep] = {c: _jsonable(people[keep][c]) for c in changed}
            people[keep] = {**people[keep], **changed}
    p = s.people
    for cols, rows in by_cols.items():
        j.conn.execute(update(p).where(p.c.id == bindparam("_id"))
                       .values({c: bindparam("_" + c) for c in cols}),
                       [{"_id": k, **{"_" + c: v for c, v in ch.items()}} for k, ch in rows])
        j.log_many(p, [({"id": k}, "update", before[k], {c: _jsonable(v) for c, v in ch.items()})
                       for k, ch in rows])


def _split(rows: list[dict[str, Any]], groups: dict[int, list[int]],
           value: Callable[[dict[str, Any]], Any]
           ) -> tuple[dict[int, set[Any]], dict[int, list[dict[str, Any]]]]:
    """A person-keyed table's rows split in two: what each keeper already has (by
    `value`, what makes two rows the same), and the rows of the people folded in."""
    have: dict[int, set[Any]] = defaultdict(set)
    by_person: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r["person_id"] in groups:
            have[r["person_id"]].add(value(r))
        else:
            by_person[r["person_id"]].append(r)
    return have, by_person


def _move_details(j: Journal, table: Table, col: str, kind: str, groups: dict[int, list[int]],
                  keeper_of: dict[int, int], everyone: list[int], moved: dict[str, int]) -> None:
    have, by_person = _split(_rows(j.conn, table, table.c.person_id, everyone), groups,
                             lambda r: r[col] or r["value"])
    drop: list[dict[str, Any]] = []
    move: list[tuple[int, Any, Any]] = []
    for keep, gones in groups.items():
        for gone in gones:
            for r in by_person[gone]:
                norm = r[col] or r["value"]
                if norm in have[keep]:
                    drop.append(r)
                else:
                    have[keep].add(norm)
                    move.append((r["id"], gone, keep))
                    moved[kind] += 1
    _delete_ids(j, table, drop)
    _set_column(j, table, "person_id", move)


def _move_roles(j: Journal, groups: dict[int, list[int]], keeper_of: dict[int, int],
                everyone: list[int], moved: dict[str, int]) -> None:
    t = s.roles
    orgs, by_person = _split(_rows(j.conn, t, t.c.person_id, everyone), groups,
                             lambda r: r["org_id"])
    drop: list[dict[str, Any]] = []
    move: list[tuple[int, Any, Any]] = []
    for keep, gones in groups.items():
        for gone in gones:
            had = set(orgs[keep])  # as merge_people: what the keeper had before this one
            for r in by_person[gone]:
                if r["org_id"] in had:
                    drop.append(r)
                else:
                    move.append((r["id"], gone, keep))
                    orgs[keep].add(r["org_id"])
                    moved["roles"] += 1
    _delete_ids(j, t, drop)
    _set_column(j, t, "person_id", move)


def _move_ties(j: Journal, groups: dict[int, list[int]], keeper_of: dict[int, int],
               everyone: list[int]) -> int:
    """The ties of each folded person, pair by pair as merge_people moves them, worked
    out in memory, then written as net changes: the deleted ties first, then every
    surviving tie's new ends and strength. No tie is ever moved onto a place another
    tie holds at that moment: a tie that moves touched a folded person, and every
    place a tie moves to joins two people who stay."""
    t = s.ties
    rows: dict[int, dict[str, Any]] = {}
    for chunk in parts(j.conn, everyone):
        for col in (t.c.a_id, t.c.b_id):
            for row in j.conn.execute(select(t).where(one_of(j.conn, col, chunk))
                                      .order_by(t.c.id)):
                rows[row.id] = dict(row._mapping)
    original = {i: dict(r) for i, r in rows.items()}
    at = {(r["a_id"], r["b_id"], r["kind"]): i for i, r in rows.items()}
    touching: dict[int, list[int]] = defaultdict(list)
    for i in sorted(rows):
        touching[rows[i]["a_id"]].append(i)
        touching[rows[i]["b_id"]].append(i)
    count = 0
    for keep, gones in groups.items():
        for gone in gones:
            for i in sorted(set(touching[gone])):
                r = rows.get(i)
                if r is None or gone not in (r["a_id"], r["b_id"]):
                    continue
                other = r["b_id"] if r["a_id"] == gone else r["a_id"]
                del at[(r["a_id"], r["b_id"], r["kind"])]
                if other == keep:
                    del rows[i]
                    continue
                lo, hi = min(keep, other), max(keep, other)
                clash = at.get((lo, hi, r["kind"]))
                if clash is not None:
                    c = rows[clash]
                    c["strength"] = max(c["strength"], r["strength"])
                    del rows[i]
                else:
                    r["a_id"], r["b_id"] = lo, hi
                    at[(lo, hi, r["kind"])] = i
                    touching[keep].append(i)
                count += 1
    _delete_ids(j, t, [first for i, first in original.items() if i not in rows])
    by_cols: dict[tuple[str, ...], list[tuple[int, dict[str, Any], dict[str, Any]]]] = \
        defaultdict(list)
    for i, first in original.items():
        if i not in rows:
            continue
        cols = tuple(sorted(c for c in ("a_id", "b_id", "strength") if first[c] != rows[i][c]))
        if cols:
            by_cols[cols].append((i, {c: first[c] for c in cols},
                                  {c: rows[i][c] for c in cols}))
    for cols, changes in by_cols.items():
        j.conn.execute(update(t).where(t.c.id == bindparam("_id"))
                       .values({c: bindparam("_" + c) for c in cols}),
                       [{"_id": i, **{"_" + c: v for c, v in after.items()}}
                        for i, _, after in changes])
        j.log_many(t, [({"id": i}, "update", before, after) for i, before, after in changes])
    return count


def _move_pairs(j: Journal, table: Table, other: str, person: str, fixed: dict[str, Any],
                keeper_of: dict[int, int], moved: dict[str, int] | None, label: str) -> None:
    """Rows keyed (other, person[, fixed]): the folded person's rows are deleted and the
    keeper gets the same row unless it has it (interactions, tags)."""
    conds = [table.c[k] == v for k, v in fixed.items()]
    gone_rows: list[dict[str, Any]] = []
    for chunk in parts(j.conn, list(keeper_of)):
        gone_rows += [dict(r._mapping) for r in j.conn.execute(
            select(table).where(one_of(j.conn, table.c[person], chunk), *conds))]
    if not gone_rows:
        return
    keepers = sorted({keeper_of[r[person]] for r in gone_rows})
    have: set[tuple[Any, int]] = set()
    for chunk in parts(j.conn, keepers):
        have |= {(r[0], r[1]) for r in j.conn.execute(
            select(table.c[other], table.c[person]).where(
                one_of(j.conn, table.c[person], chunk), *conds))}
    pk = [c.name for c in table.primary_key.columns]
    add: list[dict[str, Any]] = []
    for r in gone_rows:
        target = (r[other], keeper_of[r[person]])
        if target not in have:
            have.add(target)
            add.append({**{k: r[k] for k in pk}, person: target[1]})
        if moved is not None:
            moved[label] += 1
    j.conn.execute(delete(table).where(*(table.c[k] == bindparam("_" + k) for k in pk)),
                   [{"_" + k: r[k] for k in pk} for r in gone_rows])
    j.log_many(table, [({k: _jsonable(r[k]) for k in pk}, "delete", _json(r), None)
                       for r in gone_rows])
    if add:
        j.conn.execute(insert(table), add)
        j.log_many(table, [({k: _jsonable(r[k]) for k in pk}, "insert", None, _json(r))
                           for r in add])


def _repoint(j: Journal, keeper_of: dict[int, int], moved: dict[str, int]) -> None:
    """Every other column that points at people (promises, ledger, needs, met_via...),
    one read per table and chunk instead of one per table and pair."""
    skip = {"ties", "people", "roles", "interaction_participants",
            *(t.name for t, _ in _DETAILS.values())}
    gones = list(keeper_of)
    for table, col in person_reference_columns(skip):
        found: list[tuple[int, Any, Any]] = []
        for chunk in parts(j.conn, gones):
            for r in j.conn.execute(select(table.c.id, col).where(one_of(j.conn, col, chunk))):
                new = keeper_of[r[1]]
                if table.name == "people" and r.id == new:
                    found.append((r.id, r[1], None))
                    continue
                found.append((r.id, r[1], new))
                moved[table.name] += 1
        _set_column(j, table, col.name, found)
