"""Issued buying-group settlements, which each member confirms or disputes, in the app
or through a private response link (docs/economics.md, "Settlement statements";
docs/private-links.md).

Issuing keeps the settlement through a day that has ended, like a royalty statement: a
row of econ_statements (its number in `period`) whose content holds the terms it used,
the ledger entries it saw and its canonical figures, with their digest. It is recomputed
from those terms and the ledger whenever shown, and the digest says whether it is
still identical; entries booked on or before its day afterwards go to the day after
(services/economics.py, `_open_day`), so it never changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Row

from kithbook import ids
from kithbook.domain.economics import buying as by
from kithbook.domain.economics.buying import METHOD_WORDS
from kithbook.domain.economics.ledger import Ledger
from kithbook.domain.economics.records import StatementAnswer
from kithbook.domain.models import Record
from kithbook.errors import Conflict, InvalidInput, NotFound
from kithbook.services.alliance_base import day
from kithbook.services.catalog import use_case
from kithbook.services.economics_base import EconomicsBase, _value_error
from kithbook.services.links import IssuedLink
from kithbook.store import alliances as st_all
from kithbook.store import economics as st
from kithbook.store.journal import Journal
from kithbook.store.rows import utc

if TYPE_CHECKING:
    from kithbook.services.app import Services

CONTENT_KIND = "buying_settlement"


@dataclass
class IssuedSettlement(Record):
    """A buying group's settlement as issued, recomputed, with the members' answers."""

    id: str  # mst_...
    name: str
    agreement_id: str
    number: int  # 1 for the group's first issued settlement
    through: date
    issued_on: date
    digest: str  # as issued
    verified: bool  # the ledger and the kept terms give the same figures again
    settlement: by.Settlement  # recomputed
    answers: list[StatementAnswer] = field(default_factory=list)


def is_settlement(content: Any) -> bool:
    return isinstance(content, dict) and content.get("kind") == CONTENT_KIND


def last_through(conn: Connection, agreement_key: int) -> date | None:
    """The day the group's latest issued settlement runs through."""
    rows = st.issued(conn, agreement_key)
    if not rows:
        return None
    return date.fromisoformat(rows[max(rows)].content["through"])


def open_day(conn: Connection, agreement_key: int, booked: date) -> tuple[date, bool]:
    """The day an entry is booked on: the day after the latest issued settlement when
    it would fall inside it (True: moved), so an issued settlement never changes."""
    through = last_through(conn, agreement_key)
    if through is not None and booked <= through:
        return through + timedelta(days=1), True
    return booked, False


def issued_view(conn: Connection, row: Row[Any], now: Any) -> IssuedSettlement:
    """An issued settlement (an econ_statements row), recomputed from the terms it kept
    and the ledger, with its answers."""
    ag = st.agreement(conn, row.agreement_id)
    terms = st.decode(by.BuyingTerms, row.content["terms"])
    through = date.fromisoformat(row.content["through"])
    s = by.settle(terms, st.ledger(conn, row.agreement_id), through=through)
    answers = [StatementAnswer(f"{row.public_id}/{r.id}", r.party, r.verdict, r.comment,
                               r.via, utc(r.created_at) or now)
               for r in st.responses(conn, [row.id])]
    return IssuedSettlement(
        id=row.public_id, name=f"{ag.name}, settlement {row.period} through {through}",
        agreement_id=ag.public_id, number=int(row.period), through=through,
        issued_on=row.issued_on, digest=row.digest, verified=s.digest == row.digest,
        settlement=s, answers=answers)


def issued_views(conn: Connection, agreement_key: int, now: Any) -> list[IssuedSettlement]:
    return [issued_view(conn, r, now) for r in st.issued(conn, agreement_key).values()]


def member_page(view: IssuedSettlement, member: str) -> list[str]:
    """What a member's contact sees on the private link: the group's totals and the
    member's own figures, each explained; no other member's figures."""
    s = view.settlement
    mine = s.member(member)
    out = [f"Buying group {s.group} ({s.item}): settlement {view.number}, orders, rebates "
           f"and costs booked through {view.through}, in {s.currency}. Issued on "
           f"{view.issued_on}; recomputed from the ledger: "
           + ("identical." if view.verified else "DIFFERENT from what was issued.")]
    for ln in s.lines:
        # the baseline line's explanation lists every member's spend: the total only
        explain = "" if ln.code == "baseline" else f" ({ln.explain})"
        out.append(f"{ln.label}: {ln.amount if ln.amount is not None else ''}{explain}")
    out.append(f"Allocation: {METHOD_WORDS[s.method]}"
               + (" (agreed by the members)." if s.agreed else " (none agreed yet; shown)."))
    out.append(f"Your figures, {member}:")
    out += [f"{ln.label}: {ln.amount if ln.amount is not None else ''} ({ln.explain})"
            for ln in mine.lines]
    out.append(f"Does it match your records, for {member}?")
    return out


def send_in(svc: Services, j: Journal, row: Row[Any], ag: Row[Any], person: int,
            partners: list[int], days: int) -> IssuedLink:
    """Inside a write: a private link for a member's contact to confirm or dispute an
    issued settlement (services/economics.py, `send`); the member is the partner the
    recipient is a contact of."""
    from kithbook.services.economics_links import SETTLEMENT

    members = st.decode(by.BuyingTerms, row.content["terms"]).members
    mine = [(k, n) for k in partners if (n := st_all.partner_org_name(j.conn, k)) in members]
    if not mine:
        raise InvalidInput("the recipient is not a contact of a member of the group.",
                           field="to", hint="Send it to a contact of one of its members.")
    partner, member = mine[0]
    return svc.links.issue_in(
        j, SETTLEMENT.name, row.id, person,
        context={"alliance": ag.alliance_id, "partner": partner, "member": member},
        days=days, intro=f"Here is the settlement of the buying group {ag.name} through "
        f"{row.content['through']}, for {member} to check.")


class SettlementStatements(EconomicsBase):
    """Use cases of issued buying-group settlements (mixed into EconomicsDealService)."""

    def _settlement_row(self, conn: Connection, statement: str) -> Row[Any]:
        text = (statement or "").strip()
        row = st.statement_by_public_id(conn, text)
        if row is None or not is_settlement(row.content):
            raise NotFound(f"no issued settlement has the id '{text}'.", field="statement",
                           hint="Issue the group's settlement first; its id starts with mst_.")
        return row

    @use_case(writes=True)
    def issue_settlement(self, group: str, through: date | str | None = None
                         ) -> IssuedSettlement:
        """Issue a buying group's settlement through a day that has ended (default:
        yesterday): kept with its digest, it never changes; each member can then
        confirm or dispute it."""
        until = day(through, "through") or self.svc.today - timedelta(days=1)
        if until >= self.svc.today:
            raise Conflict(f"a settlement through {until} can be issued once that day has "
                           "ended.", field="through")
        with self.write("money issue settlement") as j:
            key = self.agreement_key(j.conn, group, "buying")
            terms: by.BuyingTerms = self.terms_of(st.agreement(j.conn, key))
            issued = st.issued(j.conn, key)
            before = last_through(j.conn, key)
            if before is not None and until <= before:
                raise Conflict(f"settlement {max(issued)} already runs through {before}; "
                               "issue one through a later day.", field="through")
            ledger: Ledger = st.ledger(j.conn, key)
            try:
                s = by.settle(terms, ledger, through=until)
            except ValueError as exc:
                raise _value_error(exc, "group") from None
            seen = [e.seq for e in ledger.entries if e.booked <= until]
            number = max(issued, default=0) + 1
            skey = st.insert_statement(j, {
                "public_id": ids.new_id("money_statement"), "agreement_id": key,
                "period": number, "issued_on": self.svc.today, "digest": s.digest,
                "last_seq": max(seen, default=0),
                "content": {"kind": CONTENT_KIND, "through": until.isoformat(),
                            "terms": st.encode(terms), "entries": seen,
                            "settlement": s.canonical()}})
            return issued_view(j.conn, st.statement_row(j.conn, skey), self.svc.now)

    @use_case(writes=True)
    def answer_settlement(self, statement: str, member: str, verdict: str,
                          comment: str | None = None) -> IssuedSettlement:
        """Record a member confirming or disputing an issued settlement (a dispute says
        what is wrong)."""
        with self.write("money answer settlement") as j:
            row = self._settlement_row(j.conn, statement)
            ag = st.agreement(j.conn, row.agreement_id)
            who = self.party_name(j.conn, ag.alliance_id, member, "member")
            if who not in st.decode(by.BuyingTerms, row.content["terms"]).members:
                raise InvalidInput(f"{who} is not a member of the group.", field="member")
            self.svc.economics.answer_in(j, row.id, who, verdict, comment, None, "app")
            return issued_view(j.conn, st.statement_row(j.conn, row.id), self.svc.now)
