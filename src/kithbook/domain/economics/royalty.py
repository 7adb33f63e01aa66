"""Royalties and revenue shares: period statements computed from the ledger and the
agreement's terms (docs/economics.md, "Royalty statements", which walks through the
steps below in order).

Per period: (1) gross, returns and allowed deductions give the net; (2) the
royalty-bearing base is the net (or net units), per rate version; (3) the negative-period
policy floors it at zero, or also carries the negative amount forward against later
periods; (4) a yearly cap on the base cuts what is over it; (5) the tiers (marginal or
all-units, over the period, contract year or lifetime) give the earned royalty, exact;
(6) it is rounded to the minor unit, once; (7) a yearly cap on royalties; (8) an advance
is recouped from it; (9) at a contract year's end a minimum-guarantee shortfall is added;
(10) what is due is split among the payees in basis points; (11) payments received give
each payee's balance.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Protocol

from kithbook.domain.economics import periods as pd
from kithbook.domain.economics.ledger import ROYALTY_KINDS, Entry, Ledger
from kithbook.domain.economics.money import EXACT, ZERO, fmt, pad, quantum, round_money, tidy
from kithbook.domain.economics.rates import (
    BASES,
    RateVersion,
    check_versions,
    marginal,
    version_on,
)
from kithbook.domain.economics.split import Share, check_shares, split
from kithbook.domain.economics.statement import (
    Line,
    PeriodStatement,
    make_line,
    make_party_line,
)

NEGATIVE_POLICIES = ("floor", "carry_forward")


@dataclass(frozen=True)
class RoyaltyTerms:
    agreement: str
    currency: str
    start: date
    period_months: int
    basis: str  # net: rates are fractions of net sales; units: rates are money per unit
    tier_mode: str  # marginal | all_units
    tier_window: str  # period | contract_year | lifetime
    versions: tuple[RateVersion, ...]
    payer: str
    payees: tuple[Share, ...]
    negative_policy: str = "floor"
    minimum_per_year: Decimal | None = None
    cap_royalty_per_year: Decimal | None = None
    cap_base_per_year: Decimal | None = None
    end: date | None = None

    def check(self) -> None:
        """Raise ValueError, one sentence saying what to fix, on terms that cannot work."""
        pd.check_period_months(self.period_months)
        if self.basis not in BASES:
            raise ValueError(f"the royalty base must be one of {', '.join(BASES)}")
        if self.negative_policy not in NEGATIVE_POLICIES:
            raise ValueError(f"the negative-period policy must be one of "
                             f"{', '.join(NEGATIVE_POLICIES)}")
        check_versions(self.versions, self.tier_mode, self.tier_window)
        check_shares(self.payees)
        if self.payer in {s.party for s in self.payees}:
            raise ValueError(f"{self.payer} cannot both pay and receive the royalty")
        for name, value in (("minimum guarantee", self.minimum_per_year),
                            ("royalty cap", self.cap_royalty_per_year),
                            ("base cap", self.cap_base_per_year)):
            if value is not None and value < 0:
                raise ValueError(f"the yearly {name} cannot be negative")
        if self.end is not None and self.end < self.start:
            raise ValueError("the agreement ends before it starts")

    def period_of(self, day: date) -> int:
        return pd.period_of(self.start, self.period_months, day)

    def bounds(self, period: int) -> tuple[date, date]:
        return pd.bounds(self.start, self.period_months, period)

    @property
    def unit(self) -> str:
        return "units" if self.basis == "units" else self.currency


@dataclass
class _Chunk:
    version: RateVersion
    quantity: Decimal
    sources: list[int] = field(default_factory=list)


@dataclass
class _State:
    carry: Decimal = ZERO  # negative base carried forward (<= 0)
    credit: Decimal = ZERO  # negative royalty carried forward (<= 0)
    window_total: Decimal = ZERO
    # all-units windows: quantity counted so far per rate version (re-rated together)
    window_chunks: dict[int, tuple[RateVersion, Decimal]] = field(default_factory=dict)
    ytd_base: Decimal = ZERO
    ytd_earned: Decimal = ZERO
    advances: Decimal = ZERO
    recouped: Decimal = ZERO
    owed: dict[str, Decimal] = field(default_factory=dict)
    # the fixed texts of a tier line, by (rate version, band index): code, label, rule
    # and rate, written once per agreement rather than once per period
    band_texts: dict[tuple[int, int], tuple[str, str, str, str]] = field(
        default_factory=dict)


def statements(terms: RoyaltyTerms, ledger: Ledger, through: int) -> list[PeriodStatement]:
    """The statements of periods 1..`through`, each computed from the ledger entries
    booked up to its last day. Pure: the same terms and ledger give the same figures."""
    terms.check()
    per = pd.per_year(terms.period_months)
    by_period: dict[int, list[Entry]] = {}
    payees = {s.party for s in terms.payees}
    for e in ledger.entries:
        p = terms.period_of(e.booked)
        if p == 0:
            raise ValueError(f"ledger entry #{e.seq} is booked on {e.booked}, before the "
                             f"agreement starts on {terms.start}")
        if e.kind == "payment" and e.party not in payees:
            raise ValueError(f"payment #{e.seq} is to {e.party}, who is not a payee")
        if p <= through:
            by_period.setdefault(p, []).append(e)
    state = _State(owed={s.party: ZERO for s in terms.payees})
    texts = _texts(terms)
    out = []
    last_seq = 0
    for p in range(1, through + 1):
        if (p - 1) % per == 0:
            state.ytd_base = state.ytd_earned = ZERO
        if terms.tier_window == "period" or (terms.tier_window == "contract_year"
                                             and (p - 1) % per == 0):
            state.window_total, state.window_chunks = ZERO, {}
        es = by_period.get(p, [])
        if es:
            last_seq = max(last_seq, max(e.seq for e in es))
        out.append(_period(terms, texts, state, p, es, last_seq))
    return out


def statement(terms: RoyaltyTerms, ledger: Ledger, period: int) -> PeriodStatement:
    return statements(terms, ledger, period)[-1]


def _by_kind(es: Sequence[Entry]) -> tuple[dict[str, list[Entry]], dict[str, Decimal],
                                           dict[str, Decimal]]:
    """The period's entries by kind (each list in ledger order) with their amounts and
    units summed, in one pass: the same sums, in the same order, as one pass a kind."""
    lists: dict[str, list[Entry]] = {k: [] for k in ROYALTY_KINDS}
    amounts = dict.fromkeys(ROYALTY_KINDS, ZERO)
    units = dict.fromkeys(ROYALTY_KINDS, ZERO)
    for e in es:
        k = e.kind
        lists.setdefault(k, []).append(e)
        amounts[k] = amounts.get(k, ZERO) + e.amount
        units[k] = units.get(k, ZERO) + e.units
    return lists, amounts, units


def _period(terms: RoyaltyTerms, texts: _Texts, st: _State, p: int, es: list[Entry],
            last_seq: int) -> PeriodStatement:
    cur = terms.currency
    F, Q = texts
    start, end = terms.bounds(p)
    cy = pd.contract_year(terms.period_months, p)
    lines: list[Line] = []
    add = _adder(terms, lines)
    kinds, amounts, units = _by_kind(es)
    sales, rets, deds = kinds["sale"], kinds["return"], kinds["deduction"]

    # (1) net
    gross, returns, ded = amounts["sale"], amounts["return"], amounts["deduction"]
    net = gross - returns - ded
    add("gross", "Gross sales", gross, units["sale"], f"{len(sales)} sale lines",
        tuple(e.seq for e in sales))
    add("returns", "Returns", -returns, -units["return"], f"{len(rets)} return lines",
        tuple(e.seq for e in rets))
    add("deductions", "Allowed deductions", -ded, None, f"{len(deds)} deduction lines",
        tuple(e.seq for e in deds))
    add("net", "Net sales", net, None, f"{F(gross)} − {F(returns)} − {F(ded)} = {F(net)}")

    # (2) royalty-bearing quantity per rate version, in date order
    chunks: dict[int, _Chunk] = {}
    for e in sorted(es, key=lambda x: (x.on, x.seq)):
        if e.kind not in ("sale", "return", "deduction"):
            continue
        if terms.basis == "units":
            if e.kind == "deduction":
                continue
            q = e.units if e.kind == "sale" else -e.units
        else:
            q = e.amount if e.kind == "sale" else -e.amount
        v = version_on(terms.versions, e.on)
        if v is None:
            raise ValueError(f"no rate version covers {e.on} (ledger entry #{e.seq}); add "
                             "one or correct the entry's date")
        ch = chunks.setdefault(v.version, _Chunk(v, ZERO))
        ch.quantity += q
        ch.sources.append(e.seq)
    parts = sorted(chunks.values(), key=lambda c: c.version.effective_from)
    total = sum((c.quantity for c in parts), ZERO)
    unit = terms.unit

    # (3) negative periods
    carry_in = st.carry
    adjusted = total + carry_in
    if carry_in:
        add("carry_in", "Negative base carried from earlier periods", None, carry_in,
            f"carried forward: {Q(carry_in)} {unit}")
    if adjusted < 0:
        for c in parts:
            c.quantity = ZERO
        if terms.negative_policy == "carry_forward":
            st.carry = adjusted
            add("carry_out", "Negative base carried to the next period", None, adjusted,
                f"{Q(total)} + {Q(carry_in)} = {Q(adjusted)} {unit} is below zero: "
                "the base is 0 and the shortfall is deducted from later periods")
        else:
            st.carry = ZERO
            add("floored", "Negative base floored at zero", None, adjusted,
                f"{Q(adjusted)} {unit} is below zero: the base is 0 (policy: floor, "
                "nothing carried)")
    else:
        st.carry = ZERO
        _deduct(parts, -carry_in)
    base = sum((c.quantity for c in parts), ZERO)

    # (4) yearly cap on the base
    if terms.cap_base_per_year is not None:
        room = max(ZERO, terms.cap_base_per_year - st.ytd_base)
        if base > room:
            over = base - room
            _deduct(parts, over, from_end=True)
            add("cap_base", "Over the yearly base cap, not royalty-bearing", None, -over,
                f"cap {Q(terms.cap_base_per_year)} {unit} a contract year, "
                f"{Q(st.ytd_base)} used before this period: {Q(over)} {unit} over")
            base = room
    st.ytd_base += base
    add("base", "Royalty-bearing base", None, base,
        f"{Q(total)} {unit} this period"
        + (f" {'+' if carry_in >= 0 else '−'} {Q(abs(carry_in))} carried" if carry_in
           and adjusted >= 0 else "") + f" → {Q(base)} {unit}",
        tuple(s for c in parts for s in c.sources))

    # (5) tiers
    earned_exact = _tiers(terms, texts, st, parts, add)

    # (6) round once
    earned = round_money(earned_exact, cur)
    add("earned", "Royalty earned", earned, None,
        f"{F(earned_exact)} rounded half away from zero → {F(earned)} (the one "
        "rounding of the period)")
    if st.credit:
        applied = st.credit
        earned_after = earned + applied
        add("credit_in", "Negative royalty carried from earlier periods", applied, None,
            f"{F(earned)} {'−' if applied < 0 else '+'} {F(abs(applied))} = "
            f"{F(earned_after)}")
        earned = earned_after
        st.credit = ZERO
    if earned < 0:
        if terms.negative_policy == "carry_forward":
            st.credit = earned
            add("credit_out", "Negative royalty carried to the next period", -earned,
                None, f"{F(earned)} is below zero: nothing is due and it is deducted "
                "from later royalties")
        else:
            add("floored_royalty", "Negative royalty floored at zero", -earned, None,
                f"{F(earned)} is below zero: floored at 0 (policy: floor)")
        earned = ZERO

    # (7) yearly cap on royalties
    if terms.cap_royalty_per_year is not None:
        room = max(ZERO, terms.cap_royalty_per_year - st.ytd_earned)
        if earned > room:
            add("cap", "Over the yearly royalty cap", room - earned, None,
                f"cap {F(terms.cap_royalty_per_year)} a contract year, "
                f"{F(st.ytd_earned)} earned before this period: "
                f"{F(earned - room)} over")
            earned = room
    st.ytd_earned += earned

    # (8) advance recoupment
    advs = kinds["advance"]
    adv = amounts["advance"]
    if adv:
        add("advance", "Advance paid", adv, None, f"{len(advs)} advance payments, "
            "recoupable from royalties", tuple(e.seq for e in advs))
    st.advances += adv
    open_adv = st.advances - st.recouped
    recoup = min(earned, open_adv) if open_adv > 0 else ZERO
    if st.advances:
        add("recoup", "Recouped from the advance", -recoup, None,
            f"min(earned {F(earned)}, advance not yet recouped {F(open_adv)}) = "
            f"{F(recoup)}; {F(open_adv - recoup)} left to recoup")
    st.recouped += recoup
    royalty = earned - recoup
    add("royalty", "Royalty payable", royalty, None,
        f"{F(earned)} − {F(recoup)} recouped = {F(royalty)}")

    # (9) minimum guarantee, per contract year, never blended into a single period
    shortfall = ZERO
    mg = terms.minimum_per_year
    if mg is not None:
        if pd.is_year_end(terms.period_months, p):
            shortfall = max(ZERO, mg - st.ytd_earned)
            add("minimum_shortfall", "Minimum guarantee shortfall", shortfall, None,
                f"max(0, minimum {F(mg)} − earned in contract year {cy} "
                f"{F(st.ytd_earned)}) = {F(shortfall)}")
        else:
            pct = (EXACT.divide(st.ytd_earned * 100, mg)).quantize(Decimal("0.1")) if mg else \
                Decimal(100)
            add("minimum_progress", "Minimum guarantee earned so far", st.ytd_earned,
                None, f"{F(st.ytd_earned)} of {F(mg)} in contract year {cy} "
                f"({pct}%); any shortfall is billed at the year's end")
    due = royalty + shortfall
    add("due", "Due for the period", due, None,
        f"{F(royalty)} royalty + {F(shortfall)} minimum shortfall = {F(due)}")

    # (10, 11) split among payees, payments, balances
    parties = []
    payments = kinds["payment"]
    for sl in split(due, terms.payees, cur):
        paid_es = [e for e in payments if e.party == sl.party]
        paid = sum((e.amount for e in paid_es), ZERO)
        opening = st.owed[sl.party]
        closing = opening + sl.amount - paid
        st.owed[sl.party] = closing
        parties.append(make_party_line(sl.party, sl.bp, pad(sl.amount, cur), pad(opening, cur),
                                       pad(paid, cur), pad(closing, cur), sl.explain,
                                       tuple(e.seq for e in paid_es)))
    return PeriodStatement(
        agreement=terms.agreement, currency=cur, period=p, start=start, end=end,
        contract_year=cy, lines=tuple(lines), due=pad(due, cur),
        parties=tuple(parties),
        last_seq=last_seq, entries=tuple(e.seq for e in es))


_Texts = tuple[Callable[[Decimal], str], Callable[[Decimal], str]]


def _texts(terms: RoyaltyTerms) -> _Texts:
    """How money (F) and the base's quantity (Q: money or units) read in explanations."""
    cur = terms.currency
    minor = quantum(cur)

    def money(x: Decimal) -> str:
        if x and x.same_quantum(minor):
            return f"{x:,f}"  # pad's common case, inline: already at the minor unit
        return fmt(pad(x, cur))

    def qty(x: Decimal) -> str:
        return fmt(tidy(x))

    return money, (money if terms.basis == "net" else qty)


class _Add(Protocol):
    def __call__(self, code: str, label: str, amount: Decimal | None,
                 quantity: Decimal | None, explain: str, sources: tuple[int, ...] = (),
                 rule: str | None = None) -> None: ...


def _adder(terms: RoyaltyTerms, lines: list[Line]) -> _Add:
    """Appends a statement line as shown: money padded to the minor unit, a quantity
    padded when it is money (a net base) and tidied when it counts units (the gross and
    returns lines always count units)."""
    cur = terms.currency
    minor = quantum(cur)
    net = terms.basis == "net"
    append = lines.append

    def add(code: str, label: str, amount: Decimal | None, quantity: Decimal | None,
            explain: str, sources: tuple[int, ...] = (), rule: str | None = None) -> None:
        if amount is not None and not (amount and amount.same_quantum(minor)):
            amount = pad(amount, cur)  # (pad returns an amount at the minor unit as it is)
        if quantity is not None:
            quantity = pad(quantity, cur) if net and code not in ("gross", "returns") \
                else tidy(quantity)
        append(make_line(code, label, amount, quantity, explain, sources, rule))

    return add


def _deduct(parts: list[_Chunk], amount: Decimal, *, from_end: bool = False) -> None:
    """Take `amount` (>= 0) off the positive chunks, earliest first (latest first for a
    cap: what is over a cap is what came last)."""
    order = reversed(parts) if from_end else iter(parts)
    for c in order:
        if amount <= 0:
            break
        if c.quantity > 0:
            take = min(c.quantity, amount)
            c.quantity -= take
            amount -= take


def _tiers(terms: RoyaltyTerms, show: _Texts, st: _State, parts: list[_Chunk],
           add: _Add) -> Decimal:
    unit = terms.unit
    per_unit = terms.basis == "units"
    F, Q = show

    def rate_text(r: Decimal) -> str:
        return f"{fmt(tidy(r))} {terms.currency}/unit" if per_unit else f"{fmt(tidy(r * 100))}%"

    suffix = "" if terms.tier_mode == "marginal" else " (all units)"

    def band_texts(v: RateVersion, ix: int) -> tuple[str, str, str, str]:
        got = st.band_texts.get((v.version, ix))
        if got is None:
            b = v.bands[ix]
            got = st.band_texts[(v.version, ix)] = (
                f"tier:v{v.version}:{ix + 1}", f"Band {b.label()} {unit}{suffix}", v.label(),
                rate_text(b.rate))
        return got

    earned = ZERO
    if terms.tier_mode == "marginal":
        c = st.window_total
        for ch in parts:
            if not ch.quantity:
                continue
            for i, piece in enumerate(marginal(ch.version, c, ch.quantity)):
                code, label, rule, rate = band_texts(ch.version,
                                                     ch.version.bands.index(piece.band))
                add(code, label, piece.amount, piece.quantity,
                    f"{Q(piece.quantity)} {unit} × {rate} = "
                    f"{F(piece.amount)} (marginal: only the part inside the band)",
                    tuple(ch.sources) if i == 0 else (), rule)
                earned += piece.amount
            c += ch.quantity
        st.window_total = c
        return earned
    before = st.window_total
    after = before + sum((ch.quantity for ch in parts), ZERO)
    for ch in parts:
        if not ch.quantity:
            continue
        ix = ch.version.band_at(after)
        r = ch.version.bands[ix].rate  # the rate at `after` (rate_at is the band's rate)
        amount = EXACT.multiply(ch.quantity, r)
        code, label, rule, rate = band_texts(ch.version, ix)
        add(code, label, amount, ch.quantity,
            f"{Q(ch.quantity)} {unit} × {rate} = {F(amount)} (all-units: the "
            f"{_window_words(terms)} total {Q(after)} {unit} is in this band)",
            tuple(ch.sources), rule)
        earned += amount
    true_up = ZERO
    texts = []
    for v, q in st.window_chunks.values():
        delta = v.rate_at(after) - v.rate_at(before)
        if delta and q:
            true_up += EXACT.multiply(q, delta)
            texts.append(f"{Q(q)} {unit} × ({rate_text(v.rate_at(after))} − "
                         f"{rate_text(v.rate_at(before))})")
    if true_up:
        add("true_up", "Earlier units re-rated (retrospective tier)", true_up,
            None, " + ".join(texts) + f" = {F(true_up)}")
        earned += true_up
    for ch in parts:
        if ch.quantity:
            _, q = st.window_chunks.get(ch.version.version, (ch.version, ZERO))
            st.window_chunks[ch.version.version] = (ch.version, q + ch.quantity)
    st.window_total = after
    return earned


def _window_words(terms: RoyaltyTerms) -> str:
    return {"period": "period's", "contract_year": "contract year's",
            "lifetime": "agreement's lifetime"}[terms.tier_window]
