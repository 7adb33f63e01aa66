"""A page of people reads its contact points, roles and tags in one statement
(store/people.py::load_details). Each kind must come out exactly as its own query gave
it: contact points primary first then in the order added, roles current first then
newest first (roles at deleted organizations left out), tags by name, every value in
its own field and type; on both engines, through a single person and through a list."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from kithbook.domain.models import Person
from kithbook.store import people as store_people
from kithbook.store import schema as s

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
KINDS = {
    "email": (s.person_emails, "emails", lambda v: {"normalized": v.lower()}),
    "phone": (s.person_phones, "phones", lambda v: {"e164": None if "x" in v else "+44" + v}),
    "url": (s.person_urls, "urls", lambda v: {"normalized": v.lower()}),
    "address": (s.person_addresses, "addresses", lambda v: {"city": "Leeds"}),
}


def _fill(svc: Any, rng: random.Random) -> dict[int, dict[str, list[Any]]]:
    """Ten people with random details written in a shuffled order; what each person's
    details must read as, worked out here from the rows written."""
    expected: dict[int, dict[str, list[Any]]] = {}
    with svc.db.write("details test") as j:
        orgs = []
        for n in range(4):
            orgs.append(j.insert(s.orgs, {
                "public_id": f"org_test{n}", "name": f"Org {n}", "name_folded": f"org {n}",
                "created_at": NOW, "updated_at": NOW,
                "deleted_at": NOW if n == 3 else None}))
        tag_ids = {name: j.insert(s.tags, {"name": name})
                   for name in ("zeta", "alpha", "mid", "beta")}
        keys = [j.insert(s.people, {
            "public_id": f"per_test{n:02d}", "name": f"Test Person {n}",
            "name_folded": f"test person {n}", "is_me": False,
            "created_at": NOW, "updated_at": NOW}) for n in range(10)]
        writes: list[tuple[str, int, Any]] = []
        for key in keys:
            expected[key] = {field: [] for _, field, _ in KINDS.values()}
            expected[key]["roles"], expected[key]["tags"] = [], []
            for kind in KINDS:
                writes += [(kind, key, n) for n in range(rng.randrange(4))]
            writes += [("role", key, n) for n in range(rng.randrange(4))]
            for name in rng.sample(sorted(tag_ids), rng.randrange(5)):
                writes.append(("tag", key, name))
        rng.shuffle(writes)
        for what, key, n in writes:
            if what == "tag":
                j.insert(s.taggings, {"tag_id": tag_ids[n], "subject_kind": "person",
                                      "subject_id": key})
                expected[key]["tags"].append(n)
            elif what == "role":
                org = rng.choice(orgs)
                current = rng.random() < 0.5
                start = date(2020, 1, 1) + timedelta(days=rng.randrange(1000))
                row = {"person_id": key, "org_id": org, "title": rng.choice([None, "CTO"]),
                       "department": rng.choice([None, "R&D"]), "start_date": start,
                       "end_date": None if current else start + timedelta(days=90),
                       "is_current": current, "created_at": NOW}
                role_id = j.insert(s.roles, row)
                if org != orgs[3]:  # a deleted organization's roles are not shown
                    expected[key]["roles"].append((role_id, org, row))
            else:
                table, field, extra = KINDS[what]
                value = f"{what}{key}v{n}" + ("x" if n == 2 else "") + ("@Example.org"
                                                                         if what == "email" else "")
                row = {"person_id": key, "value": value, "label": rng.choice([None, "work"]),
                       "is_primary": rng.random() < 0.3, "source": rng.choice(["manual", "csv"]),
                       "created_at": NOW + timedelta(minutes=n), **extra(value)}
                expected[key][field].append((j.insert(table, row), what, row))
    return expected


def _shape(expected: dict[str, list[Any]], org_ids: dict[int, tuple[str, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for table, field, _ in KINDS.values():
        points = sorted(expected[field], key=lambda p: (not p[2]["is_primary"], p[0]))
        normalized = "e164" if table is s.person_phones else "normalized"
        out[field] = [(f"{kind}:{pid}", kind, row["value"], row.get(normalized), row["label"],
                       row["is_primary"], row["source"], row["created_at"])
                      for pid, kind, row in points]
    roles = sorted(expected["roles"], key=lambda r: (not r[2]["is_current"], -r[0]))
    out["roles"] = [(*org_ids[org], row["title"], row["department"], row["start_date"],
                     row["end_date"], row["is_current"]) for _, org, row in roles]
    out["tags"] = sorted(expected["tags"])
    return out


def _read(person: Person) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for _, field, _ in KINDS.values():
        out[field] = [(c.id, c.kind, c.value, c.normalized, c.label, c.is_primary, c.source,
                       c.created_at) for c in getattr(person, field)]
    out["roles"] = [(r.org_id, r.org_name, r.title, r.department, r.start_date, r.end_date,
                     r.is_current) for r in person.roles]
    out["tags"] = list(person.tags)
    return out


def test_details_read_in_one_statement_equal_each_kind_read_alone(svc: Any) -> None:
    for seed in range(3):
        if seed:  # a fresh set of rows for each seed
            with svc.db.write("clear") as j:
                j.conn.execute(s.people.delete().where(s.people.c.public_id.like("per_test%")))
                j.conn.execute(s.taggings.delete())
                j.conn.execute(s.tags.delete())
                j.conn.execute(s.roles.delete())
                j.conn.execute(s.orgs.delete().where(s.orgs.c.public_id.like("org_test%")))
        expected = _fill(svc, random.Random(seed))
        with svc.db.read() as conn:
            org_ids = {r.id: (r.public_id, r.name) for r in conn.execute(s.orgs.select())}
            page = store_people.list_people(conn, limit=50).items
            by_key = {p.key: p for p in page}
            for key, want in expected.items():
                shaped = _shape(want, org_ids)
                alone = store_people.get_person(conn, key)
                assert alone is not None
                assert _read(alone) == shaped, (seed, key)
                assert _read(by_key[key]) == shaped, (seed, key)
        assert any(e["roles"] and e["tags"] and e["emails"] for e in expected.values())
