"""The craft of networking on the daily agenda (domain/craft_agenda.py through
services/agenda.py): the brief before today's meeting, the plan for tomorrow's event,
thanking a referrer, thanking a survey respondent, asking for a referral after a kept
promise; each item leaves once it is done. On SQLite and PostgreSQL; `today --json`."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from kithbook.cli.main import app
from kithbook.cli.next_steps import agenda_command
from kithbook.services.interactions import NewInteraction
from kithbook.services.people import NewPerson

TODAY = date(2026, 11, 27)  # the svc fixture's --as-of


def _craft_day(svc: Any) -> dict[str, Any]:
    svc.people.set_me("Robin Owner")
    p = {n: svc.people.add(NewPerson(name=n, tier=t)) for n, t in (
        ("Maria Lopez", "A"), ("Sam Chen", "B"), ("Lee Park", None), ("Ada Byron", None))}
    # a meeting later today (logged ahead; --as-of is noon), one this morning, one yesterday
    svc.interactions.log(NewInteraction(with_people=["Maria Lopez"], channel="meeting",
                                        when=datetime(2026, 11, 27, 15, 30, tzinfo=UTC),
                                        summary="Coffee at the expo"))
    svc.interactions.log(NewInteraction(with_people=["Lee Park"], channel="call",
                                        when=datetime(2026, 11, 27, 8, 0, tzinfo=UTC),
                                        summary="Morning call, already past"))
    svc.interactions.log(NewInteraction(with_people=["Ada Byron"], channel="meeting",
                                        when=datetime(2026, 11, 26, 9, 0, tzinfo=UTC),
                                        summary="Yesterday's lunch"))
    ev = svc.research.add_event("Port Expo", date(2026, 11, 28), kind="fair", at="09:30",
                                place="Hall 1")
    svc.research.attend(ev.id, "Sam Chen", plan=True, opener="ask about rail")
    ref = svc.referrals.add("Sam Chen", "Lee Park", on=date(2026, 11, 20))
    s = svc.surveys.create("How many trucks?", people=["Lee Park", "Ada Byron"])
    svc.surveys.answer(s.id, "Lee Park", "40")
    pr = svc.promises.make("send the deck", to="Ada Byron")
    svc.promises.close(pr.id, "done")
    return {"people": p, "event": ev, "referral": ref, "survey": s}


def _by_kind(agenda: Any) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for i in agenda.items:
        out.setdefault(i.kind, []).append(i)
    return out


def test_craft_items_on_the_agenda_and_off_when_done(svc: Any) -> None:
    day = _craft_day(svc)
    maria, sam = day["people"]["Maria Lopez"], day["people"]["Sam Chen"]
    got = _by_kind(svc.agenda.today(50))

    [meeting] = got["meeting"]
    assert meeting.id == maria.id and "15:30" in meeting.why and "Coffee" in meeting.why
    assert meeting.action == "Read their brief before you go." and meeting.score == 91.0
    assert agenda_command(meeting) == f"kithbook brief {maria.id}"

    [plan] = got["event_plan"]
    assert plan.id == sam.id and plan.subject_id == day["event"].id
    assert "Port Expo tomorrow at 09:30, Hall 1" in plan.why and "ask about rail" in plan.why
    assert plan.score == 51.0  # 52 - rank 1

    [thank] = got["thank_referrer"]
    assert thank.id == sam.id and thank.subject_id == day["referral"].id
    assert thank.days_late == 5 and thank.score == 55.0

    [resp] = got["thank_respondent"]
    assert resp.name == "Lee Park" and resp.subject_id == day["survey"].id

    [ask] = got["ask_referral"]
    assert ask.name == "Ada Byron" and "send the deck" in ask.why
    assert svc.agenda.today(50).counts.get("meeting") == 1

    svc.referrals.thank(day["referral"].id)
    svc.surveys.thank(day["survey"].id, "Lee Park")
    svc.referrals.asked("Ada Byron")
    svc.research.met_at(day["event"].id, "Sam Chen")
    left = _by_kind(svc.agenda.today(50))
    for kind in ("event_plan", "thank_referrer", "thank_respondent", "ask_referral"):
        assert kind not in left, (kind, left.get(kind))
    assert "meeting" in left

    svc.referrals.outcome(day["referral"].id, "won", value="500")
    [report] = _by_kind(svc.agenda.today(50))["report_back"]
    assert report.id == sam.id and "won" in report.why

    lunch = svc.research.add_event("Lunch with Ada", TODAY, kind="meeting", at="13:00")
    svc.research.attend(lunch.id, "Ada Byron")
    meetings = {i.name: i for i in _by_kind(svc.agenda.today(50))["meeting"]}
    assert set(meetings) == {"Maria Lopez", "Ada Byron"}
    assert meetings["Ada Byron"].subject_id == lunch.id
    assert "at 13:00: Lunch with Ada" in meetings["Ada Byron"].why


def test_meeting_day_is_the_local_day(tmp_path: Path) -> None:
    """In Berlin, 22:30 UTC on the 27th is still the 27th, 23:30 UTC is the 28th."""
    from kithbook.config import Config
    from kithbook.services.app import Services

    svc = Services.open(Config(db=f"sqlite:///{tmp_path / 'k.db'}", as_of=TODAY,
                               timezone="Europe/Berlin"))
    try:
        svc.people.set_me("Robin Owner")
        svc.people.add(NewPerson(name="Maria Lopez"))
        svc.people.add(NewPerson(name="Sam Chen"))
        svc.interactions.log(NewInteraction(with_people=["Maria Lopez"], channel="call",
                                            when=datetime(2026, 11, 27, 22, 30, tzinfo=UTC)))
        svc.interactions.log(NewInteraction(with_people=["Sam Chen"], channel="call",
                                            when=datetime(2026, 11, 27, 23, 30, tzinfo=UTC)))
        [m] = _by_kind(svc.agenda.today(20))["meeting"]
        assert m.name == "Maria Lopez" and "at 23:30" in m.why
    finally:
        svc.close()


def test_today_json_carries_the_craft_items(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "kb.db")

    def kb(*args: str) -> str:
        res = runner.invoke(app, ["--db", db, "--as-of", "2026-11-27", *args],
                            env={"COLUMNS": "250"})
        assert res.exit_code == 0, (args, res.output, res.exception)
        return res.output

    kb("me", "Ann Owner")
    kb("add", "person", "Sam Chen")
    kb("add", "person", "Lee Park")
    kb("referral", "add", "Sam Chen", "Lee Park")
    items = json.loads(kb("--json", "today"))
    [thank] = [i for i in items if i["kind"] == "thank_referrer"]
    assert thank["name"] == "Sam Chen" and thank["id"].startswith("per_")
    assert "kithbook" not in thank["action"]  # the product's words; the CLI adds:
    shown = kb("today")
    assert "thank a referrer" in shown and f"kithbook referral thank {thank['subject_id']}" in shown


def test_claims_to_verify_and_surveys_to_send_or_close(svc: Any) -> None:
    """A stale claim and one before tomorrow's event; a survey with someone not sent a
    link, then everyone answered: each item comes and goes with the records."""
    from datetime import timedelta

    svc.people.set_me("Robin Owner")
    for n, t in (("Maria Lopez", "A"), ("Sam Chen", None), ("Lee Park", None)):
        svc.people.add(NewPerson(name=n, tier=t))
    old = svc.honesty.claim("Sam Chen", "Their fleet doubles next year",
                            on=TODAY - timedelta(days=20))
    fresh = svc.honesty.claim("Maria Lopez", "Budget approved for Q1",
                              on=TODAY - timedelta(days=2))
    svc.honesty.claim("Lee Park", "Checked already", on=TODAY - timedelta(days=90),
                      status="verified", source="press")
    got = _by_kind(svc.agenda.today(50))
    [stale] = got["verify_claim"]
    assert stale.name == "Sam Chen" and stale.subject_id == old.id
    assert stale.score == 25.0 and stale.days_late == 6

    ev = svc.research.add_event("Port Expo", TODAY + timedelta(days=1), kind="fair")
    svc.research.attend(ev.id, "Maria Lopez")
    claims = {i.subject_id: i for i in _by_kind(svc.agenda.today(50))["verify_claim"]}
    assert set(claims) == {old.id, fresh.id}
    assert claims[fresh.id].score == 61.0 and "tomorrow (Port Expo)" in claims[fresh.id].why
    svc.honesty.check_claim(fresh.id, "verified", source="their CFO")
    svc.honesty.check_claim(old.id, "false")
    assert "verify_claim" not in _by_kind(svc.agenda.today(50))

    s = svc.surveys.create("How many trucks?", people=["Maria Lopez", "Sam Chen", "Lee Park"])
    [send] = _by_kind(svc.agenda.today(50))["send_survey"]
    assert send.id == s.id and send.name == "How many trucks?"
    assert send.why.startswith("3 of the 3 people asked")
    svc.surveys.send(s.id, "Maria Lopez")
    svc.surveys.answer(s.id, "Sam Chen", "40")
    [send] = _by_kind(svc.agenda.today(50))["send_survey"]
    assert send.why.startswith("1 of the 3")
    assert [r.name for r in svc.surveys.results(s.id).unsent] == ["Lee Park"]
    svc.surveys.send(s.id, "Lee Park")
    got = _by_kind(svc.agenda.today(50))
    assert "send_survey" not in got and "close_survey" not in got
    svc.surveys.answer(s.id, "Maria Lopez", "55")
    svc.surveys.answer(s.id, "Lee Park", "35")
    [close] = _by_kind(svc.agenda.today(50))["close_survey"]
    assert close.id == s.id and close.why.startswith("All 3 answered.")
    svc.surveys.close(s.id)
    got = _by_kind(svc.agenda.today(50))
    assert "close_survey" not in got and "send_survey" not in got
