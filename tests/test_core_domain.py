"""Pure rules of the core: folding, parsing, ids, config."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kithbook import ids
from kithbook.config import db_url, load
from kithbook.domain.parsing import parse_days, parse_strength, parse_tier
from kithbook.domain.text import _fold_once, fold, words
from kithbook.errors import InvalidInput


def test_fold() -> None:
    assert fold("  Jürgen   MÜLLER ") == "jurgen muller"
    assert fold("Søren Ølafsson") == "soren olafsson"
    assert fold("Straße") == "strasse"
    assert words("O'Brien-Smith, Zoë") == ["o", "brien", "smith", "zoe"]


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_fold_of_ascii_takes_the_short_path_to_the_same_answer(text: str) -> None:
    once = _fold_once(text)
    assert fold(text) == once == _fold_once(once)


def test_ids() -> None:
    rng = random.Random(1)
    a, b = ids.new_id("person", rng), ids.new_id("person", random.Random(1))
    assert a == b and a.startswith("per_") and len(a) == 20
    assert ids.looks_like_id(a) and not ids.looks_like_id("Maria Lopez")
    assert ids.kind_of(ids.new_id("promise")) == "promise"


def test_parse_days() -> None:
    assert parse_days("monthly") == 30
    assert parse_days("2w") == 14
    assert parse_days("14") == 14
    assert parse_days("1y") == 365
    for bad in ("soon", "0", "-3", "3x"):
        with pytest.raises(InvalidInput):
            parse_days(bad)


def test_parse_tier_and_strength() -> None:
    assert parse_tier("a") == "A" and parse_tier(None) is None
    with pytest.raises(InvalidInput):
        parse_tier("D")
    with pytest.raises(InvalidInput):
        parse_strength(0)


def test_config_precedence(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cfg_file = tmp_path / "config.toml"
    cfg_file.write_text('db = "from-file.db"\n[tier_cadence_days]\nA = 14\n')
    env = {"KITHBOOK_CONFIG": str(cfg_file)}
    assert load(env=env).db == "from-file.db"
    assert load(env={**env, "KITHBOOK_DB": "env.db"}).db == "env.db"
    assert load(db="flag.db", env={**env, "KITHBOOK_DB": "env.db"}).db == "flag.db"
    assert load(env=env).tier_cadence_days["A"] == 14
    assert db_url("postgresql://u@h/db").startswith("postgresql+psycopg://")
