"""schemathesis over /api/v1/openapi.json, in process: no server errors, no status codes
the schema does not declare, responses that match their declared schemas. Bounded by
max_examples so the whole file runs in well under a minute on two cores."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from kithbook.config import Config  # noqa: E402
from kithbook.web.app import create_app  # noqa: E402

_DIR = Path(tempfile.mkdtemp(prefix="kb-schema-"))
app = create_app(Config(db=str(_DIR / "k.db")), allowed_hosts=["testserver", "localhost"])
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)


def _seed() -> None:
    from kithbook.services.app import Services
    from kithbook.services.people import NewPerson

    svc = Services(app.state.db, app.state.config)
    svc.people.set_me("Me")
    svc.people.add(NewPerson(name="Maria Lopez", emails=["maria@example.com"], org="Acme"))
    svc.people.add(NewPerson(name="Sam Chen", tags=["investor"]))
    # the craft of networking: one of each, so list answers are checked with items in them
    svc.pitches.add("Short intro", "investors", "We help small teams keep their promises.")
    svc.pitches.use("Short intro", "Maria Lopez", outcome="interested")
    svc.stories.add("The rainy launch", "It rained on launch day and we still shipped.")
    svc.research.add_target("Maria Lopez", why="knows the buyers", priority="high")
    svc.research.add_note("Maria Lopez", "Runs procurement at Acme.", sources=["acme.example"])
    svc.honesty.claim("Maria Lopez", "Budget is approved for Q1", topic="budget")
    svc.honesty.said("Sam Chen", "pricing", "We charge 10 a seat", value="10")
    r = svc.referrals.add("Sam Chen", "Maria Lopez")
    svc.referrals.outcome(r.id, "won", value="1200.50")
    svc.surveys.create("How many seats would you buy?", tag="investor")
    svc.timevalue.log_value("deal", amount="300", person="Maria Lopez")


_seed()


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(
        headers={"host": "127.0.0.1"},
        checks=[not_a_server_error, status_code_conformance, content_type_conformance,
                response_schema_conformance],
    )
