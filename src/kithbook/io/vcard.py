"""vCard 2.1 / 3.0 / 4.0 reader: a tolerant, linear-time content-line parser.

Why not vobject's parser: on real exports it loses data (FN with an unescaped comma
keeps only the first part; `URL:http\\://` keeps the backslash), fails whole files
(`\\r\\r\\n`, 2.1 quoted-printable soft breaks, 2.1 base64 photos, Lotus `PROFILE:`),
and its content-line regex can backtrack for seconds on one hostile line. This reader
never uses a regex over a whole line, caps every size, and turns every broken card into
a RowError. vobject stays the reference reader for what `vcard_export` writes.
"""

from __future__ import annotations

import base64
import binascii
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from kithbook.io import normalize as n
from kithbook.io.csv_common import birthday
from kithbook.io.records import Address, ImportedContact, Parsed, RowError, Value

MAX_LINE = 8 * 1024 * 1024  # one logical line (a photo can be large)
MAX_TEXT = 100_000  # any text value
MAX_PROPS = 5_000  # per card
_NAME_OK = re.compile(r"^[A-Za-z0-9-]{1,100}$")
_B64_LINE = re.compile(r"^[A-Za-z0-9+/=\s]*$")
_AB_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")


@dataclass
class Prop:
    group: str | None
    name: str
    params: dict[str, list[str]]
    value: str
    line: int
    types: list[str] = field(default_factory=list)


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Unfold (CRLF + one space/tab), join QP soft breaks and 2.1 base64 blocks.

    A logical line is gathered in pieces and joined once (joining as it goes copies the
    line so far at every continuation: quadratic in a value of many soft breaks), and
    every kind of continuation counts towards MAX_LINE."""
    text = re.sub(r"\r+\n|\r", "\n", text)
    lines = text.split("\n")
    cur: list[str] | None = None
    size = 0
    cur_no = 0
    qp = b64 = False
    for no, raw in enumerate(lines, start=1):
        if cur is not None and not raw and no < len(lines) and lines[no][:1] in (" ", "\t"):
            continue  # a stray blank line inside a folded value (\r\r\n read as text)
        if cur is not None:
            piece: str | None = None
            if raw[:1] in (" ", "\t"):
                piece = raw[1:]
            elif qp and cur[-1].endswith("="):
                cur[-1] = cur[-1][:-1]
                if not cur[-1] and len(cur) > 1:
                    cur.pop()
                size -= 1
                piece = raw
            elif b64 and raw.strip() and ":" not in raw and _B64_LINE.match(raw[:200]):
                piece = raw.strip()
            if piece is not None:
                if size + len(piece) > MAX_LINE:
                    yield cur_no, "\x00too-long"
                    cur = None
                    continue
                if piece:
                    cur.append(piece)
                    size += len(piece)
                continue
            yield cur_no, "".join(cur)
            cur = None
        if not raw.strip():
            continue
        cur, size, cur_no = [raw], len(raw), no
        head = raw[:2000].upper().split(":", 1)[0]
        qp = "QUOTED-PRINTABLE" in head
        b64 = "BASE64" in head or "ENCODING=B" in head
    if cur is not None:
        yield cur_no, "".join(cur)


def _split_line(line: str, no: int) -> Prop | None:
    """`[group.]NAME(;param)*:value` by a single left-to-right scan."""
    in_quote = False
    colon = -1
    limit = min(len(line), 10_000)
    for i in range(limit):
        ch = line[i]
        if ch == '"':
            in_quote = not in_quote
        elif ch == ":" and not in_quote:
            colon = i
            break
    if colon < 0:
        return None
    head, value = line[:colon], line[colon + 1 :]
    parts = _split_params(head)
    name = parts[0]
    group = None
    if "." in name:
        group, name = name.rsplit(".", 1)
        group = group.lower()
    if not _NAME_OK.match(name):
        return None
    params: dict[str, list[str]] = {}
    types: list[str] = []
    for p in parts[1:]:
        key, eq, val = p.partition("=")
        key = key.strip().upper()
        if not eq:  # vCard 2.1 bare parameter: TEL;CELL;PREF
            if key in ("QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"):
                params.setdefault("ENCODING", []).append(key)
            else:
                types.append(key.lower())
            continue
        vals = [_rfc6868(v.strip().strip('"')) for v in _split_unquoted(val, ",")]
        if key == "TYPE":
            types.extend(v.lower() for v in vals if v)
        else:
            params.setdefault(key, []).extend(vals)
    return Prop(group, name.upper(), params, value, no, types)


def _split_params(head: str) -> list[str]:
    return _split_unquoted(head, ";")


def _split_unquoted(text: str, sep: str) -> list[str]:
    out: list[str] = []
    buf: list[str] = []
    q = False
    for ch in text:
        if ch == '"':
            q = not q
        if ch == sep and not q:
            out.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    out.append("".join(buf))
    return out


def _rfc6868(v: str) -> str:
    if "^" not in v:
        return v
    return re.sub(r"\^([n'^])", lambda m: {"n": "\n", "'": '"', "^": "^"}[m.group(1)], v)


_ESC = {"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\", ":": ":"}


def unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return re.sub(r"\\(.)", lambda m: _ESC.get(m.group(1), "\\" + m.group(1)), text)


def split_structured(text: str, sep: str = ";") -> list[str]:
    """Split on unescaped separators, then unescape each part."""
    out, buf, i = [], [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            buf.append(text[i : i + 2])
            i += 2
            continue
        if ch == sep:
            out.append(unescape("".join(buf)))
            buf = []
        else:
            buf.append(ch)
        i += 1
    out.append(unescape("".join(buf)))
    return out


def _decoded(p: Prop) -> str:
    """The raw (still escaped) value with quoted-printable and charsets undone."""
    enc = [e.upper() for e in p.params.get("ENCODING", [])]
    if "QUOTED-PRINTABLE" in enc:
        raw = quopri.decodestring(p.value.encode("utf-8", "surrogateescape"))
        charset = (p.params.get("CHARSET") or ["utf-8"])[0]
        try:
            return raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start > len(raw) // 2:  # mostly UTF-8 with a stray byte
                return raw.decode("utf-8", errors="replace")
            return raw.decode("cp1252", errors="replace")
    return p.value


def _text(p: Prop) -> str | None:
    return n.clean(unescape(_decoded(p)), MAX_TEXT)


_SKIP_TYPES = {"internet", "pref", "voice", "x400", "x-internet", "text"}
_MEDIA = {"jpeg": "image/jpeg", "jpg": "image/jpeg", "png": "image/png", "gif": "image/gif"}


def _label(p: Prop, labels: dict[str, str]) -> str | None:
    if p.group and p.group in labels:
        return labels[p.group]
    kept = [t for t in p.types if t not in _SKIP_TYPES]
    return ",".join(kept)[:60] if kept else None


def _is_pref(p: Prop) -> bool:
    return "pref" in p.types or bool(p.params.get("PREF"))


def _photo(p: Prop) -> str | None:
    value = p.value.strip().replace("\\,", ",").replace("\\:", ":")
    if value.startswith("data:") or value.lower().startswith(("http://", "https://")):
        return value if len(value) <= MAX_LINE else None
    enc = [e.upper() for e in p.params.get("ENCODING", [])]
    if enc and enc[0] in ("B", "BASE64"):
        data = re.sub(r"\s+", "", value)
        try:
            base64.b64decode(data[:4096] + "=" * (-len(data[:4096]) % 4), validate=True)
        except (binascii.Error, ValueError):
            return None
        kind = next((t for t in p.types if t in _MEDIA), None)
        media = _MEDIA.get(kind or "", "image/jpeg")
        return f"data:{media};base64,{data}"
    return None


def _card(props: list[Prop], start: int) -> Parsed:
    labels: dict[str, str] = {}
    for p in props:
        if p.name == "X-ABLABEL" and p.group:
            text = unescape(_decoded(p)).strip()
            m = _AB_LABEL.match(text)
            labels[p.group] = (m.group(1) if m else text)[:60]
    c = ImportedContact(name="", line=start)
    fn: str | None = None
    parts: list[str] = []
    notes: list[str] = []
    for p in props:
        name = p.name
        if name == "FN" and fn is None:
            fn = _text(p)
        elif name == "N" and not parts:
            parts = [x.strip() for x in split_structured(_decoded(p))] + [""] * 5
        elif name == "NICKNAME":
            c.nickname = c.nickname or _text(p)
        elif name == "EMAIL":
            v = _text(p)
            if v:
                c.emails.append(Value(v, _label(p, labels), _is_pref(p), n.email(v)))
        elif name == "TEL":
            v = _text(p)
            if v:
                v = v[4:] if v.lower().startswith("tel:") else v
                c.phones.append(Value(v, _label(p, labels), _is_pref(p), n.phone(v)))
        elif name in ("URL", "X-SOCIALPROFILE"):
            v = _text(p)
            if v:
                li = n.linkedin_url(v)
                if li and not c.linkedin_url:
                    c.linkedin_url = li
                label = _label(p, labels) or ("LinkedIn" if li else None)
                c.urls.append(Value(v, label, _is_pref(p), li or n.url(v)))
        elif name == "ADR":
            f = [x.strip() for x in split_structured(_decoded(p))] + [""] * 7
            street = ", ".join(x for x in (f[0], f[1], f[2]) if x) or None
            full = ", ".join(x for x in (street, f[3], f[4], f[5], f[6]) if x)
            if full:
                c.addresses.append(
                    Address(
                        n.clean(full, 2000) or full,
                        _label(p, labels),
                        street,
                        f[3] or None,
                        f[4] or None,
                        f[5] or None,
                        f[6] or None,
                        _is_pref(p),
                    )
                )
        elif name == "LABEL" and not any(q.name == "ADR" for q in props):
            v = _text(p)
            if v:
                c.addresses.append(Address(v, _label(p, labels)))
        elif name == "ORG":
            f = [x.strip() for x in split_structured(_decoded(p))]
            org = n.clean(f[0], 300) if f else None
            dept = n.clean(", ".join(x for x in f[1:] if x), 300)
            if org and c.org is None:
                c.org, c.department = org, dept
            elif org:
                c.more_roles.append((org, None, dept))
        elif name == "TITLE":
            v = _text(p)
            if v and c.title is None:
                c.title = v
            elif v and c.more_roles and c.more_roles[-1][1] is None:
                org, _, dept = c.more_roles[-1]
                c.more_roles[-1] = (org, v, dept)
        elif name == "NOTE":
            v = _text(p)
            if v:
                notes.append(v)
        elif name == "BDAY" and c.birthday is None:
            v = unescape(_decoded(p)).strip()
            if "X-APPLE-OMIT-YEAR" in p.params and len(v) >= 10:
                v = "--" + v[5:10]
            c.birthday = birthday(v[:10] if "T" in v[8:11] else v)
            if c.birthday is None and v:
                notes.append(f"Birthday: {v[:200]}")
        elif name == "PHOTO" and c.photo is None:
            c.photo = _photo(p)
        elif name == "CATEGORIES":
            for t in unescape(_decoded(p)).split(","):
                if t.strip():
                    c.tags.append(t.strip()[:100])
        elif name in ("ANNIVERSARY", "X-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY", "X-ABDATE") and (
                c.anniversary is None and (name != "X-ABDATE" or (
                    _label(p, labels) or "").casefold() == "anniversary")):
            v = unescape(_decoded(p)).strip()
            if "X-APPLE-OMIT-YEAR" in p.params and len(v) >= 10:
                v = "--" + v[5:10]
            c.anniversary = birthday(v[:10] if "T" in v[8:11] else v)
            if c.anniversary is None and v:
                notes.append(f"Anniversary: {v[:200]}")
        elif name in ("X-ABRELATEDNAMES", "X-ABDATE", "ANNIVERSARY", "RELATED"):
            v = _text(p)  # kept as a note line rather than lost: "Spouse: Jane"
            if v:
                default = {"X-ABDATE": "Date", "ANNIVERSARY": "Anniversary"}.get(name, "Related")
                notes.append(f"{_label(p, labels) or default}: {v}")
        elif name == "UID":
            c.uid = _text(p)
        elif name in ("X-ABSHOWAS", "KIND"):
            c.is_org = c.is_org or _decoded(p).strip().lower() in ("company", "org")
    family, given, middle, prefix, suffix = parts[:5] if parts else [""] * 5
    if not fn:
        fn = " ".join(x for x in (prefix, given, middle, family, suffix) if x) or None
    if not fn and c.org:
        fn = c.org
        c.is_org = True
    if not fn:
        fn = (c.emails[0].value if c.emails else None) or (c.phones[0].value if c.phones else None)
    if not fn:
        return RowError(start, "card has no name, organization, email or phone")
    g = " ".join(x for x in (given, middle) if x) or None
    parsed = n.name(fn, g, family or None)
    c.name, c.given_name, c.family_name = parsed.display, parsed.given, parsed.family
    c.note = "\n\n".join(notes) or None
    return c


def parse(text: str, region: str | None = None) -> Iterator[Parsed]:
    depth = 0
    props: list[Prop] = []
    start = 0
    bad_lines: list[int] = []
    seen_card = False
    for no, line in _logical_lines(text):
        if line == "\x00too-long":
            bad_lines.append(no)
            continue
        upper = line[:20].upper().strip()
        if upper == "BEGIN:VCARD":
            depth += 1
            if depth == 1:
                props, start, bad_lines, seen_card = [], no, [], True
            continue
        if upper == "END:VCARD":
            if depth == 0:
                yield RowError(no, "END:VCARD without BEGIN:VCARD")
                continue
            depth -= 1
            if depth == 0:
                card = _card(props, start)
                if region and isinstance(card, ImportedContact):
                    for ph in card.phones:
                        ph.normalized = ph.normalized or n.phone(ph.value, region)
                yield card
            continue
        if depth != 1:
            if depth == 0 and not seen_card:
                yield RowError(no, "text before the first BEGIN:VCARD", fatal=True)
                return
            continue
        if len(props) >= MAX_PROPS:
            yield RowError(start, f"card has more than {MAX_PROPS} properties", fatal=True)
            return
        prop = _split_line(line, no)
        if prop is not None:
            props.append(prop)
    if depth > 0:
        yield RowError(start, "card is not closed by END:VCARD (file truncated?)", fatal=True)
    elif not seen_card:
        yield RowError(1, "no BEGIN:VCARD in the file", fatal=True)
