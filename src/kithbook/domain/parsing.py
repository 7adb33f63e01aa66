"""Parsing what people type: cadences, durations, tiers, stages, channels."""

from __future__ import annotations

import re

from kithbook.domain.models import CADENCE_WORDS, CHANNELS, STAGES, TIE_KINDS, TIERS
from kithbook.errors import InvalidInput

_DURATION = re.compile(r"^\s*(\d+)\s*([dwmy]?)\s*$", re.IGNORECASE)
_UNIT_DAYS = {"": 1, "d": 1, "w": 7, "m": 30, "y": 365}


def parse_days(text: str, *, field: str = "duration") -> int:
    """'14', '14d', '2w', '3m', '1y', 'monthly' -> days."""
    word = text.strip().lower()
    if word in CADENCE_WORDS:
        return CADENCE_WORDS[word]
    m = _DURATION.match(word)
    if not m or int(m.group(1)) <= 0 or int(m.group(1)) > 36500:
        raise InvalidInput(
            f"{field}: '{text}' is not a duration",
            field=field,
            hint="Use days like 14 or 14d, 2w, 3m, 1y, or weekly/monthly/quarterly/yearly.",
        )
    return int(m.group(1)) * _UNIT_DAYS[m.group(2).lower()]


def parse_choice(
    text: str | None, choices: tuple[str, ...], *, field: str, upper: bool = False
) -> str | None:
    if text is None or text == "":
        return None
    value = text.strip().upper() if upper else text.strip().lower().replace("-", "_")
    if value not in choices:
        raise InvalidInput(f"{field}: '{text}' is not one of {', '.join(choices)}", field=field)
    return value


def parse_tier(text: str | None) -> str | None:
    return parse_choice(text, TIERS, field="tier", upper=True)


def parse_stage(text: str | None) -> str | None:
    return parse_choice(text, STAGES, field="stage")


def parse_channel(text: str | None) -> str:
    return parse_choice(text, CHANNELS, field="channel") or "meeting"


def parse_tie_kind(text: str | None) -> str:
    if not text:
        return "knows"
    value = text.strip().lower()
    if not re.fullmatch(r"[a-z][a-z_-]{0,39}", value):
        raise InvalidInput(
            f"kind: '{text}' is not a tie kind",
            field="kind",
            hint=f"For example: {', '.join(TIE_KINDS)}.",
        )
    return value


def parse_strength(value: int | str | None) -> int:
    try:
        n = int(value) if value is not None else 3
    except ValueError as exc:
        raise InvalidInput(
            f"strength: '{value}' is not a number from 1 to 5", field="strength"
        ) from exc
    if not 1 <= n <= 5:
        raise InvalidInput(f"strength: {n} is not between 1 and 5", field="strength")
    return n
