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
    # keep the strongest of duplicated pairs (one tie per kind, or both directions)
    pair = lo * np.int64(max(n, 1)) + hi
    ordered = np.sort(pair)  # cheaper than argsort; most inputs have no duplicate pair
    if len(ordered) > 1 and not (ordered[1:] != ordered[:-1]).all():
        order = np.argsort(pair, kind="stable")
        pair, s = pair[order], s[order]
        first = np.ones(len(pair), dtype=bool)
        first[1:] = pair[1:] != pair[:-1]
        starts = np.flatnonzero(first)
        s = np.maximum.reduceat(s, starts)
        pair = pair[starts]
        lo, hi = pair // max(n, 1), pair % max(n, 1)
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
