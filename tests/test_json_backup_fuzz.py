"""Hypothesis mutates a valid JSON backup (RELIABILITY.md, check 4): every mutation ends
in a clean import or in one ImportFailed line naming the problem, never in another
exception, and a refused file writes nothing."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kithbook.config import Config
from kithbook.errors import ImportFailed
from kithbook.services.app import Services
from kithbook.services.people import NewPerson

JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
    st.floats(allow_nan=False), st.text(max_size=40),
    st.sampled_from(["", "per_x", "2026-13-45", "yesterday", "A", "Z", "\x00", "x" * 400,
                     "2026-11-30T12:00:00+00:00", "2026-11-30"]))
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6)


@pytest.fixture(scope="module")
def backup(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("src") / "k.db"
    svc = Services.open(Config(db=str(path)))
    a = svc.people.add(NewPerson(name="Ann Example", emails=["ann@example.com"],
                                 phones=["+44 20 7946 0000"], org="Acme", title="CEO",
                                 tier="A", tags=["client"], note="met at the fair"))
    b = svc.people.add(NewPerson(name="Bob Example", emails=["bob@example.com"]))
    svc.ties.tie(a.id, b.id, strength=4)
    data = svc.transfer.export_bytes("json")
    svc.close()
    doc: dict[str, Any] = json.loads(data)
    return doc


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    svc = Services.open(Config(db=str(tmp_path_factory.mktemp("dst") / "k.db")))
    yield svc
    svc.close()


def _rows(doc: dict[str, Any]) -> list[tuple[str, int]]:
    tables = doc.get("tables")
    if not isinstance(tables, dict):
        return []
    return [(t, i) for t, rows in tables.items() if isinstance(rows, list)
            for i in range(len(rows))]


@st.composite
def mutated(draw: st.DrawFn, doc: dict[str, Any]) -> bytes:
    d = copy.deepcopy(doc)
    tables = d["tables"]
    for _ in range(draw(st.integers(1, 3))):
        spots = _rows(d)
        kind = draw(st.sampled_from(["set", "drop", "dup", "row", "table", "extra", "top",
                                     "swap"]))
        if kind in ("set", "drop", "extra", "swap") and spots:
            t, i = draw(st.sampled_from(spots))
            row = tables[t][i]
            if not isinstance(row, dict) or not row:
                continue
            col = draw(st.sampled_from(sorted(row)))
            if kind == "set":
                row[col] = draw(JSON_VALUES)
            elif kind == "drop":
                del row[col]
            elif kind == "extra":
                row[draw(st.text(max_size=10))] = draw(JSON_VALUES)
            else:  # a reference or id borrowed from another row
                t2, i2 = draw(st.sampled_from(spots))
                other = tables[t2][i2]
                if isinstance(other, dict) and other:
                    row[col] = other[draw(st.sampled_from(sorted(other)))]
        elif kind == "dup" and spots:
            t, i = draw(st.sampled_from(spots))
            tables[t].append(copy.deepcopy(tables[t][i]))
        elif kind == "row" and spots:
            t, _ = draw(st.sampled_from(spots))
            tables[t].insert(0, draw(JSON_VALUES))
        elif kind == "table" and isinstance(tables, dict):
            tables[draw(st.sampled_from([*sorted(tables), "bogus"]))] = draw(JSON_VALUES)
        elif kind == "top":
            d[draw(st.sampled_from(["format", "version", "tables", "schema"]))] = draw(
                JSON_VALUES)
            tables = d.get("tables")
    raw = json.dumps(d).encode()
    if draw(st.booleans()) and draw(st.booleans()):  # and sometimes damage the bytes
        at = draw(st.integers(0, len(raw) - 1))
        raw = raw[:at] + bytes([draw(st.integers(0, 255))]) + raw[at + 1:]
    return raw


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_any_mutation_imports_cleanly_or_fails_in_one_line(
        backup: dict[str, Any], target: Services, data: st.DataObject) -> None:
    raw = data.draw(mutated(backup))
    try:
        target.transfer.import_bytes(raw, filename="backup.json", fmt="json", dry_run=True)
    except ImportFailed as exc:
        text = str(exc)
        assert "\n" not in text and len(text) < 500, text
    assert _people(target) == 0  # a preview, refused or not, writes nothing


def _people(svc: Services) -> int:
    import sqlite3

    con = sqlite3.connect(svc.config.db)
    try:
        return int(con.execute("SELECT count(*) FROM people").fetchone()[0])
    finally:
        con.close()


def test_the_issue_s_malformed_backups_name_their_problem(
        backup: dict[str, Any], tmp_path: Path) -> None:
    svc = Services.open(Config(db=str(tmp_path / "k.db")))
    people = backup["tables"]["people"]

    def check(change: Any, expect: str) -> None:
        d = copy.deepcopy(backup)
        change(d["tables"])
        with pytest.raises(ImportFailed, match=expect):
            svc.transfer.import_bytes(json.dumps(d).encode(), filename="b.json", dry_run=False)

    try:
        check(lambda t: t["people"].append(copy.deepcopy(people[0])), "repeats the id")
        check(lambda t: t["ties"][0].update(a_id="per_nobody"), "not in the backup")
        check(lambda t: t["people"][0].update(name=12345), "name is a number, not text")
        check(lambda t: t["people"].__setitem__(0, ["a", "b"]), "people row 1 is a list")
        check(lambda t: t["people"][0].update(name="N" * 10_000_000), "more than 300")
        check(lambda t: t["people"][0].update(created_at="yesterday"), "is not a date")
        check(lambda t: t["people"][0].update(tier="Q"), "ck_people_tier|tier")
        check(lambda t: t.__setitem__("bogus", []), "not one Kithbook writes")
        check(lambda t: t["people"][0].update(public_id=None), "has no public_id")
        check(lambda t: t["people"][0].pop("name"), "has no name")
        check(lambda t: t["people"][0].update(evil=1), "unknown field 'evil'")
        # found by the mutation test above: a list where an id or a kind belongs
        check(lambda t: t["taggings"][0].update(subject_kind=[]), "subject_kind is not")
        check(lambda t: t["taggings"][0].update(subject_id=[]), "subject_id names")
        deep = b'{"format": "kithbook-backup", "version": 1, "tables": ' + b"[" * 100_000
        with pytest.raises(ImportFailed, match="nested"):
            svc.transfer.import_bytes(deep, filename="b.json", fmt="json", dry_run=False)
        assert svc.transfer.import_bytes(json.dumps(backup).encode(), filename="b.json",
                                         dry_run=False).created > 0
    finally:
        svc.close()
