"""LinkedIn Connections.csv (with or without the Notes preamble and URL column)."""

from __future__ import annotations

from collections.abc import Iterator

from kithbook.io import normalize as n
from kithbook.io.csv_common import get, parse_date, read_rows
from kithbook.io.records import ImportedContact, Parsed, RowError, Value


def _is_header(cells: list[str]) -> bool:
    return "first name" in cells and "last name" in cells


def parse(text: str, region: str | None = None) -> Iterator[Parsed]:
    for item in read_rows(text, _is_header):
        if isinstance(item, RowError):
            yield item
            continue
        line, row = item
        given = n.clean(get(row, "first name"), 200)
        family = n.clean(get(row, "last name"), 200)
        raw_url = get(row, "url", "profile url")
        url = n.linkedin_url(raw_url)
        if raw_url and not url:
            yield RowError(line, f"not a LinkedIn profile URL: {raw_url[:80]!r}")
            continue
        display = " ".join(p for p in (given, family) if p)
        email_raw = get(row, "email address")
        if not display and not url and not email_raw:
            yield RowError(line, "no name, URL or email")
            continue
        if not display:
            display = (url or "").rsplit("/", 1)[-1] or (email_raw or "")
        contact = ImportedContact(
            name=display, given_name=given, family_name=family, linkedin_url=url, line=line
        )
        if url:
            contact.urls.append(Value(raw_url or url, "LinkedIn", normalized=url))
        if email_raw:
            norm = n.email(email_raw)
            if norm is None:
                yield RowError(line, f"not an email address: {email_raw[:80]!r}")
                continue
            contact.emails.append(Value(email_raw, None, True, norm))
        contact.org = n.clean(get(row, "company"), 300)
        contact.title = n.clean(get(row, "position"), 300)
        connected = get(row, "connected on")
        if connected:
            contact.connected_on = parse_date(connected)
            if contact.connected_on is None:
                yield RowError(line, f"unreadable 'Connected On' date: {connected[:40]!r}")
                continue
        yield contact
