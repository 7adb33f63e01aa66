"""The craft pages, in process, on SQLite and PostgreSQL: research (targets, events
with their plan, research notes with sources), honesty (claims and their verdicts, what
I told whom with the conflict warning, a person's reliability), surveys (aggregates,
answers, who has not answered, links shown once, thanks, close) and the monthly
time-and-value report with its charts. Forms carry the CSRF token; an error comes back
next to its field with what was typed kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kithbook.services.app import Services
from kithbook.services.people import NewPerson

BASE = "http://127.0.0.1:8765"
SAME = {"origin": BASE, "sec-fetch-site": "same-origin"}
HTML = {"accept": "text/html"}
TODAY = date(2026, 11, 27)


@pytest.fixture
def web(db_url: str) -> Iterator[tuple[TestClient, Services]]:
    from kithbook.config import Config
    from kithbook.web.app import create_app

    app = create_app(Config(db=db_url, as_of=TODAY))
    with TestClient(app, base_url=BASE) as client:
        svc = Services(app.state.db, app.state.config)
        svc.people.set_me("Robin Owner")
        for name, org, tier in (("Maria Lopez", "Acme", "A"), ("Sam Chen", "Globex", "B"),
                                ("Lee Park", "Acme", None), ("Ada Byron", None, None)):
            svc.people.add(NewPerson(name=name, org=org, tier=tier, tags=["port"]))
        yield client, svc


def post(client: TestClient, path: str, data: dict[str, Any]) -> Any:
    token = client.app.state.csrf_token  # type: ignore[attr-defined]
    return client.post(path, data={"csrf_token": token, **data}, headers=SAME,
                       follow_redirects=False)


def page(client: TestClient, path: str) -> str:
    r = client.get(path, headers=HTML)
    assert r.status_code == 200, (path, r.text[:500])
    assert 'class="skip-link" href="#main"' in r.text and '<main id="main"' in r.text
    assert "<script>" not in r.text  # no inline script; nothing loaded from elsewhere
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', r.text)
    return r.text


def text_of(html: str) -> str:
    """The page's words, tags and extra spaces gone."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_craft_pages_are_linked_from_craft(web: tuple[TestClient, Services]) -> None:
    client, _ = web
    craft = page(client, "/craft")
    for href in ("/craft/research", "/craft/honesty", "/craft/surveys", "/craft/time"):
        assert f'href="{href}"' in craft, href
        assert 'aria-current="page"' in page(client, href)


def test_research_targets_events_plan_and_notes(web: tuple[TestClient, Services]) -> None:
    client, svc = web
    assert "No events in the next 90 days." in page(client, "/craft/research")
    r = post(client, "/craft/research/targets", {"who": "Sam Chen", "why": "rail buyers",
                                                 "priority": "high"})
    assert r.status_code == 303 and r.headers["location"].startswith("/craft/research?")
    r = post(client, "/craft/research/events", {"name": "Port Expo", "on": "2026-12-03",
                                                "at": "9:30", "kind": "fair",
                                                "place": "Hall 1"})
    assert r.status_code == 303
    [ev] = svc.research.events().items
    assert (ev.name, ev.on_date, ev.start_time, ev.kind) == (
        "Port Expo", date(2026, 12, 3), "09:30", "fair")
    for who, via, opener in (("Sam Chen", "Maria Lopez", "ask about rail"),
                             ("Lee Park", "", "")):
        r = post(client, f"/craft/research/events/{ev.id}/attendees",
                 {"person": who, "plan": "1", "via": via, "opener": opener})
        assert r.status_code == 303, r.text
    r = post(client, f"/craft/research/events/{ev.id}/attendees",
             {"person": "Ada Byron", "role": "speaker"})
    assert r.status_code == 303
    lee = svc.people.resolve("Lee Park")
    r = post(client, f"/craft/research/events/{ev.id}/met", {"person": lee.id})
    assert r.status_code == 303
    r = post(client, "/craft/research/notes", {
        "about": "Acme", "text": "Tenders every March.\nBudget set in January.",
        "sources": "https://acme.example/tenders\nannual report 2025"})
    assert r.status_code == 303
    words = text_of(page(client, "/craft/research?status=open"))
    for want in ("Sam Chen", "rail buyers", "Port Expo 2026-12-03 09:30, Hall 1",
                 "through Maria Lopez : ask about rail", "Lee Park (met)",
                 "Also there: Ada Byron (speaker)", "Tenders every March.",
                 "Sources: https://acme.example/tenders ; annual report 2025"):
        assert want in words, want
    html = page(client, "/craft/research")
    assert 'href="https://acme.example/tenders" rel="noopener noreferrer"' in html
    sam = svc.people.resolve("Sam Chen")
    assert f'<a href="/people/{sam.id}/brief">Sam Chen</a>' in html
    # the plan in order, through whom, with the opener: as the service has it
    assert [(s.name, s.rank, s.via.name if s.via else None, s.met)
            for s in svc.research.event(ev.id).plan] == [
        ("Sam Chen", 1, "Maria Lopez", False), ("Lee Park", 2, None, True)]

    # errors: next to their field, what was typed kept, the service's status
    r = post(client, "/craft/research/events", {"name": "Dinner", "on": "2026-12-05",
                                                "at": "25:99", "place": "Harbour"})
    assert r.status_code == 422 and 'id="event_at-error"' in r.text
    assert 'value="Harbour"' in r.text and 'value="Dinner"' in r.text
    r = post(client, f"/craft/research/events/{ev.id}/attendees", {"person": "Sam Chn"})
    assert r.status_code == 404 and f'id="attend-{ev.id}_person-error"' in r.text
    assert "Did you mean Sam Chen" in r.text
    r = post(client, "/craft/research/notes", {"about": "Nobody Known", "text": "x"})
    assert r.status_code == 404 and 'id="note_about-error"' in r.text
    r = client.post("/craft/research/notes", data={"about": "Acme", "text": "y"},
                    headers=SAME, follow_redirects=False)
    assert r.status_code == 403
    assert svc.research.notes().total == 1


def test_honesty_claims_verdicts_conflicts_and_reliability(
        web: tuple[TestClient, Services]) -> None:
    client, svc = web
    r = post(client, "/craft/honesty/claims", {"person": "Maria Lopez",
                                               "text": "Budget approved for Q1",
                                               "topic": "budget", "on": "2026-11-02"})
    assert r.status_code == 303
    [claim] = svc.honesty.claims().items
    assert (claim.status, claim.said_on) == ("unknown", date(2026, 11, 2))
    html = page(client, "/craft/honesty")
    assert f'action="/craft/honesty/claims/{claim.id}/check"' in html
    r = post(client, f"/craft/honesty/claims/{claim.id}/check",
             {"status": "false", "source": "their CFO, 25 Nov"})
    assert r.status_code == 303 and f"#claim-{claim.id}" in r.headers["location"]
    [claim] = svc.honesty.claims().items
    assert (claim.status, claim.source, claim.checked_on) == (
        "false", "their CFO, 25 Nov", TODAY)
    words = text_of(page(client, "/craft/honesty"))
    assert 'false "Budget approved for Q1"' in words and "source: their CFO, 25 Nov" in words
    r = post(client, f"/craft/honesty/claims/{claim.id}/check", {"status": "maybe"})
    assert r.status_code == 422 and f'id="check-{claim.id}_status-error"' in r.text

    # what I told whom: the second, different figure warns at once
    r = post(client, "/craft/honesty/told", {"person": "Sam Chen", "topic": "pricing",
                                             "text": "The pilot costs 12 a seat",
                                             "value": "12"})
    assert r.status_code == 303
    r = post(client, "/craft/honesty/told", {"person": "Lee Park", "topic": "Pricing",
                                             "text": "The pilot costs 10 a seat",
                                             "value": "10"})
    assert r.status_code == 200 and 'id="conflict-warning"' in r.text
    warning = text_of(r.text.split('id="conflict-warning"')[1].split("</div>")[0])
    assert "Sam Chen heard" in warning and "Lee Park heard" in warning
    assert len(svc.honesty.conflicts().items) == 1
    assert "No conflicts" not in page(client, "/craft/honesty")
    [newest, _] = svc.honesty.told().items
    r = post(client, f"/craft/honesty/told/{newest.id}/withdraw", {})
    assert r.status_code == 303
    assert svc.honesty.conflicts().items == []
    assert "No conflicts: what you told people agrees." in page(client, "/craft/honesty")

    # one person: their claims, what I told them, their reliability both ways
    for what, by, to in (("send the deck", "Maria Lopez", None),
                         ("call back", "Maria Lopez", None),
                         ("intro to Globex", None, "Maria Lopez")):
        pr = svc.promises.make(what, from_=by, to=to)
        if what != "call back":
            svc.promises.close(pr.id, "done")
    maria = svc.people.resolve("Maria Lopez")
    html = page(client, f"/craft/honesty?person={maria.id}")
    words = text_of(html)
    rel = svc.agenda.reliability(maria.id)
    assert rel.theirs.kept_on_time == 1 and rel.theirs.open == 1
    assert "Maria Lopez's reliability" in words
    assert (f"Their promises to you {rel.theirs.kept_on_time} kept on time "
            f"{rel.theirs.kept_late} kept late {rel.theirs.broken} broken "
            f"{rel.theirs.overdue} overdue {rel.theirs.open} open 100% on time") in words
    assert "Sam Chen heard" not in words and "Budget approved for Q1" in words
    r = client.get("/craft/honesty?person=Maria Lopes", headers=HTML)
    assert r.status_code == 404 and "Did you mean Maria Lopez" in r.text
    # an error on this person's page keeps them chosen
    r = post(client, "/craft/honesty/claims", {"person": "Maria Lopez", "text": "",
                                               "back": maria.id})
    assert r.status_code == 422 and 'id="claim_text-error"' in r.text
    assert "Maria Lopez's reliability" in r.text


def _survey_page(client: TestClient, survey_id: str) -> str:
    return page(client, f"/craft/surveys/{survey_id}")


def test_a_survey_from_the_form_to_its_results(web: tuple[TestClient, Services]) -> None:
    client, svc = web
    assert "No surveys yet" in page(client, "/craft/surveys")
    r = post(client, "/craft/surveys", {"question": "How many trucks in 2027?",
                                        "kind": "estimate", "tag": "port",
                                        "people": "Robin Owner"})
    assert r.status_code == 303, r.text
    [s] = svc.surveys.list().items
    assert r.headers["location"].startswith(f"/craft/surveys/{s.id}?")
    assert s.asked == 5  # the four tagged, and me named
    for who, answer in (("Maria Lopez", "120"), ("Sam Chen", "140"), ("Lee Park", "135"),
                        ("Ada Byron", "900")):
        r = post(client, f"/craft/surveys/{s.id}/answers", {"person": who, "answer": answer})
        assert r.status_code == 303
    res = svc.surveys.results(s.id)
    assert res.estimates is not None and [o.name for o in res.estimates.outliers] == [
        "Ada Byron"]
    html = _survey_page(client, s.id)
    words = text_of(html)
    for want in ("137.5 median", "131.25 – 330 middle half", "198.75 spread (IQR)",
                 "120 – 900 range", "131.6667 mean without outliers", "4 of 5 answered",
                 "Ada Byron 900 (high)"):
        assert want in words, want
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and "median 137.5" in html
    assert "Not answered yet 1" in words and "no link yet" in words

    # links: one for each not sent one yet, each shown once
    r = post(client, f"/craft/surveys/{s.id}/send", {})
    assert r.status_code == 200
    urls = re.findall(r'readonly value="([^"]+/r/[^"]+)"', r.text)
    assert len(urls) == 1 and "1 link made" in r.text
    token = urls[0].rsplit("/r/", 1)[1]
    assert "How many trucks in 2027?" in client.get(f"/r/{token}", headers=HTML).text
    assert svc.surveys.results(s.id).unsent == []
    again = _survey_page(client, s.id)
    assert token not in again and "link sent" in again and "Send links to" not in again
    r = post(client, f"/craft/surveys/{s.id}/send", {"to": "Nobody Known"})
    assert r.status_code == 422 and 'id="send_to-error"' in r.text

    # thanks, then the list empties; close, then no more forms
    for who in ("Maria Lopez", "Sam Chen", "Lee Park", "Ada Byron"):
        person = svc.people.resolve(who)
        r = post(client, f"/craft/surveys/{s.id}/thanks", {"person": person.id})
        assert r.status_code == 303
    assert "Everyone who answered has been thanked." in _survey_page(client, s.id)
    r = post(client, f"/craft/surveys/{s.id}/close", {})
    assert r.status_code == 303
    closed = _survey_page(client, s.id)
    assert f'action="/craft/surveys/{s.id}/answers"' not in closed
    assert f'action="/craft/surveys/{s.id}/send"' not in closed
    r = post(client, f"/craft/surveys/{s.id}/send", {})
    assert r.status_code == 422 and "closed" in r.text


def test_a_choice_survey_tallies_and_form_errors(web: tuple[TestClient, Services]) -> None:
    client, svc = web
    r = post(client, "/craft/surveys", {"question": "Which port grows most?",
                                        "kind": "choice", "choices": "North\nSouth"})
    assert r.status_code == 422 and 'id="survey_tag-error"' in r.text
    assert "Which port grows most?" in r.text and "North\nSouth" in r.text
    r = post(client, "/craft/surveys", {"question": "Which port grows most?",
                                        "kind": "choice", "choices": "North",
                                        "tag": "port"})
    assert r.status_code == 422 and 'id="survey_choices-error"' in r.text
    r = post(client, "/craft/surveys", {"question": "Which port grows most?",
                                        "kind": "choice", "choices": "North\nSouth\nEast",
                                        "tier": "A", "people": "Sam Chen, Lee Park"})
    assert r.status_code == 303
    [s] = svc.surveys.list().items
    for who, answer in (("Maria Lopez", "north"), ("Sam Chen", "South"),
                        ("Lee Park", "North")):
        assert post(client, f"/craft/surveys/{s.id}/answers",
                    {"person": who, "answer": answer}).status_code == 303
    r = post(client, f"/craft/surveys/{s.id}/answers", {"person": "Sam Chen",
                                                        "answer": "West"})
    assert r.status_code == 422 and 'id="answer_answer-error"' in r.text
    assert 'value="West"' in r.text
    html = _survey_page(client, s.id)
    rows = re.findall(r'<tr class="tally"><td>([^<]+)</td><td class="num">(\d+)</td>'
                      r'<td class="num">(\d+)%</td>', html)
    assert rows == [("North", "2", "67"), ("South", "1", "33"), ("East", "0", "0")]
    assert "Answers by choice" in html and "Everyone asked has answered." in html


def test_the_monthly_time_and_value_report(web: tuple[TestClient, Services]) -> None:
    client, svc = web
    svc.timevalue.log_time(90, "meetings", person="Maria Lopez",
                           at=datetime(2026, 11, 10, 9, 0, tzinfo=UTC))
    svc.timevalue.log_time(30, "preparation", person="Sam Chen",
                           at=datetime(2026, 11, 12, 9, 0, tzinfo=UTC))
    svc.timevalue.log_time(60, "events", at=datetime(2026, 11, 20, 18, 0, tzinfo=UTC))
    svc.timevalue.log_time(45, "follow_up", person="Lee Park",
                           at=datetime(2026, 10, 30, 9, 0, tzinfo=UTC))
    svc.timevalue.log_value("deal", amount="1200", person="Maria Lopez",
                            on=date(2026, 11, 15))
    svc.timevalue.log_value("answer", person="Sam Chen", on=date(2026, 11, 16))
    report = svc.timevalue.report("2026-11")
    html = page(client, "/craft/time?month=2026-11")
    words = text_of(html)
    assert report.total_minutes == 180
    for want in ("Time and value 2026-11", "3 h invested", "1,200 value returned",
                 "2 results", "400 returned an hour", "1 h went to no one in particular",
                 "Maria Lopez 1 h 30 1,200 (1) 800", "Sam Chen 30 min (1)",
                 "Acme 1 h 30 1,200 (1)", "deal 1 1,200", "answer 1"):
        assert want in words, want
    assert "Lee Park" not in words  # October's
    for title in ("Time by activity, 2026-11", "Time by person, 2026-11",
                  "Time by organization, 2026-11", "Hours invested, month by month",
                  "Value returned, month by month"):
        assert f'aria-label="{title}"' in html, title
    assert 'href="/craft/time?month=2026-10"' in html and 'value="2026-11"' in html
    assert "?month=2026-12" not in html  # this month is the last one offered
    october = text_of(page(client, "/craft/time?month=2026-10"))
    assert "Lee Park 45 min" in october and "45 min invested" in october
    assert 'href="/craft/time?month=2026-11"' in page(client, "/craft/time?month=2026-10")
    r = client.get("/craft/time?month=November", headers=HTML)
    assert r.status_code == 422 and "month" in r.text.lower()


def test_today_links_claims_to_verify_and_surveys(web: tuple[TestClient, Services]) -> None:
    client, svc = web
    svc.honesty.claim("Sam Chen", "Their fleet doubles", on=date(2026, 10, 1))
    s = svc.surveys.create("How many trucks?", people=["Lee Park"])
    html = page(client, "/")
    sam = svc.people.resolve("Sam Chen")
    assert f'href="/craft/honesty?person={sam.id}#claims"' in html
    assert f'<a href="/craft/surveys/{s.id}">How many trucks?</a>' in html
    assert f'href="/people/{s.id}"' not in html


def test_log_time_and_value_from_the_report(web: tuple[TestClient, Services]) -> None:
    client, svc = web
    r = post(client, "/craft/time/log", {"minutes": "1:30", "kind": "meetings",
                                         "person": "Maria Lopez", "on": "2026-10-14",
                                         "note": "lunch"})
    assert r.status_code == 303 and "month=2026-10" in r.headers["location"]
    r = post(client, "/craft/time/log", {"minutes": "45", "kind": "preparation"})
    assert r.status_code == 303 and "month=2026-11" in r.headers["location"]
    r = post(client, "/craft/time/value", {"kind": "saving", "amount": "250.50",
                                           "person": "Sam Chen", "on": "2026-11-03"})
    assert r.status_code == 303 and "month=2026-11" in r.headers["location"]
    assert svc.timevalue.report("2026-10").total_minutes == 90
    november = svc.timevalue.report("2026-11")
    assert november.total_minutes == 45 and str(november.value_amount) == "250.50"
    words = text_of(page(client, r.headers["location"]))
    assert "Saved: a saving of 250.50." in words, words[:2000]
    assert "Sam Chen 0 min 250.50 (1)" in words, words
    # errors next to the field, what was typed kept
    r = post(client, "/craft/time/log", {"minutes": "soon", "kind": "meetings",
                                         "person": "Maria Lopez"})
    assert r.status_code == 422 and 'id="time_minutes-error"' in r.text
    assert 'value="Maria Lopez"' in r.text and 'value="soon"' in r.text
    r = post(client, "/craft/time/log", {"minutes": "30", "kind": "meetings",
                                         "person": "Maria Lopes"})
    assert r.status_code == 404 and 'id="time_person-error"' in r.text
    assert "Did you mean Maria Lopez" in r.text
    r = post(client, "/craft/time/value", {"kind": "deal", "amount": "lots"})
    assert r.status_code == 422 and 'id="value_amount-error"' in r.text
    assert svc.timevalue.report("2026-11").total_minutes == 45


def test_past_events_apart_most_recent_first_with_whom_i_met(
        web: tuple[TestClient, Services]) -> None:
    client, svc = web
    for name, on in (("Old fair", "2026-10-02"), ("Harbour dinner", "2026-11-20"),
                     ("Port Expo", "2026-12-03"), ("Coffee", "2026-11-27")):
        assert post(client, "/craft/research/events", {"name": name, "on": on}
                    ).status_code == 303
    dinner = next(e for e in svc.research.events(past=True).items
                  if e.name == "Harbour dinner")
    svc.research.attend(dinner.id, "Sam Chen", plan=True)
    svc.research.attend(dinner.id, "Ada Byron", role="speaker")
    svc.research.attend(dinner.id, "Lee Park")
    svc.research.met_at(dinner.id, "Sam Chen")
    r = post(client, f"/craft/research/events/{dinner.id}/met",
             {"person": svc.people.resolve("Ada Byron").id})
    assert r.status_code == 303 and r.headers["location"].endswith(f"#event-{dinner.id}")

    # the service: before today only, most recent first; whom I met is on each attendee
    past = svc.research.events(past=True).items
    assert [e.name for e in past] == ["Harbour dinner", "Old fair"]
    assert {a.name: a.met for a in past[0].attendees} == {
        "Sam Chen": True, "Ada Byron": True, "Lee Park": False}
    assert [e.name for e in svc.research.events().items] == ["Coffee", "Port Expo"]

    html = page(client, "/craft/research")
    upcoming = html.split('id="events"', 1)[1].split('id="past-events"', 1)[0]
    earlier = html.split('id="past-events"', 1)[1].split('id="notes"', 1)[0]
    assert "Port Expo" in upcoming and "Coffee" in upcoming
    assert "Harbour dinner" not in upcoming and "Old fair" not in upcoming
    words = text_of(earlier)
    assert words.index("Harbour dinner") < words.index("Old fair")  # most recent first
    assert "Met there: Sam Chen , Ada Byron (speaker)" in words
    assert "Also on the list: Lee Park" in words
    assert "No one recorded as met there." in words  # the old fair
    assert "Port Expo" not in earlier and "Coffee" not in earlier
