"""Planning an import: each contact of a file is matched to a person (in the database
or earlier in the same file) and what it brings is collected per person, without
writing anything (services/imports.py describes the matching rules; the writer,
services/import_writer.py, writes a plan)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kithbook.io.normalize import fast_fold
from kithbook.io.records import ImportedContact
from kithbook.store import import_queries as q

if TYPE_CHECKING:
    from sqlalchemy import Connection

fold = lru_cache(maxsize=1 << 17)(fast_fold)
CONTACT_KINDS = ("email", "phone", "url", "address")


@dataclass(eq=False)
class Plan:
    """What one person will get from this file."""

    key: int | None  # existing person, or None: a new one
    person: dict[str, Any] = field(default_factory=dict)  # new row, or updates
    contacts: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {k: [] for k in CONTACT_KINDS})
    seen: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in CONTACT_KINDS})
    roles: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)  # folded -> as given
    notes: list[str] = field(default_factory=list)
    rows: int = 0
    fresh: bool = False  # created by this import
    connected_on: date | None = None  # LinkedIn's "Connected On": when the tie to you began
    # an older LinkedIn export than the one that brought the person (no profile URL
    # where the person has one): its company and position are past roles
    older: bool = False

    def changes(self) -> bool:
        return bool(self.person or any(self.contacts.values()) or self.roles or self.tags
                    or self.notes)


_WORDS = re.compile(r"[^\W\d_]{2,}")
_SHARED_LINE = ("fax", "company", "main", "pager", "assistant", "callback", "telex")


def _compatible(a: str, b: str) -> bool:
    """Could these two names be one person? They share a word (Jo Bloggs / Joanna Bloggs,
    Anna Schmidt / Anna Meyer), or one of them is no real name (an email, a number)."""
    wa, wb = set(_WORDS.findall(fold(a))), set(_WORDS.findall(fold(b)))
    if not wa or not wb or "@" in a or "@" in b:
        return True
    return bool(wa & wb)


def tag_name(name: str) -> str:
    return fold(name).replace(" ", "-")[:100]


class Planner:
    def __init__(self, conn: Connection, contacts: list[ImportedContact], fmt: str) -> None:
        self.conn = conn
        self.fmt = fmt
        self.plans: list[Plan] = []
        self.by_existing: dict[int, Plan] = {}
        self.index: dict[tuple[str, str], Plan] = {}
        li = [c.linkedin_url for c in contacts if c.linkedin_url]
        em = [e.normalized for c in contacts for e in c.emails if e.normalized]
        ph = [p.normalized for c in contacts for p in c.phones if p.normalized]
        names = [fold(c.name) for c in contacts]
        self.db = {
            "li": q.keys_by_linkedin(conn, li),
            "email": q.keys_by_email(conn, em),
            "phone": q.keys_by_phone(conn, ph),
        }
        self.db["uid"] = q.keys_by_public_ids(conn, [c.uid for c in contacts if c.uid])
        self.db_name = q.keys_by_name_org(conn, names)
        # LinkedIn connections by name and "Connected On" day (`_connection`)
        self.file_days: dict[str, list[date]] = defaultdict(list)
        for c in contacts:
            if c.connected_on is not None:
                self.file_days[fold(c.name)].append(c.connected_on)
        # looked up for the contacts their profile URL does not find (a re-import of a
        # current export reads nothing more)
        wanted = {fold(c.name) for c in contacts if c.connected_on is not None
                  and not (c.linkedin_url and c.linkedin_url in self.db["li"])}
        self.db_days = q.connection_days(conn, wanted) if wanted else {}
        hit = set().union(*(d.values() for d in self.db.values()), self.db_name.values(),
                          *(d.keys() for d in self.db_days.values()))
        self.existing = q.load_existing(conn, sorted(hit))
        self.outcomes = {"created": 0, "updated": 0, "merged": 0, "skipped": 0}
        self.by_connection = 0  # rows recognised by name and "Connected On" day alone

    def _keys(self, c: ImportedContact) -> list[tuple[str, str]]:
        keys: list[tuple[str, str]] = [("uid", c.uid)] if c.uid else []
        if c.linkedin_url:
            keys.append(("li", c.linkedin_url))
        keys += [("email", e.normalized) for e in c.emails if e.normalized]
        keys += [("phone", p.normalized) for p in c.phones if p.normalized
                 and not any(w in (p.label or "").lower() for w in _SHARED_LINE)]
        keys.append(("name", f"{fold(c.name)}\x1f{fold(c.org)}"))
        if c.connected_on is not None:
            keys.append(("met", ""))  # looked up in the database only: _connection
        return keys

    def _connection(self, c: ImportedContact) -> int | None:
        """The one person already here whose LinkedIn connection has this contact's
        folded name and began on its "Connected On" day (or the day next to it: a 2018
        export's time read in a time zone other than the one it was written in). An
        export of 2018 has no profile URL and the company or position may have changed
        since (docs/architecture.md, re-importing). A name with two connections near
        that day, here or in the file, matches nothing: a false merge costs more than a
        duplicate, which `kithbook dupes` can still join."""
        day, name = c.connected_on, fold(c.name)
        if day is None or not name:
            return None
        if sum(1 for d in self.file_days.get(name, ()) if abs((d - day).days) <= 1) > 1:
            return None
        people = self.db_days.get(name, {})
        exact = [k for k, days in people.items() if day in days]
        if not exact:
            exact = [k for k, days in people.items()
                     if any(abs((d - day).days) <= 1 for d in days)]
        return exact[0] if len(exact) == 1 else None

    def _linkedin_of(self, plan: Plan | None, key: int | None) -> str | None:
        if plan is not None and plan.person.get("linkedin_url"):
            return str(plan.person["linkedin_url"])
        key = plan.key if plan is not None else key
        return self.existing.people.get(key, {}).get("linkedin_url") if key else None

    def _name_of(self, plan: Plan | None, key: int | None) -> str:
        if plan is not None and plan.person.get("name"):
            return str(plan.person["name"])
        key = plan.key if plan is not None else key
        return str(self.existing.people.get(key, {}).get("name") or "") if key else ""

    def _match(self, c: ImportedContact) -> tuple[Plan | None, bool]:
        for k in self._keys(c):
            kind, value = k
            plan = self.index.get(k)
            key = None
            if kind == "met":
                key = self._connection(c)
                if key is None:
                    continue
                plan = self.by_existing.get(key)
            elif plan is None:
                key = (self.db_name.get(tuple(value.split("\x1f", 1)))  # type: ignore[arg-type]
                       if kind == "name" else self.db[kind].get(value))
                if key is None:
                    continue
                plan = self.by_existing.get(key)
            if kind in ("name", "met") and c.linkedin_url:
                other = self._linkedin_of(plan, key)
                if other and other != c.linkedin_url:
                    continue  # same name (and company or day), two different profiles
            if kind in ("email", "phone") and not _compatible(c.name, self._name_of(plan, key)):
                continue  # a shared mailbox or office line, not the same person
            if plan is not None:
                return plan, True
            assert key is not None
            plan = Plan(key=key)
            self.by_existing[key] = plan
            self.plans.append(plan)
            if kind == "met":
                self.by_connection += 1
                plan.older = not c.linkedin_url and bool(self._linkedin_of(plan, key))
            return plan, False
        return None, False

    def add(self, c: ImportedContact) -> None:
        plan, seen_before = self._match(c)
        if plan is None:
            plan = Plan(key=None)
            self.plans.append(plan)
            self.outcomes["created"] += 1
        elif seen_before:
            self.outcomes["merged"] += 1
        plan.rows += 1
        self._apply(plan, c)
        for k in self._keys(c):
            if k[0] != "met":
                self.index.setdefault(k, plan)

    def _apply(self, plan: Plan, c: ImportedContact) -> None:
        ex = self.existing
        current = ex.people.get(plan.key, {}) if plan.key is not None else plan.person
        scalars = {
            "given_name": c.given_name, "family_name": c.family_name, "nickname": c.nickname,
            "birthday": c.birthday, "anniversary": c.anniversary, "photo": c.photo,
            "linkedin_url": c.linkedin_url,
        }
        if plan.key is None and not plan.person:
            plan.person = {"name": c.name[:300], "name_folded": fold(c.name)[:300]}
        for col, value in scalars.items():
            if value and not current.get(col) and not plan.person.get(col):
                plan.person[col] = value[:200] if col in ("given_name", "family_name",
                                                          "nickname") else value
        met = c.connected_on
        if met and (plan.connected_on is None or met < plan.connected_on):
            plan.connected_on = met
        old_met = current.get("first_met_on") or plan.person.get("first_met_on")
        if met and (old_met is None or met < old_met):
            plan.person["first_met_on"] = met
        key = plan.key

        def had(kind: str) -> set[str]:
            return ex.values.get((key, kind), set()) if key else set()

        for kind, values in (("email", c.emails), ("phone", c.phones), ("url", c.urls)):
            for v in values:
                norm = v.normalized or v.value
                if norm in plan.seen[kind] or norm in had(kind) or v.value in had(kind):
                    continue
                plan.seen[kind].add(norm)
                row = {"value": v.value[:1000], "label": (v.label or None) and v.label[:60],
                       "is_primary": v.is_primary}
                if kind == "email":
                    row["normalized"] = (v.normalized or v.value.lower())[:320]
                    row["value"] = v.value[:320]
                elif kind == "phone":
                    row["e164"] = v.normalized
                    row["value"] = v.value[:100]
                else:
                    row["normalized"] = norm[:1000]
                plan.contacts[kind].append(row)
        for a in c.addresses:
            if a.value in plan.seen["address"] or a.value in had("address"):
                continue
            plan.seen["address"].add(a.value)
            plan.contacts["address"].append({
                "value": a.value, "label": a.label and a.label[:60], "is_primary": a.is_primary,
                "street": a.street, "city": a.city and a.city[:200],
                "region": a.region and a.region[:200], "postcode": a.postcode and a.postcode[:40],
                "country": a.country and a.country[:200]})
        roles = [(c.org, c.title, c.department)] if c.org else []
        roles += c.more_roles
        known = {(r["org_folded"], r["title"]) for r in ex.roles.get(plan.key or 0, [])
                 if r["is_current"] or plan.older}
        known_orgs = {o for o, _ in known}
        for org, title, dept in roles:
            entry = (fold(org)[:300], org[:300], title and title[:300], dept and dept[:300])
            if entry in plan.roles or (entry[0], entry[2]) in known or (
                    entry[2] is None and entry[0] in known_orgs):
                continue
            plan.roles.append(entry)
        old_tags = ex.tags.get(plan.key or 0, set())
        for t in c.tags:
            name = tag_name(t)
            if name and name not in plan.tags and name not in old_tags:
                plan.tags[name] = t
        if c.note and c.note not in plan.notes and c.note not in ex.notes.get(plan.key or 0, ()):
            plan.notes.append(c.note)


def plan_contacts(conn: Connection, contacts: list[ImportedContact], fmt: str) -> Planner:
    """Match every contact of a file to a person, in file order."""
    planner = Planner(conn, contacts, fmt)
    for c in contacts:
        planner.add(c)
    return planner
