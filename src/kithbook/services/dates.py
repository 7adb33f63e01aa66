"""Dates as people type them, read one way for every front end (docs/dates.md): the
pure grammar in `domain/dates.py` with this process's today, time zone and locale."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from kithbook.domain import dates as grammar

if TYPE_CHECKING:
    from kithbook.services.app import Services


class DateService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    @property
    def order(self) -> grammar.Order | None:
        return grammar.order_for_locale(self.svc.config.locale)

    def day(self, text: str | date | None, *, field: str = "date",
            past: bool = False) -> date | None:
        """`friday`, `+3d`, `31/12`, ISO... -> a date (None for nothing typed). A due
        date looks forward; `past=True` for when something happened."""
        if text is None or isinstance(text, date):
            return text
        if not text.strip():
            return None
        return grammar.parse_day(text, today=self.svc.today, order=self.order,
                                 direction="past" if past else "future", field=field)

    def moment(self, text: str | datetime | None, *, field: str = "when") -> datetime | None:
        """When something happened: `yesterday 14:30`, `friday`, ISO; a day alone is
        noon local time; the result carries the configured time zone."""
        if text is None or isinstance(text, datetime):
            return text
        if not text.strip():
            return None
        m = grammar.parse_moment(text, today=self.svc.today, order=self.order, field=field)
        at = m.at or time(12, 0)
        value = datetime.combine(m.day, at.replace(tzinfo=None))
        return value.replace(tzinfo=at.tzinfo or ZoneInfo(self.svc.config.timezone))

    def describe(self, day: date) -> str:
        """The date understood, echoed back: 'Fri 4 Dec 2026 (in 3 days)'."""
        return grammar.describe_day(day, self.svc.today)
