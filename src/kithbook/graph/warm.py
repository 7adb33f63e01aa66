"""One warm graph per process, kept current by the database's change log.

The first question in a process loads the saved arrays (or builds them from the store);
later questions check the log's revision (one index lookup) and, when writes happened,
recompute only the ties of the people the log names and splice them into the arrays.
The result equals a rebuild from scratch (tests/test_graph_warm.py). Strengths decay with
time, so the graph is per day: the first question of a new day rebuilds. docs/graph-cache.md
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from kithbook.domain import strength_arrays as sa
from kithbook.graph import csr

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kithbook.store.db import Database

Edges = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float32]]

# Save the arrays again (and let the log forget older changes) after this many revisions.
SAVE_EVERY = 2000
# A process that loads a saved copy this many revisions behind saves what it caught up.
# Saving costs a write of every array (0.35 s at 1,000,000 people / 10,000,000 ties); a
# short catch-up (about 30 ms there) is cheaper to repeat in the next CLI run.
CATCH_UP_SAVE = 200


def edges_from_store(
    conn: Connection,
    now: datetime,
    live: NDArray[np.int64],
    involving: NDArray[np.int64] | None = None,
) -> Edges:
    """Every tie strength between live people, or only those touching `involving`:
    declared ties map 1..5 to 0.2..1.0; pairs with interaction evidence are scored by
    the full model (docs/tie-strength-and-paths.md), all pairs at once in arrays."""
    from kithbook.store import graph_queries as gq

    mine = involving.tolist() if involving is not None else None
    person, index, at, channel, initiator = gq.interaction_arrays(conn, involving_any=mine)
    ev = sa.explode(index, person, at[index], sa.channel_codes(channel)[index],
                    initiator[index])
    is_live = _member_mask(live, ev.hi)
    if len(ev.lo):
        ok = is_live[ev.lo] & is_live[ev.hi]
        if involving is not None:
            is_mine = _member_mask(involving, ev.hi)
            ok &= is_mine[ev.lo] | is_mine[ev.hi]
        ev = sa.PairEvents(ev.lo[ok], ev.hi[ok], ev.at[ok], ev.channel[ok],
                           ev.direction[ok], ev.audience[ok])
    if not len(ev.lo) and involving is None:
        a, b, sdecl = gq.tie_arrays(conn)  # no evidence: strengths alone, fewer columns
        kinds, since = np.zeros(0, object), np.zeros(0, "datetime64[D]")
    else:
        a, b, sdecl, kinds, since = gq.tie_detail_arrays(conn, mine)
    is_live = _member_mask(live, a, b)
    ok = is_live[a] & is_live[b]
    a, b, sdecl = a[ok], b[ok], sdecl[ok]
    strength = sdecl.astype(np.float32) / np.float32(5.0)
    if not len(ev.lo):
        return a, b, strength
    at_now = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    declared = sa.declared_ties(a, b, sdecl, kinds[ok], since[ok])
    ex, ey, es = sa.scores(at_now.timestamp(), ev, declared)
    base = np.int64(max(int(live.max()), int(a.max()) if len(a) else 0, int(ey.max())) + 1)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    pairs = ex * base + ey  # ascending: scores() returns pairs in key order
    at_pair = np.minimum(np.searchsorted(pairs, lo * base + hi), len(pairs) - 1)
    scored = pairs[at_pair] == lo * base + hi
    return (
        np.concatenate([a[~scored], ex]),
        np.concatenate([b[~scored], ey]),
        np.concatenate([strength[~scored], np.maximum(es, 0.01).astype(np.float32)]),
    )


def _member_mask(members: NDArray[np.int64], *keys: NDArray[np.int64]) -> NDArray[np.bool_]:
    """A lookup table: mask[k] says whether person key k is among `members`, for every
    key in `members` and `keys` (cheaper than np.isin over millions of pairs)."""
    top = max([int(members.max()) if len(members) else 0]
              + [int(k.max()) for k in keys if len(k)])
    mask = np.zeros(top + 1, dtype=bool)
    mask[members] = True
    return mask


def build_from_store(conn: Connection, now: datetime, stamp: dict[str, Any]) -> csr.CSRGraph:
    from kithbook.store import graph_queries as gq

    people = gq.live_people(conn)
    a, b, s = edges_from_store(conn, now, people)
    return csr.build(a, b, s, people=people, stamp=stamp)


def upper_edges(g: csr.CSRGraph) -> Edges:
    """Each undirected edge once (person keys, lower index first)."""
    src = np.repeat(np.arange(g.n, dtype=np.int64), np.diff(g.indptr))
    idx = np.asarray(g.indices, dtype=np.int64)
    keep = src < idx
    return (
        np.asarray(g.ids)[src[keep]],
        np.asarray(g.ids)[idx[keep]],
        np.asarray(g.weights)[keep],
    )


def apply_delta(
    g: csr.CSRGraph,
    dirty: NDArray[np.int64],
    live_dirty: NDArray[np.int64],
    new: Edges,
    stamp: dict[str, Any],
) -> csr.CSRGraph:
    """`g` with every tie of the `dirty` people replaced by `new`, and the dirty people
    present exactly when live. Array work only (no store access): the changed rows are
    spliced in; a change too wide for that re-sorts the edge list."""
    spliced = csr.splice(g, dirty, live_dirty, *new, stamp=stamp)
    if spliced is not None:
        return spliced
    a, b, w = upper_edges(g)
    drop = np.isin(a, dirty) | np.isin(b, dirty)
    ids = np.asarray(g.ids)
    people = np.union1d(ids[~np.isin(ids, dirty)], live_dirty)
    na, nb, nw = new
    return csr.build(
        np.concatenate([a[~drop], na]),
        np.concatenate([b[~drop], nb]),
        np.concatenate([w[~drop], nw]),
        people=people,
        stamp=stamp,
    )


# -- the per-process warm graph ---------------------------------------------------------


@dataclass
class Status:
    """How the last request was answered (for tests and the benchmark)."""

    how: str = ""  # "warm" | "delta" | "loaded" | "built"
    changed_people: int = 0


_LOCK = threading.RLock()
_WARM: dict[str, csr.CSRGraph] = {}
_SAVED_REV: dict[str, int] = {}
LAST = Status()


def cache_dir(db: Database) -> Path | None:
    """Beside an SQLite file; for a server database, a folder in the user cache keyed by
    the database's address (without the password), shared by every process here."""
    path = db.sqlite_path
    if path is not None:
        return csr.cache_dir_for(path)
    if db.dialect == "sqlite":
        return None  # in memory
    from sqlalchemy.engine import make_url

    url = make_url(db.url).render_as_string(hide_password=True)
    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    root = os.environ.get("KITHBOOK_CACHE_DIR")
    if not root:
        import platformdirs

        root = platformdirs.user_cache_dir("kithbook")
    return Path(root) / f"graph-{digest}"


def forget(db: Database | None = None) -> None:
    """Drop the in-memory graph (all of them without an argument)."""
    with _LOCK:
        if db is None:
            _WARM.clear()
            _SAVED_REV.clear()
        else:
            _WARM.pop(db.url, None)
            _SAVED_REV.pop(db.url, None)


def current(db: Database, now: datetime, day: date, *, rebuild: bool = False) -> csr.CSRGraph:
    """The graph as of the database's latest revision."""
    from kithbook.store import graph_log as gl

    with _LOCK:
        with db.read() as conn:
            epoch, rev = gl.state(conn)
            base = {"epoch": epoch, "day": day.isoformat(), "engine": 2}
            stamp = {**base, "rev": rev}
            have = None if rebuild else _WARM.get(db.url)
            if have is not None and not _same(have, base, rev):
                have = None
            how = "warm"
            directory = cache_dir(db)
            from_disk, loaded_rev = False, rev
            if have is None and not rebuild and directory is not None:
                have = csr.load(directory)
                how = "loaded"
                if have is not None and not _same(have, base, rev):
                    have = None
                from_disk = have is not None
                loaded_rev = int((have.stamp or {})["rev"]) if have is not None else rev
            changed = 0
            if have is not None and int((have.stamp or {})["rev"]) < rev:
                got = _delta(conn, have, rev, now, stamp)
                if got is None:
                    have = None
                else:
                    have, changed = got
                    how = "delta"
            if have is None:
                have = build_from_store(conn, now, stamp)
                how = "built"
        caught_up = how == "delta" and from_disk and rev - loaded_rev >= CATCH_UP_SAVE
        LAST.how, LAST.changed_people = how, changed
        _WARM[db.url] = have
        if how == "loaded":
            _SAVED_REV[db.url] = int((have.stamp or {})["rev"])
        # a process that had to catch up a saved copy far behind saves its own, so the
        # next CLI run (or worker) loads the arrays as they are instead of repeating it
        if (how == "built" or caught_up
                or rev - _SAVED_REV.get(db.url, rev) >= SAVE_EVERY):
            _save(db, have, directory)
        return have


def _same(g: csr.CSRGraph, base: dict[str, Any], rev: int) -> bool:
    st = g.stamp or {}
    return all(st.get(k) == v for k, v in base.items()) and int(st.get("rev", -1)) <= rev


def _delta(
    conn: Connection, g: csr.CSRGraph, rev: int, now: datetime, stamp: dict[str, Any]
) -> tuple[csr.CSRGraph, int] | None:
    from kithbook.store import graph_log as gl
    from kithbook.store import graph_queries as gq

    have_rev = int((g.stamp or {})["rev"])
    if not gl.complete_since(conn, have_rev):
        return None
    dirty = gl.changed_people(conn, have_rev, rev)
    if len(dirty) > gl.BULK_PEOPLE:  # a rebuild from the store is cheaper than a delta
        return None
    live_dirty = gq.live_among(conn, dirty.tolist())
    live = csr.people_after(g, dirty, live_dirty)
    new = edges_from_store(conn, now, live, involving=dirty)
    return apply_delta(g, dirty, live_dirty, new, stamp), len(dirty)


def _save(db: Database, g: csr.CSRGraph, directory: Path | None) -> None:
    """Save the arrays and let the log forget what they already include."""
    from kithbook.store import graph_log as gl

    if directory is None:
        return
    try:
        csr.save(g, directory)
    except OSError:  # a read-only place: the graph stays in memory only
        return
    rev = int((g.stamp or {})["rev"])
    _SAVED_REV[db.url] = rev
    # pruning is housekeeping, never an error
    with contextlib.suppress(Exception), db.engine.connect() as raw:
        conn = raw.execution_options(kb_write=True)
        with conn.begin():
            gl.prune(conn, rev)

