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
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            yield RowError(start, f"{len(cells)} cells but the header has {len(header)}")
            continue
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


def _undefuse(cell: str) -> str:
    """Drop the apostrophe that a careful exporter put before a formula character."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@\t\r":
        return cell[1:]
    return cell


def get(row: Row, *names: str) -> str | None:
    for n in names:
        v = row.get(n)
        if v is not None and v.strip():
            return v.strip()
    return None


_DATE_FORMATS = ("%d %b %Y", "%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y", "%b %d, %Y", "%d %B %Y")
_NOYEAR = re.compile(r"^--(\d{2})-?(\d{2})$")


def parse_date(text: str | None) -> date | None:
    if not text:
        return None
    return _parse_date(text.strip())


@lru_cache(maxsize=20_000)
def _parse_date(text: str) -> date | None:
    for fmt in _DATE_FORMATS:
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
