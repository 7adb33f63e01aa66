"""The alliance's uses of private response links (docs/private-links.md): a partner's
contact confirms or disputes a goal, a decision or an action plan, or answers a health
check, without an account. The page shows the item and nothing else."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from kithbook.domain.alliances.facts import DIMENSION_LABELS, DIMENSIONS
from kithbook.errors import Conflict, InvalidInput
from kithbook.services import links
from kithbook.services.alliance_base import AllianceBase
from kithbook.services.catalog import use_case
from kithbook.services.links import IssuedLink, LinkField, LinkInfo, LinkPage, LinkRow
from kithbook.store import alliance_items as st_items
from kithbook.store import alliances as st_all
from kithbook.store import people as st_people
from kithbook.store import schema_alliances as a
from kithbook.store.journal import Journal

if TYPE_CHECKING:
    from kithbook.services.app import Services


def _us_name(conn: Connection, alliance_key: int) -> str:
    return st_all.us_org_name(conn, alliance_key) or "your partner"


@dataclass(frozen=True)
class ConfirmPurpose:
    """Confirm or dispute a goal, or a decision or action plan."""

    name: str
    label: str
    subject_kind: str
    anonymous: bool = False

    def _row(self, conn: Connection, link: LinkRow) -> Any:
        table = a.alliance_goals if self.subject_kind == "goal" else a.alliance_decisions
        return st_items.item_row(conn, table, link.subject_key)

    def page(self, svc: Services, conn: Connection, link: LinkRow) -> LinkPage:
        row = self._row(conn, link)
        alliance = st_all.alliance_name(conn, row.alliance_id)
        owner = st_all.partner_org_name(conn, row.partner_id)
        if self.subject_kind == "goal":
            title = f"A goal of {owner}"
            lines = (f"In the alliance {alliance}, {owner} states this goal:", row.text,
                     "Do you, for your organization, confirm it as a shared understanding?")
            question = "Your answer"
        else:
            kind = "action plan" if row.kind == "action_plan" else (
                "review outcome" if row.kind == "review" else "decision")
            title = f"A {kind} to confirm"
            lines = (f"In the alliance {alliance}, {owner} recorded this {kind}"
                     + (f" on {row.decided_on}" if row.decided_on else "") + ":",
                     row.text + (f" (outcome: {row.outcome})" if row.outcome else ""),
                     "Does it match what was agreed?")
            question = "Your answer"
        return LinkPage(title, _us_name(conn, row.alliance_id), lines,
                        links.verdict_fields(question), "Send my answer")

    def apply(self, svc: Services, j: Journal, link: LinkRow, answer: dict[str, Any]) -> str:
        row = self._row(j.conn, link)
        result = svc.alliance_work.confirm_in(
            j, row.alliance_id, row.public_id, int(link.context["partner"]),
            answer["verdict"], answer.get("comment"), link.person_key, "link")
        return f"Thank you: your answer ({answer['verdict']}) was recorded. {result.name}"


@dataclass(frozen=True)
class CheckPurpose:
    """Answer a health check: rate each dimension 1-5, anonymously."""

    name: str = "alliance_check"
    label: str = "answer a short alliance health check"
    subject_kind: str = "check"
    anonymous: bool = True

    def page(self, svc: Services, conn: Connection, link: LinkRow) -> LinkPage:
        row = st_items.item_row(conn, a.alliance_checks, link.subject_key)
        alliance = st_all.alliance_name(conn, row.alliance_id)
        fields = tuple(LinkField(d, DIMENSION_LABELS[d].capitalize(), "rating", True,
                                 help="1 = poor, 5 = excellent") for d in DIMENSIONS)
        return LinkPage(
            f"Health check: {alliance}", _us_name(conn, row.alliance_id),
            (f"How is the alliance {alliance} going, as you see it? Rate each point from 1 "
             "(poor) to 5 (excellent).",
             f"Your answer is anonymous: it is shown only together with at least "
             f"{row.min_group} answers from your organization, never on its own."),
            (*fields, LinkField("comment", "Anything to add (optional)", "text")),
            "Send my ratings")

    def apply(self, svc: Services, j: Journal, link: LinkRow, answer: dict[str, Any]) -> str:
        ratings = {d: int(answer[d]) for d in DIMENSIONS if d in answer}
        svc.alliance_measures.rate_in(j, link.subject_key, int(link.context["partner"]),
                                      ratings, answer.get("comment"))
        return "Thank you: your ratings were recorded anonymously."


GOAL = links.register(ConfirmPurpose("alliance_goal", "confirm or dispute a goal", "goal"))
DECISION = links.register(ConfirmPurpose("alliance_decision",
                                         "confirm or dispute a decision", "decision"))
CHECK = links.register(CheckPurpose())


class AllianceLinkService(AllianceBase):
    @use_case(writes=True)
    def send(self, alliance: str, item: str, to: str, *, days: int = links.DEFAULT_DAYS
             ) -> IssuedLink:
        """A private link for one partner contact to confirm a goal or a decision, or to
        answer a health check; with a plain e-mail text to paste."""
        text = (item or "").strip().lower()
        with self.write("ally send link") as j:
            key = self.alliance_key(j.conn, alliance)
            person = self.person_key(j.conn, to)
            parties = st_all.contacts_of_person(j.conn, key, person)
            if not parties and person == st_people.me_key(j.conn):
                parties = [self.partner_key(j.conn, key, "us")]
            if not parties:
                raise InvalidInput("the recipient is not a contact of any partner here.",
                                   field="to", hint="Add them to a partner's contacts first.")
            partner = parties[0]
            name = st_all.alliance_name(j.conn, key)
            if text.startswith("chk_"):
                subject = self.row_key(j.conn, a.alliance_checks, key, text, "health check")
                purpose, intro = CHECK.name, f"We are taking stock of our alliance {name}."
            else:
                kind, subject = self.svc.alliance_work.item_key(j.conn, key, text)
                table = a.alliance_goals if kind == "goal" else a.alliance_decisions
                owner = st_items.owner_partner(j.conn, table, subject)
                if owner == partner:
                    raise Conflict(f"the recipient's own organization recorded this {kind}; "
                                   "send it to someone of another partner.")
                purpose = GOAL.name if kind == "goal" else DECISION.name
                intro = f"For our alliance {name}, we keep every agreement confirmed on both " \
                        "sides."
            return self.svc.links.issue_in(j, purpose, subject, person,
                                           context={"alliance": key, "partner": partner},
                                           days=days, intro=intro)

    @use_case()
    def list(self, alliance: str) -> builtins.list[LinkInfo]:
        """The links sent for this alliance, newest first."""
        with self.svc.db.read() as conn:
            key = self.alliance_key(conn, alliance, archived=True)
            from kithbook.store import links as st_links

            mine = [r.public_id for r in st_links.rows(conn, limit=10_000)
                    if r.purpose in (GOAL.name, DECISION.name, CHECK.name)
                    and (r.context or {}).get("alliance") == key]
        return [self.svc.links.get(pid) for pid in mine]
