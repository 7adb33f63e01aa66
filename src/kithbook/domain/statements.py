"""Honesty: what I told whom, and where two statements to different people conflict on
the same topic. Pure; see docs/networking-craft.md.

Two statements conflict when they are on the same topic (topics compare folded), were
made to different people, neither was withdrawn, and

1. both carry a key value (the fact in a word or a number: "March", "12 staff") and the
   values differ: numbers compare as numbers ("1,000" = "1000"), words folded; or,
   without values on both,
2. both texts contain numbers and their numbers differ ("we have 12 clients" against
   "we have 20 clients"); or
3. one text is negated and the other is not ("we are hiring" against "we are not
   hiring"), when their other words mostly agree (Jaccard similarity >= 0.5).

Anything else is not called a conflict: the rule prefers missing a subtle
contradiction to crying wolf on every rephrasing. Statements to the same person are an
update of the story, not a conflict.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from kithbook.domain.models import PersonRef, Record
from kithbook.domain.text import fold, words

NEGATIONS = frozenset({"not", "no", "never", "none", "nobody", "nothing", "cannot", "cant",
                       "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "wont",
                       "without", "neither", "nor"})
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
SIMILAR = 0.5


@dataclass(frozen=True)
class StatementFact:
    id: str
    person: PersonRef
    topic: str
    text: str
    value: str | None = None
    said_on: date | None = None


@dataclass
class Conflict(Record):
    """Two statements on one topic that do not agree. `id`/`name`: the topic."""

    id: str
    name: str
    first_id: str
    first_person: PersonRef
    first_text: str
    second_id: str
    second_person: PersonRef
    second_text: str
    reason: str


def topic_key(topic: str) -> str:
    return fold(topic)


def _number(text: str) -> Decimal | None:
    raw = text.strip()
    thousands = re.fullmatch(r"\d{1,3}(,\d{3})+", raw) is not None
    if thousands or ("," in raw and "." in raw):  # 1,000 and 1,000.5: thousands commas
        raw = raw.replace(",", "")
    elif "," in raw:  # 3,5: a decimal comma
        raw = raw.replace(",", ".")
    try:
        return Decimal(raw).normalize()
    except InvalidOperation:
        return None


def numbers_in(text: str) -> frozenset[Decimal]:
    out = set()
    for m in _NUMBER.findall(text):
        n = _number(m)
        if n is not None:
            out.add(n)
    return frozenset(out)


def _tokens(text: str) -> list[str]:
    # "aren't" and "aren’t" become "arent", one word, as NEGATIONS spells them
    return words(text.replace("’", "").replace("'", ""))


def negated(text: str) -> bool:
    toks = _tokens(text)
    return any(t in NEGATIONS for t in toks)


def _same_value(a: str, b: str) -> bool:
    na, nb = numbers_in(a), numbers_in(b)
    if na and nb:
        return na == nb
    return fold(a) == fold(b)


def conflict_reason(a: StatementFact, b: StatementFact) -> str | None:
    """Why `a` and `b` conflict, or None (see the module docstring)."""
    if topic_key(a.topic) != topic_key(b.topic) or a.person.key == b.person.key:
        return None
    if a.value and b.value:
        if _same_value(a.value, b.value):
            return None
        return f"you said '{a.value}' to {a.person.name} but '{b.value}' to {b.person.name}"
    na, nb = numbers_in(a.text), numbers_in(b.text)
    if na and nb and na != nb:
        fa = ", ".join(format(x, "f") for x in sorted(na))
        fb = ", ".join(format(x, "f") for x in sorted(nb))
        return f"the numbers differ: {fa} to {a.person.name}, {fb} to {b.person.name}"
    if negated(a.text) != negated(b.text):
        ta = {t for t in _tokens(a.text) if t not in NEGATIONS}
        tb = {t for t in _tokens(b.text) if t not in NEGATIONS}
        union = ta | tb
        if union and len(ta & tb) / len(union) >= SIMILAR:
            yes, no = (b, a) if negated(a.text) else (a, b)
            return (f"you told {yes.person.name} it is so and {no.person.name} it is not")
    return None


def conflicts(statements: Sequence[StatementFact]) -> list[Conflict]:
    """Every conflicting pair, older statement first, grouped by topic."""
    by_topic: dict[str, list[StatementFact]] = {}
    for s in statements:
        by_topic.setdefault(topic_key(s.topic), []).append(s)
    out: list[Conflict] = []
    for key in sorted(by_topic):
        group = sorted(by_topic[key], key=lambda s: (s.said_on or date.min, s.id))
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                reason = conflict_reason(a, b)
                if reason:
                    out.append(_conflict(a, b, reason))
    return out


def conflicts_with(new: StatementFact, existing: Iterable[StatementFact]) -> list[Conflict]:
    """The warnings to show when `new` is recorded."""
    out = []
    for old in sorted(existing, key=lambda s: (s.said_on or date.min, s.id)):
        if old.id == new.id:
            continue
        reason = conflict_reason(old, new)
        if reason:
            out.append(_conflict(old, new, reason))
    return out


def _conflict(a: StatementFact, b: StatementFact, reason: str) -> Conflict:
    return Conflict(
        id=topic_key(a.topic), name=a.topic, first_id=a.id, first_person=a.person,
        first_text=a.text, second_id=b.id, second_person=b.person, second_text=b.text,
        reason=reason,
    )
