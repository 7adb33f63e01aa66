"""CSV export in the Google Contacts layout (so Google, Outlook.com and Kithbook itself
read it back), plus the ties CSV. Cells that a spreadsheet would run as a formula
(starting with = + - @ tab or CR) are defused with a leading apostrophe; the Kithbook
readers remove that apostrophe again."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import IO

from kithbook.io.csv_common import formula_behind_apostrophes
from kithbook.io.records import ImportedContact

SEP = " ::: "


def defuse(cell: str | None) -> str:
    if not cell:
        return ""
    return "'" + cell if formula_behind_apostrophes(cell) else cell


def _flat(text: str | None) -> str:
    return (text or "").replace(SEP.strip(), ": : :")


def write_contacts(contacts: Sequence[ImportedContact], fh: IO[str]) -> int:
    n_email = max((len(c.emails) for c in contacts), default=0) or 1
    n_phone = max((len(c.phones) for c in contacts), default=0) or 1
    n_addr = max((len(c.addresses) for c in contacts), default=0) or 1
    n_web = max((len(c.urls) + 1 for c in contacts), default=0) or 1
    header = [
        "First Name",
        "Middle Name",
        "Last Name",
        "Nickname",
        "File As",
        "Organization Name",
        "Organization Title",
        "Organization Department",
        "Birthday",
        "Notes",
        "Photo",
        "Labels",
    ]
    for i in range(1, n_email + 1):
        header += [f"E-mail {i} - Label", f"E-mail {i} - Value"]
    for i in range(1, n_phone + 1):
        header += [f"Phone {i} - Label", f"Phone {i} - Value"]
    for i in range(1, n_addr + 1):
        header += [
            f"Address {i} - {k}"
            for k in ("Label", "Formatted", "Street", "City", "Region", "Postal Code", "Country")
        ]
    for i in range(1, n_web + 1):
        header += [f"Website {i} - Label", f"Website {i} - Value"]
    header += ["Kithbook ID"]
    writer = csv.writer(fh, lineterminator="\r\n")
    writer.writerow(header)
    for c in contacts:
        row = [
            c.given_name,
            "",
            c.family_name,
            c.nickname,
            c.name,
            c.org,
            c.title,
            c.department,
            c.birthday,
            c.note,
            c.photo if c.photo and len(c.photo) < 30_000 else "",
            SEP.join(_flat(t) for t in c.tags),
        ]
        row += _pairs([(_lab(e.label, e.is_primary), e.value) for e in c.emails], n_email)
        row += _pairs([(_lab(p.label, p.is_primary), p.value) for p in c.phones], n_phone)
        for i in range(n_addr):
            if i < len(c.addresses):
                a = c.addresses[i]
                row += [
                    _lab(a.label, a.is_primary),
                    a.value,
                    a.street,
                    a.city,
                    a.region,
                    a.postcode,
                    a.country,
                ]
            else:
                row += [""] * 7
        webs = [(_lab(u.label, u.is_primary), u.value) for u in c.urls]
        if c.linkedin_url and not any(u.normalized == c.linkedin_url for u in c.urls):
            webs.append(("LinkedIn", c.linkedin_url))
        row += _pairs(webs, n_web)
        row.append(c.uid)
        writer.writerow([defuse(x) for x in row])
    return len(contacts)


def _lab(label: str | None, primary: bool) -> str:
    return ("* " if primary else "") + (label or "")


def _pairs(items: list[tuple[str, str]], n: int) -> list[str]:
    out: list[str] = []
    for i in range(n):
        out += list(items[i]) if i < len(items) else ["", ""]
    return out


def write_ties(ties: Iterable[tuple[str, str, int, str]], fh: IO[str]) -> int:
    writer = csv.writer(fh, lineterminator="\r\n")
    writer.writerow(["person_a", "person_b", "strength", "kind"])
    count = 0
    for a, b, strength, kind in ties:
        writer.writerow([defuse(a), defuse(b), strength, kind])
        count += 1
    return count
