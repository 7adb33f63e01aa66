"""Reading mail for capture: headers into `MailFacts`, mbox files streamed by byte
offset, Maildir folders by file time. Bodies are never kept; a snippet is read only
when the source's privacy level asks for it; attachments never.

Memory stays bounded whatever the input: a message contributes at most HEAD_CAP bytes
of header and BODY_CAP bytes of body to memory, and an mbox is read in 1 MiB blocks.
So does the work per message: `screen` skips a message over the capture limits
(io/intake.py, CaptureLimits) with a reason the run report counts, and the header
values decoded are capped (ADDRESS_CHARS, DECODE_CHARS)."""

from __future__ import annotations

import email.policy
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from kithbook.domain.capture import MailFacts, Party, canonical_address
from kithbook.errors import ImportFailed
from kithbook.io.intake import CAPTURE, CaptureLimits
from kithbook.io.intake import size as human_size

HEAD_CAP = 256 * 1024
BODY_CAP = 16 * 1024
BLOCK = 1 << 20
SNIPPET_CHARS = 200
KEY_CAP = 490
ADDRESS_CHARS = 64 * 1024  # of one address header: 1,000 addresses and more
MAX_ADDRESSES = 1_000  # per message (more than MAX_PARTIES is skipped as a broadcast)
DECODE_CHARS = 2_000  # of a subject or a display name, decoded (300 are kept)

_ID = re.compile(rb"<([^<>\s]{1,998})>")
_ID_STR = re.compile(r"<([^<>\s]{1,998})>")
_SPACES = re.compile(r"\s+")


@dataclass
class RawMail:
    """One message as read from a source: where it is, and its first bytes."""

    locator: str  # file + offset, file name, folder + UID
    head: bytes  # header block, possibly capped
    body: bytes  # the first bytes of the body (empty unless a snippet is wanted)
    size: int
    fallback_when: datetime | None = None  # the file time, ...
    cursor: object = None  # the source's position after this message
    from_line: bytes = b""  # the mbox separator, read for a date only when Date fails
    head_truncated: bool = False  # the header block was longer than HEAD_CAP


_MULTIPART = re.compile(rb"multipart/", re.I)


def screen(raw: RawMail, limits: CaptureLimits = CAPTURE, *, snippet: bool = False
           ) -> str | None:
    """Why a message is not read at all (the reason `capture report` counts), or None.
    A real message is never this large, its header never this long, and its MIME parts
    never nest this deep (counted as multipart declarations: an upper bound of the depth,
    read only when a snippet makes the body parsed)."""
    if raw.size > limits.message_bytes:
        return f"larger than {human_size(limits.message_bytes)}"
    if raw.head_truncated:
        return f"header longer than {HEAD_CAP // 1024} KB"
    if snippet and raw.body:
        parts = sum(1 for _ in _MULTIPART.finditer(raw.head)) + sum(
            1 for _ in _MULTIPART.finditer(raw.body))
        if parts > limits.nesting:
            return f"MIME parts nested more than {limits.nesting} deep"
    return None


def item_key(value: str) -> str:
    """A key short enough for the index: long ids are hashed, never cut (two long ids
    sharing a prefix must stay apart)."""
    if len(value) <= KEY_CAP:
        return value
    return "sha256:" + hashlib.sha256(value.encode("utf-8", "surrogateescape")).hexdigest()


def _text(value: object) -> str:
    """A header as text: RFC 2047 encoded words decoded, stray bytes replaced."""
    raw = str(value)[:DECODE_CHARS]
    if "=?" not in raw:
        return raw
    try:
        return str(make_header(decode_header(raw)))
    except (UnicodeError, LookupError, ValueError, email.errors.HeaderParseError):
        return raw


_FOLD = re.compile(r"\r?\n[ \t]")
_WANTED = frozenset({"message-id", "references", "in-reply-to", "from", "to", "cc", "date",
                     "subject", "x-gm-thrid", "auto-submitted", "precedence", "list-id",
                     "list-unsubscribe"})
_NAMED = re.compile(r"^\s*(.*?)\s*<([^<>\s@]+@[^<>\s@]+)>\s*$")
_BARE = re.compile(r"^\s*<?([^<>\s@,]+@[^<>\s@,]+?)>?\s*$")


def headers(head: bytes) -> dict[str, list[str]]:
    """The header fields capture reads, unfolded: a fraction of the cost of the
    standard parser, which builds every field of every message."""
    text = head.decode("utf-8", "replace")
    out: dict[str, list[str]] = {}
    for line in _FOLD.sub(" ", text).split("\n"):
        name, colon, value = line.partition(":")
        if not colon:
            continue
        key = name.strip().lower()
        if key in _WANTED:
            out.setdefault(key, []).append(value.strip())
    return out


def _split(values: list[str]) -> list[tuple[str, str]]:
    """(display name, address) pairs; simple lists by pattern, the rest (quotes,
    comments, groups) by the standard library's RFC 5322 parser."""
    out: list[tuple[str, str]] = []
    for value in values:
        if len(out) >= MAX_ADDRESSES:
            break
        value = value[:ADDRESS_CHARS]
        if any(c in value for c in '"(;\\:'):
            out += getaddresses([value])
            continue
        for item in value.split(","):
            m = _NAMED.match(item) or _BARE.match(item)
            if m is None:
                out += getaddresses([item])
            elif m.lastindex == 2:
                out.append((m.group(1), m.group(2)))
            else:
                out.append(("", m.group(1)))
    return out[:MAX_ADDRESSES]


def _parties(values: list[str]) -> list[Party]:
    out: list[Party] = []
    for name, addr in _split(values):
        if "@" not in addr or len(addr) > 320:
            continue
        display = _SPACES.sub(" ", _text(name)).strip() if name else None
        out.append(Party(canonical_address(addr), display or None))
    return out


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    if not 1980 <= dt.year <= 2200:
        return None
    return dt.astimezone(UTC)


def split_head(raw: bytes) -> tuple[bytes, bytes]:
    """Header block and the start of the body."""
    for sep in (b"\r\n\r\n", b"\n\n"):
        i = raw.find(sep)
        if i >= 0:
            return raw[: i + len(sep)], raw[i + len(sep) :]
    return raw, b""


def _snippet(head: bytes, body: bytes) -> str | None:
    """The first words of the first text part, decoded; None when there is none."""
    try:
        msg = BytesParser(policy=email.policy.default).parsebytes(head + body[:BODY_CAP])
        part = msg.get_body(preferencelist=("plain",)) if msg.is_multipart() else msg
        if part is None or part.get_content_type() != "text/plain":
            return None
        text = part.get_content()
    except Exception:  # a truncated or malformed body: no snippet, never a failure
        return None
    if not isinstance(text, str):
        return None
    lines = [ln for ln in text.splitlines() if not ln.startswith(">")]
    out = _SPACES.sub(" ", " ".join(lines)).strip()
    return out[:SNIPPET_CHARS] or None


def facts(raw: RawMail, *, subject: bool = False, snippet: bool = False) -> MailFacts:
    """Read a message's headers. Never raises on bad input: what cannot be read is None,
    and the rules then skip the message with a reason."""
    head = raw.head
    if head.startswith(b"From "):  # the mbox separator line is no header
        head = head.split(b"\n", 1)[1] if b"\n" in head else b""
    h = headers(head)

    def one(name: str) -> str:
        found = h.get(name)
        return found[0] if found else ""

    mids = _ID_STR.findall(one("message-id"))
    refs = _ID_STR.findall(one("references"))
    refs += [r for r in _ID_STR.findall(one("in-reply-to")) if r not in refs]
    senders = _parties(h.get("from", []))
    recipients = _parties([*h.get("to", []), *h.get("cc", [])])
    when = _when(one("date")) or (_from_line_date(raw.from_line) if raw.from_line
                                  else None) or raw.fallback_when
    subj = _SPACES.sub(" ", _text(one("subject"))).strip()[:300] if subject else None
    return MailFacts(
        message_id=item_key(mids[0]) if mids else None,
        sender=senders[0] if senders else None,
        recipients=recipients,
        when=when,
        refs=[item_key(r) for r in refs[:50]],
        gm_thread=one("x-gm-thrid") or None,
        subject=subj or None,
        snippet=_snippet(head, raw.body) if snippet else None,
        size=raw.size,
        auto_submitted=one("auto-submitted") or None,
        precedence=one("precedence") or None,
        list_id=one("list-id") or None,
        list_unsubscribe="list-unsubscribe" in h,
    )


def synthetic_key(raw: RawMail, m: MailFacts) -> str:
    """A stable key for a message without a Message-ID: its sender, recipients, date and
    size, so the same message read twice gets the same key."""
    parts = [
        m.sender.address if m.sender else "",
        ",".join(p.address for p in m.recipients),
        m.when.isoformat() if m.when else "",
        str(raw.size),
    ]
    return "nomid:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


# -- mbox -------------------------------------------------------------------------------


def _from_line_date(line: bytes) -> datetime | None:
    """`From sender Sat Jan  3 01:05:34 1996`: the date the delivery agent wrote."""
    try:
        text = line.decode("ascii", "replace").split(None, 2)[2].strip()
        return datetime.strptime(_SPACES.sub(" ", text)[:24], "%a %b %d %H:%M:%S %Y").replace(
            tzinfo=UTC
        )
    except (IndexError, ValueError):
        return None


def mbox_fingerprint(path: Path, offset: int) -> dict[str, object]:
    """What identifies the part of an mbox already read: its start and the bytes just
    before `offset`. A file that was rewritten (compacted) no longer matches."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
        fh.seek(max(0, offset - 4096))
        tail = fh.read(min(4096, offset))
    return {
        "offset": offset,
        "head": hashlib.sha256(head).hexdigest(),
        "tail": hashlib.sha256(tail).hexdigest(),
    }


def mbox_resume_offset(path: Path, cursor: dict[str, object] | None) -> int:
    """Where to start reading: after what was read before, if the file still begins
    with it; else from the start (duplicates are avoided by message keys anyway)."""
    if not cursor:
        return 0
    offset = cursor.get("offset")
    if not isinstance(offset, int) or offset <= 0 or offset > path.stat().st_size:
        return 0
    return offset if mbox_fingerprint(path, offset) == cursor else 0


def _message(path: Path, start: int, end: int, first: bytearray,
             want_body: bool) -> RawMail:
    head, body = split_head(bytes(first))
    line_end = head.find(b"\n")
    return RawMail(
        locator=f"{path.name}@{start}",
        head=head[:HEAD_CAP],
        body=body[:BODY_CAP] if want_body else b"",
        size=end - start,
        from_line=head[:line_end] if line_end > 0 else b"",
        cursor=end,
        head_truncated=len(head) > HEAD_CAP,
    )


def iter_mbox(path: Path, start: int = 0, *, want_body: bool = False) -> Iterator[RawMail]:
    """Stream the messages of an mbox (mboxo, mboxrd; `From ` starts a message, as in
    the standard library) from byte `start`. Each carries `cursor` = the offset after it."""
    cap = HEAD_CAP + BODY_CAP
    if start and start >= path.stat().st_size:
        return  # nothing after what was read before
    with open(path, "rb") as fh:
        fh.seek(start)
        if fh.read(5) != b"From ":
            if start == 0 and path.stat().st_size > 0:
                raise ImportFailed(
                    f"{path.name} is not an mbox file (it does not begin with a 'From ' line).",
                    hint="Export the folder as mbox, or add it as a Maildir folder.",
                )
            if start == 0:
                return
            start = 0  # the file changed under the cursor; read it all again
        fh.seek(start)
        msg_start = start
        first = bytearray()
        carry = b""
        scanned = start
        while True:
            block = fh.read(BLOCK)
            if not block:
                break
            data = carry + block
            base = scanned - len(carry)
            scanned += len(block)
            i = 0
            while True:
                j = data.find(b"\nFrom ", i)
                if j < 0:
                    break
                end = base + j + 1
                if end > msg_start:
                    if len(first) < cap:
                        first += data[i : j + 1][: cap - len(first)]
                    yield _message(path, msg_start, end, first, want_body)
                    msg_start = end
                    first = bytearray()
                i = j + 1
            keep = max(i, len(data) - 5)
            if len(first) < cap:
                first += data[i:keep][: cap - len(first)]
            carry = data[keep:]
        if len(first) < cap:
            first += carry[: cap - len(first)]
        if scanned > msg_start:
            yield _message(path, msg_start, scanned, first, want_body)


# -- Maildir ----------------------------------------------------------------------------


def maildir_files(root: Path, after: tuple[int, str] | None) -> list[tuple[int, str, Path]]:
    """Message files in cur/ and new/ (and one level of Maildir++ sub-folders), in the
    order of their modification time, after the (time, name) a previous run reached."""
    if not (root / "cur").is_dir() and not (root / "new").is_dir():
        raise ImportFailed(
            f"{root} is not a Maildir folder (it has no cur/ or new/ folder).",
            hint="Point at the folder that holds cur/, new/ and tmp/.",
        )
    dirs = [root / "cur", root / "new"]
    dirs += [d / sub for d in sorted(root.glob(".*")) if d.is_dir()
             for sub in ("cur", "new")]
    out: list[tuple[int, str, Path]] = []
    for d in dirs:
        if not d.is_dir():
            continue
        with os.scandir(d) as it:
            for entry in it:
                if entry.name.startswith(".") or not entry.is_file():
                    continue
                st = entry.stat()
                # the unique part of the name survives flag changes (":2,S")
                rel = str(Path(entry.path).relative_to(root))
                key = (st.st_mtime_ns, rel)
                if after is not None and key <= after:
                    continue
                out.append((st.st_mtime_ns, rel, Path(entry.path)))
    out.sort()
    return out


def read_maildir_file(root: Path, mtime_ns: int, rel: str, path: Path, *,
                      want_body: bool) -> RawMail:
    size = path.stat().st_size
    with open(path, "rb") as fh:
        first = fh.read(HEAD_CAP + BODY_CAP)
    head, body = split_head(first)
    return RawMail(
        locator=rel.split(":", 1)[0],
        head=head[:HEAD_CAP],
        body=body[:BODY_CAP] if want_body else b"",
        size=size,
        fallback_when=datetime.fromtimestamp(mtime_ns / 1e9, UTC),
        cursor=[mtime_ns, rel],
        head_truncated=len(head) > HEAD_CAP,
    )
