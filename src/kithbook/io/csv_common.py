"""Shared CSV reading: header detection, bounded cells, line numbers, dates."""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime
from functools import lru_cache

from kithbook.io import intake
from kithbook.io.detect import sniff_delimiter
from kithbook.io.records import RowError

MAX_CELL = 100_000
MAX_DATE = 100  # a date, with its time and zone, as any export writes it: far shorter
csv.field_size_limit(min(sys.maxsize, 10 * MAX_CELL))

Row = dict[str, str]


def read_rows(
    text: str,
    is_header: Callable[[list[str]], bool],
    *,
    delimiter: str | None = None,
    max_preamble: int = 20,
) -> Iterator[tuple[int, Row] | RowError]:
    """Yield (line, row-by-lowercased-header) for each data row after the header, which is
    the first row accepted by `is_header` among the first `max_preamble` rows."""
    if text.startswith("\ufeff"):
        text = text[1:]
    delim = delimiter or sniff_delimiter(text)
    reader = csv.reader(intake.lines(text), delimiter=delim, strict=False)
    header: list[str] | None = None
    rows_seen = 0
    pending: tuple[int, Row, int] | None = None  # held back: the last row may be cut off
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield RowError(start, f"unreadable CSV: {exc}")
            if header is None:
                return
            continue
        if header is None:
            rows_seen += 1
            norm = [c.strip().strip("\ufeff").lower() for c in cells]
            if is_header(norm):
                header = norm
            elif rows_seen > max_preamble:
                yield RowError(start, "no header row found", fatal=True)
                return
            continue
        joined = "".join(cells)
        if not joined.strip():  # every cell blank
            continue
        if len(cells) > len(header) and "".join(cells[len(header):]).strip():
            yield RowError(start, f"{len(cells)} cells but the header has {len(header)}")
            continue
        if len(cells) == len(header) and "'" not in joined and len(joined) <= MAX_CELL:
            # the usual row: no cell to cut short or to take an apostrophe from (one
            # test of the whole row in C, not three calls a cell: a third of a large
            # ties file's parse)
            row = dict(zip(header, cells, strict=True))
        else:
            row = {h: _undefuse(cells[i][:MAX_CELL]) if i < len(cells) else ""
                   for i, h in enumerate(header)}
        if pending is not None:
            yield pending[0], pending[1]
        pending = (start, row, len(cells))
    if header is None:
        yield RowError(1, "no header row found", fatal=True)
        return
    if pending is not None:
        if pending[2] < len(header) and not text.endswith(("\n", "\r")):
            yield RowError(pending[0], "the file ends in the middle of a row (truncated?)",
                           fatal=True)
        else:
            yield pending[0], pending[1]


# What a spreadsheet would run as a formula when a cell starts with it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_behind_apostrophes(cell: str) -> bool:
    """The cell, less any apostrophes it starts with, starts like a formula: a careful
    exporter puts one more apostrophe before it (csv_export.defuse), and an import
    takes that one away, so a value that itself starts with "'=" comes back whole."""
    return cell.lstrip("'").startswith(FORMULA_START)


def _undefuse(cell: str) -> str:
    """Drop the apostrophe that a careful exporter put before a formula character."""
    if cell.startswith("'") and formula_behind_apostrophes(cell):
        return cell[1:]
    return cell


def get(row: Row, *names: str) -> str | None:
    for n in names:
        v = row.get(n)
        if v is not None and v.strip():
            return v.strip()
    return None


_NAMED_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%d-%b-%y", "%d-%b-%Y",
                  "%d %b %y", "%b %d %Y", "%B %d %Y", "%d. %B %Y", "%d. %b %Y", "%b-%d-%Y")
_NOYEAR = re.compile(r"^--(\d{2})-?(\d{2})$")
# a time after the date: "1/8/18, 6:14 PM", "2026-01-05 10:00:00 UTC", "05.01.2026 18:14"
_TIME = re.compile(r"(?:,?\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?)?"
                   r"\s*(?:UTC|GMT|Z|[+-]\d{2}:?\d{2})?$")
_NUMERIC = re.compile(r"^(\d{1,4})([/.\-])(\d{1,2})\2(\d{1,4})$")


def parse_date(text: str | None, dayfirst: bool | None = None) -> date | None:
    """A date as exports and spreadsheets write it: `07 Dec 2025`, ISO, `1/8/18, 6:14 PM`,
    `5-Jan-26`, `05.01.2026 18:14`, with or without a time (dropped). Numeric dates with
    both parts up to 12 are month-first with `/` and `-` unless `dayfirst`, day-first with
    `.`; a part over 12 settles the order whatever is asked. Two-digit years: 00-69 are
    20xx, 70-99 are 19xx. None when unreadable (docs/architecture.md, import contract)."""
    if not text:
        return None
    text = text.strip()
    if len(text) > MAX_DATE:
        return None  # no date; and the patterns below backtrack over a long run of spaces
    return _parse_date(text, dayfirst)


def numeric_order(text: str | None) -> bool | None:
    """What one numeric date says about the file's order: True (day first: 13/01/2026),
    False (month first: 01/13/2026), None (cannot tell)."""
    if not text or len(text.strip()) > MAX_DATE:
        return None
    m = _NUMERIC.match(_TIME.sub("", text.strip()))
    if m is None or len(m.group(1)) == 4:
        return None
    a, b = int(m.group(1)), int(m.group(3))
    if a > 12 >= b:
        return True
    if b > 12 >= a:
        return False
    return None


def _year(text: str) -> int:
    y = int(text)
    if len(text) <= 2:
        return 2000 + y if y < 70 else 1900 + y
    return y


@lru_cache(maxsize=20_000)
def _parse_date(text: str, dayfirst: bool | None = None) -> date | None:
    text = _TIME.sub("", text).strip().rstrip(",")
    m = _NUMERIC.match(text)
    if m is not None:
        a, sep, b, c = m.group(1), m.group(2), m.group(3), m.group(4)
        try:
            if len(a) == 4:
                return date(int(a), int(b), int(c))
            if len(c) == 3:
                return None
            x, y = int(a), int(b)
            first = dayfirst if dayfirst is not None else sep == "."
            if x > 12:
                first = True
            elif y > 12:
                first = False
            day, month = (x, y) if first else (y, x)
            return date(_year(c), month, day)
        except ValueError:
            return None
    for fmt in _NAMED_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def birthday(text: str | None) -> str | None:
    """YYYY-MM-DD, or --MM-DD when the year is unknown; None when unreadable."""
    if not text:
        return None
    text = text.strip()
    if len(text) > MAX_DATE:
        return None
    m = _NOYEAR.match(text)
    if m:
        mm, dd = int(m.group(1)), int(m.group(2))
        return f"--{mm:02d}-{dd:02d}" if 1 <= mm <= 12 and 1 <= dd <= 31 else None
    m = re.match(r"^(\d{4})-?(\d{2})-?(\d{2})", text)
    if m:
        y, mm, dd = int(m.group(1)), int(m.group(2)), int(m.group(3))
        try:
            date(2000 if y == 1604 else y, mm, dd)
        except ValueError:
            return None
        return f"--{mm:02d}-{dd:02d}" if y in (1604, 0) else f"{y:04d}-{mm:02d}-{dd:02d}"
    d = parse_date(text)
    return d.isoformat() if d else None


def split_multi(text: str | None, sep: str = " ::: ") -> list[str]:
    if not text:
        return []
    return [p.strip() for p in text.split(sep.strip()) if p.strip()]
