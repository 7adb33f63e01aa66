"""`csr.splice` (the warm graph's delta: only the changed rows rewritten) equals
`csr.build` over the whole edge list with the dirty people's edges replaced, for any
graph, any set of changed people (kept, removed, or new anywhere among the keys) and any
new edges touching them."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kithbook.graph import csr, warm


def _same(a: csr.CSRGraph, b: csr.CSRGraph) -> None:
    assert np.array_equal(np.asarray(a.ids), np.asarray(b.ids))
    assert np.array_equal(np.asarray(a.indptr), np.asarray(b.indptr))
    assert np.array_equal(np.asarray(a.indices), np.asarray(b.indices))
    assert np.array_equal(np.asarray(a.weights), np.asarray(b.weights))
    assert np.allclose(np.asarray(a.wsum), np.asarray(b.wsum))
    assert np.array_equal(np.asarray(a.wmax), np.asarray(b.wmax))
    assert a.indices.dtype == b.indices.dtype and a.indptr.dtype == b.indptr.dtype


@st.composite
def cases(draw: Any) -> tuple[Any, ...]:
    keys = sorted(draw(st.sets(st.integers(1, 60), min_size=0, max_size=25)))
    strengths = st.sampled_from([0.2, 0.4, 0.6, 0.8, 1.0, 0.37])
    edges = draw(st.lists(st.tuples(st.sampled_from(keys), st.sampled_from(keys), strengths),
                          max_size=60)) if keys else []
    g = csr.build([e[0] for e in edges], [e[1] for e in edges], [e[2] for e in edges],
                  people=keys)
    dirty = sorted(draw(st.sets(st.integers(1, 70), max_size=6)))
    live_dirty = sorted(k for k in dirty if draw(st.booleans()))
    live = sorted((set(keys) - set(dirty)) | set(live_dirty))
    new: list[tuple[int, int, float]] = []
    if live_dirty and live:
        new = draw(st.lists(st.tuples(st.sampled_from(live_dirty), st.sampled_from(live),
                                      strengths), max_size=12))
        new = [(b, a, s) if draw(st.booleans()) else (a, b, s) for a, b, s in new]
    return g, dirty, live_dirty, new


def _reference(g: csr.CSRGraph, dirty: list[int], live_dirty: list[int],
               new: list[tuple[int, int, float]]) -> csr.CSRGraph:
    a, b, w = warm.upper_edges(g)
    drop = np.isin(a, dirty) | np.isin(b, dirty)
    ids = np.asarray(g.ids)
    people = np.union1d(ids[~np.isin(ids, dirty)], np.asarray(live_dirty, dtype=np.int64))
    return csr.build(np.concatenate([a[~drop], [e[0] for e in new]]),
                     np.concatenate([b[~drop], [e[1] for e in new]]),
                     np.concatenate([w[~drop], np.asarray([e[2] for e in new], np.float32)]),
                     people=people)


@settings(max_examples=400, deadline=None)
@given(case=cases())
def test_splice_equals_a_rebuild(case: tuple[Any, ...]) -> None:
    g, dirty, live_dirty, new = case
    got = csr.splice(g, dirty, live_dirty, [e[0] for e in new], [e[1] for e in new],
                     [e[2] for e in new], stamp={"rev": 1})
    assert got is not None
    _same(got, _reference(g, dirty, live_dirty, new))
    assert got.stamp == {"rev": 1}


def test_a_change_too_wide_is_left_to_a_rebuild() -> None:
    hub = csr.build([1] * 9, list(range(2, 11)), [0.4] * 9, people=range(1, 11))
    assert csr.splice(hub, [1], [1], [], [], [], max_rows=5) is None
    assert csr.splice(hub, [5], [5], [5], [6], [0.8], max_rows=5) is not None


def test_new_edges_to_someone_the_graph_will_not_hold_are_left_to_a_rebuild() -> None:
    g = csr.build([1], [2], [0.4], people=[1, 2, 3])
    assert csr.splice(g, [3], [3], [3], [99], [0.6]) is None


def test_a_memory_mapped_graph_is_spliced_without_writing_to_it(tmp_path: Any) -> None:
    g = csr.build([1, 2, 3], [2, 3, 4], [0.2, 0.4, 0.6], people=range(1, 6))
    csr.save(g, tmp_path / "g")
    mapped = csr.load(tmp_path / "g")
    assert mapped is not None
    got = csr.splice(mapped, [5], [5], [5], [1], [1.0])
    assert got is not None
    _same(got, csr.build([1, 2, 3, 5], [2, 3, 4, 1], [0.2, 0.4, 0.6, 1.0], people=range(1, 6)))
    _same(mapped, g)
