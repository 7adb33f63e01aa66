"""Plain records that every importer yields and every exporter reads.

Parsers stream: they yield one `ImportedContact` per readable row or card, and one
`RowError` per row they could not read, with the line number and the reason, so a
preview can show both and a real import can refuse or skip them knowingly."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Value:
    """One email, phone, URL or address, with its label as the file gave it."""

    value: str
    label: str | None = None
    is_primary: bool = False
    normalized: str | None = None  # email normalized, phone E.164, URL normalized


@dataclass
class Address:
    value: str  # the full text as given (or composed from the parts)
    label: str | None = None
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None
    is_primary: bool = False


@dataclass
class ImportedContact:
    name: str  # display name, raw, always kept
    given_name: str | None = None
    family_name: str | None = None
    nickname: str | None = None
    emails: list[Value] = field(default_factory=list)
    phones: list[Value] = field(default_factory=list)
    urls: list[Value] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    org: str | None = None
    title: str | None = None
    department: str | None = None
    note: str | None = None
    birthday: str | None = None  # YYYY-MM-DD or --MM-DD
    anniversary: str | None = None  # the same
    photo: str | None = None  # data: URI or a remote URL (never fetched)
    linkedin_url: str | None = None
    uid: str | None = None
    tags: list[str] = field(default_factory=list)
    connected_on: date | None = None
    is_org: bool = False
    more_roles: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    line: int = 0
    # optional cells that could not be read: (column, the cell as given). The person is
    # imported anyway; the cells are kept on them (a note) and the preview warns.
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    member_id: str | None = None  # LinkedIn's urn:li:member:N where an email should be


@dataclass
class RowError:
    line: int
    reason: str
    fatal: bool = False  # the file as a whole is broken (truncated, not this format)


@dataclass
class ImportedTie:
    person_a: str
    person_b: str
    strength: int = 3
    kind: str = "knows"
    line: int = 0


Parsed = ImportedContact | RowError
