"""Key 8, tell stories well: a story bank by theme, audience and length; told to whom
and when; a warning before telling someone the same story twice; which stories landed
(docs/networking-craft.md)."""

from __future__ import annotations

import builtins
from datetime import datetime

from kithbook import ids
from kithbook.domain import stories as rules
from kithbook.domain.craft_records import Story, TellResult
from kithbook.domain.models import Page
from kithbook.domain.speech import spoken_length
from kithbook.errors import Conflict, InvalidInput
from kithbook.services.catalog import use_case
from kithbook.services.craft_base import CraftBase, clean
from kithbook.services.resolve import PersonLike
from kithbook.store import craft as st
from kithbook.store import people as st_people
from kithbook.store import schema_craft as c

MAX_STORY = 20_000


class StoryService(CraftBase):
    @use_case(writes=True)
    def add(self, title: str, text: str, *, theme: str | None = None,
            audience: str | None = None) -> Story:
        """A story for the bank, with its theme and audience; its length is computed."""
        name = clean(title, "title", required=True, limit=300)
        body = clean(text, "text", required=True, limit=MAX_STORY, lines=True)
        length = spoken_length(body)
        with self.write("story add") as j:
            if st.keys_by_name(j.conn, c.stories, "title", name or ""):
                raise InvalidInput(f"a story titled '{name}' exists already.", field="title")
            key = st.insert(j, c.stories, {
                "public_id": ids.new_id("story"), "title": name, "text": body,
                "theme": clean(theme, "theme", limit=200),
                "audience": clean(audience, "audience", limit=200),
                "words": length.words, "seconds": length.seconds, "created_at": j.now,
                "updated_at": j.now})
            return st.stories(j.conn, [key])[0]

    @use_case()
    def list(self, *, theme: str | None = None, audience: str | None = None,
             max_seconds: int | None = None) -> Page[Story]:
        """The story bank, by theme, with how often each was told and how it landed."""
        with self.svc.db.read() as conn:
            items = st.stories(conn, theme=theme)
            tells = st.telling_facts(st.tellings(conn))
        if audience:
            items = [s for s in items if (s.audience or "").lower() == audience.lower()]
        if max_seconds is not None:
            items = [s for s in items if s.seconds <= max_seconds]
        for s in items:
            s.stats = rules.story_stats(s.id, s.name, tells)
        return Page(total=len(items), items=items)

    @use_case()
    def show(self, story: str) -> Story:
        """One story: its text, length, and everyone who heard it."""
        with self.svc.db.read() as conn:
            key = self.record_key(conn, c.stories, story, what="story", name_column="title")
            item = st.stories(conn, [key])[0]
            item.tellings = st.tellings(conn, stories_=[key])
        item.stats = rules.story_stats(item.id, item.name, st.telling_facts(item.tellings))
        return item

    @use_case()
    def check(self, story: str, people: builtins.list[PersonLike]) -> TellResult:
        """Before telling a story: who among these people heard it already."""
        with self.svc.db.read() as conn:
            key = self.record_key(conn, c.stories, story, what="story", name_column="title")
            item = st.stories(conn, [key])[0]
            keys = self.svc.resolve.person_keys(conn, people)
            refs = st_people.refs_by_keys(conn, keys)
            tells = st.telling_facts(st.tellings(conn, stories_=[key]))
        warnings = rules.told_twice(item.id, item.name, [refs[k] for k in keys], tells)
        return TellResult(id=item.id, name=item.name, warnings=warnings)

    @use_case(writes=True)
    def tell(self, story: str, people: builtins.list[PersonLike], *, at: datetime | None = None,
             landed: bool | None = None, again: bool = False) -> TellResult:
        """Record that I told a story to these people. Someone who heard it already
        stops the recording with a warning unless `again` is set."""
        if not people:
            raise InvalidInput("to whom? Name at least one person.", field="people")
        with self.write("story tell") as j:
            key = self.record_key(j.conn, c.stories, story, what="story", name_column="title")
            item = st.stories(j.conn, [key])[0]
            keys = list(dict.fromkeys(self.svc.resolve.person_keys(j.conn, people)))
            refs = st_people.refs_by_keys(j.conn, keys)
            tells = st.telling_facts(st.tellings(j.conn, stories_=[key]))
            warnings = rules.told_twice(item.id, item.name, [refs[k] for k in keys], tells)
            if warnings and not again:
                raise Conflict(" ".join(w.message for w in warnings),
                               hint="Tell another story, or record it anyway (again).")
            for k in keys:
                st.insert(j, c.story_tellings, {
                    "public_id": ids.new_id("telling"), "story_id": key, "person_id": k,
                    "told_at": at or j.now, "landed": landed, "created_at": j.now})
            recorded = [t for t in st.tellings(j.conn, stories_=[key], limit=len(keys))]
        return TellResult(id=item.id, name=item.name, recorded=recorded, warnings=warnings)

    @use_case(writes=True)
    def landed(self, telling: str, landed: bool) -> Story:
        """Say whether a telling landed (or fell flat)."""
        with self.write("story landed") as j:
            key = self.record_key(j.conn, c.story_tellings, telling, what="telling",
                                  name_column=None)
            j.update(c.story_tellings, key, {"landed": landed})
            skey = st.story_of_telling(j.conn, key)
            item = st.stories(j.conn, [skey])[0]
            item.tellings = st.tellings(j.conn, stories_=[skey])
        item.stats = rules.story_stats(item.id, item.name, st.telling_facts(item.tellings))
        return item
