"""Merging many duplicates as one batch (issue 16, store/merge_batch.py): the same rows as
merging the pairs one by one, one change that one undo reverses to the row, on both
engines; the chain rules of domain.dupes.merge_groups."""

from __future__ import annotations

import random
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from kithbook.config import Config
from kithbook.domain import dupes as d
from kithbook.errors import InvalidInput
from kithbook.services.app import Services
from kithbook.services.demo import load_demo
from kithbook.store import schema as s

# derived or bookkeeping tables: the journal (batch ids differ), the graph's change log,
# search documents (compared by content below)
_SKIP = {"changes", "search_docs", "graph_log", "graph_rev"}


def _snapshot(svc: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with svc.db.read() as conn:
        for table in s.metadata.sorted_tables:
            if table.name in _SKIP:
                continue
            rows = [tuple(sorted((k, str(v)) for k, v in r._mapping.items()))
                    for r in conn.execute(select(table))]
            out[table.name] = sorted(rows)
        out["search_docs"] = sorted(
            (r.kind, r.ref_id, r.body) for r in conn.execute(select(s.search_docs)))
    return out


def _pairs(svc: Any, n: int, seed: int) -> list[tuple[str, str]]:
    """Disjoint (keep, gone) pairs of live people, some keepers taking two or three,
    some pairs tied to each other or sharing ties, interactions and tags."""
    rng = random.Random(seed)
    with svc.db.read() as conn:
        ids = [r.public_id for r in conn.execute(
            select(s.people.c.public_id).where(s.people.c.deleted_at.is_(None),
                                               s.people.c.is_me.is_(False))
            .order_by(s.people.c.id))]
    rng.shuffle(ids)
    keepers, gones = ids[: n // 2], ids[n // 2: n]
    return [(rng.choice(keepers), g) for g in gones]


def test_merge_many_equals_merging_one_by_one(tmp_path: Path) -> None:
    day = date(2026, 11, 27)
    first = Services.open(Config(db=str(tmp_path / "a.db"), as_of=day))
    load_demo(first, 80, alliances=False)
    first.close()
    shutil.copy(tmp_path / "a.db", tmp_path / "b.db")
    one = Services.open(Config(db=str(tmp_path / "a.db"), as_of=day))
    many = Services.open(Config(db=str(tmp_path / "b.db"), as_of=day))
    pairs = _pairs(one, 40, seed=16)
    moved: dict[str, int] = {}
    for keep, gone in pairs:
        for k, v in one.dupes.merge(keep, gone).moved.items():
            moved[k] = moved.get(k, 0) + v
    result = many.dupes.merge_many([f"{k}+{g}" for k, g in pairs])
    assert result.merged == len(pairs) and not result.skipped
    assert {k: v for k, v in result.moved.items() if v} == {k: v for k, v in moved.items() if v}
    a, b = _snapshot(one), _snapshot(many)
    for table in a:
        assert a[table] == b[table], table
    one.close()
    many.close()


def test_merge_many_is_one_change_and_undo_restores_every_row(svc: Any) -> None:
    load_demo(svc, 60, alliances=False)
    svc.database.reindex()  # the demo's own search text differs from a reindex's
    before = _snapshot(svc)
    pairs = _pairs(svc, 30, seed=7)
    # a chain: the first keeper is then folded into a person outside the pairs
    outsider = _pairs(svc, 58, seed=1)[-1][1]
    chained = [f"{k}+{g}" for k, g in pairs] + [f"{outsider}+{pairs[0][0]}"]
    result = svc.dupes.merge_many([*chained, chained[0]])  # the repeat is skipped
    assert result.skipped == [chained[0]]
    assert result.merged == len(pairs) + 1
    with svc.db.read() as conn:
        batches = set(conn.execute(select(s.changes.c.batch_id)
                                   .where(s.changes.c.action == "merge")).scalars())
        live = set(conn.execute(select(s.people.c.public_id)
                                .where(s.people.c.deleted_at.is_(None))).scalars())
    assert batches == {result.id}
    assert live.isdisjoint({g for _, g in pairs}) and pairs[0][0] not in live
    assert outsider in live
    assert _snapshot(svc) != before
    svc.history.undo(result.id)
    assert _snapshot(svc) == before


def test_merge_many_refuses_what_merge_refuses(svc: Any) -> None:
    load_demo(svc, 20, alliances=False)
    (keep, gone), = _pairs(svc, 2, seed=3)
    with pytest.raises(InvalidInput):
        svc.dupes.merge_many([f"{keep}+{keep}"])
    with pytest.raises(InvalidInput):
        svc.dupes.merge_many([keep])
    with pytest.raises(InvalidInput):
        svc.dupes.merge_many(["org_1+org_2"])
    assert svc.dupes.merge_many([f"{keep}+{gone}"]).merged == 1


@given(st.lists(st.tuples(st.integers(1, 12), st.integers(1, 12)), max_size=30))
def test_merge_groups_follow_chains(pairs: list[tuple[int, int]]) -> None:
    """Every pair ends with both people in one group (or is dropped as already joined);
    nobody is both kept and folded; a keeper folded later comes before what it took."""
    pairs = [(a, b) for a, b in pairs if a != b]
    groups, dropped = d.merge_groups(pairs)
    folded = [g for gs in groups.values() for g in gs]
    assert len(folded) == len(set(folded)) and not set(folded) & set(groups)
    assert len(folded) == len(pairs) - len(dropped)
    final = {g: k for k, gs in groups.items() for g in gs}
    for a, b in pairs:
        assert final.get(a, a) == final.get(b, b)
    # the one-by-one order: a person's takers come after the person itself
    parent: dict[int, int] = {}
    for n, (a, b) in enumerate(pairs):
        if n in dropped:
            continue
        ra, rb = a, b
        while ra in parent:
            ra = parent[ra]
        while rb in parent:
            rb = parent[rb]
        parent[rb] = ra
    for gs in groups.values():
        for child, up in parent.items():
            if up in gs and child in gs:
                assert gs.index(up) < gs.index(child)
