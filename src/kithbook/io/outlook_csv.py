"""Outlook CSV, both dialects: Outlook.com (61 unquoted columns) and desktop Outlook
(about 90 quoted columns, `Categories` separated by `;`, often cp1252)."""

from __future__ import annotations

from collections.abc import Iterator

from kithbook.io import normalize as n
from kithbook.io.csv_common import birthday, get, read_rows
from kithbook.io.records import Address, ImportedContact, Parsed, RowError, Value

_EMAILS = (("e-mail address", None), ("e-mail 2 address", None), ("e-mail 3 address", None))
_PHONES = (
    ("mobile phone", "mobile"),
    ("business phone", "work"),
    ("business phone 2", "work"),
    ("home phone", "home"),
    ("home phone 2", "home"),
    ("primary phone", "main"),
    ("other phone", "other"),
    ("company main phone", "company"),
    ("car phone", "car"),
    ("pager", "pager"),
    ("business fax", "work fax"),
    ("home fax", "home fax"),
    ("other fax", "fax"),
    ("assistant's phone", "assistant"),
    ("callback", "callback"),
    ("radio phone", "radio"),
    ("tty/tdd phone", "tty"),
    ("telex", "telex"),
)
_ADDR = ("business", "home", "other")


def _is_header(cells: list[str]) -> bool:
    s = set(cells)
    return (
        "first name" in s
        and "last name" in s
        and (
            "e-mail address" in s or "business phone" in s or "mobile phone" in s or "company" in s
        )
    )


def _address(row: dict[str, str], kind: str) -> Address | None:
    street = (
        " ".join(
            v
            for v in (
                get(row, f"{kind} street"),
                get(row, f"{kind} street 2"),
                get(row, f"{kind} street 3"),
            )
            if v
        )
        or None
    )
    city = get(row, f"{kind} city")
    region = get(row, f"{kind} state")
    postcode = get(row, f"{kind} postal code")
    country = get(row, f"{kind} country/region", f"{kind} country")
    po = get(row, f"{kind} po box")
    parts = [p for p in (po, street, city, region, postcode, country) if p]
    if not parts:
        return None
    return Address(", ".join(parts), kind, street, city, region, postcode, country)


def parse(text: str, region: str | None = None) -> Iterator[Parsed]:
    for item in read_rows(text, _is_header):
        if isinstance(item, RowError):
            yield item
            continue
        line, row = item
        given = get(row, "first name")
        middle = get(row, "middle name")
        family = get(row, "last name")
        display = " ".join(p for p in (given, middle, family, get(row, "suffix")) if p)
        org = get(row, "company")
        c = ImportedContact(name="", line=line)
        for col, label in _EMAILS:
            v = get(row, col)
            if v:
                norm = n.email(v)
                if norm is None and "@" not in v:
                    continue  # Exchange "/o=..." addresses, display names
                c.emails.append(Value(v, label, not c.emails, norm))
        for col, label in _PHONES:
            v = get(row, col)
            if v:
                c.phones.append(Value(v, label, col == "primary phone", n.phone(v, region)))
        for col in ("web page", "personal web page"):
            v = get(row, col)
            if v:
                li = n.linkedin_url(v)
                c.linkedin_url = c.linkedin_url or li
                c.urls.append(
                    Value(
                        v, "personal" if col.startswith("personal") else None, False, li or n.url(v)
                    )
                )
        for kind in _ADDR:
            a = _address(row, kind)
            if a:
                c.addresses.append(a)
        if not display:
            display = (
                org
                or (c.emails[0].value if c.emails else "")
                or (get(row, "e-mail display name") or "")
            )
        if not display:
            yield RowError(line, "no name, company or email")
            continue
        c.is_org = bool(org and not given and not family and display == org)
        parsed = n.name(display, given, family)
        c.name = parsed.display
        if not c.is_org:
            c.given_name, c.family_name = parsed.given, parsed.family
        c.nickname = get(row, "nickname")
        c.org = org
        c.title = get(row, "job title")
        c.department = get(row, "department")
        bday = get(row, "birthday")
        if bday and bday not in ("0/0/00", "00/00/0000"):
            c.birthday = birthday(bday)
        c.note = get(row, "notes")
        anniversary = get(row, "anniversary")
        if anniversary and anniversary not in ("0/0/00", "00/00/0000"):
            c.anniversary = birthday(anniversary)
            if c.anniversary is None:  # kept, never lost (an unreadable optional cell)
                kept = f"Anniversary: {anniversary[:200]}"
                c.note = f"{c.note}\n{kept}" if c.note else kept
        for cat in (get(row, "categories") or "").replace(";", ",").split(","):
            if cat.strip():
                c.tags.append(cat.strip())
        yield c
