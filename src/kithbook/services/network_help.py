"""Listen and help: needs and offers, matchmaking, the give/ask ledger. A mixin of
NetworkService (it needs the graph for the strengths that rank introductions)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from kithbook import ids
from kithbook.domain import strength as ts
from kithbook.domain.models import PersonRef
from kithbook.domain.text import fold
from kithbook.errors import InvalidInput
from kithbook.services.catalog import use_case
from kithbook.services.network_results import (
    Ledger,
    LedgerEntry,
    Match,
    Matches,
    MatchSide,
    NeedOffer,
    WithMe,
)

if TYPE_CHECKING:
    from kithbook.graph.csr import CSRGraph
    from kithbook.services.app import Services

LEDGER_KINDS = ("favour", "intro", "advice", "referral")


def ref(refs: dict[int, Any], key: int) -> PersonRef:
    """The public reference of a person key (a placeholder if it went missing)."""
    r = refs.get(key)
    return PersonRef(id=r.id, name=r.name) if r is not None else PersonRef(id=str(key), name="?")


_ref = ref


class ListenAndHelp:
    svc: Services

    def graph(self, *, rebuild: bool = False) -> CSRGraph:
        raise NotImplementedError

    # -- listen and help ------------------------------------------------------------------

    @use_case(writes=True)
    def add_item(self, person: str, kind: str, text: str, tags: list[str]) -> NeedOffer:
        """Record a need or an offer a person has (`kind` is need or offer)."""
        from kithbook.graph.match import parse_tags
        from kithbook.store import graph_queries as gq
        from kithbook.store import people as st_people

        if kind not in ("need", "offer"):
            raise InvalidInput("kind must be need or offer.", field="kind")
        text = " ".join((text or "").split())
        if not text:
            raise InvalidInput(f"say what the {kind} is.", field="text")
        clean = list(parse_tags(tags))
        pid = ids.new_id("need")
        with self.svc.db.write(kind, actor=self.svc.actor, now=self.svc.now) as j:
            key = self.svc.resolve.person_key(j.conn, person)
            gq.insert_need_offer(j, pid, key, kind, text, clean)
            ref = st_people.ref_by_key(j.conn, key)
        return NeedOffer(
            id=pid, name=text, kind=kind, tags=clean, person=PersonRef(id=ref.id, name=ref.name)
        )

    @use_case()
    def match(self, *, limit: int = 20) -> Matches:
        """Introductions to make: one person's need meets another's offer, ranked by the
        strength of your ties to both."""
        from kithbook.graph.match import Item, match, parse_tags
        from kithbook.graph.paths import finder
        from kithbook.store import graph_queries as gq
        from kithbook.store import people as st_people

        g = self.graph()
        with self.svc.db.read() as conn:
            me = self.svc.resolve.me_key(conn)
            rows = gq.open_needs_offers(conn)
            items = [Item(r[0], r[1], r[2], r[3], parse_tags(r[4])) for r in rows]
            mi = g.index_of(me)

            def strength_to(key: int) -> float:
                if key == me:
                    return 1.0
                j = g.index_of(key)
                if mi is None or j is None:
                    return 0.0
                direct = g.weight(mi, j)
                if direct > 0:
                    return direct
                routes = finder(g).top_paths(mi, [j], k=1, max_hops=2)
                return routes[0].score if routes else 0.0

            def connected(x: int, y: int) -> bool:
                xi, yi = g.index_of(x), g.index_of(y)
                return xi is not None and yi is not None and g.weight(xi, yi) > 0

            found = match(
                [x for x in items if x.kind == "need"],
                [x for x in items if x.kind == "offer"],
                strength_to,
                connected=connected,
                limit=limit,
            )
            refs = st_people.refs_by_keys(conn, {x.person for x in items})
        out: list[Match] = []
        for m in found:
            n, o = _ref(refs, m.need.person), _ref(refs, m.offer.person)
            out.append(
                Match(
                    id=f"{m.need.id}+{m.offer.id}",
                    name=f"{n.name} needs → {o.name} offers",
                    need=MatchSide(id=m.need.id, name=m.need.text, person=n),
                    offer=MatchSide(id=m.offer.id, name=m.offer.text, person=o),
                    relevance=round(m.relevance, 3),
                    score=round(m.score, 4),
                    strength_need=round(m.strength_need, 3),
                    strength_offer=round(m.strength_offer, 3),
                    shared=list(m.shared),
                    already_connected=m.already_connected,
                )
            )
        return Matches(
            matches=out,
            needs=sum(x.kind == "need" for x in items),
            offers=sum(x.kind == "offer" for x in items),
        )

    # -- the give/ask ledger ----------------------------------------------------------------

    @use_case(writes=True)
    def gave(
        self, giver: str, receiver: str, kind: str, what: str | None = None, on: date | None = None
    ) -> LedgerEntry:
        """Record a favour, intro, advice or referral one person gave another."""
        from kithbook.store import graph_queries as gq
        from kithbook.store import people as st_people

        kind = fold(kind).rstrip("s").replace("favor", "favour")
        if kind not in LEDGER_KINDS:
            raise InvalidInput(f"kind must be one of {', '.join(LEDGER_KINDS)}.", field="kind")
        pid = ids.new_id("ledger")
        with self.svc.db.write("gave", actor=self.svc.actor, now=self.svc.now) as j:
            g = self.svc.resolve.person_key(j.conn, giver)
            r = self.svc.resolve.person_key(j.conn, receiver)
            if g == r:
                raise InvalidInput("giver and receiver are the same person.", field="receiver")
            gq.insert_ledger(j, pid, g, r, kind, what, on or self.svc.today)
            refs = st_people.refs_by_keys(j.conn, [g, r])
        return LedgerEntry(
            id=pid,
            name=what or kind,
            kind=kind,
            giver=_ref(refs, g),
            receiver=_ref(refs, r),
            occurred_on=on or self.svc.today,
        )

    @use_case()
    def ledger(self, person: str) -> Ledger:
        """A person's favours, intros and advice given and received, with the balance."""
        from kithbook.store import graph_queries as gq
        from kithbook.store import people as st_people

        with self.svc.db.read() as conn:
            me = self.svc.resolve.me_key(conn)
            key = self.svc.resolve.person_key(conn, person)
            rows = gq.ledger_of(conn, key)
            refs = st_people.refs_by_keys(
                conn, {key, me} | {r[1] for r in rows} | {r[2] for r in rows}
            )
        given = sum(1 for r in rows if r[1] == key)
        received = sum(1 for r in rows if r[2] == key)
        with_me = [r for r in rows if me in (r[1], r[2])] if key != me else []
        to_me = sum(1 for r in with_me if r[1] == key)
        from_me = sum(1 for r in with_me if r[2] == key)
        who = _ref(refs, key)
        return Ledger(
            id=who.id,
            name=who.name,
            given=given,
            received=received,
            balance=round(ts.ledger_balance(given, received), 3),
            with_me=None
            if key == me
            else WithMe(
                they_gave_me=to_me,
                i_gave_them=from_me,
                balance=round(ts.ledger_balance(from_me, to_me), 3),
            ),
            entries=[
                LedgerEntry(
                    id=r[0],
                    name=r[4] or r[3],
                    kind=r[3],
                    giver=_ref(refs, r[1]),
                    receiver=_ref(refs, r[2]),
                    occurred_on=r[5],
                )
                for r in rows
            ],
        )
