"""Dates as people type them: `today`, `tomorrow`, `friday`, `next week`, `in 3 days`,
`+3d`, `2w`, `end of month`, `12/31`, `31/12`, `31.12.2026`, `4 Dec`, ISO always.

One pure parser (no clock: the caller passes `today`) used by the CLI, the web forms
and the API through `Services.parse_day` (docs/dates.md). A small grammar over these
forms rather than `dateparser`: that library guesses the day/month order silently
where we must refuse, does not read `+3d`, `2w` or `end of month`, and costs a
noticeable import at CLI start-up.

Direction: a due date looks forward, a logged interaction looks back. `friday` is the
next Friday after today (`future`) or the last one before it (`past`); a date without
a year is the nearest such day on that side of today (today included).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Literal

from kithbook.errors import InvalidInput

Order = Literal["DMY", "MDY", "YMD"]
Direction = Literal["future", "past"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_ALIASES = {
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "weds": 2, "thu": 3, "thur": 3, "thurs": 3,
    "fri": 4, "sat": 5, "sun": 6,
} | {name: i for i, name in enumerate(WEEKDAYS)}
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
_MONTH_ALIASES = {name[:3]: i + 1 for i, name in enumerate(MONTHS)} | {
    name: i + 1 for i, name in enumerate(MONTHS)} | {"sept": 9}

# Regions that write the month first (12/31) and those that write the year first
# (2026/12/31, so a short 12/31 is month/day too); every other region writes 31/12.
_MDY_REGIONS = {"US", "PH", "FM", "MH", "PW", "BZ", "AS", "GU", "MP", "PR", "UM", "VI"}
_YMD_REGIONS = {"CN", "JP", "KR", "KP", "TW", "HU", "LT", "MN", "IR"}

_HINT = ("Use YYYY-MM-DD, or today, tomorrow, friday, next week, in 3 days, +3d, 2w, "
         "end of month, 31/12.")


@dataclass(frozen=True)
class Moment:
    """A day and, when one was typed, a time of day (local)."""

    day: date
    at: time | None = None


def order_for_locale(locale: str | None) -> Order | None:
    """'en_US' / 'en-US' / 'US' -> 'MDY'; 'de_DE' / 'en_GB' -> 'DMY'; 'ja_JP' -> 'YMD';
    also 'DMY' / 'MDY' / 'YMD' given directly. None when nothing is set."""
    if not locale or not locale.strip():
        return None
    text = locale.strip().replace("-", "_").split(".")[0]
    if text.upper() in ("DMY", "MDY", "YMD"):
        return text.upper()  # type: ignore[return-value]
    region = text.split("_")[-1].upper()
    if len(region) != 2 or not region.isalpha():
        raise InvalidInput(
            f"locale: '{locale}' is not a locale", field="locale",
            hint="Use a locale like en_US or de_DE, or a date order DMY / MDY / YMD.",
        )
    if region in _MDY_REGIONS:
        return "MDY"
    if region in _YMD_REGIONS:
        return "YMD"
    return "DMY"


def _bad(text: str, field: str, why: str = "is not a date", hint: str = _HINT) -> InvalidInput:
    return InvalidInput(f"{field}: '{text}' {why}", field=field, hint=hint)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise OverflowError
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _end_of_month(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def _year(text: str, today: date) -> int:
    value = int(text)
    if len(text) <= 2:  # two-digit years: the century that puts it nearest today
        century = today.year - today.year % 100
        candidates = [century - 100 + value, century + value, century + 100 + value]
        return min(candidates, key=lambda y: abs(y - today.year))
    return value


def _yearless(month: int, day_: int, today: date, direction: Direction) -> date | None:
    """The nearest (month, day) on the given side of today, today included."""
    for year in ((today.year, today.year + 1) if direction == "future"
                 else (today.year, today.year - 1)):
        try:
            d = date(year, month, day_)
        except ValueError:  # 29 February in a common year: try the other year
            continue
        if (d >= today) if direction == "future" else (d <= today):
            return d
    if month == 2 and day_ == 29:  # the nearest leap year on that side
        step = 1 if direction == "future" else -1
        year = today.year
        for _ in range(8):
            year += step
            if calendar.isleap(year):
                return date(year, 2, 29)
    return None


_REL = re.compile(
    r"^(?:(in)\s+)?([+-])?\s*(\d{1,5})\s*"
    r"(d|day|days|w|wk|wks|week|weeks|m|mo|mos|month|months|y|yr|yrs|year|years)"
    r"(?:\s+(ago|from now|later))?$"
)
_NUMERIC = re.compile(r"^(\d{1,4})([/.\-])(\d{1,2})(?:\2(\d{2,4}))?$")
_NAMED = re.compile(r"^(?:(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?|([a-z]+)\.?\s+(\d{1,2})"
                    r"(?:st|nd|rd|th)?)(?:,?\s+(\d{4}))?$")
_TIME = re.compile(r"^(.*?)(?:\s+at)?\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")


def parse_day(
    text: str,
    *,
    today: date,
    order: Order | None = None,
    direction: Direction = "future",
    field: str = "date",
) -> date:
    """What a person typed -> a date. Raises InvalidInput with a hint otherwise."""
    raw = text
    s = " ".join(text.strip().lower().replace(",", " , ").split()).replace(" ,", ",")
    if not s:
        raise _bad(raw, field, "is empty")
    try:
        found = _parse(s, today, order, direction, raw, field)
    except (OverflowError, ValueError) as exc:
        raise _bad(raw, field, "is out of range") from exc
    if found is None:
        raise _bad(raw, field)
    return found


def _parse(s: str, today: date, order: Order | None, direction: Direction,
           raw: str, field: str) -> date | None:
    try:
        return date.fromisoformat(s)
    except ValueError:
        pass
    words = {"today": 0, "now": 0, "tonight": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1,
             "yesterday": -1, "day after tomorrow": 2, "day before yesterday": -2}
    if s in words:
        return today + timedelta(days=words[s])
    if (found := _relative(s, today)) is not None:
        return found
    if (found := _named_period(s, today)) is not None:
        return found
    if (found := _weekday(s, today, direction)) is not None:
        return found
    if (m := _NUMERIC.match(s)) is not None:
        return _numeric(m, today, order, direction, raw, field)
    if (m := _NAMED.match(s)) is not None:
        dd, month_word = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        month = _MONTH_ALIASES.get(month_word)
        if month is None:
            return None
        if m.group(5):
            return date(int(m.group(5)), month, int(dd))
        found = _yearless(month, int(dd), today, direction)
        if found is None:
            raise _bad(raw, field, "is not a day of the year")
        return found
    return None


def _relative(s: str, today: date) -> date | None:
    m = _REL.match(s)
    if m is None:
        return None
    n = int(m.group(3))
    sign = -1 if (m.group(2) == "-" or m.group(5) == "ago") else 1
    if m.group(2) == "-" and m.group(5) == "ago":
        return None
    unit = m.group(4)[0]
    if unit == "d":
        return today + timedelta(days=sign * n)
    if unit == "w":
        return today + timedelta(weeks=sign * n)
    if unit == "m":
        return _add_months(today, sign * n)
    return _add_months(today, sign * 12 * n)


def _named_period(s: str, today: date) -> date | None:
    monday = today - timedelta(days=today.weekday())
    table: dict[str, date] = {
        "next week": monday + timedelta(weeks=1),
        "last week": monday - timedelta(weeks=1),
        "end of week": monday + timedelta(days=4),
        "end of the week": monday + timedelta(days=4),
        "end of next week": monday + timedelta(days=11),
        "next month": _add_months(today.replace(day=1), 1),
        "last month": _add_months(today.replace(day=1), -1),
        "end of month": _end_of_month(today),
        "end of the month": _end_of_month(today),
        "eom": _end_of_month(today),
        "end of next month": _end_of_month(_add_months(today.replace(day=1), 1)),
        "next year": date(today.year + 1, 1, 1),
        "end of year": date(today.year, 12, 31),
        "end of the year": date(today.year, 12, 31),
    }
    return table.get(s)


def _weekday(s: str, today: date, direction: Direction) -> date | None:
    parts = s.split()
    prefix = parts[0] if len(parts) == 2 and parts[0] in ("next", "this", "last", "on") else None
    word = parts[-1] if prefix or len(parts) == 1 else None
    if word is None or word not in _WEEKDAY_ALIASES:
        return None
    target = _WEEKDAY_ALIASES[word]
    if prefix == "last" or (prefix is None and direction == "past") or (
            prefix in ("on", "this") and direction == "past"):
        back = (today.weekday() - target) % 7 or 7
        return today - timedelta(days=back)
    ahead = (target - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead)


def _numeric(m: re.Match[str], today: date, order: Order | None, direction: Direction,
             raw: str, field: str) -> date | None:
    a, b, year_text = m.group(1), m.group(3), m.group(4)
    if len(a) == 4:  # 2026/12/31 or 2026.12.31: year first is never ambiguous
        if year_text is None or len(year_text) > 2:
            return None
        try:
            return date(int(a), int(b), int(year_text))
        except ValueError:
            raise _bad(raw, field, "is not a day of the year") from None
    if len(a) > 2:
        return None
    x, y = int(a), int(b)
    readings: list[tuple[int, int]] = []  # (month, day)
    if order in ("MDY", "YMD"):
        readings = [(x, y)]
    elif order == "DMY":
        readings = [(y, x)]
    else:
        if 1 <= x <= 12 and 1 <= y <= 31:
            readings.append((x, y))
        if 1 <= y <= 12 and 1 <= x <= 31 and x != y:
            readings.append((y, x))
        if len(readings) > 1:
            first, second = readings
            raise _bad(
                raw, field,
                f"could be {_spell(*first)} or {_spell(*second)}",
                hint="Write it as YYYY-MM-DD, or set your locale (locale = \"en_GB\" in "
                     "config.toml or KITHBOOK_LOCALE) to say which comes first.",
            )
    if not readings:
        raise _bad(raw, field, "is not a day of the year")
    month, day_ = readings[0]
    if not 1 <= month <= 12:
        raise _bad(raw, field, "is not a day of the year",
                   hint=f"This reads dates as {_order_words(order)}. {_HINT}")
    if year_text is not None:
        try:
            return date(_year(year_text, today), month, day_)
        except ValueError:
            raise _bad(raw, field, "is not a day of the year") from None
    found = _yearless(month, day_, today, direction)
    if found is None:
        raise _bad(raw, field, "is not a day of the year")
    return found


def _spell(month: int, day_: int) -> str:
    return f"{day_} {MONTHS[month - 1].capitalize()}"


def _order_words(order: Order | None) -> str:
    return {"DMY": "day/month", "MDY": "month/day", "YMD": "month/day"}.get(order or "",
                                                                            "day/month")


def parse_moment(
    text: str,
    *,
    today: date,
    order: Order | None = None,
    direction: Direction = "past",
    field: str = "when",
) -> Moment:
    """A day with an optional time: `yesterday 14:30`, `friday at 9am`, ISO datetimes."""
    s = text.strip()
    if "T" in s or (len(s) > 10 and s[:4].isdigit() and s[4] == "-" and ":" in s):
        from datetime import datetime

        try:
            value = datetime.fromisoformat(s)
        except ValueError:
            raise _bad(text, field, "is not a date or time") from None
        return Moment(value.date(), value.time().replace(tzinfo=value.tzinfo))
    m = _TIME.match(s.lower())
    if m and (m.group(3) or m.group(4)) and m.group(1).strip():
        hour, minute = int(m.group(2)), int(m.group(3) or 0)
        if m.group(4) == "pm" and hour < 12:
            hour += 12
        elif m.group(4) == "am" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59:
            raise _bad(text, field, "has no such time of day")
        day = parse_day(m.group(1), today=today, order=order, direction=direction, field=field)
        return Moment(day, time(hour, minute))
    return Moment(parse_day(s, today=today, order=order, direction=direction, field=field))


def describe_day(day: date, today: date) -> str:
    """How a date understood is echoed back: 'Fri 4 Dec 2026 (in 3 days)'."""
    delta = (day - today).days
    if delta == 0:
        rel = "today"
    elif delta == 1:
        rel = "tomorrow"
    elif delta == -1:
        rel = "yesterday"
    elif delta > 0:
        rel = f"in {delta} days"
    else:
        rel = f"{-delta} days ago"
    return f"{day.strftime('%a')} {day.day} {day.strftime('%b')} {day.year} ({rel})"


def format_day(day: date, order: Order | None) -> str:
    """A date written the locale's way (ISO where no order is set)."""
    if order == "DMY":
        return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
    if order == "MDY":
        return f"{day.month:02d}/{day.day:02d}/{day.year:04d}"
    return day.isoformat()
