"""The append-only ledger behind every money figure (docs/economics.md, "The ledger").

A ledger is a sequence of entries; `seq` is an entry's place in it and the number a
statement cites. Nothing is edited or removed: a mistake is undone by a reversal, a
new entry that negates the original (same kind, same event date, amounts and units
negated) and names it in `reverses`. An entry has two dates: `on`, when the event
happened (it picks the rate version), and `booked`, when it entered the books (it
picks the statement period). A late report or a correction is booked in an open
period, so a statement already issued never changes when it is recomputed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from kithbook.domain.economics.money import ZERO

# sale: units sold and gross revenue; return: units and amount given back;
# deduction: an allowed deduction from gross (freight, taxes the contract names);
# advance: paid ahead, recouped from later royalties; payment: royalty paid to `party`.
ROYALTY_KINDS = ("sale", "return", "deduction", "advance", "payment")
# buying groups: order (a member bought units at a price), rebate (paid to the group),
# cost (a group cost, e.g. coordination), transfer (a settlement payment to `party`).
EXTRA_KINDS = ("order", "rebate", "cost", "transfer")


@dataclass(frozen=True)
class Entry:
    seq: int
    kind: str
    on: date
    booked: date
    amount: Decimal = ZERO
    units: Decimal = ZERO
    party: str | None = None  # payee of a payment; member of an order
    ref: str = ""  # the partner's document or report line
    product: str = ""
    reverses: int | None = None
    note: str = ""

    @property
    def is_reversal(self) -> bool:
        return self.reverses is not None

    def describe(self) -> str:
        what = f"#{self.seq} {self.kind} {self.on.isoformat()}"
        if self.units:
            what += f", {self.units:,f} units"
        if self.amount:
            what += f", {self.amount:,f}"
        if self.ref:
            what += f", ref {self.ref}"
        if self.reverses is not None:
            what += f" (reverses #{self.reverses})"
        return what


class Ledger:
    """Immutable: `append` and `reverse` return a new ledger."""

    __slots__ = ("_by_seq", "_reversed", "entries")

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self.entries: tuple[Entry, ...] = ()
        self._by_seq: dict[int, Entry] = {}
        self._reversed: set[int] = set()
        checked: list[Entry] = []
        for e in sorted(entries, key=lambda x: x.seq):
            self._check_next(e, checked[-1].seq if checked else 0)
            checked.append(e)
            self._by_seq[e.seq] = e
            if e.reverses is not None:
                self._reversed.add(e.reverses)
        self.entries = tuple(checked)

    @classmethod
    def of(cls, entries: Iterable[Entry]) -> Ledger:
        """A ledger from stored entries, checked: seqs increase, reversals are valid."""
        return cls(entries)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ledger) and self.entries == other.entries

    def __hash__(self) -> int:
        return hash(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def _check_next(self, e: Entry, last_seq: int) -> None:
        if e.seq <= last_seq:
            raise ValueError(f"ledger entry #{e.seq} is out of order")
        if not e.amount.is_finite() or not e.units.is_finite():
            raise ValueError(f"ledger entry #{e.seq} has an amount that is not a number")
        if e.kind not in ROYALTY_KINDS and e.kind not in EXTRA_KINDS:
            raise ValueError(f"ledger entry #{e.seq} has an unknown kind '{e.kind}'")
        if e.reverses is not None:
            orig = self._by_seq.get(e.reverses)
            if orig is None:
                raise ValueError(f"#{e.seq} reverses #{e.reverses}, which is not in the ledger")
            if orig.reverses is not None:
                raise ValueError(f"#{orig.seq} is itself a reversal; book a new entry instead")
            if orig.seq in self._reversed:
                raise ValueError(f"#{orig.seq} is already reversed")
            if (e.kind, e.amount, e.units, e.party) != (orig.kind, -orig.amount, -orig.units,
                                                       orig.party):
                raise ValueError(f"#{e.seq} does not negate #{orig.seq}")
            if e.booked < orig.booked:
                raise ValueError(f"#{e.seq} is booked before the entry it reverses")

    def get(self, seq: int) -> Entry:
        try:
            return self._by_seq[seq]
        except KeyError:
            raise KeyError(f"no ledger entry #{seq}") from None

    def is_reversed(self, seq: int) -> bool:
        return seq in self._reversed

    @property
    def next_seq(self) -> int:
        return self.entries[-1].seq + 1 if self.entries else 1

    def append(self, entry: Entry) -> Ledger:
        """A new ledger with `entry` at the end (its seq is assigned here)."""
        return Ledger(self.entries + (replace(entry, seq=self.next_seq),))

    def reversal_of(self, seq: int, booked: date, note: str = "") -> Entry:
        """The entry that would reverse #seq, booked on `booked`."""
        orig = self.get(seq)
        return replace(orig, seq=self.next_seq, booked=booked, amount=-orig.amount,
                       units=-orig.units, reverses=seq, note=note or f"reverses #{seq}")

    def reverse(self, seq: int, booked: date, note: str = "") -> Ledger:
        return self.append(self.reversal_of(seq, booked, note))

    def booked_between(self, start: date, end: date) -> list[Entry]:
        return [e for e in self.entries if start <= e.booked <= end]


def total(entries: Sequence[Entry], kind: str, what: str = "amount") -> Decimal:
    return sum((getattr(e, what) for e in entries if e.kind == kind), ZERO)
