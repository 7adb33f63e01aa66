"""The door every imported file comes through: the limits on what an import reads
(docs/architecture.md, "The import pipeline"; RELIABILITY.md, check 3).

A hostile file (a zip bomb, a million rows, a line of a hundred megabytes, JSON nested
ten thousand deep) is refused with one `ImportFailed` line while it is being read, in
bounded memory and before anything is written. The limits live here, at the file
layer, and nowhere in the format parsers:

- `file_bytes`: the file as given (compressed, for a zip);
- `expanded_bytes`, `ratio`, `entries`: a zip's member after expansion, its expansion
  ratio (checked once it passes 1 MiB) and the number of entries in the archive;
- `rows`: records in one file, counted as the parser yields them;
- `line_chars`: one physical line of a CSV file (a cell is capped by the parser);
- `depth`, `containers`: JSON nesting and the number of objects and arrays;
- `seconds`: the wall time of reading one file, checked at every record; the work one
  record can cost is bounded by the parsers' own caps (a cell, a vCard value, a date),
  so the limit holds within one record's worth of work.

The defaults fit every real export we know with room to spare: LinkedIn holds at most
30,000 connections and Google Contacts 25,000 contacts, so 50,000 rows per file is
generous and keeps an import's memory well under 256 MB. Each limit can be raised in
the config file (`max_import_bytes`, `max_import_rows`, ...; see RELIABILITY.md).
"""

from __future__ import annotations

import re
import struct
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from kithbook.errors import ImportFailed

MiB = 1024 * 1024
T = TypeVar("T")

RAISE_HINT = "If the file is genuine, raise {key} in the config file."


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 50 * MiB
    expanded_bytes: int = 50 * MiB
    ratio: int = 100
    entries: int = 10_000
    rows: int = 50_000
    line_chars: int = 1_000_000
    depth: int = 64
    containers: int = 2_000_000
    seconds: float = 120.0

    @classmethod
    def from_config(cls, config: object) -> Limits:
        """The limits a config object asks for (attributes `max_import_*`)."""
        base = cls()

        def pick(name: str, default: int | float) -> int | float:
            value = getattr(config, f"max_import_{name}", None)
            return default if value is None else value

        return cls(
            file_bytes=int(pick("bytes", base.file_bytes)),
            expanded_bytes=int(pick("expanded_bytes", base.expanded_bytes)),
            entries=int(pick("entries", base.entries)),
            rows=int(pick("rows", base.rows)),
            line_chars=int(pick("line_chars", base.line_chars)),
            seconds=float(pick("seconds", base.seconds)),
        )


DEFAULT = Limits()


def _refuse(message: str, key: str) -> ImportFailed:
    return ImportFailed(f"{message}; nothing was written.", hint=RAISE_HINT.format(key=key))


def size(n: int) -> str:
    """A byte count as people read it: 187 MB, 2 KB."""
    if n >= 10 * MiB:
        return f"{n / MiB:.0f} MB"
    if n >= MiB:
        return f"{n / MiB:.1f} MB"
    return f"{n // 1024} KB" if n >= 10 * 1024 else f"{n:,} bytes"


def check_size(data: bytes, name: str, limits: Limits = DEFAULT) -> None:
    if len(data) > limits.file_bytes:
        raise too_big(len(data), data[:4096], name, limits)


def too_big(n: int, head: bytes, name: str, limits: Limits = DEFAULT) -> ImportFailed:
    """The refusal of a file of `n` bytes over `file_bytes` (`head`: its first bytes).
    A Kithbook JSON backup is read in full, at about 4 times its size in memory (see
    io/json_backup.py): its line says so and names the tools that copy a whole database
    without reading it."""
    have, most = size(n), size(limits.file_bytes)
    if have == most:  # 40.4 MB against 40 MB: the bytes tell them apart
        have, most = f"{n:,} bytes", f"{limits.file_bytes:,} bytes"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and b"kithbook-backup" in head:
        return ImportFailed(
            f"{name} is {have}, more than the {most} a JSON backup "
            "may be: it is read in full, at about 4 times its size in memory; nothing was "
            "written.",
            hint="To copy a whole database, back it up and restore the backup (no size "
                 "limit); or, on a machine with the memory, raise max_import_bytes in the "
                 "config file.", remedy="database.backup")
    return _refuse(f"{name} is {have}, more than the {most} an import accepts",
                   "max_import_bytes")


# -- zip archives -------------------------------------------------------------------------

_EOCD = b"PK\x05\x06"


def _entry_count(data: bytes) -> int | None:
    """The number of entries the archive's end record declares (None if not found),
    read before the archive is opened: opening parses the whole central directory."""
    tail = data[-(65_535 + 22):]
    at = tail.rfind(_EOCD)
    if at < 0 or at + 22 > len(tail):
        return None
    (total,) = struct.unpack("<H", tail[at + 10:at + 12])
    return int(total)


def zip_member(data: bytes, name: str, wanted: str, limits: Limits = DEFAULT) -> bytes:
    """The bytes of the member called `wanted` (case-insensitive, in any folder),
    expanded in chunks and refused as soon as it passes the expanded size or ratio."""
    with ZipArchive(data, name, limits) as archive:
        return archive.required(wanted)


def optional_zip_member(data: bytes, name: str, wanted: str,
                        limits: Limits = DEFAULT) -> bytes | None:
    """As zip_member, None when the archive does not hold `wanted`."""
    with ZipArchive(data, name, limits) as archive:
        return archive.member(wanted)


_DAMAGE = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError,
           RuntimeError, ValueError, struct.error)


class ZipArchive:
    """A zip opened once: its entry count is checked and its directory read when it is
    opened, and each member is expanded on demand, bounded (a LinkedIn archive is read
    for Connections.csv, its other CSV files and Profile.csv from one opening)."""

    def __init__(self, data: bytes, name: str, limits: Limits = DEFAULT) -> None:
        self.name, self.limits = name, limits
        entries = _entry_count(data)
        if entries is not None and (entries >= 0xFFFF or entries > limits.entries):
            raise _refuse(f"{name} holds more than {limits.entries:,} files (a zip bomb?)",
                          "max_import_entries")
        try:
            self._zf = zipfile.ZipFile(_Reader(data))
            self._infos: dict[str, zipfile.ZipInfo] = {}
            for info in self._zf.infolist():
                self._infos.setdefault(info.filename.lower().rsplit("/", 1)[-1], info)
        except _DAMAGE as exc:
            raise _damaged(name, exc) from exc

    def __enter__(self) -> ZipArchive:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._zf.close()

    def required(self, wanted: str) -> bytes:
        found = self.member(wanted)
        if found is None:
            raise ImportFailed(f"the zip holds no {wanted} (is it a LinkedIn export?).")
        return found

    def member(self, wanted: str) -> bytes | None:
        """The bytes of the member called `wanted` (case-insensitive, in any folder),
        None when there is none; refused as soon as it passes the expanded size or
        ratio."""
        info = self._infos.get(wanted.lower())
        if info is None:
            return None
        name, limits = self.name, self.limits
        if info.file_size > limits.expanded_bytes:
            raise _refuse(f"{wanted} in {name} expands to {size(info.file_size)}, "
                          f"more than {size(limits.expanded_bytes)}",
                          "max_import_expanded_bytes")
        packed = max(info.compress_size, 1)
        out = bytearray()
        try:
            with self._zf.open(info) as fh:
                while True:
                    chunk = fh.read(1 * MiB)
                    if not chunk:
                        break
                    out += chunk
                    if len(out) > limits.expanded_bytes:
                        raise _refuse(
                            f"{wanted} in {name} expands to more than "
                            f"{size(limits.expanded_bytes)} (a zip bomb?)",
                            "max_import_expanded_bytes")
                    if len(out) > MiB and len(out) > limits.ratio * packed:
                        raise _refuse(
                            f"{wanted} in {name} expands more than {limits.ratio} times "
                            "(a zip bomb?)", "max_import_expanded_bytes")
        except _DAMAGE as exc:
            raise _damaged(name, exc) from exc
        return bytes(out)


def _damaged(name: str, exc: BaseException) -> ImportFailed:
    return ImportFailed(f"the zip file {name} is damaged or truncated "
                        f"({type(exc).__name__}); nothing was written.")


class _Reader:
    """A read-only file over bytes, without the copy io.BytesIO's seek may make."""

    def __init__(self, data: bytes) -> None:
        self._view = memoryview(data)
        self._pos = 0

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._pos, len(self._view))[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def read(self, n: int = -1) -> bytes:
        end = len(self._view) if n is None or n < 0 else min(len(self._view), self._pos + n)
        out = bytes(self._view[self._pos:end])
        self._pos = end
        return out


# -- text -------------------------------------------------------------------------------

def check_lines(data: bytes, name: str, limits: Limits = DEFAULT) -> None:
    """Refuse a CSV file with a physical line longer than `line_chars` bytes (a row of
    a million commas would become a million cells before any parser could object)."""
    if len(data) <= limits.line_chars:
        return
    import numpy as np

    step = 8 * MiB
    line_start = 0  # offset where the current line began
    lines = 0
    for at in range(0, len(data), step):
        chunk = np.frombuffer(data, dtype=np.uint8, count=min(step, len(data) - at), offset=at)
        ends = np.flatnonzero((chunk == 10) | (chunk == 13)) + at
        if len(ends):
            starts = np.concatenate(([line_start], ends[:-1] + 1))
            longest = int(np.argmax(ends - starts))
            if ends[longest] - starts[longest] > limits.line_chars:
                _long_line(data, name, limits, int(starts[longest]))
            lines += len(ends)
            line_start = int(ends[-1]) + 1
        if min(at + step, len(data)) - line_start > limits.line_chars:
            _long_line(data, name, limits, line_start)


def _long_line(data: bytes, name: str, limits: Limits, start: int) -> None:
    line = data.count(b"\n", 0, start) + 1
    raise _refuse(f"line {line} of {name} is longer than {limits.line_chars:,} characters",
                  "max_import_line_chars")


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def lines(text: str) -> Iterator[str]:
    """The lines of `text` with their endings, as `io.StringIO(text, newline="")` gives
    them, without its copy of the whole text at four bytes a character."""
    for m in _LINE.finditer(text):
        yield m.group()


# -- records ----------------------------------------------------------------------------

class Budget:
    """Counts the records of one file and the time spent reading it."""

    def __init__(self, name: str, limits: Limits = DEFAULT, *, what: str = "rows") -> None:
        self.name = name
        self.limits = limits
        self.what = what
        self.count = 0
        self.started = time.monotonic()

    def tick(self, n: int = 1) -> None:
        self.count += n
        if self.count > self.limits.rows:
            raise _refuse(f"{self.name} has more than {self.limits.rows:,} {self.what}",
                          "max_import_rows")
        self.check_time()  # every record: one costs at most its capped fields' work

    def check_time(self) -> None:
        if time.monotonic() - self.started > self.limits.seconds:
            raise _refuse(f"reading {self.name} took more than {self.limits.seconds:.0f} s "
                          f"({self.count:,} {self.what} read)", "max_import_seconds")


def bounded(items: Iterable[T], name: str, limits: Limits = DEFAULT, *,
            what: str = "rows") -> Iterator[T]:
    """`items` as they come, refused as soon as there are too many or they take too long."""
    budget = Budget(name, limits, what=what)
    for item in items:
        budget.tick()
        yield item
    budget.check_time()


# -- JSON -------------------------------------------------------------------------------

def check_json_shape(data: bytes, name: str, limits: Limits = DEFAULT) -> None:
    """Before JSON is parsed: not more objects and arrays than `containers` (counted on
    the bytes, an upper bound) and not nested deeper than `depth`."""
    containers = data.count(b"{") + data.count(b"[")
    if containers > limits.containers:
        raise _refuse(f"{name} holds more than {limits.containers:,} JSON objects and "
                      "arrays", "max_import_rows")
    # the deepest run of opening brackets (whitespace between them allowed) bounds the
    # nesting from below; json.loads' own recursion limit is the last guard
    if containers > limits.depth:
        deep = re.search(rb"(?:[\[{]\s*){%d}" % (limits.depth + 1), data)
        if deep is not None:
            raise ImportFailed(f"{name} is nested more than {limits.depth} levels deep; "
                               "a Kithbook backup never is. Nothing was written.")


# -- capture ----------------------------------------------------------------------------

@dataclass(frozen=True)
class CaptureLimits:
    """What capture reads (io/mail.py, io/calendar_capture.py). A mailbox of 100,000
    messages is normal, so there is no count of messages: one message over the limits is
    skipped and counted in `capture report` under its reason, and the run goes on. A
    calendar file over them is refused whole with one line.

    - `message_bytes`: one message (Exchange accepts up to 150 MB; Gmail sends 25 MB
      of attachments, about 35 MB encoded); its header is capped at mail.HEAD_CAP;
    - `nesting`: MIME multiparts in what is read of a message, and components nested in
      a calendar (a real one nests 3 deep: VCALENDAR, VEVENT, VALARM);
    - `calendar_bytes`, `events`: one .ics file or CalDAV object (a busy calendar holds
      a few thousand events a year).
    """

    message_bytes: int = 150 * MiB
    nesting: int = 32
    calendar_bytes: int = 50 * MiB
    events: int = 100_000

    @classmethod
    def from_config(cls, config: object) -> CaptureLimits:
        base = cls()

        def pick(name: str, default: int) -> int:
            value = getattr(config, f"max_capture_{name}", None)
            return default if value is None else int(value)

        return cls(message_bytes=pick("message_bytes", base.message_bytes),
                   calendar_bytes=pick("calendar_bytes", base.calendar_bytes),
                   events=pick("events", base.events))


CAPTURE = CaptureLimits()

_COMPONENT = re.compile(rb"^[ \t]*(BEGIN|END)[ \t]*:[ \t]*([A-Za-z0-9-]*)", re.I | re.M)


def check_calendar(data: bytes, name: str, limits: CaptureLimits = CAPTURE) -> None:
    """Before an iCalendar text is parsed (the parser holds all of it, at many times its
    size): not larger than `calendar_bytes`, not more than `events` VEVENTs, components
    not nested deeper than `nesting`."""
    if len(data) > limits.calendar_bytes:
        raise _refuse(f"{name} is {size(len(data))}, more than the "
                      f"{size(limits.calendar_bytes)} a calendar file may be",
                      "max_capture_calendar_bytes")
    depth = events = 0
    for m in _COMPONENT.finditer(data):
        if m.group(1).upper() == b"BEGIN":
            depth += 1
            if depth > limits.nesting:
                raise ImportFailed(f"{name} nests calendar components more than "
                                   f"{limits.nesting} deep; no calendar does. Nothing was "
                                   "written.")
            if m.group(2).upper() == b"VEVENT":
                events += 1
                if events > limits.events:
                    raise _refuse(f"{name} holds more than {limits.events:,} events",
                                  "max_capture_events")
        else:
            depth = max(0, depth - 1)
