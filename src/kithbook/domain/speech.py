"""Spoken length of a pitch or a story: words read aloud at about 150 words a minute.

A word is a run of letters or digits; apostrophes, hyphens and the separators inside
numbers do not split it ("don't", "follow-up", "1,500" and "3.5" are one word each),
because that is how they are spoken as one unit. Punctuation, dashes standing alone and
emoji are not words. Seconds are rounded to the nearest whole second.

A pitch longer than 30 seconds no longer fits an elevator ride; past 60 seconds it is a
presentation. The limits compare the exact time (words x 60 / rate), not the rounded
one, and are strict: 75 words (exactly 30 s) pass, 76 words (30.4 s) warn.
See docs/networking-craft.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kithbook.domain.models import Record

WORDS_PER_MINUTE = 150
ELEVATOR_SECONDS = 30
MINUTE_SECONDS = 60

# letters/digits, joined by in-word apostrophes, hyphens, or number separators
_WORD = re.compile(r"[^\W_]+(?:(?:['’\-]|(?<=\d)[.,](?=\d))[^\W_]+)*", re.UNICODE)


def count_words(text: str | None) -> int:
    """Words as a listener hears them (see the module docstring)."""
    return len(_WORD.findall(text or ""))


def spoken_seconds(words: int, wpm: int = WORDS_PER_MINUTE) -> int:
    """Seconds to say `words` words at `wpm` words a minute, rounded half up."""
    if words <= 0:
        return 0
    return int(words * 60 / wpm + 0.5)


@dataclass
class SpokenLength(Record):
    """How long a text takes to say, and what that means for a pitch."""

    words: int
    seconds: int
    warnings: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        m, s = divmod(self.seconds, 60)
        return f"{m} min {s:02d} s" if m else f"{s} s"


def spoken_length(text: str | None, wpm: int = WORDS_PER_MINUTE) -> SpokenLength:
    words = count_words(text)
    seconds = spoken_seconds(words, wpm)
    exact = words * 60 / wpm
    warnings: list[str] = []
    if exact > MINUTE_SECONDS:
        warnings.append(
            f"Over a minute ({exact:.1f} s, {words} words): this is a talk, not a pitch; "
            f"cut it to {MINUTE_SECONDS * wpm // 60} words or fewer."
        )
    elif exact > ELEVATOR_SECONDS:
        warnings.append(
            f"Over 30 seconds ({exact:.1f} s, {words} words): too long for an elevator; "
            f"aim for {ELEVATOR_SECONDS * wpm // 60} words or fewer."
        )
    return SpokenLength(words=words, seconds=seconds, warnings=warnings)
