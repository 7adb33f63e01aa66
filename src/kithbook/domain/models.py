"""The records Kithbook works with. `key` is the private integer key used inside
the store; `id` is the public, stable id that users, exports and URLs see."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

T = TypeVar("T")

TIERS = ("A", "B", "C")
STAGES = ("target", "met", "rapport", "mutual_help", "advocate", "dormant")
CHANNELS = ("meeting", "call", "video", "email", "message", "event", "social", "note", "other")
PROMISE_STATUSES = ("open", "done", "broken", "released")
TIE_KINDS = (
    "knows",
    "colleague",
    "friend",
    "family",
    "client",
    "supplier",
    "partner",
    "mentor",
    "alumni",
    "board",
    "club",
    "introduced",
)
CADENCE_WORDS = {"weekly": 7, "fortnightly": 14, "monthly": 30, "quarterly": 91, "yearly": 365}


_SCALARS = (str, int, float, bool, type(None))
_SCALAR_TYPES = frozenset(_SCALARS)


def _plain(value: Any) -> Any:
    """The JSON form of a value (docs/architecture.md, "One JSON shape")."""
    if type(value) in _SCALAR_TYPES or isinstance(value, _SCALARS):
        return value  # most values: as they are, without the checks below
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):  # money and estimates: exact, as a string, no exponent
        return format(value, "f")
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        # frozen results of the rules (findings, gates, scores): their fields, plus the
        # `id` / `name` they expose as properties
        out = {f.name: _plain(getattr(value, f.name)) for f in fields(value)
               if f.name != "key" and not f.name.startswith("_")}
        for extra in ("id", "name"):
            if extra not in out and isinstance(getattr(type(value), extra, None), property):
                out = {extra: _plain(getattr(value, extra)), **out}
        return out
    return value


class Record:
    """Base of every record, input and result dataclass. Common JSON shape: every
    record carries `id` and `name`; private keys (`key`) stay out."""

    def to_dict(self) -> dict[str, Any]:
        """The one JSON-ready form of this record."""
        shown = _JSON_FIELDS.get(type(self))
        if shown is None:
            # a JSON key that is a Python keyword ("from") is named in the field's metadata
            shown = _JSON_FIELDS[type(self)] = tuple(
                (f.name, f.metadata.get("json", f.name)) for f in fields(self)  # type: ignore[arg-type]
                if f.name != "key")
        out = {}
        for attr, name in shown:
            value = getattr(self, attr)
            # most fields are plain already: no call for them (a page of people is about a
            # thousand values)
            out[name] = value if type(value) in _SCALAR_TYPES else _plain(value)
        return out


# (attribute, JSON key) of each field a record shows, worked out once per class:
# `fields()` cost as much as writing the values.
_JSON_FIELDS: dict[type, tuple[tuple[str, str], ...]] = {}


@dataclass
class Page(Record, Generic[T]):
    """A page of a list: `{"total", "items"}` (the REST API adds limit and offset)."""

    total: int
    items: list[T] = field(default_factory=list)


@dataclass
class PersonRef(Record):
    id: str
    name: str
    key: int = 0


@dataclass
class ContactPoint(Record):
    kind: str  # email, phone, url, address
    value: str
    normalized: str | None = None
    label: str | None = None
    is_primary: bool = False
    source: str = "manual"
    created_at: datetime | None = None
    id: str = ""  # "<kind>:<row>" so a detail can be removed by id
    name: str = ""


@dataclass
class Role(Record):
    org_id: str
    org_name: str
    title: str | None = None
    department: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    is_current: bool = True


@dataclass
class Person(Record):
    id: str
    name: str
    key: int = 0
    given_name: str | None = None
    family_name: str | None = None
    nickname: str | None = None
    is_me: bool = False
    tier: str | None = None
    stage: str | None = None
    cadence_days: int | None = None
    how_met: str | None = None
    met_via: PersonRef | None = None
    first_met_on: date | None = None
    birthday: str | None = None
    anniversary: str | None = None  # YYYY-MM-DD or --MM-DD, as the birthday
    linkedin_url: str | None = None
    snoozed_until: date | None = None
    last_touch_at: datetime | None = None
    archived_at: datetime | None = None
    archive_reason: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    emails: list[ContactPoint] = field(default_factory=list)
    phones: list[ContactPoint] = field(default_factory=list)
    urls: list[ContactPoint] = field(default_factory=list)
    addresses: list[ContactPoint] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    @property
    def current_role(self) -> Role | None:
        current = [r for r in self.roles if r.is_current]
        return current[0] if current else None

    @property
    def ref(self) -> PersonRef:
        return PersonRef(id=self.id, name=self.name, key=self.key)


@dataclass
class PeoplePage(Page[Person]):
    """A page of the people list. A search by name prefix that matches very many people
    stops counting them (a page costs the same at any size): `total` is then how many
    were counted, at least that many match, and `total_is_lower_bound` is true."""

    total_is_lower_bound: bool = False


@dataclass
class Org(Record):
    id: str
    name: str
    key: int = 0
    domain: str | None = None
    kind: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    tags: list[str] = field(default_factory=list)
    people: list[PersonRef] = field(default_factory=list)


@dataclass
class Tie(Record):
    id: str
    name: str  # "A – B"
    a: PersonRef
    b: PersonRef
    kind: str = "knows"
    strength: int = 3
    since: date | None = None
    note: str | None = None
    source: str = "manual"
    key: int = 0

    def other(self, person_key: int) -> PersonRef:
        return self.b if self.a.key == person_key else self.a


@dataclass
class CaptureMark(Record):
    """How a captured interaction came in (docs/capture.md): shown wherever it is."""

    id: str  # the first item: a Message-ID, or UID|RECURRENCE-ID of a meeting
    name: str  # "mail from inbox", "calendar from work"
    origin: str  # mail, calendar
    source: str | None = None  # the capture source's name
    items: int = 1  # messages in the thread, or 1 for a meeting
    locator: str | None = None  # folder and UID, file and offset, CalDAV href


@dataclass
class Interaction(Record):
    id: str
    name: str  # the summary, or "<channel> on <date>"
    occurred_at: datetime
    channel: str = "meeting"
    minutes: int | None = None
    summary: str | None = None
    initiated_by: PersonRef | None = None
    they_want: str | None = None
    i_want: str | None = None
    agreed: list[str] = field(default_factory=list)
    next_step: str | None = None
    participants: list[PersonRef] = field(default_factory=list)
    source: str = "manual"
    captured: CaptureMark | None = None
    key: int = 0


@dataclass
class Promise(Record):
    id: str
    name: str  # what was promised
    owed_by: PersonRef
    owed_to: PersonRef
    what: str
    due: date | None = None
    status: str = "open"
    status_reason: str | None = None
    closed_at: datetime | None = None
    interaction_id: str | None = None
    created_at: datetime | None = None
    key: int = 0

    def is_overdue(self, today: date) -> bool:
        return self.status == "open" and self.due is not None and self.due < today


@dataclass
class Note(Record):
    id: str
    name: str  # first line of the body
    subject_kind: str
    subject_id: str
    subject_name: str
    body: str
    created_at: datetime | None = None
    updated_at: datetime | None = None
    key: int = 0


@dataclass
class SearchHit(Record):
    id: str
    name: str
    kind: str  # person, org, interaction, note
    snippet: str = ""
    rank: float = 0.0


def as_dict(obj: Any) -> Any:
    """JSON-ready form of a record, list of records or plain value: the one
    serialiser behind the CLI's --json, the REST API and MCP."""
    return _plain(obj)
