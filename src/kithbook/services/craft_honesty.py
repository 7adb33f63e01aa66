"""Key 5, never lie: claims a person made and whether they held, their reliability from
promises kept, and what I told whom, with a warning where two statements to different
people conflict on the same topic (docs/networking-craft.md)."""

from __future__ import annotations

from datetime import date

from kithbook import ids
from kithbook.domain import statements as rules
from kithbook.domain.craft_records import Claim, SaidResult, Statement
from kithbook.domain.models import Page
from kithbook.domain.statements import Conflict
from kithbook.domain.text import fold
from kithbook.errors import InvalidInput
from kithbook.services.catalog import use_case
from kithbook.services.craft_base import CraftBase, clean
from kithbook.services.resolve import PersonLike
from kithbook.store import craft_honesty as st
from kithbook.store import schema_craft as c
from kithbook.store.craft import insert

CLAIM_STATUSES = ("verified", "false", "unknown")


class HonestyService(CraftBase):
    # -- their claims ---------------------------------------------------------------------

    @use_case(writes=True)
    def claim(self, person: PersonLike, text: str, *, topic: str | None = None,
              on: date | None = None, status: str = "unknown",
              source: str | None = None) -> Claim:
        """A claim someone made ("we ship in two weeks"), to check later."""
        body = clean(text, "text", required=True, limit=2000)
        if status not in CLAIM_STATUSES:
            raise InvalidInput(f"'{status}' is not a status (verified, false, unknown).",
                               field="status")
        with self.write("claim add") as j:
            pkey = self.svc.resolve.person_key(j.conn, person)
            key = insert(j, c.claims, {
                "public_id": ids.new_id("claim"), "person_id": pkey, "text": body,
                "topic": clean(topic, "topic", limit=200), "status": status,
                "source": clean(source, "source"), "said_on": on or self.svc.today,
                "checked_on": self.svc.today if status != "unknown" else None,
                "created_at": j.now})
            return st.claims(j.conn, keys=[key])[0]

    @use_case(writes=True)
    def check_claim(self, claim: str, status: str, *, source: str | None = None) -> Claim:
        """Whether a claim held: verified, false or unknown, with the source."""
        if status not in CLAIM_STATUSES:
            raise InvalidInput(f"'{status}' is not a status (verified, false, unknown).",
                               field="status")
        with self.write(f"claim {status}") as j:
            key = self.record_key(j.conn, c.claims, claim, what="claim", name_column="text")
            values: dict[str, object] = {"status": status, "checked_on": self.svc.today}
            if source:
                values["source"] = clean(source, "source")
            j.update(c.claims, key, values)
            return st.claims(j.conn, keys=[key])[0]

    @use_case()
    def claims(self, person: PersonLike | None = None, *,
               status: str | None = None) -> Page[Claim]:
        """Claims people made, newest first (one person's, or everyone's)."""
        with self.svc.db.read() as conn:
            pkey = self.svc.resolve.person_key(conn, person) if person else None
            items = st.claims(conn, person=pkey, status=status)
        return Page(total=len(items), items=items)

    # -- what I told whom --------------------------------------------------------------

    @use_case(writes=True)
    def said(self, person: PersonLike, topic: str, text: str, *, value: str | None = None,
             on: date | None = None) -> SaidResult:
        """Record what I told someone on a topic; warns where it conflicts with what I
        told someone else."""
        subject = clean(topic, "topic", required=True, limit=200)
        body = clean(text, "text", required=True, limit=2000)
        assert subject is not None
        with self.write("said") as j:
            pkey = self.svc.resolve.person_key(j.conn, person)
            key = insert(j, c.statements, {
                "public_id": ids.new_id("statement"), "person_id": pkey, "topic": subject,
                "topic_folded": fold(subject), "text": body,
                "value": clean(value, "value", limit=200), "said_on": on or self.svc.today,
                "created_at": j.now})
            new = st.statements(j.conn, keys=[key])[0]
            others = st.statements(j.conn, topic=fold(subject))
        found = rules.conflicts_with(st.facts([new])[0], st.facts(others))
        return SaidResult(id=new.id, name=new.name, statement=new, conflicts=found)

    @use_case(writes=True)
    def withdraw(self, statement: str) -> Statement:
        """Withdraw a statement (I corrected it): it no longer counts for conflicts."""
        with self.write("said withdraw") as j:
            key = self.record_key(j.conn, c.statements, statement, what="statement",
                                  name_column="text")
            j.update(c.statements, key, {"withdrawn_at": j.now})
            return st.statements(j.conn, keys=[key], live=False)[0]

    @use_case()
    def told(self, person: PersonLike | None = None, *,
             topic: str | None = None) -> Page[Statement]:
        """What I told whom, newest first: to one person, or on one topic."""
        with self.svc.db.read() as conn:
            pkey = self.svc.resolve.person_key(conn, person) if person else None
            items = st.statements(conn, person=pkey,
                                  topic=fold(topic) if topic else None)
        return Page(total=len(items), items=items)

    @use_case()
    def conflicts(self) -> Page[Conflict]:
        """Every pair of my statements to different people that do not agree."""
        with self.svc.db.read() as conn:
            items = rules.conflicts(st.facts(st.statements(conn)))
        return Page(total=len(items), items=items)
