"""Reconciling a partner's own report with ours, line by line (docs/economics.md,
"Reconciliation").

Lines are matched on a key (the partner's reference, else the product), compared with
spaces and case folded. Each pair is compared figure by figure: units, net sales,
royalty. A difference is named: a line only one side has, a duplicated key, units or
sales that differ, a royalty that differs while the base agrees (then the rate each side
implies is shown: usually a stale rate card), or rounding only (within one minor unit a
line). Totals are compared as well; the period's royalty on our statement is the
authority, line royalties are its breakdown.

An all-units tier counted over a contract year (or the lifetime) re-rates the window's
earlier units when a period crosses into a higher band: the statement's true-up line.
A partner usually reports only the period's own sales, so our side keeps the true-up as
a line of its own (key TRUE_UP) and the sales lines carry only the period's royalty.
When their report has no true-up line, the difference is named as the true-up: left
out (a difference), or folded into their sales lines (their line royalties then exceed
ours by it in all: the money agrees, and the verdict says so).
A rate card is suspected only for what the true-up does not explain.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from kithbook.domain.economics.ledger import Entry, Ledger
from kithbook.domain.economics.money import (
    EXACT,
    ZERO,
    allocate,
    fmt,
    pad,
    quantum,
    round_money,
    tidy,
)
from kithbook.domain.economics.statement import PeriodStatement
from kithbook.domain.text import fold

KINDS = ("only_ours", "only_theirs", "duplicate", "units", "net", "royalty", "rate",
         "true_up", "true_up_inside", "rounding")
AGREEING = ("rounding", "true_up_inside")  # named, but the money agrees
TRUE_UP = "true-up"
TRUE_UP_LABEL = "Earlier units re-rated (retrospective tier)"


@dataclass(frozen=True)
class ReportLine:
    key: str
    units: Decimal | None = None
    net: Decimal | None = None
    royalty: Decimal | None = None
    label: str = ""
    sources: tuple[int, ...] = ()  # ledger entries behind our line


@dataclass(frozen=True)
class Difference:
    key: str
    kind: str
    ours: Decimal | None
    theirs: Decimal | None
    delta: Decimal | None  # theirs - ours
    explain: str


@dataclass(frozen=True)
class Pair:
    key: str
    ours: ReportLine | None
    theirs: ReportLine | None
    status: str  # agrees | differs | only_ours | only_theirs


@dataclass(frozen=True)
class Reconciliation:
    currency: str
    pairs: tuple[Pair, ...]
    differences: tuple[Difference, ...]
    totals: tuple[tuple[str, Decimal, Decimal, Decimal], ...]  # figure, ours, theirs, delta

    @property
    def agrees(self) -> bool:
        return all(d.kind in AGREEING for d in self.differences)

    @property
    def verdict(self) -> str:
        real = [d for d in self.differences if d.kind not in AGREEING]
        if not real:
            notes = [w for kind, w in (("true_up_inside", "true-up inside their lines"),
                                       ("rounding", "rounding only"))
                     if any(d.kind == kind for d in self.differences)]
            return "agrees" + (f" ({', '.join(notes)})" if notes else "")
        return f"{len(real)} difference{'s' if len(real) != 1 else ''}"


def key_of(text: str) -> str:
    """'INV-3', 'inv 3' and 'Inv_3 ' are one key: case, accents and punctuation folded."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())


def reconcile(ours: Sequence[ReportLine], theirs: Sequence[ReportLine],
              currency: str, basis: str = "net") -> Reconciliation:
    """`basis` is the agreement's: on "units" a rate is money per unit, so the rate each
    side implies is royalty ÷ units; on "net" it is royalty ÷ net sales, a percentage."""
    cent = quantum(currency)

    def F(x: Decimal | None) -> str:
        return "—" if x is None else fmt(pad(x, currency))

    def U(x: Decimal | None) -> str:
        return "—" if x is None else fmt(tidy(x))

    diffs: list[Difference] = []
    mine, dup_ours = _by_key(ours)
    other, dup_theirs = _by_key(theirs)
    for k in dup_ours:
        k = mine[k].key
        diffs.append(Difference(k, "duplicate", None, None, None,
                                f"our side has several lines for '{k}'; they are added up"))
    for k in dup_theirs:
        k = other[k].key
        diffs.append(Difference(k, "duplicate", None, None, None,
                                f"their report has several lines for '{k}'; they are added up"))
    pairs = []
    tu_key = key_of(TRUE_UP)
    ours_tu = mine.get(tu_key)
    # their report has no true-up line: did they fold ours into their sales lines?
    folded = False
    if ours_tu is not None and ours_tu.royalty and tu_key not in other:
        extra = [b.royalty - a.royalty for fk, a in mine.items()
                 if fk != tu_key and (b := other.get(fk)) is not None
                 and a.royalty is not None and b.royalty is not None
                 and _same(a.units, b.units) and _same(a.net, b.net)]
        folded = bool(extra) and abs(sum(extra, ZERO) - ours_tu.royalty) <= cent * len(extra)
    for fk in list(mine) + [k for k in other if k not in mine]:
        a, b = mine.get(fk), other.get(fk)
        k = (a or b).key  # type: ignore[union-attr]
        if fk == tu_key and a is not None and b is None:
            pairs.append(Pair(k, a, None, "agrees" if folded else "only_ours"))
            diffs.append(Difference(k, "true_up_inside" if folded else "true_up", a.royalty,
                                    None, None, (
                f"the all-units true-up of {F(a.royalty)} (earlier units of the window "
                "re-rated at the band now reached) is inside their sales lines, not a line "
                "of its own" if folded else
                f"our statement re-rates the window's earlier units at the band now reached "
                f"(all-units true-up, {F(a.royalty)}); their report leaves it out")))
            continue
        if b is None:
            pairs.append(Pair(k, a, None, "only_ours"))
            assert a is not None
            diffs.append(Difference(k, "only_ours", a.royalty, None, None,
                                    f"'{k}' is in our ledger ({U(a.units)} units, net "
                                    f"{F(a.net)}) but missing from their report"))
            continue
        if a is None:
            pairs.append(Pair(k, None, b, "only_theirs"))
            diffs.append(Difference(k, "only_theirs", None, b.royalty, None,
                                    f"'{k}' is in their report ({U(b.units)} units, net "
                                    f"{F(b.net)}) but not in our ledger"))
            continue
        found: list[Difference] = []
        if a.units is not None and b.units is not None and a.units != b.units:
            found.append(Difference(k, "units", a.units, b.units, b.units - a.units,
                                    f"units differ: ours {U(a.units)}, theirs {U(b.units)} "
                                    f"({_signed(b.units - a.units, U)})"))
        if a.net is not None and b.net is not None and a.net != b.net:
            d = b.net - a.net
            kind = "rounding" if abs(d) <= cent else "net"
            found.append(Difference(k, kind, a.net, b.net, d,
                                    f"net sales differ: ours {F(a.net)}, theirs {F(b.net)} "
                                    f"({_signed(d, F)})" + (", rounding only" if kind ==
                                                             "rounding" else "")))
        if a.royalty is not None and b.royalty is not None and a.royalty != b.royalty:
            d = b.royalty - a.royalty
            base_agrees = not any(x.kind in ("units", "net") for x in found)
            if abs(d) <= cent:
                found.append(Difference(k, "rounding", a.royalty, b.royalty, d,
                                        f"royalty differs by {F(abs(d))}: rounding only"))
            elif folded and base_agrees and d > 0:
                found.append(Difference(
                    k, "true_up_inside", a.royalty, b.royalty, d,
                    f"royalty differs by {_signed(d, F)} on the same sales: their figure "
                    "includes part of the all-units true-up, which our statement shows as "
                    "a line of its own"))
            elif base_agrees and (implied := _implied(a, b, basis, currency)):
                ra_text, rb_text = implied
                crossed = (" This period crossed into a higher all-units band: ours is at "
                           "the band reached; theirs may still be at the band before"
                           if ours_tu is not None and d < 0 else "")
                found.append(Difference(
                    k, "rate", a.royalty, b.royalty, d,
                    f"royalty differs by {_signed(d, F)} on the same sales: their figure "
                    f"implies a rate of {rb_text}, ours {ra_text} (check the rate card "
                    f"in effect).{crossed}"))
            else:
                found.append(Difference(k, "royalty", a.royalty, b.royalty, d,
                                        f"royalty differs: ours {F(a.royalty)}, theirs "
                                        f"{F(b.royalty)} ({_signed(d, F)})"))
        diffs.extend(found)
        status = "agrees" if all(x.kind in AGREEING for x in found) else "differs"
        pairs.append(Pair(k, a, b, status))
    totals = []
    for name in ("units", "net", "royalty"):
        t_ours = sum((getattr(x, name) or ZERO for x in ours), ZERO)
        t_theirs = sum((getattr(x, name) or ZERO for x in theirs), ZERO)
        totals.append((name, t_ours, t_theirs, t_theirs - t_ours))
    return Reconciliation(currency, tuple(pairs), tuple(diffs), tuple(totals))


def _by_key(lines: Sequence[ReportLine]) -> tuple[dict[str, ReportLine], list[str]]:
    out: dict[str, ReportLine] = {}
    dups: list[str] = []
    for ln in lines:
        k = key_of(ln.key)
        if k in out:
            if k not in dups:
                dups.append(k)
            prev = out[k]
            out[k] = ReportLine(prev.key, _add(prev.units, ln.units), _add(prev.net, ln.net),
                                _add(prev.royalty, ln.royalty), prev.label,
                                prev.sources + ln.sources)
        else:
            out[k] = ReportLine(ln.key.strip(), ln.units, ln.net, ln.royalty, ln.label,
                                ln.sources)
    return out, dups


def _same(a: Decimal | None, b: Decimal | None) -> bool:
    """Equal, or not given on one side (a figure is compared only when both give it)."""
    return a is None or b is None or a == b


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None and b is None:
        return None
    return (a or ZERO) + (b or ZERO)


def _signed(d: Decimal, f: Callable[[Decimal], str]) -> str:
    text = f(abs(d))
    return f"+{text}" if d > 0 else f"−{text}"


def _pct(x: Decimal) -> str:
    return f"{fmt(tidy(x.quantize(Decimal('0.001'))))}%"


def _implied(a: ReportLine, b: ReportLine, basis: str, currency: str
             ) -> tuple[str, str] | None:
    """The rate each side's royalty implies on the same base, as the rate card states
    it (a percentage of net, or money a unit), or None when a side gives no base."""
    assert a.royalty is not None and b.royalty is not None
    if basis == "units":
        if not a.units or not b.units:
            return None
        def per_unit(royalty: Decimal, units: Decimal) -> str:
            return f"{fmt(tidy(EXACT.divide(royalty, units).quantize(Decimal('0.0001'))))} " \
                f"{currency} a unit"

        return per_unit(a.royalty, a.units), per_unit(b.royalty, b.units)
    if not a.net or not b.net:
        return None
    return _pct(EXACT.divide(a.royalty, a.net) * 100), _pct(EXACT.divide(b.royalty, b.net) * 100)


def our_lines(s: PeriodStatement, ledger: Ledger, currency: str) -> list[ReportLine]:
    """Our side of a reconciliation: the period's sales less returns by key (reference,
    else product), the earned royalty spread over them in proportion to their base; an
    all-units true-up of earlier periods is a line of its own (module doc), since it
    belongs to no sale of this period."""
    groups: dict[str, list[Entry]] = {}
    for n in s.entries:
        e = ledger.get(n)
        if e.kind in ("sale", "return"):
            groups.setdefault(e.ref or e.product or f"#{e.seq}", []).append(e)
    sign = {"sale": 1, "return": -1}
    # a line reversed in full is not a line the partner reports
    keys = [k for k, es in groups.items()
            if any(e.amount or e.units for e in es)
            and not (sum((e.amount for e in es), Decimal(0)) == 0
                     and sum((e.units for e in es), Decimal(0)) == 0
                     and any(e.reverses for e in es))]
    units = [sum((sign[e.kind] * e.units for e in groups[k]), Decimal(0)) for k in keys]
    nets = [sum((sign[e.kind] * e.amount for e in groups[k]), Decimal(0)) for k in keys]
    earned = s.figure("earned") if s.has("earned") else Decimal(0)
    true_up = round_money(s.figure("true_up"), currency) if s.has("true_up") else ZERO
    own = earned - true_up
    base = nets if sum(nets, Decimal(0)) else units
    whole = sum(base, Decimal(0))
    royalties = allocate([Fraction(b) / Fraction(whole) * Fraction(own) for b in base],
                         own, currency) if whole else [Decimal(0)] * len(keys)
    out = [ReportLine(k, u, n, r, sources=tuple(e.seq for e in groups[k]))
           for k, u, n, r in zip(keys, units, nets, royalties, strict=True)]
    if true_up:
        out.append(ReportLine(TRUE_UP, None, None, true_up, TRUE_UP_LABEL))
    return out
