"""One entry point for the contact readers: bytes in, (format, stream of records) out.
Refuses, with one ImportFailed line, what is empty, binary, huge or not the format."""

from __future__ import annotations

from collections.abc import Iterator

from kithbook.errors import ImportFailed
from kithbook.io import detect
from kithbook.io.records import ImportedContact, ImportedTie, RowError

CONTACT_FORMATS = ("linkedin", "google", "outlook", "vcard")
MAX_BYTES = detect.MAX_BYTES

Item = ImportedContact | ImportedTie | RowError


def resolve(data: bytes, filename: str = "", fmt: str | None = None,
            max_bytes: int = MAX_BYTES) -> tuple[str, bytes]:
    """The format and the bytes to parse (a LinkedIn zip is opened here)."""
    name = filename or "the file"
    if len(data) > max_bytes:
        raise ImportFailed(f"{name} is {len(data) // 1_000_000} MB, more than the "
                           f"{max_bytes // 1_000_000} MB an import accepts.")
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportFailed(f"{name} is empty.")
    if data.startswith(b"PK\x03\x04"):
        if fmt not in (None, "linkedin"):
            raise ImportFailed(f"{name} is a zip archive, not a {fmt} file.")
        return "linkedin", detect.linkedin_from_zip(data, max_bytes)
    if detect.looks_binary(data):
        raise ImportFailed(f"{name} is binary, not a contacts file.")
    if fmt is None:
        fmt = detect.detect(data, filename)
    elif fmt not in detect.FORMATS:
        raise ImportFailed(f"unknown format {fmt!r}.",
                           hint=f"Use one of {', '.join(detect.FORMATS)}.")
    else:
        seen = detect.detect_text(detect.decode(data[:300_000]))
        if seen is not None and seen != fmt:
            raise ImportFailed(f"{name} looks like a {seen} file, not {fmt}.",
                               hint=f"Use --format {seen}, or leave --format out.")
    return fmt, data


def records(fmt: str, data: bytes, region: str | None = None) -> Iterator[Item]:
    """Stream the records of an already resolved file."""
    text = detect.decode(data)
    if fmt == "linkedin":
        from kithbook.io import linkedin

        yield from linkedin.parse(text, region)
    elif fmt == "google":
        from kithbook.io import google_csv

        yield from google_csv.parse(text, region)
    elif fmt == "outlook":
        from kithbook.io import outlook_csv

        yield from outlook_csv.parse(text, region)
    elif fmt == "vcard":
        from kithbook.io import vcard

        yield from vcard.parse(text, region)
    elif fmt == "ties":
        from kithbook.io import ties_csv

        yield from ties_csv.parse(text)
    else:
        raise ImportFailed(f"{fmt} files are not read by the contact readers.")


def read_all(data: bytes, filename: str = "", fmt: str | None = None,
             region: str | None = None) -> tuple[str, list[Item]]:
    """Resolve and read a whole file; a fatal RowError becomes ImportFailed."""
    fmt, payload = resolve(data, filename, fmt)
    items = list(records(fmt, payload, region))
    for it in items:
        if isinstance(it, RowError) and it.fatal:
            raise ImportFailed(f"{filename or 'the file'} is not a readable {fmt} file: "
                               f"line {it.line}: {it.reason}.")
    if not any(not isinstance(it, RowError) for it in items) and any(
        isinstance(it, RowError) for it in items
    ):
        first = next(it for it in items if isinstance(it, RowError))
        raise ImportFailed(f"no row of {filename or 'the file'} could be read as {fmt} "
                           f"(line {first.line}: {first.reason}).")
    return fmt, items
