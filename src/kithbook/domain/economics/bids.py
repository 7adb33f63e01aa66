"""Joint bids and consortia (docs/economics.md, "Joint bids").

A bid has a lead member that answers and submits for everyone; every other member
authorizes the lead in writing. The work is cut into work packages, each with an owner
member, a budget and dates. The price is built from each member's parts (cost plus the
member's margin), plus the consortium's contingency, rounded once. Go/no-go is a
decision with its reasons; the checks below say what blocks a "go". Under lump-sum
funding a completed work package triggers its payment, shared among the members that
priced parts of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from kithbook.domain.economics.money import (
    EXACT,
    ZERO,
    allocate,
    fmt,
    largest_remainder,
    pad,
    round_money,
)
from kithbook.domain.economics.statement import Line, padded

LIABILITY = ("joint_and_several", "several", "lead_only")
DECISIONS = ("go", "no_go")


@dataclass(frozen=True)
class Authorization:
    member: str
    signed_on: date
    signed_by: str  # who signed for the member
    document: str = ""  # where the written authorization is


@dataclass(frozen=True)
class WorkPackage:
    code: str
    name: str
    owner: str | None
    budget: Decimal | None
    start: date | None
    end: date | None
    completed_on: date | None = None


@dataclass(frozen=True)
class PricePart:
    member: str
    description: str
    cost: Decimal
    margin: Decimal = ZERO  # fraction: 0.15 = cost + 15%
    wp: str | None = None

    @property
    def price(self) -> Decimal:
        return EXACT.multiply(self.cost, 1 + self.margin)


@dataclass(frozen=True)
class Decision:
    verdict: str  # go | no_go
    reasons: str
    decided_on: date
    forced: bool = False


@dataclass(frozen=True)
class Bid:
    name: str
    currency: str
    lead: str
    members: tuple[str, ...]
    deadline: date | None = None
    liability: str | None = None
    contingency: Decimal = ZERO  # fraction of the members' parts
    authorizations: tuple[Authorization, ...] = ()
    work_packages: tuple[WorkPackage, ...] = ()
    parts: tuple[PricePart, ...] = ()


@dataclass(frozen=True)
class Finding:
    severity: str  # blocker | warning
    code: str
    message: str
    fix: str


@dataclass(frozen=True)
class PriceBuildUp:
    total: Decimal
    lines: tuple[Line, ...]
    per_member: tuple[tuple[str, Decimal, int], ...]  # member, price of its parts, bp of the total
    per_wp: tuple[tuple[str, Decimal, Decimal | None], ...]  # wp, priced, budget


def price(bid: Bid) -> PriceBuildUp:
    """The bid price from the members' parts; every figure explained."""
    cur = bid.currency

    def F(x: Decimal) -> str:
        return fmt(pad(x, cur))

    lines: list[Line] = []
    subtotal = ZERO
    per_member = []
    for m in bid.members:
        mine = [p for p in bid.parts if p.member == m]
        total_m = sum((p.price for p in mine), ZERO)
        for p in mine:
            wp_text = f" [{p.wp}]" if p.wp else ""
            lines.append(Line(f"part:{m}", f"{m}: {p.description}{wp_text}", p.price, None,
                              f"cost {F(p.cost)} × (1 + {fmt((p.margin * 100).normalize())}% "
                              f"margin) = {F(p.price)}"))
        lines.append(Line(f"member:{m}", f"{m}, all parts", total_m, None,
                          " + ".join(F(p.price) for p in mine) + f" = {F(total_m)}"
                          if mine else "no part priced yet"))
        subtotal += total_m
        per_member.append((m, total_m))
    lines.append(Line("subtotal", "Members' parts", subtotal, None,
                      " + ".join(F(x) for _, x in per_member) + f" = {F(subtotal)}"))
    cont = EXACT.multiply(subtotal, bid.contingency)
    lines.append(Line("contingency", "Contingency", cont, None,
                      f"{F(subtotal)} × {fmt((bid.contingency * 100).normalize())}% = {F(cont)}"))
    exact_total = subtotal + cont
    total = round_money(exact_total, cur)
    lines.append(Line("price", "Bid price", total, None,
                      f"{F(subtotal)} + {F(cont)} = {fmt(exact_total)} → {F(total)} "
                      "(rounded once, half away from zero)"))
    if subtotal > 0:
        bps = largest_remainder([Fraction(x) / Fraction(subtotal) * 10_000
                                 for _, x in per_member], 10_000)
        shares = [(m, pad(x, cur), b) for (m, x), b in zip(per_member, bps, strict=True)]
    else:
        shares = [(m, pad(x, cur), 0) for m, x in per_member]
    per_wp = []
    for wp in bid.work_packages:
        priced = sum((p.price for p in bid.parts if p.wp == wp.code), ZERO)
        per_wp.append((wp.code, pad(priced, cur), wp.budget))
    return PriceBuildUp(total=total, lines=padded(lines, cur), per_member=tuple(shares),
                        per_wp=tuple(per_wp))


def checks(bid: Bid, today: date) -> list[Finding]:
    """What stands between this bid and a "go", blockers first."""
    out: list[Finding] = []

    def add(sev: str, code: str, msg: str, fix: str) -> None:
        out.append(Finding(sev, code, msg, fix))

    members = set(bid.members)
    if bid.lead not in members:
        add("blocker", "lead", f"{bid.lead} leads the bid but is not a member",
            "add the lead as a member or choose a member as lead")
    signed = {a.member for a in bid.authorizations}
    for m in bid.members:
        if m != bid.lead and m not in signed:
            add("blocker", "authorization", f"{m} has not authorized {bid.lead} in writing to "
                "answer and submit the bid", f"record {m}'s signed authorization")
    if bid.liability is None:
        add("blocker", "liability", "the members have not agreed how liability is shared",
            "record the liability model (joint and several, several, or lead only)")
    if bid.deadline is not None and bid.deadline < today:
        add("blocker", "deadline", f"the submission deadline {bid.deadline} has passed",
            "record a no-go, or a new deadline if the buyer extended it")
    codes = [wp.code for wp in bid.work_packages]
    if not bid.work_packages:
        add("blocker", "work_packages", "the bid has no work packages",
            "cut the work into packages with an owner, a budget and dates")
    for wp in bid.work_packages:
        if wp.owner is None:
            add("blocker", "wp_owner", f"{wp.code} has no owner", f"name the member owning "
                f"{wp.code}")
        elif wp.owner not in members:
            add("blocker", "wp_owner", f"{wp.code} is owned by {wp.owner}, not a member",
                "choose a member as owner")
        if wp.budget is None:
            add("blocker", "wp_budget", f"{wp.code} has no budget", f"set {wp.code}'s budget")
        if wp.start is None or wp.end is None:
            add("warning", "wp_dates", f"{wp.code} has no start or end date",
                f"set {wp.code}'s dates")
        elif wp.end < wp.start:
            add("blocker", "wp_dates", f"{wp.code} ends before it starts", "fix its dates")
    for p in bid.parts:
        if p.member not in members:
            add("blocker", "part_member", f"a price part is from {p.member}, not a member",
                "move the part to a member")
        if p.wp is not None and p.wp not in codes:
            add("blocker", "part_wp", f"{p.member}'s part '{p.description}' names work package "
                f"{p.wp}, which does not exist", "correct the work package")
        if p.cost < 0:
            add("blocker", "part_cost", f"{p.member}'s part '{p.description}' costs less than "
                "nothing", "correct its cost")
    priced = {p.member for p in bid.parts}
    for m in bid.members:
        if m not in priced:
            add("blocker", "member_price", f"{m} has not priced its part",
                f"add {m}'s cost and margin")
        if not any(wp.owner == m for wp in bid.work_packages) and m not in priced:
            add("warning", "member_work", f"{m} owns no work package and prices nothing",
                f"give {m} work or take it off the bid")
    if len(codes) != len(set(codes)):
        add("blocker", "wp_code", "two work packages share a code", "give each its own code")
    build = price(bid)
    for code, got, budget in build.per_wp:
        if budget is not None and got != budget and any(p.wp == code for p in bid.parts):
            add("warning", "wp_budget_gap", f"{code}'s budget is {fmt(pad(budget, bid.currency))} "
                f"but its priced parts come to {fmt(got)}", "align the budget with the parts")
    return sorted(out, key=lambda f: f.severity != "blocker")


def decide(bid: Bid, verdict: str, reasons: str, today: date, *, force: bool = False) -> Decision:
    """A go/no-go decision. Reasons are required; a go over blockers needs `force`."""
    if verdict not in DECISIONS:
        raise ValueError("the decision is go or no_go")
    if not reasons.strip():
        raise ValueError("record the reasons for the decision")
    blockers = [f for f in checks(bid, today) if f.severity == "blocker"]
    if verdict == "go" and blockers and not force:
        raise ValueError(f"{len(blockers)} things block a go: "
                         + "; ".join(f.message for f in blockers[:3])
                         + ("; …" if len(blockers) > 3 else ""))
    return Decision(verdict, reasons.strip(), today, forced=bool(blockers) and verdict == "go")


def payments(bid: Bid) -> list[tuple[str, str, Decimal]]:
    """(work package, member, amount) due for completed packages: the budget, shared
    among the members by their priced parts of it (all to the owner if none)."""
    out = []
    for wp in bid.work_packages:
        if wp.completed_on is None or wp.budget is None:
            continue
        parts = [p for p in bid.parts if p.wp == wp.code]
        by_member: dict[str, Decimal] = {}
        for p in parts:
            by_member[p.member] = by_member.get(p.member, ZERO) + p.price
        total = sum(by_member.values(), ZERO)
        if not by_member or total == 0:
            out.append((wp.code, wp.owner or bid.lead, wp.budget))
            continue
        names = list(by_member)
        amounts = allocate([Fraction(wp.budget) * Fraction(by_member[m]) / Fraction(total)
                            for m in names], round_money(wp.budget, bid.currency), bid.currency)
        out.extend((wp.code, m, a) for m, a in zip(names, amounts, strict=True))
    return out
