"""Logging interactions: who, when, how, and the implicit contract."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from kithbook import ids
from kithbook.domain.models import Interaction, Promise, Record
from kithbook.domain.parsing import parse_channel
from kithbook.domain.text import count
from kithbook.errors import InvalidInput, NotFound
from kithbook.services.catalog import use_case
from kithbook.services.resolve import PersonLike
from kithbook.store import interactions as st
from kithbook.store import people as st_people
from kithbook.store import promises as st_promises
from kithbook.store import search as st_search
from kithbook.store import tags as st_tags

if TYPE_CHECKING:
    from kithbook.services.app import Services
    from kithbook.store.journal import Journal


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


@dataclass
class NewPromise:
    """A promise made in a capture, with the first person of the conversation."""

    what: str
    mine: bool = True  # True: I owe them; False: they owe me
    due: date | None = None


@dataclass
class Captured(Record):
    """What one quick capture saved, in one change: `id` is the change (batch) id that
    undo takes, so the whole capture is reversed at once (docs/quick-capture.md)."""

    id: str
    name: str
    interaction: Interaction | None = None
    promises: list[Promise] = field(default_factory=list)


class InteractionService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    @use_case(writes=True)
    def log(self, new: NewInteraction) -> Interaction:
        """Log a conversation: with whom, channel, when, how long, what each side wants,
        what was agreed and the next step. It resets the keep-in-touch clock."""
        if not new.with_people:
            raise InvalidInput("who was it with? Name at least one person.", field="with_people")
        if new.minutes is not None and not 0 <= new.minutes <= 24 * 60:
            raise InvalidInput("minutes must be between 0 and 1440.", field="minutes")
        with self.svc.db.write("log", actor=self.svc.actor, now=self.svc.now) as j:
            key = self._insert(j, new)
            result = st.get_interaction(j.conn, key)
        assert result is not None
        return result

    @use_case(writes=True)
    def capture(self, new: NewInteraction, promises: Sequence[NewPromise] = (), *,
                log: bool = True, agreed_promises: bool = False) -> Captured:
        """Save a conversation (unless `log` is False) and the promises made in it, both
        ways, with the first person named, as one change that one undo reverses.
        `agreed_promises`: every agreed item also becomes a promise, never retyped."""
        if not new.with_people:
            raise InvalidInput("who was it with? Name at least one person.", field="with_people")
        wanted = [p for p in promises if " ".join((p.what or "").split())]
        if not log and not wanted:
            raise InvalidInput("what was promised?", field="what")
        with self.svc.db.write("capture", actor=self.svc.actor, now=self.svc.now) as j:
            ikey = self._insert(j, new) if log else None
            interaction = st.get_interaction(j.conn, ikey) if ikey else None
            me = self.svc.people.ensure_me(j)
            if interaction is not None and agreed_promises:
                wanted += [self._agreed_promise(interaction, a, me) for a in interaction.agreed]
            other = self.svc.resolve.person_key(j.conn, new.with_people[0], field="with_people")
            if other == me:
                raise InvalidInput("a promise is between two different people.", field="with")
            made: list[Promise] = []
            for p in wanted:
                pkey = st_promises.insert_promise(
                    j, ids.new_id("promise"),
                    owed_by_id=me if p.mine else other, owed_to_id=other if p.mine else me,
                    what=" ".join(p.what.split()), due=p.due, interaction_id=ikey,
                )
                found = st_promises.get_promise(j.conn, pkey)
                assert found is not None
                made.append(found)
            batch = j.batch_id
        parts = ([f"{interaction.channel} with "
                  f"{', '.join(p.name for p in interaction.participants if p.key != me)}"]
                 if interaction else [])
        parts += [count(len(made), "promise")] if made else []
        return Captured(id=batch, name=" and ".join(parts), interaction=interaction,
                        promises=made)

    @use_case(writes=True)
    def promise_agreed(self, interaction: str, index: int = 0) -> Captured:
        """Make an agreed item of a logged conversation a promise (one action, the
        words kept): who owes whom and the due date are read from the words."""
        found = self.get(interaction)
        if not 0 <= index < len(found.agreed):
            raise InvalidInput(f"that conversation has {len(found.agreed)} agreed "
                               f"item{'' if len(found.agreed) == 1 else 's'}.", field="index")
        with self.svc.db.write("promise", actor=self.svc.actor, now=self.svc.now) as j:
            me = self.svc.people.ensure_me(j)
            others = [p for p in found.participants if p.key != me]
            if not others:
                raise InvalidInput("that conversation has no one else in it.",
                                   field="interaction")
            p = self._agreed_promise(found, found.agreed[index], me)
            other = others[0].key
            pkey = st_promises.insert_promise(
                j, ids.new_id("promise"), owed_by_id=me if p.mine else other,
                owed_to_id=other if p.mine else me, what=p.what, due=p.due,
                interaction_id=found.key)
            made = st_promises.get_promise(j.conn, pkey)
            batch = j.batch_id
        assert made is not None
        return Captured(id=batch, name="1 promise", interaction=found, promises=[made])

    def _agreed_promise(self, interaction: Interaction, text: str, me: int) -> NewPromise:
        from kithbook.domain.contract import read_agreed
        from kithbook.errors import KithbookError

        firsts = tuple(p.name.split()[0] for p in interaction.participants
                       if p.key != me and p.name)
        read = read_agreed(text, firsts)
        due = None
        if read.due_text:
            try:
                due = self.svc.dates.day(read.due_text, field="due")
            except KithbookError:  # "by the expo": kept as words, no date guessed
                due = None
        return NewPromise(what=read.what, mine=read.mine, due=due)

    def _insert(self, j: Journal, new: NewInteraction) -> int:
        """The interaction row, its tags, the touch clocks and the search index."""
        if not new.with_people:
            raise InvalidInput("who was it with? Name at least one person.", field="with_people")
        if new.minutes is not None and not 0 <= new.minutes <= 24 * 60:
            raise InvalidInput("minutes must be between 0 and 1440.", field="minutes")
        channel = parse_channel(new.channel)
        when = new.when or self.svc.now
        if when.tzinfo is None:
            raise InvalidInput("the time needs a time zone.", field="when")
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
        return key

    def get(self, public_id: str) -> Interaction:
        with self.svc.db.read() as conn:
            key = st.key_by_public_id(conn, public_id)
            found = st.get_interaction(conn, key) if key else None
        if found is None:
            raise NotFound(f"no interaction has the id '{public_id}'.")
        return found

    @use_case()
    def timeline(
        self, person: str, *, limit: int = 50, offset: int = 0
    ) -> tuple[list[Interaction], int]:
        """A person's interactions, newest first, with the total."""
        with self.svc.db.read() as conn:
            key = self.svc.resolve.person_key(conn, person)
            return st.timeline(conn, key, limit=limit, offset=offset)
