"""The agenda's claims to verify and surveys to send or close (domain/craft_agenda.py),
with fixed inputs: when each is due, its score, and when it is not."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from kithbook.cli.next_steps import agenda_command
from kithbook.domain import craft_agenda as rules
from kithbook.domain.models import PersonRef

TODAY = date(2026, 11, 27)
ANA = PersonRef("per_ana", "Ana Silva", 7)


def claim(said: date, **kw: object) -> rules.ClaimFact:
    return rules.ClaimFact("clm_1", "Budget approved for Q1", ANA, said, **kw)  # type: ignore[arg-type]


def test_a_claim_is_due_once_it_is_two_weeks_old() -> None:
    assert rules.claim_item(claim(TODAY - timedelta(days=13)), today=TODAY) is None
    item = rules.claim_item(claim(TODAY - timedelta(days=14)), today=TODAY)
    assert item is not None
    assert (item.kind, item.id, item.subject_id, item.score) == (
        "verify_claim", "per_ana", "clm_1", 25.0)
    assert item.due == TODAY and item.days_late == 0
    assert '"Budget approved for Q1" on 2026-11-13, 14 days ago' in item.why
    assert agenda_command(item).startswith("kithbook claim check clm_1 verified|false")
    # a point a week past the two weeks, up to five
    assert rules.claim_item(claim(TODAY - timedelta(days=28)), today=TODAY).score == 27.0  # type: ignore[union-attr]
    old = rules.claim_item(claim(TODAY - timedelta(days=400)), today=TODAY)
    assert old is not None and old.score == 30.0 and old.days_late == 386


def test_a_claim_is_due_before_a_meeting_today_or_tomorrow() -> None:
    fresh = TODAY - timedelta(days=2)
    today = rules.claim_item(claim(fresh, meeting_on=TODAY, meeting="Coffee", tier="A"),
                             today=TODAY)
    assert today is not None and today.score == 61.0 and today.due == TODAY
    assert today.why.startswith("You meet them today (Coffee);") and "2026-11-25" in today.why
    tomorrow = rules.claim_item(claim(fresh, meeting_on=TODAY + timedelta(days=1)),
                                today=TODAY)
    assert tomorrow is not None and "tomorrow" in tomorrow.why and tomorrow.score == 58.5
    # a meeting further ahead (or gone) does not make a fresh claim due
    assert rules.claim_item(claim(fresh, meeting_on=TODAY + timedelta(days=2)),
                            today=TODAY) is None
    assert rules.claim_item(claim(fresh, meeting_on=TODAY - timedelta(days=1)),
                            today=TODAY) is None
    # an old claim before a meeting is the meeting's item, once
    old = rules.claim_item(claim(TODAY - timedelta(days=60), meeting_on=TODAY), today=TODAY)
    assert old is not None and old.score == 58.5 and old.days_late == 0


def test_checked_claims_and_claims_dated_ahead_are_not_due() -> None:
    for status in ("verified", "false"):
        assert rules.claim_item(claim(TODAY - timedelta(days=90), status=status,
                                      meeting_on=TODAY), today=TODAY) is None
    assert rules.claim_item(claim(TODAY + timedelta(days=1), meeting_on=TODAY),
                            today=TODAY) is None


def test_a_long_claim_is_quoted_short() -> None:
    long = rules.ClaimFact("clm_2", "word " * 40, ANA, TODAY - timedelta(days=20))
    item = rules.claim_item(long, today=TODAY)
    assert item is not None and "…" in item.why and len(item.why) < 160


def survey(**kw: object) -> rules.SurveyFact:
    base: dict[str, object] = {"id": "sur_1", "question": "How many trucks in 2027?",
                               "asked": 6, "answered": 4, "unsent": 0,
                               "created_on": TODAY - timedelta(days=30),
                               "last_activity_on": TODAY - timedelta(days=3)}
    return rules.SurveyFact(**{**base, **kw})  # type: ignore[arg-type]


def kinds(s: rules.SurveyFact) -> dict[str, float]:
    return {i.kind: i.score for i in rules.survey_items(s, today=TODAY)}


def test_a_survey_to_send_while_someone_has_no_link_and_no_answer() -> None:
    [item] = rules.survey_items(survey(unsent=2), today=TODAY)
    assert (item.kind, item.id, item.name, item.subject_id, item.score) == (
        "send_survey", "sur_1", "How many trucks in 2027?", "sur_1", 40.0)
    assert item.why.startswith("2 of the 6 people asked have no link and no answer yet")
    assert agenda_command(item) == "kithbook survey send sur_1 PERSON"
    assert kinds(survey(unsent=0)) == {}


def test_a_survey_to_close_when_all_answered_or_nothing_moved_for_two_weeks() -> None:
    assert kinds(survey(answered=6)) == {"close_survey": 32.0}
    [item] = rules.survey_items(survey(answered=6), today=TODAY)
    assert item.why.startswith("All 6 answered.")
    assert "kithbook survey close sur_1" in agenda_command(item)
    quiet = survey(last_activity_on=TODAY - timedelta(days=14))
    [item] = rules.survey_items(quiet, today=TODAY)
    assert item.kind == "close_survey" and "4 of 6 answered; nothing new for 14 days" in item.why
    assert kinds(survey(last_activity_on=TODAY - timedelta(days=13))) == {}
    # quiet, but people still to send to: send first, do not close
    assert kinds(survey(unsent=1, last_activity_on=TODAY - timedelta(days=40))) == {
        "send_survey": 40.0}
    # quiet with no answer at all: nothing to read, nothing to close
    assert kinds(survey(answered=0, last_activity_on=TODAY - timedelta(days=40))) == {}


def test_closed_or_empty_surveys_have_no_item() -> None:
    assert kinds(survey(closed=True, unsent=3)) == {}
    assert kinds(survey(asked=0, answered=0)) == {}


@given(asked=st.integers(0, 30), answered=st.integers(0, 30), unsent=st.integers(0, 30),
       quiet=st.integers(0, 100))
def test_survey_items_are_consistent(asked: int, answered: int, unsent: int,
                                     quiet: int) -> None:
    answered, unsent = min(answered, asked), min(unsent, asked - min(answered, asked))
    got = kinds(survey(asked=asked, answered=answered, unsent=unsent,
                       last_activity_on=TODAY - timedelta(days=quiet)))
    assert ("send_survey" in got) == (asked > 0 and unsent > 0)
    if "close_survey" in got:
        assert answered > 0 and (answered == asked or (unsent == 0 and quiet >= 14))
    if asked and answered == asked:
        assert got == {"close_survey": 32.0}
