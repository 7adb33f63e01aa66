"""Ego measures and the CSR arrays against networkx, for every node of the networks
networkx ships."""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from kithbook.graph import csr, ego


def networks() -> dict[str, nx.Graph]:
    B = nx.davis_southern_women_graph()
    women = [n for n, d in B.nodes(data=True) if d["bipartite"] == 0]
    return {
        "karate": nx.karate_club_graph(),
        "lesmis": nx.les_miserables_graph(),
        "florentine": nx.florentine_families_graph(),
        "davis": nx.bipartite.weighted_projected_graph(B, women),
    }


def prepared(G: nx.Graph) -> tuple[nx.Graph, csr.CSRGraph, dict]:
    mx = max(d.get("weight", 1) for *_, d in G.edges(data=True))
    H = nx.Graph()
    H.add_nodes_from(G)
    for u, v, d in G.edges(data=True):
        H.add_edge(u, v, weight=float(np.float32(d.get("weight", 1) / mx)))
    label = {n: k for k, n in enumerate(H)}
    a, b, s = zip(*[(label[u], label[v], d["weight"]) for u, v, d in H.edges(data=True)],
                  strict=True)
    g = csr.build(a, b, s, people=list(label.values()))
    return H, g, {n: g.index_of(k) for n, k in label.items()}


@pytest.mark.parametrize("dense", [False, True], ids=["search", "dense"])
@pytest.mark.parametrize("name", ["karate", "lesmis", "florentine", "davis"])
def test_every_node_matches_networkx(name: str, dense: bool,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # hubs switch to a dense lookup; force it here so small networks check it too
    monkeypatch.setattr(ego, "DENSE_LOOKUP_ARCS", -1 if dense else 10**12)
    H, g, idx = prepared(networks()[name])
    back = {i: n for n, i in idx.items()}
    constraint = nx.constraint(H, weight="weight")
    eff = nx.effective_size(H, nodes=list(H), weight="weight")
    bridges = {frozenset(e) for e in nx.local_bridges(H, with_span=False)}
    unweighted_eff = nx.effective_size(H)  # Borgatti's n - 2t/n
    for v in H:
        i = idx[v]
        br = ego.brokerage(g, i)
        assert br.constraint == pytest.approx(constraint[v], rel=1e-9, abs=1e-12)
        assert br.effective_size == pytest.approx(eff[v], rel=1e-9, abs=1e-12)
        assert br.degree == H.degree(v)
        assert {frozenset((v, back[x])) for x in br.local_bridges} == {
            e for e in bridges if v in e}
        dist = nx.single_source_shortest_path_length(H, v, cutoff=2)
        r = ego.reach(g, i)
        assert r.first == sum(1 for d in dist.values() if d == 1)
        assert r.second == sum(1 for d in dist.values() if d == 2)
        assert {back[x] for x in ego.second_degree(g, i).tolist()} == {
            n for n, d in dist.items() if d == 2}
        # with equal weights the weighted formula reduces to Borgatti's
        if name == "florentine":
            assert br.effective_size == pytest.approx(unweighted_eff[v])


def test_reach_through_counts() -> None:
    # me(0) knows 1 and 2; 1 knows 3, 4; 2 knows 4, 5, 6
    g = csr.build([0, 0, 1, 1, 2, 2, 2], [1, 2, 3, 4, 4, 5, 6], [1.0] * 7)
    r = ego.reach(g, 0)
    assert (r.first, r.second) == (2, 4)
    assert r.through == [(2, 3, 2), (1, 2, 1)]


def test_worth_meeting_prefers_supported_non_redundant_people() -> None:
    # candidates 10 (3 mutuals, knows new people) and 11 (1 mutual, knows only my friends)
    a = [0, 0, 0, 1, 2, 3, 10, 10, 3, 11, 11]
    b = [1, 2, 3, 10, 10, 10, 20, 21, 11, 1, 2]
    g = csr.build(a, b, [0.8] * len(a))
    res = ego.worth_meeting(g, g.index_of(0), m_star=3)
    nodes = [g.key_of(c.node) for c in res]
    assert nodes[0] == 10
    top = res[0]
    assert top.mutuals == 3
    assert top.non_redundancy == pytest.approx(2 / 5)
    deg = {1: 3, 2: 3, 3: 3}
    assert top.support == pytest.approx(sum(0.8 * 0.8 / math.log(math.e + deg[k])
                                            for k in (1, 2, 3)), rel=1e-6)
    other = next(c for c in res if g.key_of(c.node) == 11)
    assert other.non_redundancy == 0.0 and other.score == 0.0


def test_dormant_ranks_trust_novelty_and_history() -> None:
    # me(0): active friend 1; dormant 2 (knows strangers 5, 6) and dormant 3 (knows 1)
    g = csr.build([0, 0, 0, 2, 2, 3], [1, 2, 3, 5, 6, 1], [0.8] * 6)
    ev = {1: (10.0, 0.8, 5.0), 2: (800.0, 0.7, 2.0), 3: (900.0, 0.9, 8.0)}
    res = ego.dormant_ties(g, 0, ev)
    assert [d.node for d in res] == [2, 3]
    assert res[0].novelty == 1.0 and res[0].unknown_contacts == 2
    assert res[1].novelty == 0.0 and not res[1].was_bridge
    assert res[0].score == pytest.approx(0.7 * 1.0 * (1 - 0.5 * 2 / 8))


def test_build_keeps_strongest_duplicate_and_isolated_people() -> None:
    g = csr.build([5, 7, 5], [7, 5, 9], [0.4, 0.9, 0.2], people=[5, 7, 9, 11])
    assert g.n == 4 and g.edges == 2
    assert g.weight(g.index_of(5), g.index_of(7)) == pytest.approx(0.9)
    assert g.degree(g.index_of(11)) == 0
    assert g.index_of(8) is None
    assert g.indices.dtype == np.int32 and g.weights.dtype == np.float32
    assert g.wsum[g.index_of(5)] == pytest.approx(1.1)
    assert g.wmax[g.index_of(11)] == 0.0
    assert ego.brokerage(g, g.index_of(11)).degree == 0


def test_cache_round_trip_and_staleness(tmp_path: Path) -> None:
    H, g, _ = prepared(nx.karate_club_graph())
    g.stamp = {"ties": 78, "day": "2026-11-27"}
    d = csr.cache_dir_for(tmp_path / "kithbook.db")
    csr.save(g, d)
    loaded = csr.load(d, expect={"ties": 78, "day": "2026-11-27"})
    assert loaded is not None and isinstance(loaded.indices, np.memmap)
    for name in ("indptr", "indices", "weights", "ids", "wsum", "wmax"):
        assert np.array_equal(getattr(loaded, name), getattr(g, name))
    assert csr.load(d, expect={"ties": 79, "day": "2026-11-27"}) is None
    assert csr.load(tmp_path / "missing") is None
    csr.save(g, d)  # overwrite in place
    assert csr.load(d) is not None
