"""Private response links for a partner to confirm or dispute an issued statement: a
royalty statement, or a buying group's settlement for one member (docs/economics.md,
"Statements" and "Settlement statements"; docs/private-links.md). The page shows that
one statement and nothing else (of a settlement: the group's totals and that member's
own figures)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from kithbook.services import links
from kithbook.services.links import LinkPage, LinkRow
from kithbook.store import alliances as st_all
from kithbook.store import economics as st
from kithbook.store.journal import Journal

if TYPE_CHECKING:
    from kithbook.services.app import Services


@dataclass(frozen=True)
class StatementPurpose:
    name: str = "econ_statement"
    label: str = "confirm or dispute a statement"
    subject_kind: str = "statement"
    anonymous: bool = False

    def page(self, svc: Services, conn: Connection, link: LinkRow) -> LinkPage:
        row = st.statement_row(conn, link.subject_key)
        ag = st.agreement(conn, row.agreement_id)
        party = st_all.partner_org_name(conn, int(link.context["partner"]))
        view = svc.economics.statement(ag.public_id, str(row.period))
        lines = [f"Statement {view.name}, {view.start} to {view.end}, in {view.currency}."]
        lines += [f"{ln.label}: {ln.amount if ln.amount is not None else ''} "
                  f"({ln.explain})" for ln in view.lines]
        lines += [f"{p.party}: share {p.share}, paid {p.paid}, still owed {p.closing}"
                  for p in view.parties]
        lines.append(f"Due for the period: {view.due}. Rounding: {view.rounding}.")
        lines.append(f"Does it match your records, for {party}?")
        return LinkPage(f"Statement to check: {view.name}", view.payer, tuple(lines),
                        links.verdict_fields("Your answer"), "Send my answer")

    def apply(self, svc: Services, j: Journal, link: LinkRow, answer: dict[str, Any]) -> str:
        party = st_all.partner_org_name(j.conn, int(link.context["partner"]))
        svc.economics.answer_in(j, link.subject_key, party, answer["verdict"],
                                answer.get("comment"), link.person_key, "link")
        return f"Thank you: your answer ({answer['verdict']}) was recorded for {party}."


STATEMENT = links.register(StatementPurpose())


@dataclass(frozen=True)
class SettlementPurpose:
    name: str = "econ_settlement"
    label: str = "confirm or dispute a buying group's settlement"
    subject_kind: str = "statement"
    anonymous: bool = False

    def page(self, svc: Services, conn: Connection, link: LinkRow) -> LinkPage:
        from kithbook.services.economics_settlements import issued_view, member_page

        view = issued_view(conn, st.statement_row(conn, link.subject_key), svc.now)
        return LinkPage(f"Settlement to check: {view.settlement.group}",
                        st_all.us_org_name(conn, int(link.context["alliance"]))
                        or view.settlement.group,
                        tuple(member_page(view, str(link.context["member"]))),
                        links.verdict_fields("Your answer"), "Send my answer")

    def apply(self, svc: Services, j: Journal, link: LinkRow, answer: dict[str, Any]) -> str:
        member = str(link.context["member"])
        svc.economics.answer_in(j, link.subject_key, member, answer["verdict"],
                                answer.get("comment"), link.person_key, "link")
        return f"Thank you: your answer ({answer['verdict']}) was recorded for {member}."


SETTLEMENT = links.register(SettlementPurpose())
