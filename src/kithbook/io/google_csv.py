"""Google Contacts CSV: the current header and the legacy one, ` ::: ` multi-values,
numbered groups (E-mail N, Phone N, Address N, Website N), labels become tags."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from kithbook.io import normalize as n
from kithbook.io.csv_common import birthday, get, read_rows, split_multi
from kithbook.io.records import Address, ImportedContact, Parsed, RowError, Value

_GROUP = re.compile(r"^(e-mail|phone|address|website|event|relation|custom field|im) (\d+) - (.+)$")


def _is_header(cells: list[str]) -> bool:
    s = set(cells)
    return (
        ("first name" in s and "last name" in s)
        or ("name" in s and "given name" in s)
        or ("given name" in s and "family name" in s)
    )


def _label(text: str | None) -> tuple[str | None, bool]:
    if not text:
        return None, False
    primary = text.startswith("*")
    label = text.lstrip("* ").strip() or None
    return label, primary


def _groups(row: dict[str, str]) -> dict[tuple[str, int], dict[str, str]]:
    out: dict[tuple[str, int], dict[str, str]] = defaultdict(dict)
    for key, value in row.items():
        m = _GROUP.match(key)
        if m and value and value.strip():
            out[(m.group(1), int(m.group(2)))][m.group(3)] = value.strip()
    return out


def parse(text: str, region: str | None = None) -> Iterator[Parsed]:
    for item in read_rows(text, _is_header):
        if isinstance(item, RowError):
            yield item
            continue
        line, row = item
        given = get(row, "first name", "given name")
        middle = get(row, "middle name", "additional name")
        family = get(row, "last name", "family name")
        display = get(row, "name", "file as") or " ".join(
            p
            for p in (get(row, "name prefix"), given, middle, family, get(row, "name suffix"))
            if p
        )
        org = get(row, "organization name", "organization 1 - name")
        if not display:
            display = org or ""
        c = ImportedContact(name="", line=line)
        for (kind, _idx), g in sorted(_groups(row).items(), key=lambda kv: kv[0][1]):
            label, primary = _label(g.get("label") or g.get("type"))
            if kind == "e-mail":
                for v in split_multi(g.get("value")):
                    c.emails.append(Value(v, label, primary, n.email(v)))
            elif kind == "phone":
                for v in split_multi(g.get("value")):
                    c.phones.append(Value(v, label, primary, n.phone(v, region)))
            elif kind == "website":
                for v in split_multi(g.get("value")):
                    li = n.linkedin_url(v)
                    c.linkedin_url = c.linkedin_url or li
                    c.urls.append(Value(v, label, primary, li or n.url(v)))
            elif kind == "address":
                full = g.get("formatted") or ", ".join(
                    g[k] for k in ("street", "city", "region", "postal code", "country") if k in g
                )
                if full:
                    c.addresses.append(
                        Address(
                            full,
                            label,
                            g.get("street"),
                            g.get("city"),
                            g.get("region"),
                            g.get("postal code"),
                            g.get("country"),
                            primary,
                        )
                    )
            elif kind == "event" and (label or "").lower() in ("birthday",) and not c.birthday:
                c.birthday = birthday(g.get("value"))
            elif (kind == "event" and (label or "").lower() == "anniversary"
                  and not c.anniversary and birthday(g.get("value"))):
                c.anniversary = birthday(g.get("value"))
            elif kind in ("relation", "custom field", "im", "event") and g.get("value"):
                extra = f"{label or kind}: {g['value']}"
                c.note = f"{c.note}\n{extra}" if c.note else extra
        if not display:
            display = c.emails[0].value if c.emails else (c.phones[0].value if c.phones else "")
        if not display:
            yield RowError(line, "no name, organization, email or phone")
            continue
        c.is_org = bool(org and display == org and not given and not family)
        parsed = n.name(display, given, family)
        c.name = parsed.display
        if not c.is_org:
            c.given_name, c.family_name = parsed.given, parsed.family
        c.nickname = get(row, "nickname")
        c.uid = get(row, "kithbook id")
        c.org = org
        c.title = get(row, "organization title", "organization 1 - title", "occupation")
        c.department = get(row, "organization department", "organization 1 - department")
        bday_raw = get(row, "birthday")
        if bday_raw:
            c.birthday = birthday(bday_raw)
            if c.birthday is None:
                yield RowError(line, f"unreadable birthday {bday_raw[:40]!r}")
                continue
        notes = get(row, "notes")
        if notes:
            c.note = f"{notes}\n{c.note}" if c.note else notes
        photo = get(row, "photo")
        if photo and (photo.startswith("http") or photo.startswith("data:")):
            c.photo = photo
        for lab in split_multi(get(row, "labels", "group membership")):
            # Google marks its own groups "* myContacts"; a user's label is kept as is
            system = lab.startswith("* ")
            tag = (lab[2:] if system else lab).strip()
            if tag and not (system and tag.lower() in ("mycontacts", "my contacts", "starred")):
                c.tags.append(tag)
        yield c
