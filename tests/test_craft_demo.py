"""`kithbook demo` fills the craft of networking: pitches, stories, targets, events,
referrals, surveys, claims, time and value; the agenda shows the brief before today's
meeting, tomorrow's event plan and the thank-you loop; same seed and day, same records."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kithbook.config import Config
from kithbook.domain.models import as_dict
from kithbook.errors import KithbookError
from kithbook.services.app import Services
from kithbook.services.demo import DemoLoaded, load_demo

DAY = date(2026, 11, 27)


def _load(db: Path) -> tuple[Services, DemoLoaded]:
    svc = Services.open(Config(db=f"sqlite:///{db}", as_of=DAY))
    return svc, load_demo(svc, 40, seed=3, alliances=False)


def _craft(svc: Services) -> dict[str, Any]:
    return as_dict({
        "pitches": svc.pitches.list().items, "stories": svc.stories.list().items,
        "targets": svc.research.targets(status=None).items,
        "events": svc.research.events(days=7).items,
        "past": svc.research.events(past=True).items, "notes": svc.research.notes().items,
        "claims": svc.honesty.claims().items, "told": svc.honesty.told().items,
        "conflicts": svc.honesty.conflicts().items, "referrals": svc.referrals.list().items,
        "surveys": svc.surveys.list().items, "ideas": svc.surveys.ideas().items,
        "report": svc.timevalue.report("2026-11"),
    })


def test_demo_fills_the_craft_and_its_agenda(tmp_path: Path) -> None:
    svc, result = _load(tmp_path / "a.db")
    other, _ = _load(tmp_path / "b.db")
    try:
        assert result.craft > 0
        got = _craft(svc)
        assert got == _craft(other)  # deterministic, ids included
        assert len(got["pitches"]) == 3 and any(p["warnings"] for p in got["pitches"])
        assert len(got["stories"]) == 3 and len(got["conflicts"]) == 1
        assert {r["status"] for r in got["referrals"]} == {"open", "won"}
        [launch] = got["past"]  # a past event, with whom I met there
        assert [a["met"] for a in launch["attendees"]] == [True, False]
        surveys = {x["name"]: x for x in got["surveys"]}
        assert surveys["How many trucks will the port need in 2027?"]["answered"] == 4
        assert surveys["Which trade fair matters most next year?"]["answered"] == 3
        assert got["report"]["value_amount"] == "5150.00"  # the referral won and a saving
        assert {v["id"]: v["count"] for v in got["report"]["values"]}["hire"] == 1
        assert sum(t["value_amount"] != "0" for t in got["report"]["trend"]) == 4
        kinds = {i.kind: i for i in svc.agenda.today(200).items}
        assert {"meeting", "event_plan", "thank_referrer", "thank_respondent",
                "verify_claim", "send_survey", "close_survey"} <= set(kinds)
        brief = svc.briefs.brief(kinds["meeting"].id)
        assert brief.research and brief.stories_told and brief.claims == []
        assert brief.events and brief.events[0].name == "Coffee"
    finally:
        svc.close()
        other.close()


def test_the_demo_sends_a_live_survey_link_with_a_random_token(tmp_path: Path) -> None:
    """Same seed and day, same link id; never the same token (it is not derived from
    the seed), and the link opens the one question for the person it was sent to."""
    svc, result = _load(tmp_path / "a.db")
    other, again = _load(tmp_path / "b.db")
    try:
        link, twin = result.survey_link, again.survey_link
        assert link is not None and twin is not None and link.person is not None
        assert (link.id, link.person.id, link.expires_at) == (
            twin.id, twin.person.id if twin.person else None, twin.expires_at)
        token = link.url.rsplit("/r/", 1)[1]
        assert token != twin.url.rsplit("/r/", 1)[1] and len(token) >= 40
        view = svc.links.view(token)
        assert view.id == link.id and view.answered_at is None
        assert "How many trucks will the port need in 2027?" in view.page.lines
        with pytest.raises(KithbookError):
            other.links.view(token)  # the other load's database knows another token
        survey = next(x for x in svc.surveys.list().items
                      if x.name == "How many trucks will the port need in 2027?")
        results = svc.surveys.results(survey.id)
        assert link.person.id in {p.id for p in results.waiting}
        assert link.person.id not in {p.id for p in results.unsent}  # shown as sent
        # on the web: the survey page shows it sent, the link opens the one question
        from fastapi.testclient import TestClient

        from kithbook.web.app import create_app

        with TestClient(create_app(svc.config), base_url="http://127.0.0.1:8765") as web:
            page = web.get(f"/craft/surveys/{survey.id}", headers={"accept": "text/html"})
            waiting = page.text.split('id="waiting"', 1)[1].split("</section>", 1)[0]
            mine = waiting.split(link.person.id, 1)[1].split("</li>", 1)[0]
            assert "link sent" in mine
            opened = web.get(f"/r/{token}", headers={"accept": "text/html"})
            assert opened.status_code == 200
            assert "How many trucks will the port need in 2027?" in opened.text
        svc.links.answer(token, {"answer": "150"})
        assert len(svc.surveys.results(survey.id).answers) == 5
    finally:
        svc.close()
        other.close()
