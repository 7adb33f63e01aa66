"""LinkedIn Connections.csv of every vintage: with or without the Notes preamble and the
URL column, `Connected On` as LinkedIn wrote it (`07 Dec 2025`, `1/8/18, 6:14 PM`) or as
a spreadsheet re-saved it (`5-Jan-26`, `05.01.2026`), `urn:li:member:N` where an email
should be. An optional cell that cannot be read costs nothing: it is kept as given on
the person and reported as a warning (docs/architecture.md, import contract)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, tzinfo

from kithbook.io import normalize as n
from kithbook.io.csv_common import get, numeric_order, read_rows
from kithbook.io.linkedin_archive import parse_datetime
from kithbook.io.records import ImportedContact, Parsed, RowError, Value

_MEMBER = re.compile(r"^urn:li:(?:member|person|fs_miniProfile):[\w-]+$", re.IGNORECASE)


def _is_header(cells: list[str]) -> bool:
    return "first name" in cells and "last name" in cells


def day_first(values: list[str]) -> bool | None:
    """The file's numeric date order, from the values that settle it (13/01 or 01/13);
    None when none does or they disagree."""
    seen = {numeric_order(v) for v in values} - {None}
    return seen.pop() if len(seen) == 1 else None


def parse(text: str, region: str | None = None, zone: tzinfo = UTC) -> Iterator[Parsed]:
    """`zone`: the user's time zone, in which a `Connected On` time written without
    one (2018: `1/8/18, 6:14 PM`, the exporting user's wall clock) is read; the day
    kept is that instant's day in UTC, the day a current export (`08 Jan 2018`) writes
    for the same connection (io/linkedin_archive.py, parse_datetime)."""
    items = list(read_rows(text, _is_header))
    order = day_first([get(it[1], "connected on") or "" for it in items
                       if not isinstance(it, RowError)])
    if order is None and (region or "").upper() not in ("", "US", "CA", "PH"):
        order = True  # outside North America an unsettled 05/01 is the 5th of January
    for item in items:
        if isinstance(item, RowError):
            yield item
        else:
            yield from _row(*item, order, zone)


def _row(line: int, row: dict[str, str], order: bool | None, zone: tzinfo
         ) -> Iterator[Parsed]:
    given = n.clean(get(row, "first name"), 200)
    family = n.clean(get(row, "last name"), 200)
    raw_url = get(row, "url", "profile url")
    url = n.linkedin_url(raw_url)
    display = " ".join(p for p in (given, family) if p)
    email_raw = get(row, "email address")
    if not display and not url and not email_raw:
        yield RowError(line, "no name, URL or email")
        return
    member = email_raw if email_raw and _MEMBER.match(email_raw) else None
    if not display:
        display = (url or "").rsplit("/", 1)[-1] or (email_raw or raw_url or "")
    contact = ImportedContact(
        name=display, given_name=given, family_name=family, linkedin_url=url, line=line
    )
    if url:
        contact.urls.append(Value(raw_url or url, "LinkedIn", normalized=url))
    elif raw_url:
        contact.unreadable.append(("URL", raw_url[:1000]))
    if member:
        contact.member_id = member
        contact.urls.append(Value(member, "LinkedIn member", normalized=member.lower()))
    elif email_raw:
        norm = n.email(email_raw)
        if norm is None:
            contact.unreadable.append(("Email Address", email_raw[:1000]))
        else:
            contact.emails.append(Value(email_raw, None, True, norm))
    contact.org = n.clean(get(row, "company"), 300)
    contact.title = n.clean(get(row, "position"), 300)
    connected = get(row, "connected on")
    if connected:
        began = parse_datetime(connected, order, zone)
        contact.connected_on = began.date() if began is not None else None
        if contact.connected_on is None:
            contact.unreadable.append(("Connected On", connected[:200]))
    yield contact
