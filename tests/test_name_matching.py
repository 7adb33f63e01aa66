"""Names typed as people type them (issue 13): without accents, in any case, with extra
or missing spaces, in German transliteration, through the one resolver and its
did-you-mean. Property tests over names with diacritics."""

from __future__ import annotations

import itertools
import json
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kithbook.cli.main import app
from kithbook.config import Config
from kithbook.domain.text import name_key
from kithbook.errors import NotFound
from kithbook.services.app import Services
from kithbook.services.people import NewPerson

LETTERS = "abcdefghijklmnopqrstuvwxyzéèêëáàâäãåíïîóòôöõøúùûüñçčšžłß"
GERMAN = {"ü": "ue", "ö": "oe", "ä": "ae", "Ü": "Ue", "Ö": "Oe", "Ä": "Ae"}


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    db = tmp_path_factory.mktemp("names") / "k.db"
    s = Services.open(Config(db=f"sqlite:///{db}", as_of=date(2026, 11, 27)))
    s.people.set_me("Ann Owner")
    for name in ("José García", "Jürgen Müller", "李 娜", "Jean-Luc Picard", "Zoë Ødegård",
                 "Maria Lopez"):
        s.people.add(NewPerson(name=name))
    s.orgs.add("Société Générale")
    yield s
    s.close()


def _strip_marks(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


@pytest.mark.parametrize(("typed", "name"), [
    ("jose  garcia", "José García"),
    ("  JOSE GARCIA ", "José García"),
    ("JoséGarcía", "José García"),
    ("Juergen Mueller", "Jürgen Müller"),
    ("jurgen muller", "Jürgen Müller"),
    ("李娜", "李 娜"),
    ("jean luc picard", "Jean-Luc Picard"),
    ("zoe odegard", "Zoë Ødegård"),
])
def test_names_typed_another_way(svc: Services, typed: str, name: str) -> None:
    assert svc.resolve.person(typed).name == name


def test_orgs_typed_another_way(svc: Services) -> None:
    with svc.db.read() as conn:
        want = svc.resolve.org_key(conn, "Société Générale")
        assert svc.resolve.org_key(conn, "societe   generale") == want
        assert svc.resolve.org_key(conn, "SocieteGenerale") == want


def test_search_reads_german_spellings(svc: Services) -> None:
    hits = svc.search.find("Juergen Mueller", kinds=("person",))
    assert [h.name for h in hits] == ["Jürgen Müller"]
    assert [h.name for h in svc.search.find("jose  garcia", kinds=("person",))] == [
        "José García"]


def test_did_you_mean_sees_past_accents_and_spacing(svc: Services) -> None:
    for typed, name in (("Jurgen Muler", "Jürgen Müller"), ("josegarsia", "José García"),
                        ("Juergen Mueler", "Jürgen Müller")):
        with pytest.raises(NotFound) as err:
            svc.resolve.person(typed)
        assert f"Did you mean {name} (" in str(err.value), (typed, str(err.value))


def test_the_batch_resolves_the_same(svc: Services) -> None:
    with svc.db.read() as conn:
        found = svc.resolve.people_batch(conn, ["Juergen Mueller", "李娜", "nobody at all"])
    assert isinstance(found["Juergen Mueller"], int) and isinstance(found["李娜"], int)
    assert isinstance(found["nobody at all"], NotFound)


def test_cli_finds_jose(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "k.db")
    assert runner.invoke(app, ["--db", db, "add", "person", "José García"]).exit_code == 0
    shown = runner.invoke(app, ["--db", db, "--json", "show", "jose  garcia"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["name"] == "José García"
    missed = runner.invoke(app, ["--db", db, "show", "Hose Garsia"])
    assert missed.exit_code != 0 and "Did you mean José García" in missed.stderr


_serial = itertools.count(1)
WORD = st.text(alphabet=LETTERS, min_size=2, max_size=8).map(str.capitalize)


@st.composite
def typed_variant(draw: st.DrawFn, words: list[str]) -> str:
    """The name as someone might type it: marks dropped or German-spelled, any case,
    words run together or spread apart."""
    out = []
    for w in words:
        how = draw(st.sampled_from(["as is", "plain", "german"]))
        if how == "plain":
            w = _strip_marks(w)
        elif how == "german":
            w = "".join(GERMAN.get(c, c) for c in w)
        w = "".join(c.upper() if draw(st.booleans()) else c.lower() for c in w)
        out.append(w)
    seps = [draw(st.sampled_from(["", " ", "  ", "\t "])) for _ in out[1:]]
    text = out[0] + "".join(s + w for s, w in zip(seps, out[1:], strict=True))
    return draw(st.sampled_from(["", " ", "  "])) + text + draw(st.sampled_from(["", "  "]))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), words=st.lists(WORD, min_size=1, max_size=3))
def test_any_typing_of_a_name_finds_the_person(
    svc: Services, data: st.DataObject, words: list[str]
) -> None:
    # a last word of its own (digits: no other name's word starts with it) keeps every
    # generated person distinct from the ones before
    words = [*words, f"Q{next(_serial):05d}"]
    name = " ".join(words)
    added = svc.people.add(NewPerson(name=name))
    typed = data.draw(typed_variant(words))
    assert name_key(typed) == name_key(name)
    assert svc.resolve.person(typed).id == added.id, (name, typed)
