"""Kithbook's own JSON backup: full fidelity, re-importable."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import IO, Any

from kithbook.errors import ImportFailed
from kithbook.io import intake

FORMAT = "kithbook-backup"
VERSION = 1


def encode(tables: dict[str, Any], *, exported_at: datetime, schema: str) -> str:
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "schema": schema,
        "exported_at": exported_at.isoformat(),
        "tables": tables,
    }
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def write(out: IO[bytes], tables: Iterable[tuple[str, Iterable[dict[str, Any]]]], *,
          exported_at: datetime, schema: str) -> None:
    """The same document as `encode`, byte for byte, written a row at a time: memory
    stays at one row's text whatever the size of the network."""
    head = {"format": FORMAT, "version": VERSION, "schema": schema,
            "exported_at": exported_at.isoformat()}
    out.write(b"{\n")
    for key, value in head.items():
        out.write(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n"
                  .encode())
    out.write(b' "tables": {')
    no_tables = True
    for name, rows in tables:
        key = json.dumps(name, ensure_ascii=False)
        out.write(f"{'' if no_tables else ','}\n  {key}: [".encode())
        no_tables = False
        no_rows = True
        for row in rows:
            # indent=1 at the rows' depth (3): every line of the row moves right by 3
            text = json.dumps(row, ensure_ascii=False, indent=1).replace("\n", "\n   ")
            out.write(f"{'' if no_rows else ','}\n   {text}".encode())
            no_rows = False
        out.write(b"]" if no_rows else b"\n  ]")
    out.write(b"}" if no_tables else b"\n }")
    out.write(b"\n}\n")


# -- reading: the tables' rows decoded one at a time, whenever they are walked ---------

_DECODER = json.JSONDecoder()
_WS = re.compile(r"[ \t\n\r]*")


def _ws(text: str, idx: int) -> int:
    match = _WS.match(text, idx)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def _value(text: str, idx: int) -> tuple[Any, int]:
    """The JSON value starting at idx (no whitespace before it) and where it ends."""
    return _DECODER.raw_decode(text, idx)


def _expect(text: str, idx: int, chars: str, what: str) -> str:
    ch = text[idx:idx + 1]
    if not ch or ch not in chars:
        raise json.JSONDecodeError(f"Expecting {what}", text, idx)
    return ch


class Rows:
    """One table of a backup: an array in the document's text, its rows decoded one at
    a time each time it is walked and never all held at once, so a backup's import holds
    its text and one batch of rows, not every row of every table (RELIABILITY.md)."""

    def __init__(self, text: str, start: int) -> None:
        self.text = text
        self.start = start  # just after the array's "["
        self.count = 0
        self.end = self._walk()

    def _walk(self) -> int:
        """Check the array's syntax and count its rows; where it ends."""
        text, idx = self.text, _ws(self.text, self.start)
        if text[idx:idx + 1] == "]":
            return idx + 1
        while True:
            _row, idx = _value(text, idx)
            self.count += 1
            idx = _ws(text, idx)
            if _expect(text, idx, ",]", "',' or ']'") == "]":
                return idx + 1
            idx = _ws(text, idx + 1)

    def __iter__(self) -> Iterator[Any]:
        text, idx = self.text, _ws(self.text, self.start)
        if text[idx:idx + 1] == "]":
            return
        while True:
            row, idx = _value(text, idx)
            yield row
            idx = _ws(text, idx)
            if text[idx] == "]":
                return
            idx = _ws(text, idx + 1)

    def __len__(self) -> int:
        return self.count


def _members(text: str, idx: int, value: Callable[[str, str, int], tuple[Any, int]]
             ) -> tuple[dict[str, Any], int]:
    """The object starting at idx ("{"), each member's value read by `value(key, text,
    at)`; a key given twice keeps its last value, as json.loads does."""
    out: dict[str, Any] = {}
    idx = _ws(text, idx + 1)
    if text[idx:idx + 1] == "}":
        return out, idx + 1
    while True:
        _expect(text, idx, '"', "property name enclosed in double quotes")
        key, idx = _value(text, idx)
        idx = _ws(text, idx)
        _expect(text, idx, ":", "':' delimiter")
        out[key], idx = value(key, text, _ws(text, idx + 1))
        idx = _ws(text, idx)
        if _expect(text, idx, ",}", "',' delimiter") == "}":
            return out, idx + 1
        idx = _ws(text, idx + 1)


def _table(_key: str, text: str, idx: int) -> tuple[Any, int]:
    if text[idx:idx + 1] == "[":
        rows = Rows(text, idx + 1)
        return rows, rows.end
    return _value(text, idx)  # not an array: validation names it


def _top(key: str, text: str, idx: int) -> tuple[Any, int]:
    if key == "tables" and text[idx:idx + 1] == "{":
        return _members(text, idx, _table)
    return _value(text, idx)


def _document(text: str) -> Any:
    """json.loads(text), except that the arrays of "tables" are `Rows`: checked for
    syntax now, decoded a row at a time when walked."""
    idx = _ws(text, 0)
    if text[idx:idx + 1] != "{":
        return json.loads(text)  # not an object: the caller says it is not a backup
    doc, idx = _members(text, idx, _top)
    if _ws(text, idx) != len(text):
        raise json.JSONDecodeError("Extra data", text, _ws(text, idx))
    return doc


def looks_like(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and FORMAT.encode() in head


def decode(data: bytes, *, filename: str = "file",
           limits: intake.Limits = intake.DEFAULT) -> dict[str, Any]:
    """The backup document, read within `limits` (io/intake.py). Its rows are checked
    against the schema by the store before anything is written.

    The file's text is kept and its tables' rows are `Rows`: checked for syntax here,
    then decoded a row at a time each time the store walks them (to validate, then to
    load a batch at a time), never all held at once. The text and the file cost about
    twice the file in memory, the batches and bookkeeping about as much again (a 52 MB
    backup of 24,600 people: 201 MB above the CLI's own 85 MB, RELIABILITY.md), so the
    import size limit is also what keeps a JSON import in bounded memory, and a file
    over it is sent to the tools that copy a whole database without reading it
    (intake.too_big)."""
    intake.check_size(data, filename, limits)
    intake.check_json_shape(data, filename, limits)
    try:
        doc = _document(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailed(
            f"{filename} is not valid JSON ({str(exc)[:200]}).",
            hint="Is it a Kithbook backup (a JSON export)?", remedy="transfer.export_json",
        ) from exc
    except RecursionError as exc:
        raise ImportFailed(f"{filename} is nested too deeply; a Kithbook backup never is. "
                           "Nothing was written.") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ImportFailed(
            f"{filename} is JSON but not a Kithbook backup.",
            hint="Give a JSON export made by Kithbook.", remedy="transfer.export_json",
        )
    if doc.get("version") != VERSION:
        raise ImportFailed(
            f"{filename} is a Kithbook backup of version {str(doc.get('version'))[:20]}, "
            f"this Kithbook reads version {VERSION}.",
            hint="Upgrade Kithbook to read it.",
        )
    tables = doc.get("tables")
    if not isinstance(tables, dict) or not all(isinstance(v, list | Rows)
                                               for v in tables.values()):
        raise ImportFailed(f"{filename}: the backup's tables are damaged.")
    return doc
