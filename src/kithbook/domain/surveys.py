"""Informal surveys: one question put to a segment of my network, and what the crowd
says. Pure; see docs/networking-craft.md.

Estimates (numbers) aggregate to the median (the crowd's answer: robust to a few wild
guesses), the quartiles Q1 and Q3 by linear interpolation between closest ranks (the
method of numpy's default and of spreadsheets' QUARTILE.INC), the spread as the
interquartile range IQR = Q3 - Q1, and outliers: answers outside Tukey's fences
[Q1 - 1.5 IQR, Q3 + 1.5 IQR]. Below four answers no answer is called an outlier
(the quartiles of three numbers say little). The mean without outliers is shown
beside the median. Choices aggregate to tallies (every offered choice, zero included,
most votes first) with shares. Open answers are listed.

Arithmetic is Decimal throughout: an estimate may be money.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from kithbook.domain.models import PersonRef, Record
from kithbook.domain.text import fold

KINDS = ("estimate", "choice", "open")
MIN_FOR_OUTLIERS = 4
FENCE = Decimal("1.5")
_SUFFIX = {"k": Decimal(1000), "m": Decimal(1_000_000), "bn": Decimal(1_000_000_000),
           "b": Decimal(1_000_000_000)}
_NUM = re.compile(r"^([+-]?)(\d{1,3}(?:[ ,’']\d{3})+|\d+)?(?:[.](\d*))?\s*(k|m|bn|b)?$")


def parse_estimate(text: str) -> Decimal:
    """'1,200', '1 200', '$1.5k', '-3.25', '2m', '40 %' -> a Decimal. Raises ValueError."""
    raw = fold(text).replace("\u00a0", " ")
    raw = raw.strip().lstrip("$€£¥").rstrip("%").strip()
    raw = raw.replace("usd", "").replace("eur", "").strip()
    m = _NUM.match(raw)
    if not raw or m is None or (m.group(2) is None and not m.group(3)):
        raise ValueError(f"'{text}' is not a number")
    sign, whole, frac, suffix = m.groups()
    digits = re.sub(r"[ ,’']", "", whole or "0")
    try:
        value = Decimal(f"{sign}{digits}.{frac or '0'}")
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise ValueError(f"'{text}' is not a number") from exc
    if suffix:
        value *= _SUFFIX[suffix]
    return Decimal(_plain_decimal(value)) if value != 0 else Decimal(0)


def quantile(sorted_values: Sequence[Decimal], q: Decimal) -> Decimal:
    """Linear interpolation between closest ranks (Hyndman & Fan type 7)."""
    if not sorted_values:
        raise ValueError("no values")
    pos = (len(sorted_values) - 1) * q
    lo = int(pos)
    frac = pos - lo
    if lo + 1 >= len(sorted_values):
        return sorted_values[-1]
    return sorted_values[lo] + (sorted_values[lo + 1] - sorted_values[lo]) * frac


@dataclass
class EstimateAnswer:
    person: PersonRef
    value: Decimal


@dataclass
class Outlier(Record):
    id: str  # the person's
    name: str
    value: Decimal
    side: str  # low or high



@dataclass
class EstimateSummary(Record):
    count: int
    median: Decimal | None = None
    q1: Decimal | None = None
    q3: Decimal | None = None
    iqr: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    mean_without_outliers: Decimal | None = None
    fences: list[Decimal] | None = None
    outliers: list[Outlier] = field(default_factory=list)


def _plain_decimal(d: Decimal) -> str:
    """A Decimal as people write it: no exponent, no trailing zeros after the point."""
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _q(d: Decimal) -> Decimal:
    # interpolation and means can produce long expansions; keep what people read
    return d.quantize(Decimal("0.0001")).normalize() if d != 0 else Decimal(0)


def summarize_estimates(answers: Sequence[EstimateAnswer]) -> EstimateSummary:
    if not answers:
        return EstimateSummary(count=0)
    values = sorted(a.value for a in answers)
    median = quantile(values, Decimal("0.5"))
    q1 = quantile(values, Decimal("0.25"))
    q3 = quantile(values, Decimal("0.75"))
    iqr = q3 - q1
    outliers: list[Outlier] = []
    fences = None
    if len(values) >= MIN_FOR_OUTLIERS:
        lo, hi = q1 - FENCE * iqr, q3 + FENCE * iqr
        fences = [_q(lo), _q(hi)]
        for a in sorted(answers, key=lambda a: (a.value, a.person.name, a.person.id)):
            if a.value < lo or a.value > hi:
                outliers.append(Outlier(id=a.person.id, name=a.person.name, value=a.value,
                                        side="low" if a.value < lo else "high"))
    kept = [a.value for a in answers if not any(o.id == a.person.id for o in outliers)]
    mean = sum(kept, Decimal(0)) / len(kept) if kept else None
    return EstimateSummary(
        count=len(values), median=_q(median), q1=_q(q1), q3=_q(q3), iqr=_q(iqr),
        low=values[0], high=values[-1], mean_without_outliers=None if mean is None else _q(mean),
        fences=fences, outliers=outliers,
    )


@dataclass
class Tally(Record):
    id: str  # the choice, folded
    name: str  # the choice as offered
    votes: int
    share: float


def parse_choices(raw: Sequence[str]) -> list[str]:
    """Offered choices: trimmed, non-empty, no two the same once folded."""
    out: list[str] = []
    seen: set[str] = set()
    for c in raw:
        for part in c.split("\n"):
            text = " ".join(part.split())
            if text and fold(text) not in seen:
                seen.add(fold(text))
                out.append(text)
    return out


def match_choice(answer: str, choices: Sequence[str]) -> str | None:
    """The offered choice an answer names: by folded text, or by its number (1-based)."""
    a = fold(answer)
    for c in choices:
        if fold(c) == a:
            return c
    if a.isdigit() and 1 <= int(a) <= len(choices):
        return choices[int(a) - 1]
    starts = [c for c in choices if fold(c).startswith(a)] if a else []
    return starts[0] if len(starts) == 1 else None


def tally_choices(choices: Sequence[str], answers: Sequence[str]) -> list[Tally]:
    counts = {fold(c): 0 for c in choices}
    for a in answers:
        counts[fold(a)] = counts.get(fold(a), 0) + 1
    names = {fold(c): c for c in choices}
    total = len(answers)
    order = {fold(c): i for i, c in enumerate(choices)}
    out = [
        Tally(id=k, name=names.get(k, k), votes=v,
              share=round(v / total, 3) if total else 0.0)
        for k, v in counts.items()
    ]
    out.sort(key=lambda t: (-t.votes, order.get(t.id, len(order)), t.id))
    return out
