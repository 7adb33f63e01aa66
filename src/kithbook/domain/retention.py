"""Which automatic backups to keep: grandfather-father-son retention.

The newest backup of each of the last `daily` days, of each of the last `weekly` ISO
weeks and of each of the last `monthly` months is kept, and always the newest one;
everything else expires. Expiry is also how personal data erased since leaves the
backups for good (docs/personal-data.md)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Policy:
    daily: int = 7
    weekly: int = 4
    monthly: int = 12


def to_keep(taken: Sequence[tuple[str, datetime]], policy: Policy) -> set[str]:
    """The names of the backups to keep, given (name, taken at) pairs."""
    newest_first = sorted(taken, key=lambda b: b[1], reverse=True)
    keep: set[str] = set()
    if newest_first:
        keep.add(newest_first[0][0])

    def newest_per(period: Callable[[datetime], Hashable], count: int) -> None:
        seen: list[Hashable] = []
        for name, at in newest_first:
            key = period(at)
            if key in seen:
                continue
            if len(seen) >= count:
                break
            seen.append(key)
            keep.add(name)

    newest_per(lambda at: at.date(), policy.daily)
    newest_per(lambda at: at.isocalendar()[:2], policy.weekly)
    newest_per(lambda at: (at.year, at.month), policy.monthly)
    return keep
