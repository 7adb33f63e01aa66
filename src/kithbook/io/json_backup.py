"""Kithbook's own JSON backup: full fidelity, re-importable."""

from __future__ import annotations

import json
from collections.abc import Iterable
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


def looks_like(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and FORMAT.encode() in head


def decode(data: bytes, *, filename: str = "file",
           limits: intake.Limits = intake.DEFAULT) -> dict[str, Any]:
    """The backup document, read within `limits` (io/intake.py). Its rows are checked
    against the schema by the store before anything is written.

    The document is read whole: the store validates references across tables and loads
    them in one transaction. That costs about 5 times the file in memory (a 42 MB
    backup of 20,000 people: 230 MB above the CLI's own 85 MB, RELIABILITY.md), so the
    import size limit is also what keeps a JSON import in bounded memory, and a file
    over it is sent to the tools that copy a whole database without reading it
    (intake.too_big)."""
    intake.check_size(data, filename, limits)
    intake.check_json_shape(data, filename, limits)
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailed(
            f"{filename} is not valid JSON ({str(exc)[:200]}).",
            hint="Is it a Kithbook backup made with `kithbook export json`?",
        ) from exc
    except RecursionError as exc:
        raise ImportFailed(f"{filename} is nested too deeply; a Kithbook backup never is. "
                           "Nothing was written.") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ImportFailed(
            f"{filename} is JSON but not a Kithbook backup.",
            hint="Make one with `kithbook export json -o FILE`.",
        )
    if doc.get("version") != VERSION:
        raise ImportFailed(
            f"{filename} is a Kithbook backup of version {str(doc.get('version'))[:20]}, "
            f"this Kithbook reads version {VERSION}.",
            hint="Upgrade Kithbook to read it.",
        )
    tables = doc.get("tables")
    if not isinstance(tables, dict) or not all(isinstance(v, list) for v in tables.values()):
        raise ImportFailed(f"{filename}: the backup's tables are damaged.")
    return doc
