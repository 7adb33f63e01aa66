"""io/csv_common.read_rows against a plain model of what each data row becomes: every
cell cut to MAX_CELL and freed of the exporter's apostrophe, missing cells empty, blank
rows skipped, extra non-blank cells refused. (The reader takes a faster way for the
usual row; this holds it to the same answer.)"""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from kithbook.io import csv_common
from kithbook.io.csv_common import MAX_CELL, read_rows
from kithbook.io.records import RowError

CELL = st.one_of(st.sampled_from(["", " ", "'", "'=1+1", "''=x", "'plain", "=sum", "a,b",
                                  "x\ny", "Zoë", "  pad  "]),
                 st.text(alphabet="ab' =+-@\t", max_size=6))
HEADER = ["person_a", "person_b", "strength"]


def _model(cells: list[str]) -> dict[str, str] | str | None:
    if not "".join(cells).strip():
        return None
    if len(cells) > len(HEADER) and any(c.strip() for c in cells[len(HEADER):]):
        return "error"
    return {h: csv_common._undefuse(cells[i][:MAX_CELL]) if i < len(cells) else ""
            for i, h in enumerate(HEADER)}


@given(st.lists(st.lists(CELL, min_size=1, max_size=5), min_size=1, max_size=8))
def test_rows_are_what_the_model_says(rows: list[list[str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    got = list(read_rows(out.getvalue(), lambda c: "person_a" in c, delimiter=","))
    want = [m for m in map(_model, rows) if m is not None]
    # (an error is told at once; the row before it is held back a row, in case it is
    # the file's cut-off end: compare rows and errors each in their own order)
    assert [g[1] for g in got if not isinstance(g, RowError)] == [
        w for w in want if w != "error"]
    assert sum(isinstance(g, RowError) for g in got) == want.count("error")


def test_a_long_cell_is_cut_on_the_fast_way_too() -> None:
    text = "person_a,person_b,strength\n" + "x" * (MAX_CELL + 5) + ",b,3\n"
    [(_, row)] = list(read_rows(text, lambda c: "person_a" in c, delimiter=","))  # type: ignore[misc]
    assert len(row["person_a"]) == MAX_CELL and row["person_b"] == "b"
