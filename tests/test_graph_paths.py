"""Warm-introduction paths against networkx as an oracle, on the networks networkx ships
and on random graphs (hypothesis)."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kithbook.domain import strength as ts
from kithbook.graph import csr
from kithbook.graph.paths import PathFinder, edge_cost

BETA = 0.6


def weighted(G: nx.Graph) -> nx.Graph:
    """Strengths in (0, 1]: weight / max weight, rounded to float32 like the CSR."""
    mx = max(d.get("weight", 1) for *_, d in G.edges(data=True))
    H = nx.Graph()
    H.add_nodes_from(G)
    for u, v, d in G.edges(data=True):
        H.add_edge(u, v, p=float(np.float32(d.get("weight", 1) / mx)))
    return H


def to_csr(H: nx.Graph) -> tuple[csr.CSRGraph, dict[Any, int], dict[int, Any]]:
    label = {n: k for k, n in enumerate(H)}
    a, b, s = zip(*[(label[u], label[v], d["p"]) for u, v, d in H.edges(data=True)],
                  strict=True)
    g = csr.build(a, b, s, people=list(label.values()))
    back = {g.index_of(k): n for n, k in label.items()}
    return g, {n: g.index_of(k) for n, k in label.items()}, back


def cost(H: nx.Graph, path: list[Any]) -> float:
    c = sum(float(edge_cost(H[u][v]["p"], BETA)) for u, v in zip(path, path[1:], strict=False))
    return c + math.log(BETA)  # the first hop is not an intermediary


def oracle_by_first_hop(H: nx.Graph, s: Any, targets: set[Any], hops: int) -> dict[Any, float]:
    """Best score per first hop over every simple path of <= hops ties (brute force)."""
    best: dict[Any, float] = {}
    for t in targets:
        for p in nx.all_simple_paths(H, s, t, cutoff=hops):
            if any(x in targets for x in p[1:-1]):
                continue
            sc = math.exp(-cost(H, p))
            if sc > best.get(p[1], 0.0):
                best[p[1]] = sc
    return best


def check_pair(H: nx.Graph, pf: PathFinder, idx: dict[Any, int], back: dict[int, Any],
               s: Any, targets: set[Any], hops: int) -> None:
    routes = pf.top_paths(idx[s], [idx[t] for t in targets], k=10_000, max_hops=hops, beta=BETA)
    oracle = oracle_by_first_hop(H, s, targets, hops)
    mine = {back[r.nodes[1]]: r for r in routes}
    assert set(mine) == set(oracle), (s, targets, hops)
    for fh, sc in oracle.items():
        r = mine[fh]
        assert r.score == pytest.approx(sc, rel=1e-9), (s, targets, hops, fh)
        nodes = [back[x] for x in r.nodes]
        assert nodes[0] == s and nodes[-1] in targets and len(set(nodes)) == len(nodes)
        assert s not in nodes[1:] and r.hops <= hops
        assert r.weakest == pytest.approx(min(H[u][v]["p"] for u, v in zip(nodes, nodes[1:],
                                                                            strict=False)))
    scores = [r.score for r in routes]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("hops", [1, 2, 3, 4])
def test_karate_every_pair_every_first_hop(hops: int) -> None:
    H = weighted(nx.karate_club_graph())
    g, idx, back = to_csr(H)
    pf = PathFinder(g)
    for s in H:
        for t in H:
            if s != t:
                check_pair(H, pf, idx, back, s, {t}, hops)


def test_florentine_every_pair() -> None:
    H = weighted(nx.florentine_families_graph())
    g, idx, back = to_csr(H)
    pf = PathFinder(g)
    for s in H:
        for t in H:
            if s != t:
                for hops in (2, 3, 4):
                    check_pair(H, pf, idx, back, s, {t}, hops)


def test_les_miserables_sampled_pairs() -> None:
    H = weighted(nx.les_miserables_graph())
    g, idx, back = to_csr(H)
    pf = PathFinder(g)
    rng = random.Random(7)
    nodes = sorted(H)
    for _ in range(150):
        s, t = rng.sample(nodes, 2)
        check_pair(H, pf, idx, back, s, {t}, 3)


def test_les_miserables_best_path_equals_dijkstra_when_short() -> None:
    """When networkx's unbounded best path (bidirectional Dijkstra) has at most 4 ties,
    the bounded search must find the same score."""
    H = weighted(nx.les_miserables_graph())
    for *_, d in H.edges(data=True):
        d["c"] = float(edge_cost(d["p"], BETA))
    g, idx, back = to_csr(H)
    pf = PathFinder(g)
    checked = 0
    for s in sorted(H)[:20]:
        for t in sorted(H)[20:60]:
            length, path = nx.bidirectional_dijkstra(H, s, t, weight="c")
            if len(path) - 1 > 4:
                continue
            r = pf.top_paths(idx[s], [idx[t]], k=1, max_hops=4, beta=BETA)
            assert r[0].score == pytest.approx(math.exp(-(length + math.log(BETA))), rel=1e-9)
            checked += 1
    assert checked > 300


def test_davis_co_attendance_interactions() -> None:
    """Women linked by the events they attended together, scored by the strength model."""
    B = nx.davis_southern_women_graph()
    women = sorted(n for n, d in B.nodes(data=True) if d["bipartite"] == 0)
    events = sorted(n for n, d in B.nodes(data=True) if d["bipartite"] == 1)
    key = {w: k for k, w in enumerate(women, start=1)}
    now = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [(n, now - timedelta(days=30 * n), "event", None, sorted(key[w] for w in B[e]))
            for n, e in enumerate(events, start=1)]
    evidence = ts.evidence_by_pair(rows)
    proj = nx.bipartite.weighted_projected_graph(B, women)
    assert {frozenset((key[u], key[v])) for u, v in proj.edges()} == {
        frozenset(p) for p in evidence}
    for u, v, d in proj.edges(data=True):
        assert len(evidence[tuple(sorted((key[u], key[v])))]) == d["weight"]
    H = nx.Graph()
    for (x, y), evs in evidence.items():
        H.add_edge(x, y, p=float(np.float32(ts.tie_strength(now, evs).score)))
    g, idx, back = to_csr(H)
    pf = PathFinder(g)
    for s in list(H)[:8]:
        for t in H:
            if s != t:
                check_pair(H, pf, idx, back, s, {t}, 2)


def test_org_target_is_several_people_and_unreachable_is_empty() -> None:
    H = weighted(nx.karate_club_graph())
    g, idx, back = to_csr(H)
    pf = PathFinder(g)
    check_pair(H, pf, idx, back, 0, {33, 32, 26}, 3)
    iso = csr.build([1, 3], [2, 4], [0.5, 0.5])
    assert PathFinder(iso).top_paths(0, [2], k=3, max_hops=4) == []
    assert PathFinder(iso).top_paths(0, [0], k=3, max_hops=4) == []


def test_exclude_and_never_back_through_source() -> None:
    # me(0) - a(1) - t(3); me - b(2) - t; a - me is the only way from a's side except t
    g = csr.build([0, 0, 1, 2, 1], [1, 2, 3, 3, 2], [0.9, 0.5, 0.9, 0.9, 0.99])
    pf = PathFinder(g)
    routes = pf.top_paths(0, [3], k=3, max_hops=3)
    assert [r.nodes[1] for r in routes] == [1, 2]
    assert all(0 not in r.nodes[1:] for r in routes)
    only_b = pf.top_paths(0, [3], k=3, max_hops=3, exclude=[1])
    assert [r.nodes for r in only_b] == [[0, 2, 3]]


@st.composite
def random_graph(draw: st.DrawFn) -> tuple[nx.Graph, int, int, int]:
    n = draw(st.integers(3, 14))
    m = draw(st.integers(n - 1, min(n * (n - 1) // 2, 3 * n)))
    seed = draw(st.integers(0, 10_000))
    G = nx.gnm_random_graph(n, m, seed=seed)
    rng = random.Random(seed)
    for u, v in G.edges():
        G[u][v]["p"] = float(np.float32(rng.choice([0.2, 0.4, 0.6, 0.8, 1.0, rng.random()])))
    s, t = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
    hops = draw(st.integers(1, 5))
    return G, s, t, hops


@settings(max_examples=150, deadline=None)
@given(random_graph())
def test_best_path_never_worse_than_any_networkx_path(case: tuple[nx.Graph, int, int, int]) -> None:
    G, s, t, hops = case
    if s == t or G.number_of_edges() == 0:
        return
    g, idx, back = to_csr(G)
    routes = PathFinder(g).top_paths(idx[s], [idx[t]], k=3, max_hops=hops, beta=BETA)
    best = max((math.exp(-cost(G, p)) for p in nx.all_simple_paths(G, s, t, cutoff=hops)),
               default=None)
    if best is None:
        assert routes == []
        return
    assert routes and routes[0].score >= best * (1 - 1e-9)
    assert routes[0].score == pytest.approx(best, rel=1e-9)
    assert len({r.nodes[1] for r in routes}) == len(routes)
