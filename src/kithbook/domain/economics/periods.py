"""Statement periods and contract years, counted from an agreement's start date
(docs/economics.md, "Periods"). A period is 1, 3, 6 or 12 months, so every contract
year holds a whole number of periods and year-end rules (minimum guarantee, yearly
caps) fall on a period's last day."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

PERIOD_MONTHS = (1, 3, 6, 12)


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months; the 31st becomes the month's last day."""
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def check_period_months(months: int) -> None:
    if months not in PERIOD_MONTHS:
        raise ValueError("a statement period is 1, 3, 6 or 12 months")


# bounds and period_of are memoised: they are pure, and the same few dates recur across
# every entry and agreement of a portfolio (a statement run calls them per entry).
@lru_cache(maxsize=16_384)
def bounds(start: date, months: int, period: int) -> tuple[date, date]:
    """First and last day of period `period` (1-based)."""
    if period < 1:
        raise ValueError("periods are counted from 1")
    first = add_months(start, (period - 1) * months)
    last = add_months(start, period * months) - timedelta(days=1)
    return first, last


@lru_cache(maxsize=65_536)
def period_of(start: date, months: int, day: date) -> int:
    """The 1-based period holding `day`; 0 if `day` is before `start`."""
    if day < start:
        return 0
    elapsed = (day.year - start.year) * 12 + day.month - start.month
    p = elapsed // months + 1
    while p > 1 and bounds(start, months, p)[0] > day:
        p -= 1
    while bounds(start, months, p)[1] < day:
        p += 1
    return p


def per_year(months: int) -> int:
    return 12 // months


def contract_year(months: int, period: int) -> int:
    return (period - 1) // per_year(months) + 1


def is_year_end(months: int, period: int) -> bool:
    return period % per_year(months) == 0


def label(start: date, months: int, period: int) -> str:
    first, last = bounds(start, months, period)
    if months == 3 and first.day == 1 and first.month in (1, 4, 7, 10):
        return f"{first.year} Q{(first.month - 1) // 3 + 1}"
    if months == 1 and first.day == 1:
        return first.strftime("%Y-%m")
    if months == 12 and first.day == 1 and first.month == 1:
        return str(first.year)
    return f"{first.isoformat()} to {last.isoformat()}"
