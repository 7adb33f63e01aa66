"""Time and value: time invested per person, organization and activity kind, value
attributed (deals, referrals, hires, answers, savings), and the monthly report of where
relationship time went and what it returned (docs/networking-craft.md)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time
from decimal import Decimal
from fractions import Fraction

from kithbook import ids
from kithbook.domain import timevalue as rules
from kithbook.domain.craft_records import MonthReport, TimeEntry, ValueEntry
from kithbook.domain.timevalue import MonthTotals, TimeFact, ValueFact
from kithbook.errors import InvalidInput
from kithbook.services.catalog import use_case
from kithbook.services.craft_base import CraftBase, clean, parsed
from kithbook.services.resolve import PersonLike
from kithbook.store import craft_time as st
from kithbook.store import people as st_people
from kithbook.store import schema_craft as c
from kithbook.store.craft import insert

TREND_MONTHS = 12
TOP = 10


class TimeValueService(CraftBase):
    @use_case(writes=True)
    def log_time(self, minutes: int, kind: str, *, person: PersonLike | None = None,
                 org: str | None = None, at: datetime | None = None,
                 note: str | None = None) -> TimeEntry:
        """Time spent on relationships outside logged interactions: preparation,
        meetings, follow-up, events (with a person or an organization, or alone)."""
        kind = kind.replace("-", "_")
        if kind not in rules.ACTIVITY_KINDS:
            raise InvalidInput(f"'{kind}' is not a kind ({', '.join(rules.ACTIVITY_KINDS)}).",
                               field="kind")
        if not 1 <= minutes <= 24 * 60:
            raise InvalidInput("minutes are from 1 to 1440.", field="minutes")
        with self.write("time log") as j:
            pkey = self.svc.resolve.person_key(j.conn, person) if person else None
            okey = self.svc.resolve.org_key(j.conn, org) if org else None
            key = insert(j, c.time_entries, {
                "public_id": ids.new_id("time_entry"), "at": at or j.now, "minutes": minutes,
                "kind": kind, "person_id": pkey, "org_id": okey, "note": clean(note, "note"),
                "created_at": j.now})
            return st.time_entries(j.conn, [key])[0]

    @use_case(writes=True)
    def log_value(self, kind: str, *, amount: str | None = None,
                  person: PersonLike | None = None, org: str | None = None,
                  on: date | None = None, note: str | None = None) -> ValueEntry:
        """Value a relationship returned: a deal, a referral, a hire, an answer, a
        saving, with its amount when it has one."""
        if kind not in rules.VALUE_KINDS:
            raise InvalidInput(f"'{kind}' is not a kind ({', '.join(rules.VALUE_KINDS)}).",
                               field="kind")
        value = parsed(rules.money, amount, "amount") if amount else None
        with self.write("value log") as j:
            pkey = self.svc.resolve.person_key(j.conn, person) if person else None
            okey = self.svc.resolve.org_key(j.conn, org) if org else None
            key = insert(j, c.value_entries, {
                "public_id": ids.new_id("value_entry"), "on_date": on or self.svc.today,
                "kind": kind, "amount": value, "person_id": pkey, "org_id": okey,
                "note": clean(note, "note"), "created_at": j.now})
            return st.value_entries(j.conn, [key])[0]

    @use_case()
    def report(self, month: str | None = None, *, months: int = TREND_MONTHS) -> MonthReport:
        """Where relationship time went in a month (local calendar month) and what it
        returned: by activity kind, person and organization, with a trend."""
        tz = parsed(rules.zone, self.svc.config.timezone, "timezone")
        if month:
            year, mon = parsed(rules.parse_month, month, "month")
        else:
            year, mon = self.svc.today.year, self.svc.today.month
        if not 1 <= months <= 60:
            raise InvalidInput("the trend covers 1 to 60 months.", field="months")
        span = rules.months_ending(year, mon, months)
        start, _ = rules.month_bounds(*span[0], tz)
        _, end = rules.month_bounds(year, mon, tz)
        first = date(*span[0], 1)
        last = date(year, mon, rules.days_in(year, mon))
        with self.svc.db.read() as conn:
            me = st_people.me_key(conn)
            tfacts = st.time_facts(conn, start, end, me)
            vfacts = st.value_facts(conn, first, last)
            buckets_t: dict[tuple[int, int], list[TimeFact]] = defaultdict(list)
            for f in tfacts:
                buckets_t[rules.month_of(f.at, tz)].append(f)
            buckets_v: dict[tuple[int, int], list[ValueFact]] = defaultdict(list)
            for v in vfacts:
                buckets_v[(v.on.year, v.on.month)].append(v)
            sums = {ym: rules.month_sums(*ym, tz, buckets_t.get(ym, []), buckets_v.get(ym, []))
                    for ym in span}
            now = sums[(year, mon)]
            orgs = st.current_orgs(conn, list(now.people))
        trend = [MonthTotals(id=rules.month_label(*ym), name=rules.month_label(*ym),
                             minutes=rules.rounded_minutes(m.minutes_by_kind),
                             value_count=sum(n for n, _ in m.value_by_kind.values()),
                             value_amount=sum((a for _, a in m.value_by_kind.values()),
                                              Decimal(0)))
                 for ym, m in sums.items()]
        org_minutes: dict[int, Fraction] = defaultdict(Fraction)
        org_value: dict[int, tuple[int, Decimal]] = {}
        org_refs: dict[int, tuple[str, str]] = {}
        for pkey, mins in now.minutes_by_person.items():
            if pkey in orgs:
                org_minutes[orgs[pkey][0]] += mins
        for pkey, (n, amount) in now.value_by_person.items():
            if pkey in orgs:
                k = orgs[pkey][0]
                c0, a0 = org_value.get(k, (0, Decimal(0)))
                org_value[k] = (c0 + n, a0 + amount)
        for okey, name in orgs.values():
            org_refs[okey] = (f"org:{okey}", name)
        total = sum(now.minutes_by_kind.values(), Fraction(0))
        amount = sum((a for _, a in now.value_by_kind.values()), Decimal(0))
        label = rules.month_label(year, mon)
        return MonthReport(
            id=label, name=label, timezone=str(tz),
            minutes=rules.rounded_minutes(now.minutes_by_kind),
            total_minutes=round(float(total), 1),
            unattributed_minutes=round(float(now.unattributed), 1),
            values=rules.kind_values(now.value_by_kind),
            value_count=sum(n for n, _ in now.value_by_kind.values()), value_amount=amount,
            per_hour=rules.per_hour(amount, total) if amount else None,
            people=rules.shares(now.minutes_by_person, now.value_by_person, now.people,
                                limit=TOP),
            orgs=rules.shares(dict(org_minutes), org_value, org_refs, limit=TOP),
            trend=trend)


def midday(on: date) -> datetime:
    return datetime.combine(on, time(12), tzinfo=UTC)
