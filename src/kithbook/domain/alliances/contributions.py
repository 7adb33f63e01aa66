"""Skin in the game: contributions committed against delivered, per party, side by
side (docs/alliance-management.md, "Contributions"). Money is Decimal throughout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kithbook.domain.alliances.facts import CONTRIBUTION_KINDS, AllianceFacts, Contribution

ZERO = Decimal(0)


@dataclass(frozen=True)
class KindLine:
    kind: str
    committed_amount: Decimal  # money, hours or introductions, as entered
    delivered_amount: Decimal
    committed_value: Decimal  # money: hours and introductions at their rate
    delivered_value: Decimal


@dataclass(frozen=True)
class PartyLedger:
    party_key: int
    id: str
    name: str
    committed: Decimal  # money value
    delivered: Decimal
    lines: tuple[KindLine, ...]
    ratio: float | None  # delivered / committed; None when nothing was committed

    @property
    def outstanding(self) -> Decimal:
        return max(self.committed - self.delivered, ZERO)


def _ratio(lines: list[KindLine]) -> float | None:
    committed = sum((ln.committed_value for ln in lines), ZERO)
    delivered = sum((ln.delivered_value for ln in lines), ZERO)
    if committed > 0:
        return float(delivered / committed)
    # introductions or hours without a rate: compare what was promised in its own units
    amounts = [(ln.committed_amount, ln.delivered_amount) for ln in lines if ln.committed_amount]
    if not amounts:
        return None
    return sum(float(d / c) for c, d in amounts) / len(amounts)


def ledger(facts: AllianceFacts, today: date) -> list[PartyLedger]:
    """One line per party and kind of contribution, up to `today`."""
    out = []
    for p in facts.parties:
        mine = [c for c in facts.contributions if c.party_key == p.key and c.on <= today]
        lines = []
        for kind in CONTRIBUTION_KINDS:
            of_kind = [c for c in mine if c.kind == kind]
            if not of_kind:
                continue
            lines.append(KindLine(
                kind,
                _sum(of_kind, "committed", value=False),
                _sum(of_kind, "delivered", value=False),
                _sum(of_kind, "committed", value=True),
                _sum(of_kind, "delivered", value=True),
            ))
        out.append(PartyLedger(
            p.key, p.id, p.name,
            committed=sum((ln.committed_value for ln in lines), ZERO),
            delivered=sum((ln.delivered_value for ln in lines), ZERO),
            lines=tuple(lines),
            ratio=_ratio(lines),
        ))
    return out


def _sum(items: list[Contribution], stage: str, *, value: bool) -> Decimal:
    return sum(((c.value if value else c.amount) for c in items if c.stage == stage), ZERO)
