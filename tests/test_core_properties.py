"""Hypothesis properties of name resolution and search."""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kithbook.config import Config
from kithbook.domain.text import fold, words
from kithbook.errors import Ambiguous, InvalidInput, NotFound
from kithbook.services.app import Services
from kithbook.services.people import NewPerson

name_part = st.text(
    alphabet=st.characters(categories=("Lu", "Ll", "Lo"), max_codepoint=0x2FFF),
    min_size=2,
    max_size=10,
)
_FIXTURE_OK = [HealthCheck.function_scoped_fixture]
names = st.lists(name_part, min_size=1, max_size=3).map(" ".join)


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> Services:
    path: Path = tmp_path_factory.mktemp("prop") / "k.db"
    s = Services.open(Config(db=str(path), as_of=date(2026, 11, 27)))
    yield s  # type: ignore[misc]
    s.close()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=names)
def test_added_person_resolves_by_exact_name_and_id(svc: Services, name: str) -> None:
    try:
        person = svc.people.add(NewPerson(name=name))
    except InvalidInput:
        return
    assert svc.people.resolve(person.id).id == person.id
    try:
        found = svc.people.resolve(name)
    except Ambiguous as exc:  # namesakes: the error must list this person
        assert person.id in {c[0] for c in exc.candidates}
    else:
        assert fold(found.name) == fold(name)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=names)
def test_search_finds_a_person_by_any_word_of_the_name(svc: Services, name: str) -> None:
    try:
        person = svc.people.add(NewPerson(name=name))
    except InvalidInput:
        return
    for word in words(name)[:2]:
        hits = svc.search.find(word, kinds=("person",), limit=1000)
        assert person.id in {h.id for h in hits}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=40))
def test_any_query_is_safe(svc: Services, query: str) -> None:
    svc.search.find(query)  # never raises: quotes, operators and NULs are just text
    with contextlib.suppress(NotFound, Ambiguous, InvalidInput):
        svc.people.resolve(query)
