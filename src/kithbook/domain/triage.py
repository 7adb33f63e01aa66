"""Day one: the first-day triage of people you have never touched or never ranked, and
the important dates (birthdays) of everyone.

After an import the agenda knows nothing: no tiers, no touches. Rather than say "well
kept", it proposes work from the evidence the import brought (docs/agenda.md, day one):

- an A-list to pick, suggested from evidence: a recent connection, an organization you
  share, message history, notes that state a need;
- needs found in imported notes (record them with `need`, so `match` can use them);
- introducers named in notes or in how you met (record them as an `introduced` tie);
- upcoming birthdays (also agenda items and calendar events, for everyone).

Pure rules: facts in, suggestions out, `today` passed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from kithbook.domain.models import Record
from kithbook.domain.text import count

RECENT_DAYS = 180  # a connection made within this many days counts as recent
BIRTHDAY_WINDOW = 14  # birthdays this many days ahead are on the agenda
A_LIST_SIZE = 10
LIST_SIZE = 10

W_RECENT = 2.0
W_SHARED_ORG = 2.0
W_MESSAGES = 0.5  # per interaction, capped
MESSAGES_CAP = 6
W_NEED = 1.5
W_BIRTHDAY = 0.5

_NEED = re.compile(
    r"\b(needs?|needed|looking for|is looking|wants? (?:a|an|to|help|someone|intro)|seeking|"
    r"hiring|searching for|could use|asked (?:me )?(?:for|about)|requires?)\b",
    re.IGNORECASE,
)
_INTRO = re.compile(
    r"\b(?i:introduced (?:to me |us )?by|intro(?:duction|duced)? (?:from|via|through)|"
    r"referred (?:to me )?by|met (?:\w+ )?(?:through|via)|via|through)\s+"
    r"((?:[A-Z][\w'’.-]+)(?:\s+[A-Z][\w'’-]+){0,2})"
)
_SENTENCE = re.compile(r"(?<=[.!?;\n])\s+")


@dataclass(frozen=True)
class UnknownPerson:
    """What the store knows about one person never touched or never ranked."""

    key: int
    id: str
    name: str
    tier: str | None = None
    touched: bool = False
    connected_on: date | None = None  # when the tie to you began (LinkedIn) or first met
    birthday: str | None = None  # YYYY-MM-DD or --MM-DD
    anniversary: str | None = None  # the same
    org: str | None = None
    shared_org: bool = False  # works where you (or one of your A-list) work
    interactions: int = 0
    notes: tuple[str, ...] = ()
    how_met: str | None = None
    has_introducer: bool = False


@dataclass
class Suggestion(Record):
    """One triage line: the person, why, and the command that acts on it."""

    id: str
    name: str
    why: str
    action: str
    score: float = 0.0
    text: str | None = None  # the need or the introducer found


@dataclass
class Triage(Record):
    """The first-day section of the agenda. Empty lists when there is nothing to do."""

    unknown: int = 0  # people never touched or never ranked
    a_list: list[Suggestion] = field(default_factory=list)
    needs: list[Suggestion] = field(default_factory=list)
    introducers: list[Suggestion] = field(default_factory=list)
    birthdays: list[Suggestion] = field(default_factory=list)
    anniversaries: list[Suggestion] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.a_list or self.needs or self.introducers or self.birthdays
                    or self.anniversaries)


def next_birthday(birthday: str | None, today: date) -> date | None:
    """The next occurrence of a birthday (29 February falls on 28 February in other
    years), today included; None when unknown or unreadable."""
    if not birthday:
        return None
    try:
        mm, dd = int(birthday[-5:-3]), int(birthday[-2:])
    except ValueError:
        return None
    for year in (today.year, today.year + 1):
        try:
            d = date(year, mm, dd)
        except ValueError:
            if mm == 2 and dd == 29:
                d = date(year, 2, 28)
            else:
                return None
        if d >= today:
            return d
    return None


def age_on(birthday: str | None, day: date) -> int | None:
    if not birthday or birthday.startswith("--"):
        return None
    try:
        return day.year - int(birthday[:4])
    except ValueError:
        return None


def needs_in(text: str) -> list[str]:
    """Sentences of a note that state a need ("looking for a bookkeeper")."""
    out = []
    for sentence in _SENTENCE.split(text or ""):
        s = sentence.strip()
        if s and _NEED.search(s):
            out.append(s[:160])
    return out


def introducer_in(text: str | None) -> str | None:
    """The name after "introduced by", "referred by", "met through", or None."""
    if not text:
        return None
    m = _INTRO.search(text)
    return m.group(1).rstrip(".") if m else None


def a_list_score(p: UnknownPerson, today: date) -> tuple[float, list[str]]:
    score, why = 0.0, []
    if p.connected_on is not None and 0 <= (today - p.connected_on).days <= RECENT_DAYS:
        score += W_RECENT
        why.append(f"connected {p.connected_on.isoformat()}")
    if p.shared_org:
        score += W_SHARED_ORG
        why.append(f"shares an organization with you ({p.org})")
    if p.interactions:
        score += W_MESSAGES * min(p.interactions, MESSAGES_CAP)
        why.append(f"{count(p.interactions, 'message')} or meetings on record")
    if any(needs_in(n) for n in p.notes):
        score += W_NEED
        why.append("a note states a need")
    if p.birthday:
        score += W_BIRTHDAY
        why.append("you know their birthday")
    return score, why


def triage(people: list[UnknownPerson], today: date) -> Triage:
    """The first-day triage from the facts of the unknown people."""
    out = Triage(unknown=len(people))
    ranked = []
    for p in people:
        if p.tier is not None:
            continue
        score, why = a_list_score(p, today)
        if score > 0:
            ranked.append((score, p, why))
    if not ranked:  # no evidence beyond the connection itself: the newest first
        newest = sorted((p for p in people if p.tier is None and p.connected_on),
                        key=lambda p: p.connected_on or date.min, reverse=True)
        ranked = [(0.1, p, [f"among your most recent connections ({p.connected_on})"])
                  for p in newest[:A_LIST_SIZE]]
    ranked.sort(key=lambda t: (-t[0], t[1].name.casefold(), t[1].id))
    for score, p, why in ranked[:A_LIST_SIZE]:
        out.a_list.append(Suggestion(
            id=p.id, name=p.name, score=round(score, 3),
            why="Suggested for your A-list: " + "; ".join(why) + ".",
            action="Give them a tier: A, B or C."))
    for p in people:
        for note in p.notes:
            for need in needs_in(note)[:1]:
                if len(out.needs) < LIST_SIZE:
                    out.needs.append(Suggestion(
                        id=p.id, name=p.name, text=need,
                        why=f"A note says: {need}",
                        action="Record it as a need of theirs."))
        if not p.has_introducer and len(out.introducers) < LIST_SIZE:
            who = introducer_in(p.how_met) or next(
                (x for x in (introducer_in(n) for n in p.notes) if x), None)
            if who and who.casefold() != p.name.casefold():
                out.introducers.append(Suggestion(
                    id=p.id, name=p.name, text=who,
                    why=f"Introduced by {who}, by the notes; not recorded yet.",
                    action=f"Record that {who} introduced them."))
    return out


def _occasions(people: list[UnknownPerson], today: date, window: int, kind: str
               ) -> list[Suggestion]:
    """The birthdays or the anniversaries (`kind`) from today to `window` days ahead,
    soonest first. A birthday says the age turned; an anniversary the years, and its
    very first day is not one yet."""
    out = []
    for p in people:
        on = p.birthday if kind == "birthday" else p.anniversary
        d = next_birthday(on, today)
        if d is None or (d - today).days > window:
            continue
        days = (d - today).days
        when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
        years = age_on(on, d)
        if kind == "anniversary" and years is not None and years < 1:
            continue
        known = years is not None and 0 < years < 130
        if kind == "birthday":
            extra = f" (turns {years})" if known else ""
            action = "Send a short personal note on the day."
        else:
            extra = f" ({count(years or 0, 'year')})" if known else ""
            action = "Congratulate them on the day."
        out.append(Suggestion(
            id=p.id, name=p.name, score=float(days), text=d.isoformat(),
            why=f"{kind.capitalize()} {when}, {d.isoformat()}{extra}.", action=action))
    out.sort(key=lambda s: (s.score, s.name.casefold()))
    return out


def birthday_suggestions(people: list[UnknownPerson], today: date,
                         window: int = BIRTHDAY_WINDOW) -> list[Suggestion]:
    """Birthdays from today to `window` days ahead, soonest first."""
    return _occasions(people, today, window, "birthday")


def anniversary_suggestions(people: list[UnknownPerson], today: date,
                            window: int = BIRTHDAY_WINDOW) -> list[Suggestion]:
    """Anniversaries on record from today to `window` days ahead, soonest first."""
    return _occasions(people, today, window, "anniversary")
