"""Alliance work on the daily agenda: the rules with fixed inputs, then the demo
portfolio through the CLI and the web page (docs/alliance-management.md, "On the agenda")."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alliance_facts import NOW, NW, TODAY, US, facts
from kithbook.domain.alliances import agenda
from kithbook.domain.alliances.facts import Decision, Forum, HealthCheck, Meeting, Verdict


def kinds(items: list[agenda.AllianceTask]) -> list[str]:
    return [t.kind for t in items]


def test_nothing_due_on_a_fresh_alliance() -> None:
    assert agenda.tasks(facts(), NOW) == []


def test_notice_and_decision_dates_show_a_month_ahead() -> None:
    f = facts(stage="manage", started_on=TODAY, decision_on=TODAY + timedelta(days=20))
    got = agenda.tasks(f, NOW, notice_by=TODAY + timedelta(days=10))
    assert kinds(got)[:2] == ["notice_date", "decision_date"]
    far = facts(stage="manage", started_on=TODAY, decision_on=TODAY + timedelta(days=60))
    assert agenda.tasks(far, NOW, notice_by=TODAY + timedelta(days=45)) == []
    reviewed = facts(stage="manage", started_on=TODAY, decision_on=TODAY + timedelta(days=20),
                     decisions=(Decision(1, "dec_1", "renew", US, NOW - timedelta(days=2),
                                         kind="review", outcome="continue"),))
    assert "decision_date" not in kinds(agenda.tasks(reviewed, NOW))


def test_forum_due_shortly_ahead_and_late_ranks_higher() -> None:
    def forum(days_ago: int) -> Forum:
        met = Meeting(1, "mee_1", NOW - timedelta(days=days_ago))
        return Forum(1, "for_1", "Ops", 7, "operations", TODAY - timedelta(days=60), (met,))

    assert agenda.tasks(facts(stage="manage", started_on=TODAY, forums=(forum(1),)), NOW) == []
    soon = agenda.tasks(facts(stage="manage", started_on=TODAY, forums=(forum(6),)), NOW)
    late = agenda.tasks(facts(stage="manage", started_on=TODAY, forums=(forum(20),)), NOW)
    assert kinds(soon) == kinds(late) == ["forum_due"]
    assert late[0].days_late == 13 and late[0].score > soon[0].score
    assert agenda.tasks(facts(stage="explore", forums=(forum(20),)), NOW) == []


def test_decisions_to_confirm_and_awaiting_the_partners() -> None:
    theirs = Decision(1, "dec_1", "ship in May", NW, NOW - timedelta(days=1))
    ours = Decision(2, "dec_2", "price at 10", US, NOW - timedelta(days=6))
    fresh = Decision(3, "dec_3", "hire", US, NOW - timedelta(days=2))
    confirmed = Decision(4, "dec_4", "go", US, NOW - timedelta(days=9),
                         verdicts=(Verdict(NW, "confirmed", NOW - timedelta(days=8)),))
    got = agenda.tasks(facts(stage="launch", started_on=TODAY,
                             decisions=(theirs, ours, fresh, confirmed)), NOW)
    assert [(t.kind, t.subject_id) for t in got] == [("to_confirm", "dec_1"),
                                                     ("awaiting_partners", "dec_2")]


def test_health_check_due_once_a_year() -> None:
    old = TODAY - timedelta(days=400)
    none = agenda.tasks(facts(stage="manage", started_on=old), NOW)
    assert "health_check_due" in kinds(none)
    recent = facts(stage="manage", started_on=old,
                   checks=(HealthCheck(1, "chk_1", TODAY - timedelta(days=100)),))
    assert "health_check_due" not in kinds(agenda.tasks(recent, NOW))
    assert "health_check_due" not in kinds(agenda.tasks(facts(stage="negotiate",
                                                              started_on=old), NOW))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kithbook.config import Config
    from kithbook.services.app import Services
    from kithbook.services.demo_alliances import load_alliances

    db = Path(tmp_path_factory.mktemp("agenda")) / "k.db"
    svc = Services.open(Config(db=str(db), as_of=date(2026, 11, 27)))
    svc.people.set_me("Alex Morgan")
    load_alliances(svc)
    svc.close()
    return db


def test_demo_alliance_work_in_the_cli(demo_db: Path) -> None:
    from kithbook.cli.main import app

    runner = CliRunner()
    base = ["--db", str(demo_db), "--as-of", "2026-11-27"]
    out = runner.invoke(app, [*base, "--json", "ally", "today", "--limit", "50"])
    assert out.exit_code == 0, out.output
    items = json.loads(out.stdout)["items"]
    assert {"notice_date", "decision_date", "forum_due", "awaiting_partners",
            "partner_quiet", "measure_off_track", "health_check_due"} <= {i["kind"]
                                                                        for i in items}
    assert all(i["id"] and i["name"] and i["why"] and i["action"] for i in items)
    scores = [i["score"] for i in items]
    assert scores == sorted(scores, reverse=True)
    human = runner.invoke(app, [*base, "today"])
    assert human.exit_code == 0 and "Alliance work" in human.stdout
    people = runner.invoke(app, [*base, "--json", "today"])
    assert isinstance(json.loads(people.stdout), list)  # the people agenda's shape stays


def test_demo_alliance_work_on_the_web_today_page(demo_db: Path) -> None:
    from fastapi.testclient import TestClient

    from kithbook.config import Config
    from kithbook.web.app import create_app

    config = Config(db=str(demo_db), as_of=date(2026, 11, 27))
    with TestClient(create_app(config), base_url="http://127.0.0.1:8765") as c:
        page = c.get("/", headers={"accept": "text/html"}).text
    assert 'id="alliance-work"' in page and "notice date" in page
    assert 'href="/alliances/all_' in page


def test_now_is_not_read_from_the_clock() -> None:
    later = datetime(2027, 1, 1, tzinfo=UTC)
    f = facts(stage="manage", started_on=TODAY - timedelta(days=400))
    due = [t.due for t in agenda.tasks(f, later) if t.kind == "health_check_due"]
    assert due == [TODAY - timedelta(days=400) + timedelta(days=365)]
