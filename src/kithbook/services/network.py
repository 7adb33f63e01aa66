"""The relationship engine's use cases: tie strength with its reasons, warm-introduction
paths, reach, brokers, dormant ties, matchmaking, needs and offers, the give/ask ledger.

The graph is built from the store into CSR arrays (declared ties mapped 1..5 -> 0.2..1.0;
pairs with interaction evidence scored by the full model), kept warm per process and
current through the database's change log (graph/warm.py, docs/graph-cache.md).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from kithbook.domain import strength as ts
from kithbook.domain.text import count
from kithbook.errors import InvalidInput
from kithbook.services.catalog import use_case
from kithbook.services.network_help import ListenAndHelp, ref
from kithbook.services.network_results import (
    Brokers,
    BrokerStats,
    DormantTie,
    DormantTies,
    IntroRoute,
    PathResult,
    RankedTie,
    Reach,
    ReachThrough,
    StrengthComponent,
    StrongestTies,
    TieStrength,
    WorthMeeting,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kithbook.graph.csr import CSRGraph
    from kithbook.services.app import Services

Pair = tuple[int, int]


_ref = ref


def _ago(days: float) -> str:
    if days < 14:
        return "this week" if days < 7 else "last week"
    if days < 60:
        return "last month" if days >= 28 else f"{int(days)} days ago"
    if days < 365:
        return f"{int(round(days / 30.4))} months ago"
    return f"{days / 365.25:.1f} years ago"


class NetworkService(ListenAndHelp):
    def __init__(self, svc: Services) -> None:
        self.svc = svc
        self._graph: CSRGraph | None = None

    # -- the graph ---------------------------------------------------------------------

    def graph(self, *, rebuild: bool = False) -> CSRGraph:
        """The process's warm graph, brought up to the database's latest change
        (graph/warm.py, docs/graph-cache.md)."""
        from kithbook.graph import warm

        return warm.current(self.svc.db, self.graph_now(), self.svc.today, rebuild=rebuild)

    def graph_now(self) -> datetime:
        """The instant graph strengths are scored at: the end of today (so the graph is
        the same all day and a delta equals a rebuild), or the fixed --as-of instant."""
        if self.svc.config.as_of is not None:
            return self.svc.now
        return datetime.combine(self.svc.today + timedelta(days=1), time(0), tzinfo=UTC)

    def _index(self, g: CSRGraph, key: int) -> int | None:
        return g.index_of(key)

    # -- strength ----------------------------------------------------------------------

    def pair_strength(self, conn: Connection, x: int, y: int) -> ts.StrengthResult:
        from kithbook.store import graph_queries as gq

        rows = gq.interaction_rows(conn, involving=x)
        events = ts.pair_events(rows, x, y)
        given, received = gq.ledger_counts(conn, x).get(y, (0, 0))
        declared = ts.declared_from_rows(gq.declared_between(conn, x, y))
        return ts.tie_strength(self.svc.now, events, declared, given=given, received=received)

    @use_case()
    def strength(
        self, person: str, with_person: str | None = None
    ) -> TieStrength | StrongestTies:
        """How strong a tie is (0 to 1, shown 10 to 100) and why, component by component.

        With one person: your tie to them; with `with_person`: their tie to each other;
        with the same person twice (or yourself): that person's ties, strongest first.
        """
        from kithbook.store import people as st_people

        with self.svc.db.read() as conn:
            me = self.svc.resolve.me_key(conn)
            x = self.svc.resolve.person_key(conn, person)
            if with_person is None:
                x, y = me, x
            else:
                y = self.svc.resolve.person_key(conn, with_person, field="with_person")
            if x == y:
                return self.strongest(conn, x)
            res = self.pair_strength(conn, x, y)
            refs = st_people.refs_by_keys(conn, [x, y])
        a, b = _ref(refs, x), _ref(refs, y)
        return TieStrength(
            id=b.id,
            name=b.name,
            from_=a,
            to=b,
            score=round(res.score, 4),
            display=res.display,
            basis=res.basis,
            components=[
                StrengthComponent(
                    name=c.name,
                    value=None if c.value is None else round(c.value, 4),
                    weight=c.weight,
                    contribution=round(c.contribution, 4),
                    detail=c.detail,
                )
                for c in res.components
            ],
            interactions=res.events,
            last_two_way_contact=res.last_contact,
            days_since_contact=None
            if res.days_since_contact is None
            else round(res.days_since_contact, 1),
            favour_balance=None if res.ledger_balance is None else round(res.ledger_balance, 3),
        )

    def strongest(self, conn: Connection, x: int, limit: int = 30) -> StrongestTies:
        """One person's ties by strength, with Dunbar layers by rank."""
        import numpy as np

        from kithbook.store import people as st_people

        g = self.graph()
        i = g.index_of(x)
        ties: list[RankedTie] = []
        refs = st_people.refs_by_keys(conn, [x])
        if i is not None:
            nbr, w = g.neighbors(i)
            order = np.argsort(-w, kind="stable")
            keys = [g.key_of(int(nbr[j])) for j in order[:limit]]
            refs.update(st_people.refs_by_keys(conn, keys))
            for rank, (key, j) in enumerate(zip(keys, order[:limit], strict=False), start=1):
                r = _ref(refs, key)
                ties.append(
                    RankedTie(
                        id=r.id,
                        name=r.name,
                        score=round(float(w[j]), 4),
                        display=ts.display(float(w[j])),
                        layer=ts.layer_of(rank),
                    )
                )
        who = _ref(refs, x)
        return StrongestTies(id=who.id, name=who.name, ties=ties)

    # -- paths -------------------------------------------------------------------------

    @use_case()
    def path(
        self,
        target: str,
        *,
        source: str | None = None,
        k: int = 3,
        max_hops: int = 3,
        beta: float = 0.6,
    ) -> PathResult:
        """Warm-introduction routes to a person or to anyone at an organization, best first.

        `source` starts from a teammate instead of you; `k` routes with distinct first
        hops; `max_hops` ties at most; `beta` the forwarding factor per intermediary
        (docs/tie-strength-and-paths.md).
        """
        from kithbook.graph.paths import finder
        from kithbook.store import graph_queries as gq
        from kithbook.store import people as st_people

        if not 1 <= max_hops <= 6:
            raise InvalidInput("the most ties on a route is between 1 and 6.", field="max_hops")
        if not 1 <= k <= 50:
            raise InvalidInput("the number of routes is between 1 and 50.", field="k")
        if not 0 < beta <= 1:
            raise InvalidInput("beta must be in (0, 1].", field="beta")
        g = self.graph()
        with self.svc.db.read() as conn:
            src = (
                self.svc.resolve.person_key(conn, source, field="source")
                if source
                else self.svc.resolve.me_key(conn)
            )
            found = self.svc.resolve.target(conn, target)
            targets, label, target_id = found.people, found.name, found.id
            si = g.index_of(src)
            tix = [t for t in (g.index_of(x) for x in targets if x != src) if t is not None]
            routes = (
                []
                if si is None
                else finder(g).top_paths(si, tix, k=k, max_hops=max_hops, beta=beta)
            )
            keys = {g.key_of(n) for r in routes for n in r.nodes} | {src}
            refs = st_people.refs_by_keys(conn, keys)
            seen = gq.last_together(conn, [(g.key_of(r.nodes[1]), g.key_of(r.nodes[2]))
                                           for r in routes if len(r.nodes) > 2])
            out_routes = []
            for n, r in enumerate(routes, start=1):
                people = [g.key_of(x) for x in r.nodes]
                out_routes.append(
                    IntroRoute(
                        id=f"route-{n}",
                        name=" → ".join(_ref(refs, p).name for p in people),
                        people=[_ref(refs, p) for p in people],
                        strengths=[round(s, 4) for s in r.strengths],
                        hops=r.hops,
                        score=round(r.score, 6),
                        product=round(r.product, 6),
                        weakest=round(r.weakest, 4),
                        ask=self._ask(refs, people, r.strengths, seen),
                    )
                )
        src_ref = _ref(refs, src)
        return PathResult(
            id=target_id,
            name=label,
            from_=src_ref,
            max_hops=max_hops,
            reachable=bool(out_routes),
            routes=out_routes,
            message=None
            if out_routes
            else f"No route from {src_ref.name} to {label} within {max_hops} ties.",
        )

    def _ask(self, refs: dict[int, Any], people: list[int], strengths: list[float],
             together: dict[tuple[int, int], datetime]) -> str:
        if len(people) == 2:
            return (
                f"You know {_ref(refs, people[1]).name} directly "
                f"(strength {ts.display(strengths[0])}): reach out yourself."
            )
        k, nxt = people[1], people[2]
        kname, nname = _ref(refs, k).name, _ref(refs, nxt).name
        seen = together.get((k, nxt))
        if seen is not None:
            days = max(0.0, (self.svc.now - seen).total_seconds() / 86400)
            return f"Ask {kname}, who saw {nname} {_ago(days)}."
        return f"Ask {kname}, who knows {nname} (strength {ts.display(strengths[1])})."

    # -- reach, brokers, dormant ----------------------------------------------------------

    def _ego(self, conn: Connection, person: str | None) -> tuple[CSRGraph, int, int | None]:
        g = self.graph()
        key = self.svc.resolve.person_key(conn, person) if person else self.svc.resolve.me_key(conn)
        return g, key, g.index_of(key)

    @use_case()
    def reach(self, person: str | None = None, *, limit: int = 10) -> Reach:
        """Second-degree reach: who a person (you by default) reaches through whom, and
        the people worth meeting."""
        from kithbook.graph import ego
        from kithbook.store import people as st_people

        with self.svc.db.read() as conn:
            g, key, i = self._ego(conn, person)
            if i is None:
                r, meet = ego.Reach(0, 0, []), []
            else:
                r = ego.reach(g, i, top=limit)
                meet = ego.worth_meeting(g, i, limit=limit)
            keys = {key} | {g.key_of(a) for a, _, _ in r.through}
            keys |= {g.key_of(c.node) for c in meet} | {g.key_of(v) for c in meet for v in c.via}
            refs = st_people.refs_by_keys(conn, keys)
        who = _ref(refs, key)
        return Reach(
            id=who.id,
            name=who.name,
            first_degree=r.first,
            second_degree=r.second,
            through=[
                ReachThrough(
                    id=_ref(refs, g.key_of(a)).id,
                    name=_ref(refs, g.key_of(a)).name,
                    second_degree=n,
                    only_through=u,
                )
                for a, n, u in r.through
            ],
            worth_meeting=[
                WorthMeeting(
                    id=_ref(refs, g.key_of(c.node)).id,
                    name=_ref(refs, g.key_of(c.node)).name,
                    score=round(c.score, 4),
                    support=round(c.support, 4),
                    non_redundancy=round(c.non_redundancy, 3),
                    mutuals=c.mutuals,
                    via=[_ref(refs, g.key_of(v)) for v in c.via],
                )
                for c in meet
            ],
        )

    @use_case()
    def brokers(self, person: str | None = None, *, limit: int = 10) -> Brokers:
        """Brokers among a person's contacts (effective size, Burt constraint), their own
        brokerage and their local bridges."""
        from kithbook.graph import ego
        from kithbook.store import people as st_people

        with self.svc.db.read() as conn:
            g, key, i = self._ego(conn, person)
            own = ego.brokerage(g, i) if i is not None else None
            ranked = ego.brokers_among(g, i, limit=limit) if i is not None else []
            keys = {key} | {g.key_of(b.node) for b in ranked}
            if own is not None:
                keys |= {g.key_of(x) for x in own.local_bridges}
            refs = st_people.refs_by_keys(conn, keys)

        def rec(b: ego.Brokerage) -> BrokerStats:
            r = _ref(refs, g.key_of(b.node))
            return BrokerStats(
                id=r.id,
                name=r.name,
                degree=b.degree,
                effective_size=round(b.effective_size, 3),
                efficiency=round(b.efficiency, 3),
                constraint=round(b.constraint, 4),
            )

        who = _ref(refs, key)
        return Brokers(
            id=who.id,
            name=who.name,
            own=rec(own) if own is not None and own.degree else None,
            local_bridges=[_ref(refs, g.key_of(x)) for x in (own.local_bridges if own else [])],
            brokers=[rec(b) for b in ranked],
        )

    @use_case()
    def dormant(self, *, days: int = 365, limit: int = 10) -> DormantTies:
        """Dormant ties worth reviving: formerly strong, out of touch at least `days`,
        now connected to people you don't know."""
        from kithbook.graph import ego
        from kithbook.store import graph_queries as gq
        from kithbook.store import people as st_people

        now = self.svc.now
        with self.svc.db.read() as conn:
            g, me, i = self._ego(conn, None)
            if i is None:
                who = _ref(st_people.refs_by_keys(conn, [me]), me)
                return DormantTies(id=who.id, name=who.name, dormant=[])
            alters = [g.key_of(int(x)) for x in g.neighbors(i)[0]]
            rows = gq.interaction_rows(conn, involving=me)
            declared = gq.declared_of(conn, me)
            touched = gq.last_touch(conn, alters)
            evidence: dict[int, tuple[float, float, float]] = {}
            why: dict[int, str] = {}
            for key in alters:
                events = ts.pair_events(rows, me, key)
                decl = ts.declared_from_rows(declared.get(key, []))
                last = ts.last_two_way(events) if events else None
                last = last or touched.get(key)
                if last is None:
                    continue
                gap = max(0.0, (now - last).total_seconds() / 86400)
                peak = max(
                    ts.peak_strength(events, decl) if events else 0.0,
                    ts.tie_strength(now, (), decl).score,
                )
                mass = ts.decayed_mass(events, max(e.at for e in events)) if events else 0.0
                idx = g.index_of(key)
                if idx is not None:
                    evidence[idx] = (gap, peak, mass)
                why[key] = (
                    f"{count(len(events), 'interaction')}, strength then {ts.display(peak)}"
                    if events
                    else f"declared strength {ts.display(peak)}"
                )
            found = ego.dormant_ties(g, i, evidence, dormant_days=days, limit=limit)
            refs = st_people.refs_by_keys(conn, [me] + [g.key_of(d.node) for d in found])
        out: list[DormantTie] = []
        for d in found:
            key = g.key_of(d.node)
            reason = (
                f"last contact {_ago(d.days)}; {why.get(key, '')}; they know "
                f"{count(d.unknown_contacts, 'person')} you don't"
            )
            if d.was_bridge:
                reason += "; a bridge to a circle you have no other tie into"
            r = _ref(refs, key)
            out.append(
                DormantTie(
                    id=r.id,
                    name=r.name,
                    score=round(d.score, 4),
                    days_out_of_touch=round(d.days),
                    trust=round(d.trust, 3),
                    novelty=round(d.novelty, 3),
                    history=round(d.history, 3),
                    long_dormant=d.days >= ts.LONG_DORMANT_DAYS,
                    reason=reason,
                )
            )
        who = _ref(refs, me)
        return DormantTies(id=who.id, name=who.name, dormant=out)
