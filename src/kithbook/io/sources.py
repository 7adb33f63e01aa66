"""One entry point for the contact readers: bytes in, (format, stream of records) out.
Refuses, with one ImportFailed line, what is empty, binary, huge or not the format."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, tzinfo

from kithbook.errors import ImportFailed
from kithbook.io import detect, intake
from kithbook.io.linkedin_archive import ArchiveTouch, Party
from kithbook.io.records import ImportedContact, ImportedTie, RowError

CONTACT_FORMATS = ("linkedin", "google", "outlook", "vcard")
MAX_BYTES = detect.MAX_BYTES

Item = ImportedContact | ImportedTie | RowError


def resolve(data: bytes, filename: str = "", fmt: str | None = None,
            max_bytes: int = MAX_BYTES,
            limits: intake.Limits | None = None,
            detected: bool = False, text: str | None = None,
            archive: intake.ZipArchive | None = None) -> tuple[str, bytes]:
    """The format and the bytes to parse (a LinkedIn zip is opened here, bounded, unless
    the caller opened it already: `archive`). `detected`: `fmt` was detected from these
    bytes already, not named by the user, so it is not checked against the content
    again. `text`: `data` decoded already."""
    name = filename or "the file"
    limits = limits or intake.Limits(file_bytes=max_bytes)
    intake.check_size(data, name, limits)
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportFailed(f"{name} is empty.")
    if data.startswith(b"PK\x03\x04"):
        if fmt not in (None, "linkedin"):
            raise ImportFailed(f"{name} is a zip archive, not a {fmt} file.")
        member = (archive.required("Connections.csv") if archive is not None
                  else intake.zip_member(data, name, "Connections.csv", limits))
        if detect.looks_binary(member):
            raise ImportFailed(f"Connections.csv in {name} is binary, not a contacts file.")
        return "linkedin", member
    if detect.looks_binary(data):
        raise ImportFailed(f"{name} is binary, not a contacts file.")
    if fmt is None:
        fmt = detect.detect(data, filename)
    elif fmt not in detect.FORMATS:
        raise ImportFailed(f"unknown format {fmt!r}.",
                           hint=f"Use one of {', '.join(detect.FORMATS)}.")
    elif not detected:
        sample = text[:detect.SAMPLE_BYTES] if text is not None else \
            detect.decode(detect.head(data))
        seen = detect.detect_text(sample)
        if seen is not None and seen != fmt:
            raise ImportFailed(f"{name} looks like a {seen} file, not {fmt}.",
                               hint=f"Name the format {seen}, or let Kithbook detect it.",
                               field="format")
    return fmt, data


def records(fmt: str, data: bytes, region: str | None = None,
            text: str | None = None, zone: tzinfo = UTC) -> Iterator[Item]:
    """Stream the records of an already resolved file (`text`: `data` decoded already;
    `zone`: the user's time zone, for times a file writes without one)."""
    if text is None:
        text = detect.decode(data)
    if fmt == "linkedin":
        from kithbook.io import linkedin

        yield from linkedin.parse(text, region, zone)
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
             region: str | None = None,
             limits: intake.Limits | None = None,
             detected: bool = False, text: str | None = None,
             archive: intake.ZipArchive | None = None,
             zone: tzinfo = UTC) -> tuple[str, list[Item]]:
    """Resolve and read a whole file, within `limits` (io/intake.py); a fatal RowError
    becomes ImportFailed. `text`: the whole of `data`, decoded already by detection;
    `archive`: `data`, a zip, opened already."""
    limits = limits or intake.DEFAULT
    name = filename or "the file"
    fmt, payload = resolve(data, filename, fmt, limits=limits, detected=detected,
                           text=text, archive=archive)
    if fmt != "vcard":
        intake.check_lines(payload, name, limits)
    text = text if payload is data else None  # a zip's member was never decoded
    items = list(intake.bounded(records(fmt, payload, region, text, zone), name, limits,
                                what="cards" if fmt == "vcard" else "rows"))
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


def archive_touches(data: bytes | intake.ZipArchive, filename: str = "",
                    limits: intake.Limits | None = None, zone: tzinfo = UTC
                    ) -> tuple[list[ArchiveTouch], list[RowError], list[str]]:
    """What a LinkedIn archive zip holds beyond Connections.csv (io/linkedin_archive.py):
    the touches, the rows that could not be read (the reason names the file) and the
    members found (the owner, from Profile.csv, is archive_owner's). Each member is read
    within `limits`, as Connections.csv is; a zip that is not an archive, or holds none
    of them, gives nothing. `data`: the zip's bytes, or the zip opened already (its own
    limits apply then); `zone`: the user's time zone, for times written without one
    (the 2018 export's)."""
    from kithbook.io import linkedin_archive

    if isinstance(data, intake.ZipArchive):
        zf = data
    elif not data.startswith(b"PK\x03\x04"):
        return [], [], []
    else:
        try:
            opened = intake.ZipArchive(data, filename or "the file", limits or intake.DEFAULT)
        except ImportFailed as exc:  # the connections are refused for it already
            return [], [RowError(0, f"the archive was not read: {exc.message}")], []
        with opened:
            return archive_touches(opened, filename, zone=zone)
    limits = zf.limits
    name = zf.name
    touches: list[ArchiveTouch] = []
    errors: list[RowError] = []
    found: list[str] = []
    for member in linkedin_archive.MEMBERS:
        try:
            payload = zf.member(member)
            if payload is None:
                continue
            found.append(member)
            mine, theirs = _member_touches(member, payload, f"{member} in {name}", limits,
                                           zone)
        except ImportFailed as exc:
            # a member over the limits (or damaged) costs its own touches, never the
            # connections: it is skipped whole and reported
            why = exc.message.removesuffix("; nothing was written.").removesuffix(".")
            errors.append(RowError(0, f"{member} was not read: {why}"
                                   + (f". {exc.hint}" if exc.hint else "")))
            continue
        touches += mine
        errors += theirs
    return touches, errors, found


def _member_touches(member: str, payload: bytes, where: str, limits: intake.Limits,
                    zone: tzinfo = UTC) -> tuple[list[ArchiveTouch], list[RowError]]:
    from kithbook.io import linkedin_archive

    touches: list[ArchiveTouch] = []
    errors: list[RowError] = []
    if detect.looks_binary(payload):
        return [], [RowError(0, f"{member}: binary, not a CSV file")]
    intake.check_lines(payload, where, limits)
    for it in intake.bounded(linkedin_archive.parse(member, detect.decode(payload), zone),
                             where, limits):
        if isinstance(it, RowError):
            if not it.fatal or "no header" not in it.reason:
                errors.append(RowError(it.line, f"{member}: {it.reason}", it.fatal))
            else:
                errors.append(RowError(0, f"{member}: not in a format LinkedIn wrote"))
        else:
            touches.append(it)
    return touches, errors


def archive_owner(data: bytes | intake.ZipArchive, filename: str = "",
                  limits: intake.Limits | None = None) -> Party | None:
    """The archive owner's name from its Profile.csv, None without one."""
    from kithbook.io import linkedin_archive

    if isinstance(data, intake.ZipArchive):
        payload = data.member("Profile.csv")
    elif not data.startswith(b"PK\x03\x04"):
        return None
    else:
        payload = intake.optional_zip_member(data, filename or "the file", "Profile.csv",
                                             limits or intake.DEFAULT)
    if payload is None or detect.looks_binary(payload) or len(payload) > intake.MiB:
        return None
    return linkedin_archive.parse_profile(detect.decode(payload))
