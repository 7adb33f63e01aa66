"""Royalty statements (docs/economics.md): a period's statement per party, computed
from the append-only ledger and the rate versions in force; statements issued once and
never changed (a digest proves it); a party's confirmation or dispute, in the app or
through a private response link; the printable file; and a partner's own report
reconciled line by line. The agreements and the ledger are in economics.py."""

from __future__ import annotations

import builtins
from typing import Any

from sqlalchemy import Connection, Row

from kithbook import ids
from kithbook.domain.economics import periods as pd
from kithbook.domain.economics import rates as rt
from kithbook.domain.economics import reconcile as rc
from kithbook.domain.economics import royalty as ry
from kithbook.domain.economics.ledger import Ledger
from kithbook.domain.economics.money import ROUNDING
from kithbook.domain.economics.records import (
    LineDifference,
    LinePair,
    ReconciliationView,
    ReportFigures,
    StatementAnswer,
    StatementFile,
    StatementView,
)
from kithbook.domain.economics.statement import PeriodStatement
from kithbook.errors import Conflict, InvalidInput, NotFound
from kithbook.services.alliance_base import choice, clean, day, money
from kithbook.services.catalog import use_case
from kithbook.services.economics_base import (
    VERDICTS,
    EconomicsBase,
    ReportLineIn,
    _value_error,
    entry_record,
)
from kithbook.services.links import IssuedLink
from kithbook.store import economics as st
from kithbook.store.journal import Journal
from kithbook.store.rows import utc


class RoyaltyStatements(EconomicsBase):
    """The statement half of EconomicsService (it inherits these use cases)."""

    # -- statements ------------------------------------------------------------------------

    def _period(self, terms: ry.RoyaltyTerms, period: str | int | None) -> int:
        if period is None or period == "":
            return max(1, terms.period_of(self.svc.today))
        text = str(period).strip()
        if text.isdigit():
            p = int(text)
        else:
            d = day(text, "period")
            assert d is not None
            p = terms.period_of(d)
        if p < 1:
            raise InvalidInput("the agreement had not started then.", field="period")
        return p

    def _compute(self, terms: ry.RoyaltyTerms, ledger: Ledger, through: int
                 ) -> list[PeriodStatement]:
        try:
            return ry.statements(terms, ledger, through)
        except ValueError as exc:
            raise _value_error(exc) from None

    def _view(self, conn: Connection, key: int, s: PeriodStatement, terms: ry.RoyaltyTerms,
              ledger: Ledger, issued: dict[int, Row[Any]], party: str | None) -> StatementView:
        row = st.agreement(conn, key)
        al = st.alliance_row(conn, row.alliance_id)
        label = pd.label(terms.start, terms.period_months, s.period)
        done = issued.get(s.period)
        entries = [entry_record(row.public_id, ledger.get(n), ledger) for n in s.entries]
        used = {rt.version_on(terms.versions, ledger.get(n).on) for n in s.entries}
        rules = [v for v in terms.versions if v in used] or [
            v for v in terms.versions if v.covers(s.end) or v.covers(s.start)]
        parties = list(s.parties)
        if party is not None:
            parties = [p for p in parties if p.party == party]
            if not parties and party != terms.payer:
                raise InvalidInput(f"{party} is not a party to this agreement.", field="party")
        answers = []
        if done is not None:
            for r in st.responses(conn, [done.id]):
                answers.append(StatementAnswer(f"{done.public_id}/{r.id}", r.party, r.verdict,
                                               r.comment, r.via, utc(r.created_at) or self.svc.now))
        return StatementView(
            id=done.public_id if done else f"{row.public_id}/{s.period}",
            name=f"{row.name}, {label}" + (f" ({party})" if party else ""),
            agreement_id=row.public_id, agreement=row.name, alliance=al.name,
            period=s.period, label=label, start=s.start, end=s.end,
            contract_year=s.contract_year, currency=s.currency,
            status="issued" if done else "open", issued_on=done.issued_on if done else None,
            digest=done.digest if done else s.digest,
            verified=(done.digest == s.digest) if done else None, party=party,
            payer=terms.payer, due=s.due, lines=list(s.lines), parties=parties,
            entries=entries, rules=rules, rounding=ROUNDING, notes=list(s.notes),
            answers=answers)

    def _statement(self, conn: Connection, agreement: str, period: str | int | None,
                   party: str | None) -> StatementView:
        key = self.agreement_key(conn, agreement, "royalty")
        row = st.agreement(conn, key)
        terms: ry.RoyaltyTerms = self.terms_of(row)
        p = self._period(terms, period)
        ledger = st.ledger(conn, key)
        s = self._compute(terms, ledger, p)[-1]
        who = self.party_name(conn, row.alliance_id, party) if party else None
        return self._view(conn, key, s, terms, ledger, st.issued(conn, key), who)

    @use_case()
    def statement(self, agreement: str, period: str | None = None, party: str | None = None
                  ) -> StatementView:
        """One period's statement (a number, or any day in it; the current one by
        default), for everyone or one party, with the entries and rates behind it."""
        with self.svc.db.read() as conn:
            return self._statement(conn, agreement, period, party)

    @use_case()
    def statements(self, agreement: str, through: str | None = None
                   ) -> builtins.list[StatementView]:
        """Every period's statement from the start to `through` (the current period by
        default): due, each party's balance, issued or open."""
        with self.svc.db.read() as conn:
            key = self.agreement_key(conn, agreement, "royalty")
            row = st.agreement(conn, key)
            terms: ry.RoyaltyTerms = self.terms_of(row)
            p = self._period(terms, through)
            ledger = st.ledger(conn, key)
            issued = st.issued(conn, key)
            return [self._view(conn, key, s, terms, ledger, issued, None)
                    for s in self._compute(terms, ledger, p)]

    @use_case(writes=True)
    def issue(self, agreement: str, period: str | None = None) -> StatementView:
        """Issue a period's statement: its figures and digest are kept and never change;
        later entries go to an open period. Periods are issued in order, once ended."""
        with self.write("money issue") as j:
            key = self.agreement_key(j.conn, agreement, "royalty")
            row = st.agreement(j.conn, key)
            terms: ry.RoyaltyTerms = self.terms_of(row)
            issued = st.issued(j.conn, key)
            p = self._period(terms, period) if period else (max(issued, default=0) + 1)
            if p in issued:
                raise Conflict(f"the statement for period {p} is already issued.",
                               field="period")
            if p != max(issued, default=0) + 1:
                raise Conflict(f"issue period {max(issued, default=0) + 1} first: statements "
                               "are issued in order.", field="period")
            _, end = terms.bounds(p)
            if end >= self.svc.today:
                raise Conflict(f"period {p} ends on {end}; issue it once it has ended.",
                               field="period")
            ledger = st.ledger(j.conn, key)
            s = self._compute(terms, ledger, p)[-1]
            st.insert_statement(j, {
                "public_id": ids.new_id("money_statement"), "agreement_id": key, "period": p,
                "issued_on": self.svc.today, "digest": s.digest, "last_seq": s.last_seq,
                "content": s.canonical()})
        with self.svc.db.read() as conn:
            return self._statement(conn, agreement, str(p), None)

    def _issued_row(self, conn: Connection, statement: str) -> Row[Any]:
        text = (statement or "").strip()
        found = st.statement_by_public_id(conn, text)
        if found is None:
            raise NotFound(f"no issued statement has the id '{text}'.", field="statement",
                           hint="Issue the period's statement first; its id starts with mst_.")
        return found

    def answer_in(self, j: Journal, statement_key: int, party: str, verdict: str,
                  comment: str | None, person_key: int | None, via: str) -> None:
        v = choice(verdict, VERDICTS, "verdict")
        note = clean(comment, "comment", limit=4000)
        if v == "disputed" and not note:
            raise InvalidInput("say what is disputed.", field="comment",
                               hint="Name the figure or line that looks wrong.")
        st.insert_response(j, {"statement_id": statement_key, "party": party, "verdict": v,
                               "comment": note, "person_id": person_key, "via": via})

    @use_case(writes=True)
    def answer(self, statement: str, party: str, verdict: str, comment: str | None = None
               ) -> StatementView:
        """Record a party confirming or disputing an issued statement (a dispute says
        what is wrong)."""
        with self.write("money answer") as j:
            row = self._issued_row(j.conn, statement)
            ag = st.agreement(j.conn, row.agreement_id)
            if ag.kind != "royalty":
                raise InvalidInput(f"{row.public_id} is a buying group's settlement; a "
                                   "member answers it as a settlement.", field="statement",
                                   remedy="economics_deals.answer_settlement")
            who = self.party_name(j.conn, ag.alliance_id, party)
            self.answer_in(j, row.id, who, verdict, comment, None, "app")
        with self.svc.db.read() as conn:
            return self._statement(conn, ag.public_id, str(row.period), None)

    @use_case(writes=True)
    def send(self, statement: str, to: str, *, days: int = 14) -> IssuedLink:
        """A private link for a partner's contact to confirm or dispute an issued
        statement (a royalty statement, or a buying group's settlement for the member the
        contact belongs to), with the statement shown; no account needed."""
        from kithbook.services.economics_links import STATEMENT
        from kithbook.store import alliances as st_all

        with self.write("money send") as j:
            row = self._issued_row(j.conn, statement)
            ag = st.agreement(j.conn, row.agreement_id)
            person = self.person_key(j.conn, to, field="to")
            parties = st_all.contacts_of_person(j.conn, ag.alliance_id, person)
            if not parties:
                raise InvalidInput("the recipient is not a contact of any partner here.",
                                   field="to", hint="Add them to a partner's contacts first.")
            if ag.kind == "buying":
                from kithbook.services.economics_settlements import send_in

                return send_in(self.svc, j, row, ag, person, parties, days)
            return self.svc.links.issue_in(
                j, STATEMENT.name, row.id, person,
                context={"alliance": ag.alliance_id, "partner": parties[0]}, days=days,
                intro=f"Here is the statement {ag.name}, period {row.period}, for you to "
                "check.")

    @use_case()
    def statement_file(self, agreement: str, period: str | None = None,
                       party: str | None = None, format: str = "html") -> StatementFile:
        """The statement as a printable HTML page, CSV or JSON, with every input."""
        from kithbook.io import statement_export as ex

        fmt = choice(format, ("html", "csv", "json"), "format")
        view = self.statement(agreement, period, party)
        base = f"{view.agreement}-{view.label}" + (f"-{view.party}" if view.party else "")
        safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in base)
        if fmt == "csv":
            return StatementFile(view.id, safe + ".csv", "text/csv", ex.to_csv(view))
        if fmt == "json":
            return StatementFile(view.id, safe + ".json", "application/json", ex.to_json(view))
        return StatementFile(view.id, safe + ".html", "text/html", ex.to_html(view))

    # -- a partner's own report ------------------------------------------------------------

    @use_case(writes=True)
    def reconcile(self, agreement: str, period: str, party: str,
                  lines: builtins.list[ReportLineIn], *, source: str = "report",
                  dry_run: bool = False) -> ReconciliationView:
        """Reconcile a partner's own report with our statement, line by line, each
        difference named; a preview unless kept (`dry_run=False`)."""
        theirs = []
        for i, ln in enumerate(lines, 1):
            if not (ln.key or "").strip():
                raise InvalidInput(f"line {i} has no key (reference or product).",
                                   field="lines")
            theirs.append(rc.ReportLine(
                ln.key.strip(), money(ln.units, "units", allow_negative=True),
                money(ln.net, "net", allow_negative=True),
                money(ln.royalty, "royalty", allow_negative=True)))
        with self.svc.db.read() as conn:
            key = self.agreement_key(conn, agreement, "royalty")
            row = st.agreement(conn, key)
            terms: ry.RoyaltyTerms = self.terms_of(row)
            p = self._period(terms, period)
            who = self.party_name(conn, row.alliance_id, party)
            ledger = st.ledger(conn, key)
            s = self._compute(terms, ledger, p)[-1]
            r = rc.reconcile(rc.our_lines(s, ledger, terms.currency), theirs, terms.currency,
                             terms.basis)
        rid = "preview"
        if not dry_run:
            rid = ids.new_id("report")
            with self.write("money reconcile") as j:
                st.insert_report(j, {"public_id": rid, "agreement_id": key, "period": p,
                                     "party": who, "source": source[:300],
                                     "lines": st.encode(theirs)})
        return ReconciliationView(
            id=rid, name=f"{row.name}, {pd.label(terms.start, terms.period_months, p)}: "
            f"{who}'s report", agreement_id=row.public_id, period=p, party=who, source=source,
            verdict=r.verdict, agrees=r.agrees,
            differences=[LineDifference(d.key, d.explain, d.kind, d.ours, d.theirs, d.delta)
                         for d in r.differences],
            pairs=[LinePair(x.key, x.status, _figures(x.ours), _figures(x.theirs))
                   for x in r.pairs], totals=list(r.totals), kept=not dry_run)


def _figures(line: rc.ReportLine | None) -> ReportFigures | None:
    return None if line is None else ReportFigures(line.units, line.net, line.royalty,
                                                   line.sources)
