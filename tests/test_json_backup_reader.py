"""Reading a JSON backup a row at a time (io/json_backup.py `_document`, `Rows`) reads
what json.loads reads, and refuses what it refuses, on any document; the import then
holds the text and one batch of rows, not every row (RELIABILITY.md)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kithbook.errors import ImportFailed
from kithbook.io import json_backup

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8),
                    st.floats(allow_nan=False, allow_infinity=False))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=4)),
    max_leaves=12)
tables = st.dictionaries(st.sampled_from(["people", "ties", "notes", "x"]),
                         st.one_of(st.lists(values, max_size=5), values), max_size=4)
documents = st.fixed_dictionaries(
    {"format": st.just("kithbook-backup"), "tables": tables},
    optional={"version": st.integers(0, 2), "tables ": values})
layouts = st.sampled_from([
    {"indent": None}, {"indent": 1}, {"indent": 3}, {"separators": (",", ":")},
    {"indent": "\t"}, {"separators": (" , ", " : ")}])


def _plain(doc: Any) -> Any:
    """`doc` with every Rows walked into a list (what json.loads would have given)."""
    if isinstance(doc, json_backup.Rows):
        return [_plain(r) for r in doc]
    if isinstance(doc, dict):
        return {k: _plain(v) for k, v in doc.items()}
    return doc


@settings(max_examples=300, deadline=None)
@given(documents, layouts, st.sampled_from(["", " ", "\n\n", "\t \r\n"]))
def test_reads_what_json_loads_reads(doc: dict[str, Any], layout: dict[str, Any],
                                     pad: str) -> None:
    text = pad + json.dumps(doc, **layout) + pad
    got = json_backup._document(text)
    assert _plain(got) == json.loads(text)
    # a table walked twice gives its rows twice, equal
    for rows in got["tables"].values():
        if isinstance(rows, json_backup.Rows):
            assert list(rows) == list(rows) and len(rows) == len(list(rows))


@settings(max_examples=300, deadline=None)
@given(documents, layouts, st.data())
def test_refuses_what_json_loads_refuses(doc: dict[str, Any], layout: dict[str, Any],
                                         data: st.DataObject) -> None:
    text = json.dumps(doc, **layout)
    at = data.draw(st.integers(0, max(0, len(text) - 1)))
    how = data.draw(st.sampled_from(["cut", "byte", "drop", "repeat"]))
    junk = data.draw(st.sampled_from(list('{}[],:"x0 \\')))
    bad = {"cut": text[:at], "byte": text[:at] + junk + text[at + 1:],
           "drop": text[:at] + text[at + 1:], "repeat": text[:at] + text[at] + text[at:]
           if text else text}[how]
    try:
        want: Any = json.loads(bad)
    except json.JSONDecodeError:
        want = None
    except RecursionError:
        return
    if want is None:
        with pytest.raises(json.JSONDecodeError):
            json_backup._document(bad)
    else:
        assert _plain(json_backup._document(bad)) == want


def test_a_key_given_twice_keeps_the_last_as_json_loads_does() -> None:
    text = ('{"format": "kithbook-backup", "tables": {"people": [1], "people": [2, 3]},'
            ' "tables": {"ties": [{"a": 1}]}}')
    assert _plain(json_backup._document(text)) == json.loads(text)


def test_decode_gives_rows_and_names_a_broken_file(tmp_path: Any) -> None:
    good = json_backup.encode({"people": [{"name": "Ann"}], "ties": []},
                              exported_at=__import__("datetime").datetime(2026, 12, 1),
                              schema="0014").encode()
    doc = json_backup.decode(good, filename="b.json")
    assert isinstance(doc["tables"]["people"], json_backup.Rows)
    assert list(doc["tables"]["people"]) == [{"name": "Ann"}]
    with pytest.raises(ImportFailed, match="b.json is not valid JSON"):
        json_backup.decode(good[:-20], filename="b.json")
