"""The wisdom of crowds: surveys (one question to a segment of my network, answers on
each person's timeline, typed in or through a private link, aggregates, a thank-you
list) and idea tests (a panel, structured feedback, a verdict)
(docs/networking-craft.md)."""

from __future__ import annotations

import builtins
from datetime import datetime
from decimal import Decimal
from typing import Any

from kithbook import ids
from kithbook.domain import ideas as idea_rules
from kithbook.domain import surveys as rules
from kithbook.domain.craft_records import Idea, Survey, SurveyResults
from kithbook.domain.models import Page
from kithbook.errors import Conflict, InvalidInput, NotFound
from kithbook.services.catalog import use_case
from kithbook.services.craft_base import CraftBase, clean, parsed
from kithbook.services.links import IssuedLink
from kithbook.services.resolve import PersonLike
from kithbook.store import craft_crowds as st
from kithbook.store import people as st_people
from kithbook.store import schema_craft as c
from kithbook.store.craft import insert
from kithbook.store.journal import Journal

MAX_SEGMENT = 2000


class SurveyService(CraftBase):
    @use_case(writes=True)
    def create(self, question: str, *, kind: str = "estimate",
               choices: builtins.list[str] | None = None, tag: str | None = None,
               tier: str | None = None, org: str | None = None, stage: str | None = None,
               people: builtins.list[PersonLike] | None = None) -> Survey:
        """A one-question survey put to a segment of my network (by tag, tier,
        organization, stage, or people named)."""
        text = clean(question, "question", required=True, limit=1000)
        if kind not in rules.KINDS:
            raise InvalidInput(f"'{kind}' is not a kind (estimate, choice, open).",
                               field="kind")
        offered = rules.parse_choices(choices or [])
        if kind == "choice" and len(offered) < 2:
            raise InvalidInput("a choice question needs at least two choices.",
                               field="choices")
        filters = {k: v for k, v in (("tag", tag), ("tier", tier), ("org", org),
                                     ("stage", stage)) if v}
        if not filters and not people:
            raise InvalidInput("who is asked? Name a segment (tag, tier, organization, "
                               "stage) or people.", field="tag")
        segment = ", ".join(f"{k} {v}" for k, v in filters.items())
        if people:
            segment = ", ".join(x for x in (segment, f"{len(people)} named") if x)
        with self.write("survey create") as j:
            keys: list[int] = []
            if filters:
                found = self.svc.people.list(tag=tag, tier=tier, org=org, stage=stage,
                                             limit=MAX_SEGMENT).items
                keys += [p.key for p in found if not p.is_me]
            if people:
                keys += self.svc.resolve.person_keys(j.conn, people)
            keys = list(dict.fromkeys(keys))
            if not keys:
                raise NotFound("nobody is in that segment.", field="tag",
                               hint="Check the tag, tier or organization.")
            key = insert(j, c.surveys, {
                "public_id": ids.new_id("survey"), "question": text, "kind": kind,
                "choices": offered if kind == "choice" else [], "segment": segment,
                "created_at": j.now})
            for k in keys:
                insert(j, c.survey_asks, {"survey_id": key, "person_id": k,
                                          "asked_at": j.now})
            return st.surveys(j.conn, [key])[0]

    @use_case()
    def list(self) -> Page[Survey]:
        """Surveys, newest first, with how many were asked and answered."""
        with self.svc.db.read() as conn:
            items = st.surveys(conn)
        return Page(total=len(items), items=items)

    def record_in(self, j: Journal, survey_key: int, person_key: int, answer: str, *,
                  via: str) -> None:
        """Inside a write: one person's answer (typed in, or through a link)."""
        survey = st.surveys(j.conn, [survey_key])[0]
        text = clean(answer, "answer", required=True, limit=2000)
        assert text is not None
        value: Decimal | None = None
        if survey.kind == "estimate":
            value = parsed(rules.parse_estimate, text, "answer")
        elif survey.kind == "choice":
            picked = rules.match_choice(text, survey.choices)
            if picked is None:
                raise InvalidInput(f"'{text}' is not one of the choices: "
                                   f"{', '.join(survey.choices)}.", field="answer")
            text = picked
        row = st.ask_row(j.conn, survey_key, person_key)
        values = {"answer": text, "value": value, "answered_at": j.now, "answered_via": via}
        if row is None:
            insert(j, c.survey_asks, {"survey_id": survey_key, "person_id": person_key,
                                      "asked_at": j.now, **values})
        else:
            j.update(c.survey_asks, row.id, values)

    @use_case(writes=True)
    def answer(self, survey: str, person: PersonLike, answer: str) -> SurveyResults:
        """Record someone's answer (a number, a choice, or words)."""
        with self.write("survey answer") as j:
            key = self.record_key(j.conn, c.surveys, survey, what="survey",
                                  name_column="question")
            pkey = self.svc.resolve.person_key(j.conn, person)
            self.record_in(j, key, pkey, answer, via="typed")
            return self._results(j.conn, key)

    @use_case(writes=True)
    def send(self, survey: str, to: PersonLike, *, days: int = 14) -> IssuedLink:
        """A private link for one person asked in the survey to answer it; no account
        needed (shown once: send it yourself)."""
        from kithbook.services.craft_survey_links import SURVEY

        with self.write("survey send") as j:
            key = self.record_key(j.conn, c.surveys, survey, what="survey",
                                  name_column="question")
            found = st.surveys(j.conn, [key])[0]
            if found.closed:
                raise Conflict("this survey is closed.", hint="Start a new one.")
            pkey = self.svc.resolve.person_key(j.conn, to)
            if st.ask_row(j.conn, key, pkey) is None:
                raise InvalidInput("they are not asked in this survey.", field="to",
                                   hint="Send it to someone in its segment.")
            return self.svc.links.issue_in(
                j, SURVEY.name, key, pkey, days=days,
                intro=f"I am asking a few people one question: {found.name}")

    @use_case(writes=True)
    def thank(self, survey: str, person: PersonLike) -> SurveyResults:
        """Record that I thanked a respondent."""
        with self.write("survey thank") as j:
            key = self.record_key(j.conn, c.surveys, survey, what="survey",
                                  name_column="question")
            pkey = self.svc.resolve.person_key(j.conn, person)
            row = st.ask_row(j.conn, key, pkey)
            if row is None or row.answered_at is None:
                raise Conflict("they have not answered this survey.")
            j.update(c.survey_asks, row.id, {"thanked_at": j.now})
            return self._results(j.conn, key)

    @use_case(writes=True)
    def close(self, survey: str) -> Survey:
        """Close a survey: no more answers, it leaves the brief's questions."""
        with self.write("survey close") as j:
            key = self.record_key(j.conn, c.surveys, survey, what="survey",
                                  name_column="question")
            j.update(c.surveys, key, {"closed_at": j.now})
            return st.surveys(j.conn, [key])[0]

    @use_case()
    def results(self, survey: str) -> SurveyResults:
        """What the crowd said: median, spread and outliers, or tallies; who has not
        answered (and of those, who has no link yet); whom to thank."""
        with self.svc.db.read() as conn:
            key = self.record_key(conn, c.surveys, survey, what="survey",
                                  name_column="question")
            return self._results(conn, key)

    def _results(self, conn: Any, key: int) -> SurveyResults:
        survey = st.surveys(conn, [key])[0]
        rows = st.asks(conn, key)
        answered = st.answers(conn, rows)
        refs = st_people.refs_by_keys(conn, [r.person_id for r in rows])
        out = SurveyResults(id=survey.id, name=survey.name, survey=survey, answers=answered)
        if survey.kind == "estimate":
            by_id = {r.id: r for r in refs.values()}
            out.estimates = rules.summarize_estimates([
                rules.EstimateAnswer(by_id[a.id], a.value) for a in answered
                if a.value is not None])
        elif survey.kind == "choice":
            out.tallies = rules.tally_choices(survey.choices,
                                              [a.answer or "" for a in answered])
        out.waiting = [refs[r.person_id] for r in rows if r.answered_at is None]
        out.to_thank = [refs[r.person_id] for r in rows
                        if r.answered_at is not None and r.thanked_at is None]
        out.unsent = [refs[k] for k in st.unsent_people(conn, key) if k in refs]
        return out

    # -- idea tests ---------------------------------------------------------------------

    @use_case(writes=True)
    def idea(self, title: str, *, text: str | None = None) -> Idea:
        """An idea to put to a panel."""
        name = clean(title, "title", required=True, limit=300)
        with self.write("idea add") as j:
            key = insert(j, c.ideas, {"public_id": ids.new_id("idea"), "title": name,
                                      "text": clean(text, "text", lines=True),
                                      "created_at": j.now})
            return self._idea(j.conn, key)

    @use_case(writes=True)
    def feedback(self, idea: str, person: PersonLike, *, interest: int, would_use: int,
                 clarity: int, liked: str | None = None, worries: str | None = None) -> Idea:
        """A panelist's feedback: interest, would use, clarity (1-5), liked, worries."""
        for name, v in (("interest", interest), ("would_use", would_use),
                        ("clarity", clarity)):
            if not 1 <= v <= 5:
                raise InvalidInput(f"{name.replace('_', ' ')} is from 1 to 5.", field=name)
        with self.write("idea feedback") as j:
            key = self.record_key(j.conn, c.ideas, idea, what="idea", name_column="title")
            pkey = self.svc.resolve.person_key(j.conn, person)
            insert(j, c.idea_feedback, {
                "idea_id": key, "person_id": pkey, "interest": interest,
                "would_use": would_use, "clarity": clarity, "liked": clean(liked, "liked"),
                "worries": clean(worries, "worries"), "created_at": j.now})
            return self._idea(j.conn, key)

    @use_case(writes=True)
    def set_verdict(self, idea: str, verdict: str | None) -> Idea:
        """Set the verdict by hand (go, refine, drop), or clear it to compute it."""
        if verdict and verdict not in idea_rules.VERDICTS:
            raise InvalidInput(f"'{verdict}' is not a verdict (go, refine, drop).",
                               field="verdict")
        with self.write("idea verdict") as j:
            key = self.record_key(j.conn, c.ideas, idea, what="idea", name_column="title")
            j.update(c.ideas, key, {"verdict": verdict or None})
            return self._idea(j.conn, key)

    @use_case()
    def ideas(self) -> Page[Idea]:
        """Idea tests with their verdicts."""
        with self.svc.db.read() as conn:
            keys = st.live_idea_keys(conn)
            items = [self._idea(conn, k) for k in keys]
        return Page(total=len(items), items=items)

    def _idea(self, conn: Any, key: int) -> Idea:
        row = st.idea_row(conn, key)
        shown, facts = st.idea_feedback(conn, key)
        return Idea(id=row.public_id, name=row.title, text=row.text,
                    verdict=idea_rules.verdict(facts, manual=row.verdict), feedback=shown)


def answered_at(results: SurveyResults) -> dict[str, datetime | None]:
    return {a.id: a.answered_at for a in results.answers}
