"""The one resolver (services/resolve.py): its behaviour table, run through the service
and through every front end with the same expected messages."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kithbook.cli.main import app as cli_app
from kithbook.config import Config
from kithbook.errors import Ambiguous, InvalidInput, NotFound
from kithbook.services.app import Services
from kithbook.services.people import NewPerson

AS_OF = "2026-11-27"


def _build(url: str) -> None:
    from datetime import date

    svc = Services.open(Config(db=url, as_of=date(2026, 11, 27)))
    try:
        svc.people.set_me("Ann Owner")
        svc.people.add(NewPerson(name="Aaliyah Park", emails=["aaliyah@acme.example"],
                                 org="Acme Supply", title="Buyer",
                                 urls=["https://www.linkedin.com/in/aaliyah-park/"]))
        svc.people.add(NewPerson(name="Zoë Müller", org="Northwind"))
        svc.people.add(NewPerson(name="Sam Chen", org="Acme Supply"))
        svc.people.add(NewPerson(name="Sam Chen", org="Globex"))
        svc.orgs.add("Initech")
        svc.ties.tie("me", "Zoë Müller", strength=4)
        svc.ties.tie("Zoë Müller", "Aaliyah Park", strength=4)
    finally:
        svc.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("resolver") / "k.db"
    _build(f"sqlite:///{db}")
    return db


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "k.db"
    shutil.copyfile(template, path)
    return path


@pytest.fixture
def svc(db: Path) -> Iterator[Services]:
    from datetime import date

    s = Services.open(Config(db=str(db), as_of=date(2026, 11, 27)))
    yield s
    s.close()


@dataclass
class Case:
    text: str
    found: str | None = None  # the name it resolves to
    error: type[Exception] | None = None
    says: str = ""  # part of the message every front end shows


# A person, else an organization: what `show`, `note`, `tag` and `path` accept.
TABLE = [
    Case("Aaliyah Park", found="Aaliyah Park"),
    Case("aaliyah PARK", found="Aaliyah Park"),
    Case("aal par", found="Aaliyah Park"),  # the start of each word
    Case("Zoe Muller", found="Zoë Müller"),  # without the accents
    Case("zoë müller", found="Zoë Müller"),
    Case("aaliyah@acme.example", found="Aaliyah Park"),
    Case("AALIYAH@ACME.EXAMPLE", found="Aaliyah Park"),
    Case("linkedin.com/in/Aaliyah-Park", found="Aaliyah Park"),
    Case("https://www.linkedin.com/in/nobody-here", error=NotFound,
         says="no person has the LinkedIn profile"),
    Case("Aaliyah Prak", error=NotFound, says="Did you mean Aaliyah Park (per_"),
    Case("Sam Chen", error=Ambiguous, says="'Sam Chen' matches 2 people."),
    Case("Initech", found="Initech"),  # no person: the organization
    Case("Initek", error=NotFound, says="no person or organization matches 'Initek'. "
         "Did you mean Initech (org_"),
    Case("per_zzzzzzzz", error=NotFound, says="no person has the id 'per_zzzzzzzz'."),
    Case("me", found="Ann Owner"),
    Case("   ", error=InvalidInput, says="is needed"),
]


@pytest.mark.parametrize("case", TABLE, ids=lambda c: c.text)
def test_service_table(svc: Services, case: Case) -> None:
    def run() -> Any:
        with svc.db.read() as conn:
            return svc.resolve.subject(conn, case.text)

    if case.error is None:
        assert run().name == case.found
    else:
        with pytest.raises(case.error) as err:
            run()
        assert case.says in str(err.value)


def test_id_and_prefix_and_references(svc: Services) -> None:
    with svc.db.read() as conn:
        aaliyah = svc.resolve.subject(conn, "Aaliyah Park")
        assert svc.resolve.person_key(conn, aaliyah.id) == aaliyah.key
        assert svc.resolve.person_key(conn, aaliyah.id[:8].upper()) == aaliyah.key
        person = svc.people.resolve("Aaliyah Park")
        assert svc.resolve.person_key(conn, person) == person.key  # a record passes through
        with pytest.raises(NotFound):
            svc.resolve.person_key(conn, "per_")  # too short to be an id: read as a name


def test_ambiguous_lists_candidates_with_ids(svc: Services) -> None:
    with svc.db.read() as conn, pytest.raises(Ambiguous) as err:
        svc.resolve.person_key(conn, "Sam Chen")
    ids = [c[0] for c in err.value.candidates]
    assert len(ids) == 2 and all(i.startswith("per_") for i in ids)
    assert {c[2] for c in err.value.candidates} == {"Acme Supply", "Globex"}


def test_anyone_at_org_and_org_typos(svc: Services) -> None:
    with svc.db.read() as conn:
        acme = svc.resolve.target(conn, "anyone at Acme Supply")
        assert acme.kind == "org" and acme.name == "anyone at Acme Supply"
        assert len(acme.people) == 2
        same = svc.resolve.target(conn, "Acme Supply")  # no person has that name
        assert same.people == acme.people
        with pytest.raises(NotFound) as err:
            svc.resolve.target(conn, "anyone at Acme Suply")
    assert "no organization matches 'Acme Suply'. Did you mean Acme Supply (org_" in str(
        err.value)


def test_batch_has_the_same_messages(svc: Services) -> None:
    refs = ["Aaliyah Park", "aaliyah@acme.example", "Sam Chen", "Aaliyah Prak", "Zoe Muller"]
    with svc.db.read() as conn:
        found = svc.resolve.people_batch(conn, refs)
        for ref in refs:
            try:
                single: Any = svc.resolve.person_key(conn, ref)
            except (NotFound, Ambiguous) as exc:
                single = exc
            got = found[ref]
            if isinstance(single, int):
                assert got == single
            else:
                assert type(got) is type(single) and str(got) == str(single)


# -- the same table through the front ends ------------------------------------------------

runner = CliRunner()


def _cli(db: Path, *args: str) -> tuple[int, str, str]:
    r = runner.invoke(cli_app, ["--db", str(db), "--as-of", AS_OF, *args])
    return r.exit_code, r.stdout, r.stderr


@pytest.mark.parametrize("case", TABLE, ids=lambda c: c.text)
def test_cli_show_table(db: Path, case: Case) -> None:
    code, out, err = _cli(db, "--json", "show", case.text)
    if case.error is None:
        assert code == 0, err
        assert json.loads(out)["name"] == case.found
    else:
        assert code != 0 and case.says in err.replace("\n", " "), err


def test_cli_path_gives_did_you_mean(db: Path) -> None:
    code, _, err = _cli(db, "path", "Aaliyah Prak")
    assert code == 3 and "Did you mean Aaliyah Park" in err, err
    assert "no organization matches" not in err
    code, out, _ = _cli(db, "--json", "path", "Aaliyah Park")
    assert code == 0 and json.loads(out)["reachable"]
    code, out, _ = _cli(db, "--json", "path", "anyone at Acme Supply")
    assert code == 0 and json.loads(out)["name"] == "anyone at Acme Supply"


@pytest.fixture
def client(db: Path) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from kithbook.web.app import create_app

    application = create_app(Config(db=str(db)))
    with TestClient(application, base_url="http://127.0.0.1:8765") as c:
        yield c


# a path segment cannot carry a URL's slashes, nor be blank
PEOPLE_ONLY = [c for c in TABLE if c.found not in ("Initech",) and "Initek" not in c.text
               and c.text.strip() and "/" not in c.text]


@pytest.mark.parametrize("case", PEOPLE_ONLY, ids=lambda c: c.text)
def test_api_person_table(client: Any, case: Case) -> None:
    from urllib.parse import quote

    r = client.get(f"/api/v1/people/{quote(case.text, safe='')}")
    if case.error is None:
        assert r.status_code == 200 and r.json()["name"] == case.found
        return
    status = {NotFound: 404, Ambiguous: 409, InvalidInput: 422}[case.error]
    assert r.status_code == status
    error = r.json()["error"]
    assert case.says in error["message"]
    if case.error is Ambiguous:
        assert len(error["candidates"]) == 2
    if "Did you mean" in case.says:
        assert error["suggestions"][0]["name"] == "Aaliyah Park"


# the agent interface (MCP): the person table through `people_show`, and `network_path`
MCP_PEOPLE = [c for c in TABLE if c.found != "Initech" and "Initek" not in c.text]


def test_mcp_person_table(svc: Services) -> None:
    import anyio
    from mcp import Client

    from kithbook.mcp.server import build_server

    async def run() -> list[tuple[Case, bool, str]]:
        out = []
        async with Client(build_server(svc), mode="legacy") as client:
            for case in MCP_PEOPLE:
                r = await client.call_tool("people_show", {"text": case.text})
                out.append((case, r.is_error, getattr(r.content[0], "text", "")))
            r = await client.call_tool("network_path", {"target": "Aaliyah Prak"})
            out.append((Case("Aaliyah Prak", error=NotFound, says="Did you mean Aaliyah Park"),
                        r.is_error, getattr(r.content[0], "text", "")))
        return out

    for case, is_error, text in anyio.run(run):
        if case.error is None:
            assert not is_error and json.loads(text)["name"] == case.found, (case, text)
        else:
            assert is_error and case.says in text, (case, text)
            assert "no organization matches" not in text and "\n" not in text
