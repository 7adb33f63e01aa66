"""Keep-in-touch cadences: how often to be in touch with a person, when they are due,
and what counts as a touch. Pure rules: `now` / `today` are always passed in.

Which cadence applies, first match wins:

1. the person's own cadence (`cadence_days`, set by the user);
2. the default of the person's tier (config `tier_cadence_days`: A 30, B 90, C 365);
3. the default of the relationship kind between me and them (client monthly, mentor
   quarterly, ...), so untriaged people I work with still get a rhythm;
4. none: the person is not on a cadence and never becomes due.

A person is due when the last touch plus the cadence has passed, unless snoozed. Any
touch resets the clock: an interaction they took part in (meeting, call, email,
message, ...), a promise fulfilled to them, or a quick `touched`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from kithbook.domain.models import CADENCE_WORDS
from kithbook.domain.text import count
from kithbook.errors import InvalidInput

# Relationship kinds (tie kinds between me and them) that imply a rhythm by themselves.
KIND_CADENCE_DAYS: dict[str, int] = {
    "client": 30,
    "partner": 30,
    "family": 30,
    "friend": 60,
    "mentor": 91,
    "board": 91,
    "supplier": 91,
    "colleague": 91,
}

TOUCH_KINDS = ("interaction", "promise_kept", "quick")

def describe_days(days: int) -> str:
    for word, n in CADENCE_WORDS.items():
        if n == days:
            return word
    return f"every {count(days, 'day')}"


@dataclass(frozen=True)
class Cadence:
    days: int
    source: str  # "person", "tier A", "kind client"


def effective_cadence(
    *,
    cadence_days: int | None,
    tier: str | None,
    kinds: Iterable[str] = (),
    tier_days: Mapping[str, int],
    kind_days: Mapping[str, int] = KIND_CADENCE_DAYS,
) -> Cadence | None:
    """The cadence that applies to a person, and where it comes from."""
    if cadence_days is not None:
        if cadence_days <= 0:
            raise InvalidInput(f"cadence of {cadence_days} days is not positive")
        return Cadence(cadence_days, "person")
    if tier is not None:
        if tier not in tier_days:
            raise InvalidInput(f"tier '{tier}' has no default cadence in the config")
        days = tier_days[tier]
        if days <= 0:
            raise InvalidInput(f"tier {tier} default cadence {days} is not positive")
        return Cadence(days, f"tier {tier}")
    best: Cadence | None = None
    for kind in kinds:
        kdays = kind_days.get(kind)
        if kdays is not None and (best is None or kdays < best.days):
            best = Cadence(kdays, f"kind {kind}")
    return best


@dataclass(frozen=True)
class Touch:
    at: datetime
    kind: str  # one of TOUCH_KINDS
    detail: str = ""


def last_touch(touches: Iterable[Touch], *, now: datetime) -> Touch | None:
    """The latest touch at or before `now` (later ones are plans, or after --as-of)."""
    best: Touch | None = None
    for t in touches:
        if t.at <= now and (best is None or t.at > best.at):
            best = t
    return best


@dataclass(frozen=True)
class CadenceStatus:
    cadence: Cadence
    base: datetime  # last touch, or when the person was added if never touched
    touched: bool  # False: never touched, base is the creation time
    due_on: date
    days_overdue: int  # negative: not yet due
    snoozed_until: date | None

    @property
    def is_due(self) -> bool:
        return self.days_overdue >= 0 and self.snoozed_until is None

    @property
    def lateness(self) -> float:
        """Overdue days as a fraction of the cadence (0 on the due day)."""
        return max(self.days_overdue, 0) / self.cadence.days


def cadence_status(
    cadence: Cadence,
    *,
    last_touch_at: datetime | None,
    created_at: datetime,
    snoozed_until: date | None,
    today: date,
) -> CadenceStatus:
    """When the person falls due. Snoozes that ended by `today` no longer count."""
    base = last_touch_at or created_at
    due_on = as_utc(base).date() + timedelta(days=cadence.days)
    snooze = snoozed_until if snoozed_until is not None and snoozed_until > today else None
    return CadenceStatus(
        cadence=cadence,
        base=base,
        touched=last_touch_at is not None,
        due_on=due_on,
        days_overdue=(today - due_on).days,
        snoozed_until=snooze,
    )


def snooze_until(today: date, days: int) -> date:
    if days <= 0:
        raise InvalidInput("snooze needs a positive number of days", hint="e.g. 14d or 2w.")
    return today + timedelta(days=days)


def as_utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def add_working_days(start: date, days: int) -> date:
    """`days` Monday-to-Friday days after `start`."""
    current = start
    left = days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current
