"""Logging interactions: who, when, how, and the implicit contract."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from kithbook import ids
from kithbook.domain.models import Interaction
from kithbook.domain.parsing import parse_channel
from kithbook.errors import InvalidInput, NotFound
from kithbook.services.resolve import PersonLike
from kithbook.store import interactions as st
from kithbook.store import people as st_people
from kithbook.store import search as st_search
from kithbook.store import tags as st_tags

if TYPE_CHECKING:
    from kithbook.services.app import Services


@dataclass
class NewInteraction:
    with_people: Sequence[PersonLike]  # names, emails, ids, or records already found
    channel: str | None = None
    when: datetime | None = None
    minutes: int | None = None
    summary: str | None = None
    initiated_by: str | None = None  # "me", "them", or a person
    they_want: str | None = None
    i_want: str | None = None
    agreed: list[str] = field(default_factory=list)
    next_step: str | None = None
    tags: list[str] = field(default_factory=list)


class InteractionService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    def log(self, new: NewInteraction) -> Interaction:
        if not new.with_people:
            raise InvalidInput("who was it with? Name at least one person.", field="with_people")
        if new.minutes is not None and not 0 <= new.minutes <= 24 * 60:
            raise InvalidInput("minutes must be between 0 and 1440.", field="minutes")
        channel = parse_channel(new.channel)
        when = new.when or self.svc.now
        if when.tzinfo is None:
            raise InvalidInput("the time needs a time zone.", field="when")
        with self.svc.db.write("log", actor=self.svc.actor, now=self.svc.now) as j:
            me = self.svc.people.ensure_me(j)
            others = self.svc.resolve.person_keys(j.conn, new.with_people, field="with_people")
            initiated = None
            if new.initiated_by:
                who = new.initiated_by.strip().lower()
                if who in ("me", "i", "myself"):
                    initiated = me
                elif who in ("them", "they"):
                    initiated = others[0]
                else:
                    initiated = self.svc.resolve.person_key(j.conn, new.initiated_by,
                                                            field="initiated_by")
            key = st.insert_interaction(
                j,
                ids.new_id("interaction"),
                [me, *others],
                occurred_at=when,
                channel=channel,
                minutes=new.minutes,
                summary=(new.summary or "").strip() or None,
                initiated_by_id=initiated,
                they_want=new.they_want,
                i_want=new.i_want,
                agreed="\n".join(a.strip() for a in new.agreed if a.strip()) or None,
                next_step=new.next_step,
            )
            for tag in new.tags:
                st_tags.add_tag(j, "interaction", key, tag)
            # any logged touch resets the keep-in-touch clock of everyone in it
            st_people.set_last_touch(j, others, when)
            st_search.reindex(j.conn, "interaction", key)
            result = st.get_interaction(j.conn, key)
        assert result is not None
        return result

    def get(self, public_id: str) -> Interaction:
        with self.svc.db.read() as conn:
            key = st.key_by_public_id(conn, public_id)
            found = st.get_interaction(conn, key) if key else None
        if found is None:
            raise NotFound(f"no interaction has the id '{public_id}'.")
        return found

    def timeline(
        self, person: str, *, limit: int = 50, offset: int = 0
    ) -> tuple[list[Interaction], int]:
        with self.svc.db.read() as conn:
            key = self.svc.resolve.person_key(conn, person)
            return st.timeline(conn, key, limit=limit, offset=offset)
