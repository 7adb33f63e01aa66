"""The implicit contract of a conversation (docs/quick-capture.md): an agreed item
that is a promise becomes one without being retyped. Pure: who owes whom and the due
date are read from the words; the caller parses the date text with domain/dates.py."""

from __future__ import annotations

import re
from dataclasses import dataclass

_MINE = re.compile(r"^(i|i'll|i will|we|we'll|we will|me|my|our)\b", re.IGNORECASE)
_THEIRS = re.compile(r"^(they|they'll|they will|he|he'll|he will|she|she'll|she will|"
                     r"you|you'll|you will|their|his|her)\b", re.IGNORECASE)
_DUE = re.compile(r"\s+(?:by|before|on|due)\s+(?P<when>[\w/.+\- ]{1,30}?)\s*[.!]?$",
                  re.IGNORECASE)


@dataclass(frozen=True)
class AgreedPromise:
    what: str
    mine: bool  # True: I owe them; False: they owe me
    due_text: str | None  # what followed "by ...", for the date grammar


def read_agreed(text: str, their_first_names: tuple[str, ...] = ()) -> AgreedPromise:
    """'I send a quote by Friday' -> mine, due 'friday'; 'Maria sends the brief by 31/12'
    (Maria being in the conversation) -> theirs, due '31/12'. Anything else is mine:
    the safer reading, since a promise I forget costs more than one I over-track."""
    what = " ".join(text.split())
    lowered = what.lower()
    first = lowered.split(" ", 1)[0] if lowered else ""
    mine = True
    if _THEIRS.match(what) or (first and first in {n.lower() for n in their_first_names}):
        mine = False
    elif _MINE.match(what):
        mine = True
    m = _DUE.search(what)
    due_text = m.group("when").strip() if m else None
    return AgreedPromise(what=what, mine=mine, due_text=due_text)
