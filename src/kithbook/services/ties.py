"""Declared ties: who knows whom, how, and how well."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from kithbook import ids
from kithbook.domain.models import Tie
from kithbook.domain.parsing import parse_strength, parse_tie_kind
from kithbook.errors import InvalidInput
from kithbook.services.catalog import use_case
from kithbook.store import ties as st

if TYPE_CHECKING:
    from kithbook.services.app import Services


class TieService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    @use_case(writes=True)
    def tie(
        self,
        a: str,
        b: str,
        *,
        kind: str | None = None,
        strength: int | str | None = None,
        since: date | None = None,
        note: str | None = None,
    ) -> Tie:
        """Record that two people know each other (or update how): kind, strength 1-5,
        since when, a note."""
        kind_v = parse_tie_kind(kind)
        strength_v = parse_strength(strength)
        with self.svc.db.write("tie", actor=self.svc.actor, now=self.svc.now) as j:
            akey = self.svc.resolve.person_key(j.conn, a)
            bkey = self.svc.resolve.person_key(j.conn, b)
            if akey == bkey:
                raise InvalidInput("a tie needs two different people.", field="person")
            key, _ = st.upsert_tie(
                j,
                ids.new_id("tie"),
                akey,
                bkey,
                kind=kind_v,
                strength=strength_v,
                since=since,
                note=note,
            )
            ties = [t for t in st.get_tie(j.conn, akey, bkey) if t.key == key]
        return ties[0]

    @use_case()
    def of(self, person: str) -> list[Tie]:
        """A person's ties: who they know, how (kind, strength 1-5) and since when."""
        with self.svc.db.read() as conn:
            return st.ties_of(conn, self.svc.resolve.person_key(conn, person))
