"""A private response link for one person asked in a survey (docs/private-links.md;
docs/networking-craft.md, "Wisdom of crowds"): the page shows the one question and
takes one answer, which lands on the survey and on that person's record as if typed in,
marked as answered through the link. No account needed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from kithbook.errors import Conflict
from kithbook.services import links
from kithbook.services.links import LinkField, LinkPage, LinkRow
from kithbook.store import craft_crowds as st
from kithbook.store import people as st_people
from kithbook.store.journal import Journal

if TYPE_CHECKING:
    from kithbook.services.app import Services

_FIELD = {
    "estimate": ("Your estimate (a number)", "number"),
    "choice": ("Your answer", "choice"),
    "open": ("Your answer", "text"),
}


@dataclass(frozen=True)
class SurveyPurpose:
    name: str = "craft_survey"
    label: str = "answer a one-question survey"
    subject_kind: str = "survey"
    anonymous: bool = False

    def page(self, svc: Services, conn: Connection, link: LinkRow) -> LinkPage:
        survey = st.surveys(conn, [link.subject_key])[0]
        me = st_people.me_key(conn)
        asker = st_people.ref_by_key(conn, me).name if me else "Someone you know"
        label, kind = _FIELD.get(survey.kind, _FIELD["open"])
        field = LinkField("answer", label, kind, required=True,
                          choices=tuple(survey.choices) if kind == "choice" else ())
        lines = (f"{asker} asks you one question:", survey.name,
                 "Your answer goes to them alone, with your name.")
        return LinkPage("One question", asker, lines, (field,), "Send my answer")

    def apply(self, svc: Services, j: Journal, link: LinkRow, answer: dict[str, Any]) -> str:
        survey = st.surveys(j.conn, [link.subject_key])[0]
        if survey.closed:
            raise Conflict("this survey is closed: answers are no longer taken.",
                           hint="Thank you all the same.")
        assert link.person_key is not None
        svc.surveys.record_in(j, link.subject_key, link.person_key,
                              str(answer.get("answer") or ""), via="link")
        return "Thank you: your answer was recorded."


SURVEY = links.register(SurveyPurpose())
