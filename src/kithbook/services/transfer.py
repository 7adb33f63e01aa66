"""Import and export of files, dispatched by format through kithbook.services.formats."""

from __future__ import annotations

from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kithbook.errors import ImportFailed
from kithbook.io import json_backup
from kithbook.io.atomic import write_bytes, write_stream
from kithbook.services import formats

if TYPE_CHECKING:
    from kithbook.services.app import Services
    from kithbook.services.import_report import ImportReport


def read_bounded(path: str | Path, limit: int) -> bytes:
    p = Path(path).expanduser()
    if not p.exists():
        raise ImportFailed(f"{p} does not exist.", hint="Check the path.")
    if p.is_dir():
        raise ImportFailed(f"{p} is a folder, not a file.", hint="Give the file inside it.")
    size = p.stat().st_size
    if size == 0:
        raise ImportFailed(f"{p.name} is empty.", hint="Export the file again from its source.")
    if size > limit:
        from kithbook.io.intake import Limits, too_big

        try:
            with open(p, "rb") as fh:
                head = fh.read(4096)
        except OSError:
            head = b""
        raise too_big(size, head, p.name, Limits(file_bytes=limit))
    try:
        return p.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"cannot read {p}: {exc.strerror}") from exc


def detect(data: bytes, filename: str) -> str:
    return detect_and_decode(data, filename)[0]


def detect_and_decode(data: bytes, filename: str) -> tuple[str, str | None]:
    """The format of `data`, and `data` decoded when it is a text format the contact
    readers take, so that the reader does not decode it again."""
    if json_backup.looks_like(data[:4096]):
        return "json", None
    from kithbook.io import detect as io_detect

    if data.startswith(b"PK\x03\x04"):
        return "linkedin", None
    fmt = text = None
    if not (io_detect.looks_binary(data) or not data.strip()):
        text = io_detect.decode(data)
        fmt = io_detect.detect_text(text[:io_detect.SAMPLE_BYTES])
    if fmt:
        return fmt, None if fmt == "json" else text
    raise ImportFailed(
        f"cannot tell what kind of file {filename} is.",
        hint=f"Name its format, one of: {', '.join(sorted(formats.IMPORTERS))}.",
    )


def decode_for(fmt: str, data: bytes) -> str | None:
    """A file named as a contact format, decoded once here for the check that it is one
    and for its reader (a zip, a backup or a binary file is left to its reader)."""
    from kithbook.io import detect as io_detect

    if fmt == "json" or data.startswith(b"PK\x03\x04") or io_detect.looks_binary(data):
        return None
    return io_detect.decode(data)


class TransferService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    def import_file(
        self, path: str | Path, *, fmt: str | None = None, dry_run: bool = True, **opts: Any
    ) -> ImportReport:
        data = read_bounded(path, self.svc.config.max_import_bytes)
        return self.import_bytes(data, filename=Path(path).name, fmt=fmt, dry_run=dry_run, **opts)

    def import_bytes(
        self,
        data: bytes,
        *,
        filename: str,
        fmt: str | None = None,
        dry_run: bool = True,
        **opts: Any,
    ) -> ImportReport:
        from kithbook import collector
        from kithbook.io.intake import Limits, check_size

        check_size(data, filename, Limits.from_config(self.svc.config))  # io/intake.py
        detected = fmt is None  # then the importer need not detect it again
        if fmt is None:
            fmt, decoded = detect_and_decode(data, filename)
        else:
            decoded = decode_for(fmt, data)
        with collector.paused():
            report: ImportReport = formats.importer(fmt)(
                self.svc, data, filename=filename, dry_run=dry_run, fmt=fmt,
                format_detected=detected, decoded=decoded, **opts
            )
        return report

    def export_bytes(self, fmt: str, *, tag: str | None = None) -> bytes:
        return formats.exporter(fmt)(self.svc, tag=tag)

    def export_to(self, fmt: str, out: IO[bytes], *, tag: str | None = None) -> None:
        """Write an export to an open file (standard output): the JSON backup streams,
        a row at a time; the other formats are written whole."""
        if fmt == "json":
            from kithbook.services.backup import export_to

            export_to(self.svc, out)
        else:
            out.write(self.export_bytes(fmt, tag=tag))

    def export_file(self, fmt: str, path: str | Path, *, tag: str | None = None) -> Path:
        formats.exporter(fmt)  # an unknown format is refused before a file is made
        written = write_stream(path, lambda fh: self.export_to(fmt, fh, tag=tag))
        self.svc.database.note_written(written, "export")
        return written

    def write_file(self, path: str | Path, data: bytes, *, kind: str) -> Path:
        """Write an export atomically and remember it: an erasure names the copies it
        cannot reach."""
        written = write_bytes(path, data)
        self.svc.database.note_written(written, kind)
        return written
