"""`kithbook demo` is one undoable unit: the network (bulk-loaded), the alliance
portfolio and the craft samples (written through their use cases) are one batch, and
one `undo` removes all of it and nothing else, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from kithbook.services.app import Services
from kithbook.services.demo import load_demo
from kithbook.services.people import NewPerson
from kithbook.store import schema as s

KEPT = {"changes", "alembic_version", "settings"}


def row_counts(svc: Services) -> dict[str, int]:
    with svc.db.read() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in s.metadata.sorted_tables if t.name not in KEPT}


def test_one_undo_removes_the_whole_demo_and_keeps_my_data(svc: Services) -> None:
    svc.people.set_me("Pat Owner")
    mine = svc.people.add(NewPerson(name="Dana Mine", org="My Own Firm"))
    before = row_counts(svc)
    loaded = load_demo(svc, 40, seed=3, force=True)
    assert loaded.alliances == 4 and loaded.craft > 0 and loaded.people == 42
    after = row_counts(svc)
    grew = {t for t in after if after[t] > before[t]}
    # the network, the alliances and the craft samples all went in
    assert {"people", "orgs", "ties", "interactions", "alliances", "alliance_activities",
            "alliance_objectives"} <= grew
    assert len(svc.alliance_views.portfolio()) == 4
    assert svc.search.find("Sam Chen")
    latest = svc.history.recent(limit=1)[0]
    assert latest.id == loaded.batch_id and latest.name == "demo"

    undone = svc.history.undo()
    assert undone.id == loaded.batch_id and undone.changes_reversed == latest.changes
    assert row_counts(svc) == before
    assert svc.alliance_views.portfolio() == []
    assert svc.search.find("Sam Chen") == []
    assert [h.name for h in svc.search.find("Dana Mine")] == ["Dana Mine"]
    assert svc.people.show(mine.id).name == "Dana Mine"
    assert svc.history.recent(limit=1)[0].undone


def test_the_demo_without_alliances_or_craft_is_still_one_batch(svc: Services) -> None:
    loaded = load_demo(svc, 25, seed=5, alliances=False, craft=False)
    assert [b.id for b in svc.history.recent(limit=5)] == [loaded.batch_id]
    svc.history.undo()
    assert sum(row_counts(svc).values()) == 0


def test_history_says_when_the_demo_was_loaded_while_its_records_stay_backdated(
        svc: Services) -> None:
    """The demo writes its alliances as of earlier days (meetings months ago); the
    audit trail still shows the one batch at the time it was really written."""
    started = datetime.now(UTC)
    loaded = load_demo(svc, 40, seed=3)
    finished = datetime.now(UTC)
    latest = svc.history.recent(limit=1)[0]
    assert latest.id == loaded.batch_id and latest.at is not None
    assert started - timedelta(seconds=1) <= latest.at <= finished + timedelta(seconds=1)
    meetings = [m.at for line in svc.alliance_views.portfolio()
                for m in svc.alliance_work.meetings(line.id)]
    assert meetings and min(meetings) < svc.now - timedelta(days=60)  # kept backdated
