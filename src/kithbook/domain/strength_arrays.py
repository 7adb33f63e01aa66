"""Tie strength for every pair at once, in numpy: the same model as `domain.strength`.

`strength.tie_strength` scores one pair and explains it; building the warm graph needs the
score of every pair with interaction evidence, which in a Python loop costs tens of
microseconds a pair (minutes at a million people). Here the interactions are exploded
into pair events and aggregated per pair with array operations; the score is the same
weighted combination (tests/test_strength_arrays.py checks it against `tie_strength` on
random evidence). Pure: `now` is passed in, no I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from kithbook.domain import strength as ts

# channel codes: one per known channel, then "unknown" (weight 1.0, not synchronous)
CHANNELS: tuple[str, ...] = tuple(ts.CHANNEL_WEIGHTS)
_UNKNOWN = len(CHANNELS)
_CHAN_W = np.array([*ts.CHANNEL_WEIGHTS.values(), 1.0], dtype=np.float64)
_SYNC = np.array([c in ts.SYNCHRONOUS for c in CHANNELS] + [False])
_NOTE = CHANNELS.index("note")
_MEETING = CHANNELS.index("meeting")
# directions seen from the lower key of the pair
OUT, IN, BOTH = 0, 1, 2
_DIR_W = np.array([ts.DIR_WEIGHTS["out"], ts.DIR_WEIGHTS["in"], ts.DIR_WEIGHTS["both"]])
_DAY = 86400.0


def channel_codes(channels: NDArray[np.object_] | list[str]) -> NDArray[np.int16]:
    """Each channel's code (unknown channels share one code, weighted 1.0)."""
    values = np.asarray(channels, dtype=object)
    if not len(values):
        return np.zeros(0, np.int16)
    uniq, inv = np.unique(values.astype(str), return_inverse=True)
    table = np.array([CHANNELS.index(c) if c in CHANNELS else _UNKNOWN for c in uniq.tolist()],
                     dtype=np.int16)
    return table[inv.reshape(-1)]


@dataclass(frozen=True)
class PairEvents:
    """One row per (interaction, pair of its participants), lower key first."""

    lo: NDArray[np.int64]
    hi: NDArray[np.int64]
    at: NDArray[np.float64]  # POSIX seconds
    channel: NDArray[np.int16]
    direction: NDArray[np.int8]  # OUT: lo initiated, IN: hi initiated, BOTH otherwise
    audience: NDArray[np.int32]  # participants other than one side


@dataclass(frozen=True)
class DeclaredTies:
    """Declared tie rows (one per kind): the closeness, contexts and `since` of a pair."""

    a: NDArray[np.int64]
    b: NDArray[np.int64]
    strength: NDArray[np.int64]
    context: NDArray[np.int64]  # a code per kind; -1 for the generic kinds (no context)
    since: NDArray[np.float64]  # POSIX seconds of midnight UTC, NaN when unknown


def declared_ties(
    a: NDArray[np.int64],
    b: NDArray[np.int64],
    strength: NDArray[np.integer],
    kinds: NDArray[np.object_],
    since: NDArray[np.datetime64],
) -> DeclaredTies:
    """DeclaredTies from tie rows: kinds coded (generic kinds carry no context) and the
    `since` dates as POSIX seconds of their midnight, UTC."""
    if len(kinds):
        uniq, inv = np.unique(kinds.astype(str), return_inverse=True)
        table = np.array([-1 if k in ts.GENERIC_KINDS else i for i, k in enumerate(uniq.tolist())],
                         dtype=np.int64)
        context = table[inv.reshape(-1)]
    else:
        context = np.zeros(0, np.int64)
    days = since.astype("datetime64[D]")
    seconds = np.where(np.isnat(days), np.nan,
                       days.astype("datetime64[s]").astype(np.int64).astype(np.float64))
    return DeclaredTies(a.astype(np.int64), b.astype(np.int64), strength.astype(np.int64),
                        context, seconds)


def explode(
    interaction: NDArray[np.int64],
    person: NDArray[np.int64],
    at: NDArray[np.float64],
    channel: NDArray[np.int16],
    initiator: NDArray[np.int64],
    *,
    max_participants: int = 30,
) -> PairEvents:
    """Pair events from participant rows (interaction, person) and, aligned with them,
    the interaction's time, channel and initiator (-1: nobody recorded). Interactions
    with one participant or more than `max_participants` give no pair evidence."""
    empty = PairEvents(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0),
                       np.zeros(0, np.int16), np.zeros(0, np.int8), np.zeros(0, np.int32))
    if not len(interaction):
        return empty
    order = np.lexsort((person, interaction))
    inter, pers = interaction[order], person[order]
    keep = np.ones(len(inter), bool)
    keep[1:] = (inter[1:] != inter[:-1]) | (pers[1:] != pers[:-1])  # a person once each
    order, inter, pers = order[keep], inter[keep], pers[keep]
    _, starts, sizes = np.unique(inter, return_index=True, return_counts=True)
    parts: list[tuple[NDArray[np.int64], ...]] = []
    for k in np.unique(sizes).tolist():
        if k < 2 or k > max_participants:
            continue
        st = starts[sizes == k]
        block = pers[st[:, None] + np.arange(k)]  # (interactions, k), ascending per row
        iu, ju = np.triu_indices(k, 1)
        lo, hi = block[:, iu].reshape(-1), block[:, ju].reshape(-1)
        src = np.repeat(order[st], len(iu))
        parts.append((lo, hi, src, np.full(len(lo), k - 1, np.int64)))
    if not parts:
        return empty
    lo = np.concatenate([p[0] for p in parts])
    hi = np.concatenate([p[1] for p in parts])
    src = np.concatenate([p[2] for p in parts])
    init = initiator[src]
    direction = np.where(init == lo, OUT, np.where(init == hi, IN, BOTH)).astype(np.int8)
    return PairEvents(lo, hi, at[src].astype(np.float64), channel[src].astype(np.int16),
                      direction, np.concatenate([p[3] for p in parts]).astype(np.int32))


def _group(keys: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64],
                                             NDArray[np.int64]]:
    """(sort order, distinct keys, start of each key's run in the sorted order)."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
    return order, ordered[starts], starts


def scores(now: float, ev: PairEvents, declared: DeclaredTies | None = None
           ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """(lo, hi, score in [0, 1]) for every pair with events, as `tie_strength` scores it
    with the pair's declared ties. `now` in POSIX seconds."""
    if not len(ev.lo):
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    base = int(max(int(ev.hi.max()), int(declared.b.max()) if declared and len(declared.b)
                   else 0, int(declared.a.max()) if declared and len(declared.a) else 0)) + 1
    order, keys, starts = _group(ev.lo * base + ev.hi)
    at = ev.at[order]
    chan = ev.channel[order].astype(np.int64)
    direction = ev.direction[order].astype(np.int64)
    audience = ev.audience[order].astype(np.float64)

    days = np.maximum(0.0, (now - at) / _DAY)  # a future event counts as now
    chan_w = np.where((chan == _MEETING) & (audience > 1), ts.GROUP_MEETING_WEIGHT,
                      _CHAN_W[chan])
    w = chan_w * _DIR_W[direction] / np.maximum(1.0, audience)
    decayed = w * np.exp2(-days / ts.H_LONG)
    mass = np.add.reduceat(decayed, starts)
    r_out = np.add.reduceat(np.where(direction != IN, decayed, 0.0), starts)
    r_in = np.add.reduceat(np.where(direction != OUT, decayed, 0.0), starts)

    spoken = chan != _NOTE
    both = (direction == BOTH) | _SYNC[chan]
    last_out = np.maximum.reduceat(np.where(spoken & (both | (direction == OUT)), at, -np.inf),
                                   starts)
    last_in = np.maximum.reduceat(np.where(spoken & (both | (direction == IN)), at, -np.inf),
                                  starts)
    two_way = np.minimum(last_out, last_in)
    has_two_way = np.isfinite(two_way)
    first = np.minimum.reduceat(at, starts)

    n = len(keys)
    closeness = np.full(n, np.nan)
    contexts = np.zeros(n, np.int64)
    if declared is not None and len(declared.a):
        d_lo = np.minimum(declared.a, declared.b)
        d_hi = np.maximum(declared.a, declared.b)
        where = np.searchsorted(keys, d_lo * base + d_hi)
        where = np.minimum(where, n - 1)
        hit = keys[where] == d_lo * base + d_hi
        idx = where[hit]
        st = np.clip(declared.strength[hit], 1, 5).astype(np.float64) / 5.0
        np.fmax.at(closeness, idx, st)
        since = declared.since[hit]
        known = ~np.isnan(since)
        np.minimum.at(first, idx[known], since[known])
        ctx = declared.context[hit]
        named = ctx >= 0
        if named.any():  # distinct (pair, kind) with a kind that is a context
            pairs = np.unique(np.stack([idx[named], ctx[named]]), axis=1)
            contexts = np.bincount(pairs[0], minlength=n)

    has_decl = ~np.isnan(closeness)
    activity = 1.0 - np.exp(-mass / ts.R0)
    recency = np.where(has_two_way, np.exp2(-np.maximum(0.0, (now - two_way) / _DAY)
                                            / ts.RECENCY_HALF_LIFE), 0.0)
    first_days = np.maximum(0.0, (now - first) / _DAY)
    duration = np.minimum(1.0, np.log1p(first_days / 30.0)
                          / math.log1p(ts.DURATION_CAP_DAYS / 30.0))
    total = r_out + r_in
    recip = np.where(total > 0, 2.0 * np.minimum(r_out, r_in) / np.where(total > 0, total, 1.0),
                     0.0)
    multiplex = np.minimum(1.0, np.maximum(0, contexts - 1) / 2.0)
    W = ts.WEIGHTS
    weighted = (W["activity"] * activity + W["recency"] * recency
                + W["duration"] * duration + W["reciprocity"] * recip
                + np.where(has_decl, W["closeness"] * np.nan_to_num(closeness), 0.0)
                + np.where(contexts > 0, W["multiplexity"] * multiplex, 0.0))
    total_w = (W["activity"] + W["recency"] + W["duration"] + W["reciprocity"]
               + np.where(has_decl, W["closeness"], 0.0)
               + np.where(contexts > 0, W["multiplexity"], 0.0))
    return keys // base, keys % base, weighted / total_w
