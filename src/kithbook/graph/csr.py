"""The who-knows-whom graph in compact arrays.

Undirected, stored as symmetric CSR: `indptr` (int64, n+1), `indices` (int32, 2m),
`weights` (float32 strengths in (0, 1], 2m). `ids` maps an index to the store's person
key (sorted int64), so key -> index is a binary search. A cache beside the database
holds the arrays as .npy files that are memory-mapped on load, with a version stamp;
a stale stamp means rebuild.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

FORMAT_VERSION = 1
_ARRAYS = ("indptr", "indices", "weights", "ids", "wsum", "wmax")


@dataclass
class CSRGraph:
    indptr: NDArray[np.int64]
    indices: NDArray[np.int32]
    weights: NDArray[np.float32]
    ids: NDArray[np.int64]  # index -> person key, ascending
    wsum: NDArray[np.float64]  # per node: sum of incident strengths
    wmax: NDArray[np.float32]  # per node: largest incident strength
    stamp: dict[str, Any] | None = None

    @property
    def n(self) -> int:
        return int(self.ids.shape[0])

    @property
    def arcs(self) -> int:
        return int(self.indices.shape[0])

    @property
    def edges(self) -> int:
        return self.arcs // 2

    def degree(self, i: int) -> int:
        return int(self.indptr[i + 1] - self.indptr[i])

    def degrees(self) -> NDArray[np.int64]:
        return np.diff(self.indptr)

    def neighbors(self, i: int) -> tuple[NDArray[np.int32], NDArray[np.float32]]:
        lo, hi = int(self.indptr[i]), int(self.indptr[i + 1])
        return self.indices[lo:hi], self.weights[lo:hi]

    def index_of(self, key: int) -> int | None:
        pos = int(np.searchsorted(self.ids, key))
        if pos < self.n and int(self.ids[pos]) == key:
            return pos
        return None

    def indices_of(self, keys: Any) -> NDArray[np.int64]:
        """Indices for many keys; keys not in the graph are dropped."""
        keys = np.asarray(keys, dtype=np.int64)
        pos = np.searchsorted(self.ids, keys)
        pos = np.minimum(pos, max(0, self.n - 1))
        ok = (self.n > 0) & (self.ids[pos] == keys) if self.n else np.zeros(len(keys), bool)
        out: NDArray[np.int64] = pos[ok].astype(np.int64)
        return out

    def key_of(self, i: int) -> int:
        return int(self.ids[i])

    def weight(self, i: int, j: int) -> float:
        nbr, w = self.neighbors(i)
        pos = int(np.searchsorted(nbr, j))
        if pos < len(nbr) and int(nbr[pos]) == j:
            return float(w[pos])
        return 0.0

    def gather(self, nodes: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Arc positions of all arcs leaving `nodes`, and the source of each arc."""
        nodes = np.asarray(nodes, dtype=np.int64)
        starts = self.indptr[nodes]
        counts = self.indptr[nodes + 1] - starts
        total = int(counts.sum())
        if total == 0:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        src = np.repeat(nodes, counts)
        offs = np.repeat(starts - np.cumsum(counts) + counts, counts)
        pos = np.arange(total, dtype=np.int64) + offs
        return pos, src


def build(
    a: Any,
    b: Any,
    strength: Any,
    *,
    people: Any | None = None,
    stamp: dict[str, Any] | None = None,
) -> CSRGraph:
    """Build from edge arrays (person keys a, b and strengths in (0, 1]). Pairs given
    several times (one tie per kind, or both directions) keep their largest strength.
    `people`, if given, adds isolated nodes so every live person has an index."""
    import scipy.sparse as sp  # type: ignore[import-untyped]

    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    s = np.asarray(strength, dtype=np.float32)
    keep = (a != b) & (s > 0)
    a, b, s = a[keep], b[keep], s[keep]
    ids = _sorted_unique(np.asarray(people, dtype=np.int64)) if people is not None else None
    ia = ib = None
    if ids is not None:
        ia, ib = _positions(ids, a), _positions(ids, b)
        if (ia < 0).any() or (ib < 0).any():  # a tie to someone not listed: widen
            ids = None
    if ids is None or ia is None or ib is None:
        parts = [a, b] if people is None else [a, b, np.asarray(people, dtype=np.int64)]
        ids = _sorted_unique(np.concatenate(parts))
        ia, ib = _positions(ids, a), _positions(ids, b)
    n = int(ids.shape[0])
    lo, hi = np.minimum(ia, ib), np.maximum(ia, ib)
    lo, hi, s = _strongest(lo, hi, s, n)
    rows = np.concatenate([lo, hi])
    cols = np.concatenate([hi, lo])
    data = np.concatenate([s, s])
    m = sp.csr_matrix((data, (rows, cols)), shape=(n, n), dtype=np.float32)
    m.sort_indices()
    return _finish(
        m.indptr.astype(np.int64, copy=False),
        m.indices.astype(np.int32, copy=False),
        m.data.astype(np.float32, copy=False),
        ids,
        stamp,
    )


def people_after(g: CSRGraph, dirty: Any, live_dirty: Any) -> NDArray[np.int64]:
    """The graph's person keys once the `dirty` people are present exactly when in
    `live_dirty` (sorted; a merge of sorted arrays, not a sort of them)."""
    return _membership(g, dirty, live_dirty)[3]


def _membership(
    g: CSRGraph, dirty: Any, live_dirty: Any
) -> tuple[NDArray[np.int64], NDArray[np.bool_], NDArray[np.int64], NDArray[np.int64]]:
    """The dirty people's old indices, which old indices go, which keys come, and the
    new sorted keys."""
    ids = np.asarray(g.ids)
    dirty = _sorted_unique(np.asarray(dirty, dtype=np.int64))
    live_dirty = _sorted_unique(np.asarray(live_dirty, dtype=np.int64))
    d_old = g.indices_of(dirty)
    dropped = np.zeros(g.n, dtype=bool)
    dropped[d_old] = True
    dropped[d_old[np.isin(ids[d_old], live_dirty)]] = False
    kept = ids[~dropped] if dropped.any() else ids
    pos = np.searchsorted(kept, live_dirty)
    held = pos < len(kept)
    held[held] = kept[pos[held]] == live_dirty[held]
    added = live_dirty[~held]
    return d_old, dropped, added, np.insert(kept, np.searchsorted(kept, added), added)


def splice(
    g: CSRGraph,
    dirty: Any,
    live_dirty: Any,
    a: Any,
    b: Any,
    strength: Any,
    *,
    stamp: dict[str, Any] | None = None,
    max_rows: int = 50_000,
) -> CSRGraph | None:
    """`g` with every edge touching a `dirty` person key replaced by the edges (a, b,
    strength), and the dirty people present exactly when in `live_dirty`: equal to
    `build` over the whole edge list, but it rewrites only the rows that change and
    copies the others as whole runs, so one changed tie costs a copy of the arrays, not
    a sort of them. None when the change is too wide for that to pay (`max_rows` rows
    to rewrite) or the new edges name someone the graph will not hold: rebuild then."""
    ids = np.asarray(g.ids)
    indptr = np.asarray(g.indptr)
    indices = np.asarray(g.indices)
    weights = np.asarray(g.weights)
    d_old, dropped, added, new_ids = _membership(g, dirty, live_dirty)
    kept_ids = ids[~dropped] if dropped.any() else ids
    n_new = len(new_ids)
    # old index -> new index (-1: dropped); the identity in the common case of no
    # deletion and new people appended after every existing key
    identity = not dropped.any() and (not len(added) or g.n == 0 or added[0] > ids[-1])
    if identity:
        remap = None
    else:
        remap = np.full(g.n, -1, dtype=np.int64)
        remap[~dropped] = np.searchsorted(new_ids, kept_ids)
    # the new edges, in new indices, each pair once with its largest strength
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    s = np.asarray(strength, dtype=np.float32)
    keep = (a != b) & (s > 0)
    ia, ib = _positions(new_ids, a[keep]), _positions(new_ids, b[keep])
    if (ia < 0).any() or (ib < 0).any():
        return None
    s = s[keep]
    lo, hi, s = _strongest(np.minimum(ia, ib), np.maximum(ia, ib), s, n_new)
    # rows to rewrite, by old index: the dirty people's, their old neighbours' and
    # their new neighbours'
    pos_d, _ = g.gather(d_old)
    touched_old = _sorted_unique(np.concatenate([
        d_old, indices[pos_d].astype(np.int64),
        g.indices_of(new_ids[np.concatenate([lo, hi])])]))
    if len(touched_old) > max_rows:
        return None
    is_dirty = np.zeros(g.n, dtype=bool)
    is_dirty[d_old] = True
    survivors = touched_old[~is_dirty[touched_old]]
    pos_k, src_k = g.gather(survivors)
    to_clean = ~is_dirty[indices[pos_k]]  # their arcs to dirty people go
    pos_k, src_k = pos_k[to_clean], src_k[to_clean]
    dst_k = indices[pos_k].astype(np.int64)
    if remap is not None:
        src_k, dst_k = remap[src_k], remap[dst_k]
    src = np.concatenate([src_k, lo, hi])
    dst = np.concatenate([dst_k, hi, lo])
    w = np.concatenate([weights[pos_k], s, s])
    order = np.lexsort((dst, src))
    src, dst, w = src[order], dst[order], w[order]
    # the rewritten rows, by new index (a dirty person with no edge left has degree 0)
    d_new = _positions(new_ids, ids[d_old[~dropped[d_old]]])
    rewrite = _sorted_unique(np.concatenate([
        survivors if remap is None else remap[survivors], d_new,
        _positions(new_ids, added), src]))
    if len(rewrite) > max_rows:
        return None
    old_deg = np.diff(indptr)
    deg = np.zeros(n_new, dtype=np.int64)
    if remap is None:
        deg[: g.n] = old_deg
    else:
        deg[remap[~dropped]] = old_deg[~dropped]
    deg[rewrite] = 0
    deg += np.bincount(src, minlength=n_new)
    new_indptr = np.zeros(n_new + 1, dtype=np.int64)
    np.cumsum(deg, out=new_indptr[1:])
    total = int(new_indptr[-1])
    new_indices = np.empty(total, dtype=np.int32)
    new_weights = np.empty(total, dtype=np.float32)
    # the unchanged rows, copied a run at a time: the old rows between two touched rows
    # (and, when people were added among them, between two places they went)
    splits = np.searchsorted(ids, added) if remap is not None else np.zeros(0, np.int64)
    run_ends = np.sort(np.concatenate([touched_old, splits, [g.n]]))
    run_starts = np.sort(np.concatenate([[0], touched_old + 1, splits]))
    for first_row, end_row in zip(run_starts.tolist(), run_ends.tolist(), strict=True):
        if first_row >= end_row:
            continue
        start, stop = int(indptr[first_row]), int(indptr[end_row])
        at = int(new_indptr[first_row if remap is None else remap[first_row]])
        run = indices[start:stop]
        new_indices[at:at + stop - start] = run if remap is None else remap[run]
        new_weights[at:at + stop - start] = weights[start:stop]
    # the rewritten rows, from the sorted arc list
    if len(src):
        group = np.ones(len(src), dtype=bool)
        group[1:] = src[1:] != src[:-1]
        row_starts = np.flatnonzero(group)
        rank = np.arange(len(src)) - np.repeat(row_starts,
                                               np.diff(np.append(row_starts, len(src))))
        at_arc = new_indptr[src] + rank
        new_indices[at_arc] = dst
        new_weights[at_arc] = w
    # per-node sums and maxima: copied, then recomputed for the rewritten rows
    wsum = np.zeros(n_new, dtype=np.float64)
    wmax = np.zeros(n_new, dtype=np.float32)
    if remap is None:
        wsum[: g.n], wmax[: g.n] = g.wsum, g.wmax
    else:
        wsum[remap[~dropped]] = np.asarray(g.wsum)[~dropped]
        wmax[remap[~dropped]] = np.asarray(g.wmax)[~dropped]
    wsum[rewrite], wmax[rewrite] = 0.0, 0.0
    if len(src):
        wsum[src[row_starts]] = np.add.reduceat(w.astype(np.float64), row_starts)
        wmax[src[row_starts]] = np.maximum.reduceat(w, row_starts)
    return CSRGraph(new_indptr, new_indices, new_weights, new_ids, wsum, wmax, stamp)


def _strongest(lo: NDArray[np.int64], hi: NDArray[np.int64], s: NDArray[np.float32], n: int
               ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float32]]:
    """Each pair (lo < hi, indices below n) once, with the largest of its strengths: a
    tie declared per kind, or in both directions, is one edge."""
    pair = lo * np.int64(max(n, 1)) + hi
    ordered = np.sort(pair)  # cheaper than argsort; most inputs have no duplicate pair
    if len(ordered) <= 1 or (ordered[1:] != ordered[:-1]).all():
        return lo, hi, s
    order = np.argsort(pair, kind="stable")
    pair, s = pair[order], s[order]
    first = np.ones(len(pair), dtype=bool)
    first[1:] = pair[1:] != pair[:-1]
    starts = np.flatnonzero(first)
    pair = pair[starts]
    return pair // max(n, 1), pair % max(n, 1), np.maximum.reduceat(s, starts)


def _sorted_unique(x: NDArray[np.int64]) -> NDArray[np.int64]:
    """Sort-based unique (numpy 2's hash-based np.unique is slower on large int arrays)."""
    x = np.sort(x)
    if len(x) == 0:
        return x
    keep = np.empty(len(x), dtype=bool)
    keep[0] = True
    np.not_equal(x[1:], x[:-1], out=keep[1:])
    return x[keep]


def _positions(ids: NDArray[np.int64], keys: NDArray[np.int64]) -> NDArray[np.int64]:
    """Index of each key in the sorted `ids`, -1 when absent. A direct lookup table when
    keys are dense enough (integer primary keys usually are), else binary search."""
    if len(ids) == 0:
        return np.full(len(keys), -1, dtype=np.int64)
    lo, hi = int(ids[0]), int(ids[-1])
    if len(keys) and (int(keys.min()) < lo or int(keys.max()) > hi):
        pos = np.searchsorted(ids, keys)
        pos = np.minimum(pos, len(ids) - 1)
        return np.where(ids[pos] == keys, pos, -1)
    if hi - lo + 1 == len(ids):  # contiguous keys: the index is an offset
        return keys - lo
    if hi - lo <= 8 * len(ids) + 1024:
        lut = np.full(hi - lo + 1, -1, dtype=np.int64)
        lut[ids - lo] = np.arange(len(ids), dtype=np.int64)
        return lut[keys - lo]
    pos = np.searchsorted(ids, keys)
    pos = np.minimum(pos, len(ids) - 1)
    return np.where(ids[pos] == keys, pos, -1)


def _finish(
    indptr: NDArray[np.int64],
    indices: NDArray[np.int32],
    weights: NDArray[np.float32],
    ids: NDArray[np.int64],
    stamp: dict[str, Any] | None,
) -> CSRGraph:
    n = len(ids)
    deg = np.diff(indptr)
    ext = np.append(weights, np.float32(0.0))
    starts = indptr[:-1]
    if n:
        wsum = np.add.reduceat(ext.astype(np.float64), starts)
        wmax = np.maximum.reduceat(ext, starts)
        wsum[deg == 0] = 0.0
        wmax[deg == 0] = 0.0
    else:
        wsum = np.zeros(0, np.float64)
        wmax = np.zeros(0, np.float32)
    return CSRGraph(indptr, indices, weights, ids, wsum, wmax.astype(np.float32), stamp)


# -- cache -----------------------------------------------------------------------------


def cache_dir_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".graph")


def save(graph: CSRGraph, directory: Path) -> None:
    """Write atomically: a temporary directory renamed into place."""
    directory = Path(directory)
    tmp = directory.with_name(directory.name + f".tmp{os.getpid()}")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    for name in _ARRAYS:
        np.save(tmp / f"{name}.npy", getattr(graph, name), allow_pickle=False)
    stamp = {"format": FORMAT_VERSION, **(graph.stamp or {})}
    (tmp / "stamp.json").write_text(json.dumps(stamp, sort_keys=True), encoding="utf-8")
    old = directory.with_name(directory.name + f".old{os.getpid()}")
    if directory.exists():
        directory.rename(old)
    tmp.rename(directory)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def read_stamp(directory: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((Path(directory) / "stamp.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def load(directory: Path, *, expect: dict[str, Any] | None = None) -> CSRGraph | None:
    """Memory-map a cached graph; None if missing, unreadable or stale."""
    directory = Path(directory)
    stamp = read_stamp(directory)
    if stamp is None or stamp.get("format") != FORMAT_VERSION:
        return None
    if expect is not None and {**expect, "format": FORMAT_VERSION} != stamp:
        return None
    try:
        arrays = {
            name: np.load(directory / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            for name in _ARRAYS
        }
    except (OSError, ValueError):
        return None
    stamp.pop("format", None)
    return CSRGraph(stamp=stamp, **arrays)
