"""The demo's alliance portfolio: four alliances, every view filled, the joint venture
in trouble (docs/alliance-management.md)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kithbook.config import Config
from kithbook.services.app import Services


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    from kithbook.services.demo_alliances import load_alliances

    db = Path(tmp_path_factory.mktemp("demo")) / "k.db"
    s = Services.open(Config(db=str(db), as_of=date(2026, 11, 27)))
    s.people.set_me("Alex Morgan")
    load_alliances(s)
    yield s
    s.close()


def test_four_alliances_each_view_filled(svc: Services) -> None:
    lines = svc.alliance_views.portfolio()
    assert {x.type for x in lines} == {"joint_proposal", "joint_purchasing", "licensing",
                                       "joint_venture"}
    for line in lines:
        view = svc.alliance_views.overview(line.id)
        assert view.goals and view.activities and view.objectives and view.forums
        assert view.meetings and view.ledger and view.alliance.documents
        assert any(o.measurements or o.latest_value is not None for o in view.objectives)
        assert view.health.score is not None and view.health.sides


def test_the_joint_venture_is_in_trouble(svc: Services) -> None:
    lines = {x.type: x for x in svc.alliance_views.portfolio()}
    jv = lines["joint_venture"]
    assert jv.category in ("At risk", "Significant concern")
    assert jv.errors >= 2
    assert all(jv.score is not None and x.score is not None and x.score > jv.score
               for t, x in lines.items() if t != "joint_venture")
    codes = {f.code for f in svc.alliance_views.findings(jv.id)}
    assert {"R1", "R2", "DECISION_DISPUTED", "CADENCE_MISSED", "PERCEPTION_GAP"} <= codes


@pytest.mark.parametrize("size", [5, 80, 120])
def test_the_demo_loads_at_any_small_size(tmp_path: Path, size: int) -> None:
    """The network's ids and the alliance portfolio's come from two seeded streams; when
    they met, a demo of 80 people failed on a duplicate organization id."""
    from kithbook.services.demo import load_demo

    svc = Services.open(Config(db=str(tmp_path / "d.db")))
    try:
        loaded = load_demo(svc, size)
        assert loaded.alliances == 4 and loaded.people >= size
    finally:
        svc.close()
