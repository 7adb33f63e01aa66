"""Time invested and value returned: which month a moment belongs to, activity kinds,
splitting a meeting's time between its people, and the monthly sums. Pure; see
docs/networking-craft.md.

Months are calendar months in the user's time zone: a call at 23:30 UTC on 31 January
is a February call in Berlin. Stored instants are UTC, so a month is the half-open UTC
interval [local midnight of the 1st, local midnight of the next 1st), which is what
`month_bounds` returns (daylight-saving shifts included). Value entries carry dates,
which belong to the month they name.

Activity kinds: preparation, meetings, follow_up, events. A logged interaction counts
by its channel (meeting, call, video: meetings; event: events; email, message, social,
note, other: follow_up). Time logged by hand carries its kind. Time spent with several
people is split evenly between them (I am not one of them), so per-person sums add up
to the total; time spent alone (preparing a pitch, rehearsing) belongs to no one.
Value kinds: deal, referral, hire, answer, saving; money is Decimal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kithbook.domain.models import PersonRef, Record

ACTIVITY_KINDS = ("preparation", "meetings", "follow_up", "events")
VALUE_KINDS = ("deal", "referral", "hire", "answer", "saving")
CHANNEL_KIND = {
    "meeting": "meetings",
    "call": "meetings",
    "video": "meetings",
    "event": "events",
    "email": "follow_up",
    "message": "follow_up",
    "social": "follow_up",
    "note": "follow_up",
    "other": "follow_up",
}
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"'{name}' is not a time zone") from exc


def activity_of(channel: str) -> str:
    return CHANNEL_KIND.get(channel, "follow_up")


def parse_month(text: str) -> tuple[int, int]:
    m = _MONTH.match(text or "")
    if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 1:
        raise ValueError(f"'{text}' is not a month (YYYY-MM)")
    return int(m.group(1)), int(m.group(2))


def next_month(year: int, month: int, step: int = 1) -> tuple[int, int]:
    n = year * 12 + (month - 1) + step
    return n // 12, n % 12 + 1


def month_label(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def month_bounds(year: int, month: int, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants where the local month starts and where the next one starts."""
    ny, nm = next_month(year, month)
    start = datetime.combine(date(year, month, 1), time(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(date(ny, nm, 1), time(0), tzinfo=tz).astimezone(UTC)
    return start, end


def month_of(at: datetime, tz: ZoneInfo) -> tuple[int, int]:
    """The local (year, month) of a UTC instant."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    local = at.astimezone(tz)
    return local.year, local.month


def months_ending(year: int, month: int, count: int) -> list[tuple[int, int]]:
    """`count` months, oldest first, the last being (year, month)."""
    return [next_month(year, month, -i) for i in range(count - 1, -1, -1)]


def split(minutes: int, people: int) -> Fraction:
    """Each person's share of time spent with `people` people (exact)."""
    return Fraction(minutes, people) if people else Fraction(0)


@dataclass(frozen=True)
class TimeFact:
    at: datetime
    minutes: int
    kind: str
    people: tuple[PersonRef, ...] = ()


@dataclass(frozen=True)
class ValueFact:
    on: date
    kind: str
    amount: Decimal | None = None
    person: PersonRef | None = None


@dataclass
class Share(Record):
    """Time and value of one person or organization in a month."""

    id: str
    name: str
    minutes: float = 0.0
    amount: Decimal = Decimal(0)
    count: int = 0  # value entries (deals, referrals, hires, answers, savings)
    per_hour: Decimal | None = None  # amount returned per hour invested


@dataclass
class KindValue(Record):
    id: str  # the kind
    name: str
    count: int = 0
    amount: Decimal = Decimal(0)


@dataclass
class MonthTotals(Record):
    """One month of the trend: minutes by activity kind and value returned."""

    id: str  # YYYY-MM
    name: str
    minutes: dict[str, float] = field(default_factory=dict)
    value_count: int = 0
    value_amount: Decimal = Decimal(0)

    @property
    def total_minutes(self) -> float:
        return round(sum(self.minutes.values()), 1)

    def to_dict(self) -> dict[str, object]:
        out = super().to_dict()
        out["total_minutes"] = self.total_minutes
        return out


def _r(x: Fraction) -> float:
    return round(float(x), 1)


def per_hour(amount: Decimal, minutes: Fraction | float) -> Decimal | None:
    if not minutes:
        return None
    return (amount * 60 / Decimal(str(float(minutes)))).quantize(Decimal("0.01"))


@dataclass
class MonthSums:
    """Exact sums for one month from facts; the report's figures are rounded copies."""

    minutes_by_kind: dict[str, Fraction]
    minutes_by_person: dict[int, Fraction]
    unattributed: Fraction
    value_by_kind: dict[str, tuple[int, Decimal]]
    value_by_person: dict[int, tuple[int, Decimal]]
    people: dict[int, PersonRef]


def month_sums(year: int, month: int, tz: ZoneInfo, time_facts: Iterable[TimeFact],
               value_facts: Iterable[ValueFact]) -> MonthSums:
    """Sum the facts that fall in the local month (others are ignored)."""
    by_kind: dict[str, Fraction] = {k: Fraction(0) for k in ACTIVITY_KINDS}
    by_person: dict[int, Fraction] = {}
    people: dict[int, PersonRef] = {}
    alone = Fraction(0)
    for f in time_facts:
        if month_of(f.at, tz) != (year, month) or f.minutes <= 0:
            continue
        by_kind[f.kind] = by_kind.get(f.kind, Fraction(0)) + f.minutes
        if not f.people:
            alone += f.minutes
            continue
        share = split(f.minutes, len(f.people))
        for p in f.people:
            by_person[p.key] = by_person.get(p.key, Fraction(0)) + share
            people[p.key] = p
    value_kind: dict[str, tuple[int, Decimal]] = {k: (0, Decimal(0)) for k in VALUE_KINDS}
    value_person: dict[int, tuple[int, Decimal]] = {}
    for v in value_facts:
        if (v.on.year, v.on.month) != (year, month):
            continue
        c, a = value_kind.get(v.kind, (0, Decimal(0)))
        value_kind[v.kind] = (c + 1, a + (v.amount or Decimal(0)))
        if v.person is not None:
            c, a = value_person.get(v.person.key, (0, Decimal(0)))
            value_person[v.person.key] = (c + 1, a + (v.amount or Decimal(0)))
            people[v.person.key] = v.person
    return MonthSums(by_kind, by_person, alone, value_kind, value_person, people)


def shares(minutes: dict[int, Fraction], value: dict[int, tuple[int, Decimal]],
           refs: dict[int, PersonRef] | dict[int, tuple[str, str]], *,
           limit: int) -> list[Share]:
    """People (or organizations) by time invested and value returned: those who
    returned most first, then those who took most time."""
    out = []
    for key in set(minutes) | set(value):
        ref = refs[key]
        rid, rname = (ref.id, ref.name) if isinstance(ref, PersonRef) else ref
        m = minutes.get(key, Fraction(0))
        count, amount = value.get(key, (0, Decimal(0)))
        out.append(Share(id=rid, name=rname, minutes=_r(m), amount=amount, count=count,
                         per_hour=per_hour(amount, m) if amount else None))
    out.sort(key=lambda s: (-s.amount, -s.count, -s.minutes, s.name, s.id))
    return out[:limit]


def rounded_minutes(by_kind: dict[str, Fraction]) -> dict[str, float]:
    return {k: _r(by_kind.get(k, Fraction(0))) for k in ACTIVITY_KINDS}


def kind_values(by_kind: dict[str, tuple[int, Decimal]]) -> list[KindValue]:
    return [KindValue(id=k, name=k.replace("_", " "), count=by_kind.get(k, (0, Decimal(0)))[0],
                      amount=by_kind.get(k, (0, Decimal(0)))[1]) for k in VALUE_KINDS]


def days_in(year: int, month: int) -> int:
    ny, nm = next_month(year, month)
    return (date(ny, nm, 1) - timedelta(days=1)).day


def cents(amount: Decimal | None) -> int | None:
    """Money to integer minor units for storage (exact on every database)."""
    if amount is None:
        return None
    q = (amount * 100).to_integral_value()
    if q != amount * 100:
        raise ValueError(f"{amount} has more than two decimals")
    return int(q)


def from_cents(value: int | None) -> Decimal | None:
    return None if value is None else (Decimal(value) / 100).quantize(Decimal("0.01"))


def money(text: str) -> Decimal:
    """'1,250.50', '$3k', '1200' -> Decimal with two decimals. Raises ValueError."""
    from kithbook.domain.surveys import parse_estimate

    value = parse_estimate(text)
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(f"'{text}' has more than two decimals")
    return value.quantize(Decimal("0.01"))

