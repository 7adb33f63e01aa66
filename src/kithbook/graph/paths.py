"""Warm-introduction paths: a bounded-hop, meet-in-the-middle search over the CSR arrays.

Objective (docs/tie-strength-and-paths.md, "Warm introduction paths"): the score of a
route is the product of its tie strengths (clipped to [0.01, 0.99]) times a forwarding
factor beta for every intermediary, i.e. a shortest path on cost(e) = -ln p_e - ln beta,
minus one beta for the first hop. Routes
are diverse by first hop (the best route through each person I could ask) and never
pass through the source again, nor through anyone in `exclude`.

Method: the forward side enumerates every 1- or 2-step prefix s -> k (-> v), labelled
with its first hop k; the backward side runs a hop-bounded Bellman-Ford from the
target(s) on G minus {s} for the remaining hops, layer by layer over the frontier's
arcs. For every first hop the best total is min over prefixes of forward + backward,
which is exact: an optimal walk is a simple path because every arc costs > 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from kithbook.graph.csr import CSRGraph

P_MIN, P_MAX = 0.01, 0.99
DEFAULT_BETA = 0.6


@dataclass
class Route:
    nodes: list[int]  # graph indices: source first, target last
    strengths: list[float]  # strength of each tie along the route
    score: float  # product of clipped strengths x beta^(intermediaries)
    product: float  # plain product of strengths
    weakest: float  # the weakest link

    @property
    def hops(self) -> int:
        return len(self.nodes) - 1


@dataclass
class SearchStats:
    forward_arcs: int = 0
    backward_arcs: int = 0
    split: tuple[int, int] = (0, 0)
    layers: list[int] = field(default_factory=list)

    @property
    def arcs(self) -> int:
        return self.forward_arcs + self.backward_arcs


def edge_cost(p: NDArray[np.floating] | float, beta: float = DEFAULT_BETA) -> NDArray[np.float64]:
    """-ln(clip p) - ln beta: what one tie costs on a route."""
    clipped = np.clip(np.asarray(p, dtype=np.float64), P_MIN, P_MAX)
    out: NDArray[np.float64] = -np.log(clipped) - math.log(beta)
    return out


class PathFinder:
    """Holds scratch arrays sized to the graph so a query touches only what it reaches."""

    def __init__(self, graph: CSRGraph) -> None:
        self.g = graph
        self._best = np.full(graph.n, np.inf, dtype=np.float64)
        self._banned = np.zeros(graph.n, dtype=bool)
        self.stats = SearchStats()

    # -- backward: hop-bounded Bellman-Ford from the targets -----------------------------

    def _backward(
        self, targets: NDArray[np.int64], hops: int, beta: float
    ) -> list[tuple[NDArray[np.int64], NDArray[np.int64]]]:
        g, best, banned = self.g, self._best, self._banned
        best[targets] = 0.0
        layers: list[tuple[NDArray[np.int64], NDArray[np.int64]]] = [
            (np.sort(targets), np.full(len(targets), -1, dtype=np.int64))
        ]
        frontier = targets
        for _ in range(hops):
            if len(frontier) == 0:
                break
            pos, src = g.gather(frontier)
            self.stats.backward_arcs += len(pos)
            dst = g.indices[pos].astype(np.int64)
            cand = best[src] + edge_cost(g.weights[pos], beta)
            ok = (~banned[dst]) & (cand < best[dst])
            dst, cand, src = dst[ok], cand[ok], src[ok]
            if len(dst) == 0:
                break
            order = np.lexsort((cand, dst))
            dst, cand, src = dst[order], cand[order], src[order]
            first = np.ones(len(dst), dtype=bool)
            first[1:] = dst[1:] != dst[:-1]
            dst, cand, src = dst[first], cand[first], src[first]
            best[dst] = cand
            layers.append((dst, src))  # dst is sorted
            frontier = dst
        self.stats.layers = [len(x[0]) for x in layers]
        return layers

    @staticmethod
    def _suffix(
        layers: list[tuple[NDArray[np.int64], NDArray[np.int64]]], v: int, budget: int
    ) -> list[int]:
        path = [v]
        node, h = v, budget
        while True:
            found = None
            for layer in range(min(h, len(layers) - 1), -1, -1):
                nodes, preds = layers[layer]
                i = int(np.searchsorted(nodes, node))
                if i < len(nodes) and int(nodes[i]) == node:
                    found = (layer, int(preds[i]))
                    break
            if found is None:  # should not happen: v had a finite distance
                return path
            layer, pred = found
            if layer == 0:
                return path
            path.append(pred)
            node, h = pred, layer - 1

    # -- the query ----------------------------------------------------------------------

    def top_paths(
        self,
        source: int,
        targets: Iterable[int],
        *,
        k: int = 3,
        max_hops: int = 3,
        beta: float = DEFAULT_BETA,
        exclude: Iterable[int] = (),
    ) -> list[Route]:
        """The best route through each of up to k distinct first hops, best first.
        `max_hops` counts ties (3 = up to two intermediaries). Empty if unreachable."""
        self.stats = SearchStats()
        tgt = np.unique(np.asarray(list(targets), dtype=np.int64))
        tgt = tgt[tgt != source]
        if len(tgt) == 0 or max_hops < 1 or k < 1:
            return []
        banned_idx = np.unique(np.asarray([source, *exclude], dtype=np.int64))
        tgt = tgt[~np.isin(tgt, banned_idx)]
        if len(tgt) == 0:
            return []
        self._banned[banned_idx] = True
        try:
            return self._search(source, tgt, k, max_hops, beta)
        finally:
            self._banned[banned_idx] = False

    def _search(
        self, s: int, tgt: NDArray[np.int64], k: int, max_hops: int, beta: float
    ) -> list[Route]:
        g, best, banned = self.g, self._best, self._banned
        nbr32, w = g.neighbors(s)
        nbr = nbr32.astype(np.int64)
        keep = ~banned[nbr]
        nbr, w = nbr[keep], w[keep]
        if len(nbr) == 0:
            return []
        c1 = edge_cost(w, beta)
        # choose the split: a forward prefix of 2 ties if it is cheaper than 2 backward layers
        a = 1
        if max_hops >= 3:
            fwd = int((g.indptr[nbr + 1] - g.indptr[nbr]).sum())
            tn, _ = g.gather(tgt)
            t_nbr = g.indices[tn].astype(np.int64)
            back = int((g.indptr[t_nbr + 1] - g.indptr[t_nbr]).sum())
            a = 2 if fwd <= back else 1
        elif max_hops == 2:
            a = 2 if len(nbr) <= len(tgt) * 4 else 1
        b = max_hops - a
        self.stats.split = (a, b)
        layers = self._backward(tgt, b, beta)
        try:
            first_hop = nbr
            mid = nbr
            df = c1
            if a == 2:
                is_t = np.zeros(len(nbr), dtype=bool)
                is_t[np.isin(nbr, tgt)] = True
                pos, src_local = _gather_local(g, nbr[~is_t])
                self.stats.forward_arcs = len(pos) + len(nbr)
                v = g.indices[pos].astype(np.int64)
                kk = nbr[~is_t][src_local]
                cc = c1[~is_t][src_local] + edge_cost(g.weights[pos], beta)
                ok = ~banned[v]
                first_hop = np.concatenate([nbr[is_t], kk[ok]])
                mid = np.concatenate([nbr[is_t], v[ok]])
                df = np.concatenate([c1[is_t], cc[ok]])
            else:
                self.stats.forward_arcs = len(nbr)
            total = df + best[mid]
            fin = np.isfinite(total)
            first_hop, mid, total = first_hop[fin], mid[fin], total[fin]
            if len(total) == 0:
                return []
            order = np.lexsort((total, first_hop))
            first_hop, mid, total = first_hop[order], mid[order], total[order]
            one = np.ones(len(first_hop), dtype=bool)
            one[1:] = first_hop[1:] != first_hop[:-1]
            first_hop, mid, total = first_hop[one], mid[one], total[one]
            top = np.argsort(total, kind="stable")[:k]
            routes = []
            for i in top:
                fh, m = int(first_hop[i]), int(mid[i])
                prefix = [s, fh] if fh == m else [s, fh, m]
                budget = b
                route_nodes = prefix + self._suffix(layers, m, budget)[1:]
                routes.append(self._route(route_nodes, beta))
            return routes
        finally:
            for nodes, _ in layers:
                best[nodes] = np.inf

    def _route(self, nodes: list[int], beta: float) -> Route:
        strengths = [self.g.weight(u, v) for u, v in zip(nodes, nodes[1:], strict=False)]
        clipped = [min(P_MAX, max(P_MIN, p)) for p in strengths]
        score = math.prod(clipped) * beta ** (len(nodes) - 2)
        return Route(nodes, strengths, score, math.prod(strengths), min(strengths))


def _gather_local(g: CSRGraph, nodes: NDArray[np.int64]) -> tuple[NDArray[np.int64], ...]:
    """Arc positions leaving `nodes`, and for each arc the position of its source in `nodes`."""
    starts = g.indptr[nodes]
    counts = g.indptr[nodes + 1] - starts
    total = int(counts.sum())
    if total == 0:
        e = np.zeros(0, dtype=np.int64)
        return e, e
    local = np.repeat(np.arange(len(nodes), dtype=np.int64), counts)
    offs = np.repeat(starts - np.cumsum(counts) + counts, counts)
    return np.arange(total, dtype=np.int64) + offs, local


def finder(graph: CSRGraph) -> PathFinder:
    """A PathFinder cached on the graph object (one set of scratch arrays per graph)."""
    pf = getattr(graph, "_pathfinder", None)
    if pf is None:
        pf = PathFinder(graph)
        graph._pathfinder = pf  # type: ignore[attr-defined]
    return pf
