"""vCard 3.0 writer: folded at 75 octets (never inside a UTF-8 sequence), CRLF line
ends, UID and REV on every card, labels that are not plain words kept as Apple
`itemN.X-ABLabel` groups, no-year birthdays as Apple's X-APPLE-OMIT-YEAR."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import IO

from kithbook.io.records import ImportedContact

_WORD_LABEL = re.compile(r"^[a-z0-9-]{1,40}(,[a-z0-9-]{1,40})*$")


def escape(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold one content line at 75 octets; continuation lines start with a space."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    out: list[str] = []
    start, limit = 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1  # do not split a multi-byte character
        out.append(data[start:end].decode("utf-8"))
        start, limit = end, 74
    return "\r\n ".join(out) + "\r\n"


class _Card:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.item = 0

    def add(
        self,
        name: str,
        value: str,
        params: str = "",
        label: str | None = None,
        types: tuple[str, ...] = (),
    ) -> None:
        tlist = list(types)
        group = ""
        if label and _WORD_LABEL.match(label):
            tlist.extend(label.split(","))
        elif label:
            self.item += 1
            group = f"item{self.item}."
        if tlist:
            params += ";TYPE=" + ",".join(dict.fromkeys(t.upper() for t in tlist))
        self.lines.append(f"{group}{name}{params}:{value}")
        if group:
            self.lines.append(f"{group}X-ABLabel:{escape(label or '')}")


def card_lines(c: ImportedContact, rev: datetime | None = None) -> list[str]:
    card = _Card()
    add = card.add
    add("VERSION", "3.0")
    add("PRODID", "-//Kithbook//Kithbook//EN")
    add("UID", escape(c.uid or ""))
    stamp = (rev or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    add("REV", stamp)
    add("FN", escape(c.name))
    add("N", ";".join(escape(x or "") for x in (c.family_name, c.given_name, "", "", "")))
    if c.nickname:
        add("NICKNAME", escape(c.nickname))
    if c.is_org:
        add("X-ABShowAs", "COMPANY")
    if c.org:
        add("ORG", escape(c.org) + (";" + escape(c.department) if c.department else ""))
    if c.title:
        add("TITLE", escape(c.title))
    for org, title, dept in c.more_roles:
        add("ORG", escape(org) + (";" + escape(dept) if dept else ""))
        if title:
            add("TITLE", escape(title))
    for e in c.emails:
        add(
            "EMAIL",
            escape(e.value),
            label=e.label,
            types=("INTERNET",) + (("PREF",) if e.is_primary else ()),
        )
    for p in c.phones:
        add("TEL", escape(p.value), label=p.label, types=("PREF",) if p.is_primary else ())
    urls = {u.value for u in c.urls}
    if (
        c.linkedin_url
        and c.linkedin_url not in urls
        and not any(u.normalized == c.linkedin_url for u in c.urls)
    ):
        add("URL", c.linkedin_url, label="LinkedIn")
    for u in c.urls:
        add("URL", u.value.replace("\\", ""), label=u.label)
    for a in c.addresses:
        if a.street or a.city or a.region or a.postcode or a.country:
            parts = ("", "", a.street, a.city, a.region, a.postcode, a.country)
        else:
            parts = ("", "", a.value, "", "", "", "")
        add(
            "ADR",
            ";".join(escape(x or "") for x in parts),
            label=a.label,
            types=("PREF",) if a.is_primary else (),
        )
    if c.birthday:
        if c.birthday.startswith("--"):
            add("BDAY", "1604-" + c.birthday[2:], params=";X-APPLE-OMIT-YEAR=1604")
        else:
            add("BDAY", c.birthday, params=";VALUE=date")
    if c.anniversary:
        # vCard 3.0 has no ANNIVERSARY (4.0 does); Apple's dated item is what address
        # books on 3.0 read, and our own reader takes it back
        if c.anniversary.startswith("--"):
            add("X-ABDATE", "1604-" + c.anniversary[2:], params=";X-APPLE-OMIT-YEAR=1604",
                label="_$!<Anniversary>!$_")
        else:
            add("X-ABDATE", c.anniversary, params=";VALUE=date", label="_$!<Anniversary>!$_")
    if c.note:
        add("NOTE", escape(c.note))
    if c.tags:
        add("CATEGORIES", ",".join(escape(t.replace(",", " ")) for t in c.tags))
    if c.photo:
        m = re.match(r"^data:image/([a-z0-9.+-]+);base64,(.*)$", c.photo, re.S)
        if m:
            kind = {"jpeg": "JPEG", "jpg": "JPEG"}.get(m.group(1), m.group(1).upper())
            add("PHOTO", m.group(2), params=f";ENCODING=b;TYPE={kind}")
        elif c.photo.startswith(("http://", "https://")):
            add("PHOTO", c.photo, params=";VALUE=uri")
    return card.lines


def cards(contacts: Iterable[ImportedContact], rev: datetime | None = None) -> Iterator[str]:
    for c in contacts:
        yield "BEGIN:VCARD\r\n"
        for line in card_lines(c, rev):
            yield fold(line)
        yield "END:VCARD\r\n"


def write(contacts: Iterable[ImportedContact], fh: IO[str], rev: datetime | None = None) -> int:
    count = 0
    for chunk in cards(contacts, rev):
        fh.write(chunk)
        count += chunk == "END:VCARD\r\n"
    return count
