"""Referrals and advocates: who referred whom to whom, outcome and value; advocates
ranked by what their referrals brought; the thank-you loop; asking for referrals after
a kept promise (docs/networking-craft.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kithbook import ids
from kithbook.domain import referrals as rules
from kithbook.domain.craft_records import Referral
from kithbook.domain.models import Page, PersonRef
from kithbook.domain.timevalue import money
from kithbook.errors import Conflict, InvalidInput
from kithbook.services.catalog import use_case
from kithbook.services.craft_base import CraftBase, clean, parsed
from kithbook.services.resolve import PersonLike
from kithbook.store import craft_crowds as st
from kithbook.store import people as st_people
from kithbook.store import schema_craft as c
from kithbook.store.craft import insert


class ReferralService(CraftBase):
    @use_case(writes=True)
    def add(self, referrer: PersonLike, referred: PersonLike, *,
            to: PersonLike | None = None, on: date | None = None,
            note: str | None = None) -> Referral:
        """Someone referred someone to me (or, with `to`, to someone else)."""
        with self.write("referral add") as j:
            me = self.svc.people.ensure_me(j)
            a = self.svc.resolve.person_key(j.conn, referrer, field="referrer")
            b = self.svc.resolve.person_key(j.conn, referred, field="referred")
            t = self.svc.resolve.person_key(j.conn, to, field="to") if to else me
            if len({a, b, t}) < 3:
                raise InvalidInput("a referral is between three different people.",
                                   field="referred")
            key = insert(j, c.referrals, {
                "public_id": ids.new_id("referral"), "referrer_id": a, "referred_id": b,
                "to_id": t, "occurred_on": on or self.svc.today, "status": "open",
                "met": False, "note": clean(note, "note"), "created_at": j.now})
            return st.referrals(j.conn, keys=[key])[0]

    @use_case(writes=True)
    def outcome(self, referral: str, status: str, *, value: str | None = None) -> Referral:
        """What came of a referral: met, won (with its value) or lost."""
        if status not in rules.STATUSES:
            raise InvalidInput(f"'{status}' is not an outcome (open, met, won, lost).",
                               field="status")
        amount: Decimal | None = parsed(money, value, "value") if value else None
        with self.write(f"referral {status}") as j:
            key = self._key(j.conn, referral)
            values: dict[str, object] = {"status": status}
            if status in ("met", "won"):
                values["met"] = True
            if status in ("won", "lost"):
                values["decided_on"] = self.svc.today
            if amount is not None:
                values["value"] = amount
            j.update(c.referrals, key, values)
            return st.referrals(j.conn, keys=[key])[0]

    def _key(self, conn: object, referral: str) -> int:
        return self.record_key(conn, c.referrals, referral, what="referral",  # type: ignore[arg-type]
                               name_column=None)

    @use_case(writes=True)
    def thank(self, referral: str) -> Referral:
        """Record that I thanked the referrer."""
        return self._mark(referral, "thanked_at", "referral thank")

    @use_case(writes=True)
    def reported(self, referral: str) -> Referral:
        """Record that I told the referrer what came of it."""
        return self._mark(referral, "reported_at", "referral reported")

    def _mark(self, referral: str, column: str, action: str) -> Referral:
        with self.write(action) as j:
            key = self._key(j.conn, referral)
            current = st.referrals(j.conn, keys=[key])[0]
            if getattr(current, column) is not None:
                raise Conflict("that is recorded already.",
                               hint="Undo reverses the last change.")
            j.update(c.referrals, key, {column: j.now})
            return st.referrals(j.conn, keys=[key])[0]

    @use_case(writes=True)
    def asked(self, person: PersonLike) -> PersonRef:
        """Record that I asked someone for a referral (the agenda stops reminding)."""
        with self.write("referral asked") as j:
            key = self.svc.resolve.person_key(j.conn, person)
            insert(j, c.referral_asks, {"person_id": key, "asked_on": self.svc.today,
                                        "created_at": j.now})
            return st_people.ref_by_key(j.conn, key)

    @use_case()
    def list(self, person: PersonLike | None = None, *,
             status: str | None = None) -> Page[Referral]:
        """Referrals, newest first: all, or those a person is part of."""
        with self.svc.db.read() as conn:
            pkey = self.svc.resolve.person_key(conn, person) if person else None
            items = st.referrals(conn, person=pkey, status=status, limit=1000)
        return Page(total=len(items), items=items)

    @use_case()
    def advocates(self, *, limit: int = 50) -> Page[rules.Advocate]:
        """Advocates ranked by what their referrals brought."""
        with self.svc.db.read() as conn:
            facts = st.referral_facts(st.referrals(conn))
            me = st_people.me_key(conn)
        ranked = rules.rank_advocates(facts, me_key=me)
        return Page(total=len(ranked), items=ranked[:limit])

    @use_case()
    def loop(self) -> Page[Referral]:
        """The thank-you loop: referrals to thank for or to report back on."""
        with self.svc.db.read() as conn:
            items = st.referrals(conn)
            me = st_people.me_key(conn)
        due = {s.referral.id for s in rules.loop_steps(st.referral_facts(items), me_key=me,
                                                        today=self.svc.today)}
        out = [r for r in items if r.id in due]
        return Page(total=len(out), items=out)
