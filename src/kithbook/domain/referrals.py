"""Referrals and advocates: who referred whom to whom and what came of it, advocates
ranked by what their referrals brought, and the thank-you loop. Pure; see
docs/networking-craft.md.

A referral moves open -> met -> won or lost. Its value (money) counts once it is won.
Advocates are the people who referred others to me, ranked by, in order:

1. the value their won referrals brought (the sum; money, exact);
2. the number of referrals won;
3. the number that at least led to a meeting (met, won or lost after meeting);
4. the number of referrals;
5. the most recent referral (recent advocates first), then the name.

The thank-you loop: a referral to me is thanked within THANK_DAYS; once it is decided
(met, won, lost) I report back to the referrer what came of it. After I keep a promise,
the person I kept it for is the right person to ask for a referral, for ASK_WINDOW_DAYS,
unless I asked them since or they referred someone since.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from kithbook.domain.models import PersonRef, Record
from kithbook.domain.text import fold

STATUSES = ("open", "met", "won", "lost")
THANK_DAYS = 2
ASK_WINDOW_DAYS = 14
ASK_STAGES = frozenset({"met", "rapport", "mutual_help", "advocate", None})


@dataclass(frozen=True)
class ReferralFact:
    id: str
    referrer: PersonRef
    referred: PersonRef
    to: PersonRef
    occurred_on: date
    status: str = "open"
    value: Decimal | None = None
    met: bool = False  # a meeting happened (set when the status passed through met)
    thanked_at: datetime | None = None
    reported_at: datetime | None = None


@dataclass
class Advocate(Record):
    id: str
    name: str
    rank: int
    referrals: int
    met: int
    won: int
    lost: int
    open: int
    value: Decimal
    last_referral_on: date | None
    people: list[PersonRef] = field(default_factory=list)


def rank_advocates(referrals: Iterable[ReferralFact], *, me_key: int | None) -> list[Advocate]:
    """Everyone (but me) who referred someone, best advocate first."""
    by: dict[int, list[ReferralFact]] = {}
    refs: dict[int, PersonRef] = {}
    for r in referrals:
        if me_key is not None and r.referrer.key == me_key:
            continue
        by.setdefault(r.referrer.key, []).append(r)
        refs[r.referrer.key] = r.referrer
    rows = []
    for key, items in by.items():
        won = [r for r in items if r.status == "won"]
        value = sum((r.value or Decimal(0) for r in won), Decimal(0))
        met = sum(1 for r in items if r.status in ("met", "won") or r.met)
        rows.append(
            Advocate(
                id=refs[key].id, name=refs[key].name, rank=0, referrals=len(items), met=met,
                won=len(won), lost=sum(1 for r in items if r.status == "lost"),
                open=sum(1 for r in items if r.status == "open"), value=value,
                last_referral_on=max(r.occurred_on for r in items),
                people=[r.referred for r in sorted(items, key=lambda r: (r.occurred_on, r.id))],
            )
        )
    rows.sort(key=lambda a: (-a.value, -a.won, -a.met, -a.referrals,
                             -(a.last_referral_on or date.min).toordinal(), fold(a.name), a.id))
    for i, a in enumerate(rows, 1):
        a.rank = i
    return rows


@dataclass(frozen=True)
class LoopStep:
    """One step of the thank-you loop that is due: `kind` is thank or report_back."""

    kind: str
    referral: ReferralFact
    due: date
    days_late: int


def loop_steps(referrals: Iterable[ReferralFact], *, me_key: int | None,
               today: date) -> list[LoopStep]:
    """Thanks owed for referrals to me, and reports owed once a referral is decided."""
    out = []
    for r in referrals:
        if me_key is None or r.referrer.key == me_key:
            continue
        if r.thanked_at is None and r.to.key == me_key:
            due = date.fromordinal(r.occurred_on.toordinal() + THANK_DAYS)
            out.append(LoopStep("thank", r, due, max(0, (today - due).days)))
        elif r.status != "open" and r.reported_at is None:
            out.append(LoopStep("report_back", r, today, 0))
    return out


@dataclass(frozen=True)
class KeptPromise:
    promise_id: str
    what: str
    person: PersonRef  # whom I kept it for
    kept_on: date
    stage: str | None = None


def referral_asks(kept: Iterable[KeptPromise], *, today: date,
                  asked_since: dict[int, date], referred_since: dict[int, date]
                  ) -> list[KeptPromise]:
    """The kept promises after which asking for a referral is due today: kept within
    the window, the relationship past first contact, and neither an ask nor a referral
    from that person since. One per person (the latest kept promise)."""
    best: dict[int, KeptPromise] = {}
    for k in kept:
        age = (today - k.kept_on).days
        if not 0 <= age <= ASK_WINDOW_DAYS or k.stage not in ASK_STAGES:
            continue
        key = k.person.key
        if asked_since.get(key, date.min) >= k.kept_on:
            continue
        if referred_since.get(key, date.min) >= k.kept_on:
            continue
        if key not in best or best[key].kept_on < k.kept_on:
            best[key] = k
    return sorted(best.values(), key=lambda k: (k.kept_on, k.person.name, k.promise_id))
