"""Organizations: add, resolve, show, list."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING

from kithbook import ids
from kithbook.domain.models import Org
from kithbook.domain.text import fold
from kithbook.errors import InvalidInput, NotFound
from kithbook.services.catalog import use_case
from kithbook.services.results import OrgProfile
from kithbook.store import orgs as st
from kithbook.store import search as st_search
from kithbook.store import tags as st_tags
from kithbook.store.journal import Journal

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kithbook.services.app import Services


class OrgService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    def resolve_key(self, conn: Connection, text: str) -> int:
        """Deprecated spelling of `svc.resolve.org_key`."""
        return self.svc.resolve.org_key(conn, text)

    def ensure(self, j: Journal, name: str, *, source: str = "manual") -> int:
        """The org with this name (or id), created if new."""
        name = " ".join(name.split())
        if not name:
            raise InvalidInput("an organization name is needed.", field="org")
        keys = st.find_org_keys(j.conn, name)
        exact = [
            k
            for k in keys
            if (o := st.get_org(j.conn, k, people=False))
            and (fold(o.name) == fold(name) or o.id == name)
        ]
        if exact:
            return exact[0]
        return st.insert_org(j, ids.new_id("org"), name)

    @use_case(writes=True)
    def add(
        self,
        name: str,
        *,
        domain: str | None = None,
        kind: str | None = None,
        tags: list[str] | None = None,
    ) -> Org:
        """Add an organization (web domain, kind, tags); adding a known one fills in
        what is new about it."""
        name = " ".join(name.split())
        if not name:
            raise InvalidInput("an organization name is needed.", field="name")
        domain = domain.strip().lower().removeprefix("www.") if domain else None
        with self.svc.db.write("add org", actor=self.svc.actor, now=self.svc.now) as j:
            key = None
            for k in st.find_org_keys(j.conn, name):
                o = st.get_org(j.conn, k, people=False)
                if o and fold(o.name) == fold(name):
                    key = k  # adding a known org fills in what is new about it
                    values = {
                        "domain": domain or o.domain,
                        "kind": kind.strip().lower() if kind else o.kind,
                    }
                    st.update_org(j, k, values)
                    break
            if key is None:
                key = st.insert_org(
                    j,
                    ids.new_id("org"),
                    name,
                    domain=domain,
                    kind=kind.strip().lower() if kind else None,
                )
            for tag in tags or []:
                st_tags.add_tag(j, "org", key, tag)
            st_search.reindex(j.conn, "org", key)
        return self.get(key)

    def get(self, key: int) -> Org:
        with self.svc.db.read() as conn:
            org = st.get_org(conn, key)
        if org is None:
            raise NotFound("that organization is no longer here.")
        return org

    @use_case()
    def show(self, text: str) -> Org:
        """One organization and its current people."""
        with self.svc.db.read() as conn:
            key = self.svc.resolve.org_key(conn, text)
        return self.get(key)

    def profile(self, text: str) -> OrgProfile:
        """The org with its people, tags and notes, for `show`."""
        with self.svc.db.read() as conn:
            return self.profile_of(conn, self.svc.resolve.org_key(conn, text))

    def profile_of(self, conn: Connection, key: int) -> OrgProfile:
        """The profile of a resolved organization key."""
        from kithbook.store import notes as st_notes

        org = st.get_org(conn, key)
        notes = st_notes.notes_of(conn, "org", key)
        assert org is not None
        return OrgProfile(**{f.name: getattr(org, f.name) for f in fields(org)}, notes=notes)

    @use_case()
    def list(self, *, name_prefix: str | None = None, limit: int = 50,
             offset: int = 0) -> tuple[list[Org], int]:
        """Organizations by name, with the total (names starting so, when given)."""
        with self.svc.db.read() as conn:
            return st.list_orgs(conn, name_prefix=name_prefix, limit=limit, offset=offset)
