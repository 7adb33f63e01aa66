"""People: add, resolve by id or name, show, edit, tag, delete with undo."""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kithbook import ids
from kithbook.domain.models import Note, PeoplePage, Person
from kithbook.domain.parsing import parse_days, parse_stage, parse_tier
from kithbook.errors import Conflict, InvalidInput, NotFound
from kithbook.io import normalize
from kithbook.services.catalog import use_case
from kithbook.services.results import OrgProfile, PersonProfile, ProfileTie
from kithbook.store import interactions as st_int
from kithbook.store import notes as st_notes
from kithbook.store import people as st
from kithbook.store import promises as st_prom
from kithbook.store import search as st_search
from kithbook.store import tags as st_tags
from kithbook.store import ties as st_ties
from kithbook.store.journal import Journal

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kithbook.services.app import Services


@dataclass
class NewPerson:
    name: str
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    org: str | None = None
    title: str | None = None
    tier: str | None = None
    stage: str | None = None
    cadence: str | None = None
    met_via: str | None = None
    how_met: str | None = None
    first_met_on: date | None = None
    tags: list[str] = field(default_factory=list)
    note: str | None = None


def clean_email(raw: str) -> str:
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise InvalidInput(
            f"email: '{raw}' is not an email address ({exc})", field="email"
        ) from exc


class PeopleService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    # -- resolution (the rules live in services/resolve.py) --------------------------

    def resolve_key(self, conn: Connection, text: str) -> int:
        """Deprecated spelling of `svc.resolve.person_key`, kept while other branches
        move over; new code calls the resolver."""
        return self.svc.resolve.person_key(conn, text)

    def resolve(self, text: str) -> Person:
        """The full record of the person `text` names (id, email, URL or name)."""
        with self.svc.db.read() as conn:
            key = self.svc.resolve.person_key(conn, text)
            person = st.get_person(conn, key)
            assert person is not None
            return person

    def me_key(self, conn: Connection) -> int:
        """Deprecated spelling of `svc.resolve.me_key`."""
        return self.svc.resolve.me_key(conn)

    def ensure_me(self, j: Journal, name: str = "Me") -> int:
        key = st.me_key(j.conn)
        if key is not None:
            return key
        return st.insert_person(j, ids.new_id("person"), name, is_me=True, stage=None)

    @use_case(writes=True)
    def set_me(self, name: str) -> Person:
        """Name the user: the person everything is seen from ("me")."""
        name = _clean_name(name)
        with self.svc.db.write("me") as j:
            key = st.me_key(j.conn)
            if key is None:
                key = st.insert_person(j, ids.new_id("person"), name, is_me=True)
            else:
                st.update_person(j, key, {"name": name})
            st_search.reindex(j.conn, "person", key)
        return self.get(key)

    # -- reads -----------------------------------------------------------------------

    def get(self, key: int) -> Person:
        with self.svc.db.read() as conn:
            person = st.get_person(conn, key)
        if person is None:
            raise NotFound(
                "that person is no longer here (deleted?).",
                hint="Undoing the deletion brings them back.", remedy="history.undo",
            )
        return person

    @use_case()
    def show(self, text: str, *, timeline_limit: int = 20) -> PersonProfile:
        """Everything about one person: profile, contact details, ties, timeline,
        open promises both ways, notes."""
        with self.svc.db.read() as conn:
            key = self.svc.resolve.person_key(conn, text)
            return self._profile(conn, key, timeline_limit)

    @use_case()
    def show_any(self, text: str, *, timeline_limit: int = 20) -> PersonProfile | OrgProfile:
        """A person's profile (as `show`), else an organization's (with its people,
        tags and notes) when no person matches."""
        with self.svc.db.read() as conn:
            found = self.svc.resolve.subject(conn, text, kinds=("person", "org"), field="who")
            if found.kind == "org":
                return self.svc.orgs.profile_of(conn, found.key)
            return self._profile(conn, found.key, timeline_limit)

    def _profile(self, conn: Connection, key: int, timeline_limit: int) -> PersonProfile:
        person = st.get_person(conn, key)
        assert person is not None
        ties = st_ties.ties_of(conn, key)
        timeline, total = st_int.timeline(conn, key, limit=timeline_limit)
        promises = st_prom.promises_of(conn, key, status="open")
        notes = st_notes.notes_of(conn, "person", key)
        base = {f.name: getattr(person, f.name) for f in fields(person)}
        base["is_me"] = key == st.me_key(conn)
        return PersonProfile(
            **base,
            ties=[ProfileTie.of(t, key) for t in ties],
            timeline=timeline,
            timeline_total=total,
            promises_they_owe=[p for p in promises if p.owed_by.key == key],
            promises_owed_to_them=[p for p in promises if p.owed_to.key == key],
            notes=notes,
        )

    @use_case()
    def list(
        self,
        *,
        tag: str | None = None,
        tier: str | None = None,
        stage: str | None = None,
        org: str | None = None,
        archived: bool = False,
        touched_before: datetime | None = None,
        name_prefix: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> PeoplePage:
        """People by name, with the total: by tag, tier, stage or organization, the
        archived ones, those out of touch since a time, names starting so.

        With a name prefix that matches very many people the total stops at a count
        and says so (`total_is_lower_bound`): a page costs the same at any size."""
        with self.svc.db.read() as conn:
            org_key = self.svc.resolve.org_key(conn, org, field="org") if org else None
            return st.list_people(
                conn, tag=tag, tier=parse_tier(tier) if tier else None,
                stage=parse_stage(stage) if stage else None, org_key=org_key,
                archived=archived, touched_before=touched_before, name_prefix=name_prefix,
                limit=limit, offset=offset,
            )

    # -- writes ----------------------------------------------------------------------

    @use_case(writes=True)
    def add(self, new: NewPerson) -> Person:
        """Add a person: name, emails, phones, links, organization and title, tier,
        stage, cadence, who introduced us, tags and a first note."""
        name = _clean_name(new.name)
        tier = parse_tier(new.tier)
        stage = parse_stage(new.stage)
        cadence = parse_days(new.cadence, field="cadence") if new.cadence else None
        emails = [clean_email(e) for e in new.emails if e.strip()]
        with self.svc.db.write("add person", actor=self.svc.actor, now=self.svc.now) as j:
            self.ensure_me(j)
            for email in emails:
                clash = st.keys_by_email(j.conn, email)
                if clash:
                    other = st.describe(j.conn, clash)[0]
                    raise Conflict(
                        f"{other[1]} ({other[0]}) already has the email {email}.",
                        hint="Edit them instead, or use another email.",
                    )
            met_via = (self.svc.resolve.person_key(j.conn, new.met_via, field="met_via")
                       if new.met_via else None)
            key = st.insert_person(
                j,
                ids.new_id("person"),
                name,
                tier=tier,
                stage=stage or "met",
                cadence_days=cadence,
                how_met=new.how_met,
                met_via_id=met_via,
                first_met_on=new.first_met_on,
                **_split_name(name),
            )
            self._add_details(j, key, emails, new.phones, new.urls)
            if new.org:
                okey = self.svc.orgs.ensure(j, new.org)
                st.add_role(j, key, okey, new.title)
                st_search.reindex(j.conn, "org", okey)
            for tag in new.tags:
                st_tags.add_tag(j, "person", key, tag)
            if met_via is not None:
                # who introduced us knows them: record the tie that made the intro possible
                st_ties.upsert_tie(
                    j,
                    ids.new_id("tie"),
                    key,
                    met_via,
                    kind="introduced",
                    strength=3,
                    since=self.svc.today,
                )
            if new.note:
                nkey = st_notes.insert_note(j, ids.new_id("note"), "person", key, new.note)
                st_search.reindex(j.conn, "note", nkey)
            st_search.reindex(j.conn, "person", key)
        return self.get(key)

    def _add_details(
        self,
        j: Journal,
        key: int,
        emails: builtins.list[str],
        phones: builtins.list[str],
        urls: builtins.list[str],
    ) -> None:
        for i, email in enumerate(emails):
            st.add_contact(
                j, key, "email", {"value": email, "normalized": email, "is_primary": i == 0}
            )
        for i, phone in enumerate(p for p in phones if p.strip()):
            st.add_contact(
                j,
                key,
                "phone",
                {
                    "value": phone.strip(),
                    "e164": normalize.phone(phone, self.svc.config.region),
                    "is_primary": i == 0,
                },
            )
        for url in (u for u in urls if u.strip()):
            st.add_contact(
                j, key, "url", {"value": url.strip(), "normalized": normalize.url(url)}
            )

    @use_case(writes=True)
    def edit(
        self,
        text: str | Person,
        *,
        name: str | None = None,
        emails: builtins.list[str] | None = None,
        phones: builtins.list[str] | None = None,
        urls: builtins.list[str] | None = None,
        org: str | None = None,
        title: str | None = None,
        tier: str | None = None,
        stage: str | None = None,
        cadence: str | None = None,
        how_met: str | None = None,
        add_tags: builtins.list[str] | None = None,
        remove_tags: builtins.list[str] | None = None,
    ) -> Person:
        """Change a person's details: name, tier, stage, cadence ('default' for the
        tier's), how we met; add emails, phones, links, tags; remove tags; a new
        organization (and title) makes the earlier roles past ones."""
        changes: dict[str, Any] = {
            "name": name, "emails": emails, "phones": phones, "urls": urls, "org": org,
            "title": title, "tier": tier, "stage": stage, "cadence": cadence,
            "how_met": how_met, "add_tags": add_tags, "remove_tags": remove_tags,
        }
        values: dict[str, Any] = {}
        if changes.get("name"):
            values["name"] = _clean_name(changes["name"])
            values.update(_split_name(values["name"]))
        if changes.get("tier") is not None:
            values["tier"] = parse_tier(changes["tier"])
        if changes.get("stage") is not None:
            values["stage"] = parse_stage(changes["stage"])
        if changes.get("cadence") is not None:
            values["cadence_days"] = (
                parse_days(changes["cadence"], field="cadence")
                if changes["cadence"] not in ("", "default")
                else None
            )
        if changes.get("how_met") is not None:
            values["how_met"] = changes["how_met"]
        emails = [clean_email(e) for e in changes.get("emails") or []]
        with self.svc.db.write("edit person", actor=self.svc.actor, now=self.svc.now) as j:
            key = self.svc.resolve.person_key(j.conn, text)
            if values:
                st.update_person(j, key, values)
            for email in emails:
                if st.keys_by_email(j.conn, email):
                    continue
                st.add_contact(j, key, "email", {"value": email, "normalized": email})
            self._add_details(j, key, [], changes.get("phones") or [], changes.get("urls") or [])
            if changes.get("org"):
                okey = self.svc.orgs.ensure(j, changes["org"])
                # a new organization is a move: earlier current roles become past ones
                st.end_other_roles(j, key, okey, self.svc.today)
                st.add_role(j, key, okey, changes.get("title"))
            for tag in changes.get("add_tags") or []:
                st_tags.add_tag(j, "person", key, tag)
            for tag in changes.get("remove_tags") or []:
                st_tags.remove_tag(j, "person", key, tag)
            st_search.reindex(j.conn, "person", key)
        return self.get(key)

    def delete(self, text: str) -> tuple[Person, str]:
        """Move to the trash (soft delete). Returns the batch id that `undo` reverses."""
        with self.svc.db.write("delete person", actor=self.svc.actor, now=self.svc.now) as j:
            key = self.svc.resolve.person_key(j.conn, text)
            person = st.get_person(j.conn, key)
            assert person is not None
            if person.is_me:
                raise InvalidInput("you cannot delete yourself.", field="person")
            st.update_person(j, key, {"deleted_at": j.now})
            st_search.reindex(j.conn, "person", key)
            return person, j.batch_id

    @use_case(writes=True)
    def add_note(self, text: str | Person, body: str) -> Note:
        """A note on a person (the general form, on anything, is services.annotate)."""
        return self.svc.annotate.note(text, body, kinds=("person",))


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("a name is needed.", field="name")
    if len(name) > 300:
        raise InvalidInput("the name is longer than 300 characters.", field="name")
    return name


def _split_name(name: str) -> dict[str, str | None]:
    """Given/family names for sorting and vCards; non-Latin names are left unsplit."""
    from kithbook.io.normalize import name as parse_name

    parsed = parse_name(name)
    return {"given_name": parsed.given, "family_name": parsed.family}
