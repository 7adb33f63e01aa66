"""Key 2, elevator speeches: pitches by audience and goal with versions, spoken length,
a rehearsal log, which pitch was used with whom and what came of it, and the pitch
that works best per audience (docs/networking-craft.md)."""

from __future__ import annotations

from datetime import date

from kithbook import ids
from kithbook.domain import pitches as rules
from kithbook.domain.craft_records import Pitch
from kithbook.domain.models import Page
from kithbook.domain.pitches import PitchScore
from kithbook.domain.speech import SpokenLength, spoken_length
from kithbook.errors import InvalidInput
from kithbook.services.catalog import use_case
from kithbook.services.craft_base import CraftBase, clean, parsed
from kithbook.services.resolve import PersonLike
from kithbook.store import craft as st
from kithbook.store import schema_craft as c

MAX_PITCH = 5000


class PitchService(CraftBase):
    @use_case()
    def length(self, text: str) -> SpokenLength:
        """How long a text takes to say (150 words a minute), with warnings past 30 and
        60 seconds."""
        return spoken_length(text)

    @use_case(writes=True)
    def add(self, name: str, audience: str, text: str, *, goal: str | None = None) -> Pitch:
        """A new pitch for an audience and a goal (its first version)."""
        title = clean(name, "name", required=True, limit=300)
        aud = clean(audience, "audience", required=True, limit=200)
        body = clean(text, "text", required=True, limit=MAX_PITCH, lines=True)
        assert body is not None
        with self.write("pitch add") as j:
            if st.keys_by_name(j.conn, c.pitches, "name", title or ""):
                raise InvalidInput(f"a pitch named '{title}' exists already; revise it "
                                   "instead, or pick another name.", field="name")
            key = st.insert(j, c.pitches, {
                "public_id": ids.new_id("pitch"), "name": title, "audience": aud,
                "goal": clean(goal, "goal"), "created_at": j.now, "updated_at": j.now})
            self._version(j, key, 1, body)
            return st.pitches(j.conn, [key], details=True)[0]

    def _version(self, j: object, key: int, version: int, body: str) -> None:
        from kithbook.store.journal import Journal

        assert isinstance(j, Journal)
        length = spoken_length(body)
        st.insert(j, c.pitch_versions, {"pitch_id": key, "version": version, "text": body,
                                        "words": length.words, "seconds": length.seconds,
                                        "created_at": j.now})

    @use_case(writes=True)
    def revise(self, pitch: str, text: str) -> Pitch:
        """A new version of a pitch (the old ones are kept)."""
        body = clean(text, "text", required=True, limit=MAX_PITCH, lines=True)
        assert body is not None
        with self.write("pitch revise") as j:
            key = self.record_key(j.conn, c.pitches, pitch, what="pitch")
            self._version(j, key, st.latest_version(j.conn, key) + 1, body)
            j.update(c.pitches, key, {"updated_at": j.now})
            return st.pitches(j.conn, [key], details=True)[0]

    @use_case()
    def list(self, *, audience: str | None = None) -> Page[Pitch]:
        """The pitch bank: every pitch with its length and score within its audience."""
        with self.svc.db.read() as conn:
            items = st.pitches(conn)
        scores = {s.id: s for s in rules.score_pitches(st.pitch_facts(items))}
        for p in items:
            p.score = scores.get(p.id)
        if audience:
            items = [p for p in items if rules.audience_key(p.audience)
                     == rules.audience_key(audience)]
        return Page(total=len(items), items=items)

    @use_case()
    def show(self, pitch: str) -> Pitch:
        """One pitch: its versions, rehearsals, uses and score."""
        with self.svc.db.read() as conn:
            key = self.record_key(conn, c.pitches, pitch, what="pitch")
            item = st.pitches(conn, [key], details=True)[0]
            same = [p for p in st.pitches(conn)
                    if rules.audience_key(p.audience) == rules.audience_key(item.audience)]
        scores = {s.id: s for s in rules.score_pitches(st.pitch_facts(same))}
        item.score = scores.get(item.id)
        return item

    @use_case(writes=True)
    def rehearse(self, pitch: str, *, on: date | None = None, seconds: int | None = None,
                 rating: int | None = None, notes: str | None = None) -> Pitch:
        """Log a rehearsal: when, how long it took, a self-rating (1-5), notes."""
        if rating is not None and not 1 <= rating <= 5:
            raise InvalidInput("the rating is from 1 to 5.", field="rating")
        if seconds is not None and not 1 <= seconds <= 3600:
            raise InvalidInput("the duration is in seconds, from 1 to 3600.", field="seconds")
        with self.write("pitch rehearse") as j:
            key = self.record_key(j.conn, c.pitches, pitch, what="pitch")
            st.insert(j, c.pitch_rehearsals, {
                "public_id": ids.new_id("rehearsal"), "pitch_id": key,
                "version": st.latest_version(j.conn, key), "on_date": on or self.svc.today,
                "seconds": seconds, "rating": rating, "notes": clean(notes, "notes"),
                "created_at": j.now})
            return st.pitches(j.conn, [key], details=True)[0]

    @use_case(writes=True)
    def use(self, pitch: str, person: PersonLike, *, outcome: str = "unknown",
            on: date | None = None, interaction: str | None = None,
            note: str | None = None) -> Pitch:
        """Record that I used a pitch with someone, and what came of it (advanced,
        interested, neutral, declined, unknown)."""
        result = parsed(rules.parse_outcome, outcome, "outcome")
        with self.write("pitch use") as j:
            key = self.record_key(j.conn, c.pitches, pitch, what="pitch")
            pkey = self.svc.resolve.person_key(j.conn, person)
            ikey = None
            if interaction:
                from kithbook.store import interactions as st_int

                ikey = st_int.key_by_public_id(j.conn, interaction)
                if ikey is None:
                    raise InvalidInput(f"no interaction has the id '{interaction}'.",
                                       field="interaction")
            st.insert(j, c.pitch_uses, {
                "public_id": ids.new_id("pitch_use"), "pitch_id": key,
                "version": st.latest_version(j.conn, key), "person_id": pkey,
                "interaction_id": ikey, "used_on": on or self.svc.today, "outcome": result,
                "note": clean(note, "note"), "created_at": j.now})
            return st.pitches(j.conn, [key], details=True)[0]

    @use_case(writes=True)
    def set_outcome(self, use: str, outcome: str) -> Pitch:
        """Change what came of one use of a pitch, once I know."""
        result = parsed(rules.parse_outcome, outcome, "outcome")
        with self.write("pitch outcome") as j:
            key = self.record_key(j.conn, c.pitch_uses, use, what="pitch use", name_column=None)
            j.update(c.pitch_uses, key, {"outcome": result})
            pkey = st.pitch_of_use(j.conn, key)
            return st.pitches(j.conn, [pkey], details=True)[0]

    @use_case()
    def best(self) -> Page[PitchScore]:
        """The pitch that works best for each audience."""
        with self.svc.db.read() as conn:
            items = st.pitches(conn)
        best = rules.best_per_audience(st.pitch_facts(items))
        out = [best[k] for k in sorted(best)]
        return Page(total=len(out), items=out)
