"""Likely duplicates (people and organizations) and merging two people into one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kithbook.domain import dupes as d
from kithbook.domain.models import PersonRef, Record
from kithbook.errors import InvalidInput
from kithbook.services.catalog import use_case
from kithbook.store import dupes_queries as q
from kithbook.store import search as st_search


def ids_kind(text: str) -> str | None:
    from kithbook import ids

    return ids.kind_of(text.strip())

if TYPE_CHECKING:
    from kithbook.services.app import Services


@dataclass
class DupeSuggestion(Record):
    id: str  # "<a id>+<b id>": `kithbook merge` takes the two ids
    name: str  # "A / B"
    kind: str  # person or org
    a: PersonRef
    b: PersonRef
    score: float
    reasons: list[str] = field(default_factory=list)


@dataclass
class MergeResult(Record):
    id: str  # the merge's batch id: `kithbook undo` takes it
    name: str  # the surviving person's name
    kept: PersonRef
    merged: PersonRef
    moved: dict[str, int] = field(default_factory=dict)


@dataclass
class MergeBatch(Record):
    """Many merges made as one change: `kithbook undo <id>` reverses all of them."""

    id: str  # the batch id
    name: str  # "12 people merged into 10"
    merged: int  # people folded into others (and trashed)
    kept: int  # people they were folded into
    moved: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # pairs already joined by others


MAX_PAIRS = 20_000


def _suggestion(p: d.DupePair, kind: str) -> DupeSuggestion:
    return DupeSuggestion(
        id=f"{p.a.id}+{p.b.id}", name=f"{p.a.name} / {p.b.name}", kind=kind,
        a=PersonRef(p.a.id, p.a.name, p.a.key), b=PersonRef(p.b.id, p.b.name, p.b.key),
        score=p.score, reasons=p.reasons,
    )


class DupesService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    @use_case()
    def find(self, *, min_score: float = d.THRESHOLD, limit: int = 100,
             orgs: bool = True) -> list[DupeSuggestion]:
        """Likely duplicate people (and organizations), best first, with the reasons."""
        with self.svc.db.read() as conn:
            people = q.candidates(conn)
            org_rows = q.org_rows(conn) if orgs else []
        out = [_suggestion(p, "person") for p in d.find_dupes(people, min_score)]
        if orgs:
            cands = [d.OrgCandidate(*row) for row in org_rows]
            out += [_suggestion(p, "org") for p in d.find_org_dupes(cands)]
        out.sort(key=lambda s: -s.score)
        return out[:limit]

    @use_case(writes=True)
    def merge(self, keep: str, gone: str) -> MergeResult:
        """Fold `gone` into `keep` field by field (values keep their provenance); ties,
        interactions, promises, notes and tags move; `gone` goes to the trash. One batch:
        `kithbook undo` reverses it."""
        from kithbook import ids

        kinds = {ids.kind_of(keep.strip()), ids.kind_of(gone.strip())}
        if "org" in kinds:
            if kinds != {"org"}:
                raise InvalidInput("a person cannot be merged with an organization.",
                                   field="person", hint="Give two people or two org ids.")
            return self._merge_orgs(keep.strip(), gone.strip())
        with self.svc.db.write("merge", actor=self.svc.actor, now=self.svc.now) as j:
            a = self.svc.resolve.person_key(j.conn, keep, field="keep")
            b = self.svc.resolve.person_key(j.conn, gone, field="other")
            if a == b:
                raise InvalidInput("those are the same person.", field="person",
                                   hint="Give two different people.")
            from kithbook.store.people import ref_by_key

            ref_a, ref_b = ref_by_key(j.conn, a), ref_by_key(j.conn, b)
            moved = q.merge_people(j, a, b)
            st_search.reindex_many(j.conn, [("person", a), ("person", b)])
            batch = j.batch_id
        return MergeResult(id=batch, name=ref_a.name, kept=ref_a, merged=ref_b, moved=moved)

    @use_case(writes=True)
    def merge_many(self, pairs: list[str]) -> MergeBatch:
        """Merge many pairs of people at once ("KEEP+OTHER", as `find` gives their ids):
        each as `merge` folds it, all in one change that one undo reverses. Chains ("B
        into A", "C into B") end in one person."""
        from kithbook.store import merge_batch
        from kithbook.store.people import refs_by_keys

        if len(pairs) > MAX_PAIRS:
            raise InvalidInput(f"at most {MAX_PAIRS:,} pairs at once.", field="pairs",
                               hint="Merge them in several batches.")
        if not pairs:  # nothing to do is not an error, and writes nothing to undo
            return MergeBatch(id="", name="nobody merged", merged=0, kept=0)
        split = []
        for pair in pairs:
            keep, plus, gone = pair.partition("+")
            if not plus or not keep.strip() or not gone.strip():
                raise InvalidInput(f"'{pair}' is not a pair: give KEEP+OTHER (two ids).",
                                   field="pairs")
            split.append((" ".join(keep.split()), " ".join(gone.split())))
        if {ids_kind(x) for pair in split for x in pair} & {"org"}:
            raise InvalidInput("organizations merge one pair at a time.", field="pairs",
                               hint="Give pairs of people here.")
        with self.svc.db.write("merge", actor=self.svc.actor, now=self.svc.now) as j:
            found = self.svc.resolve.people_batch(j.conn, [x for pair in split for x in pair])
            keys: list[tuple[int, int]] = []
            for keep, gone in split:
                a, b = found[keep], found[gone]
                for problem in (a, b):
                    if not isinstance(problem, int):
                        raise problem
                assert isinstance(a, int) and isinstance(b, int)
                if a == b:
                    raise InvalidInput(f"{keep} and {gone} are the same person.",
                                       field="pairs", hint="Give two different people.")
                keys.append((a, b))
            groups, dropped = d.merge_groups(keys)
            folded = sum(len(g) for g in groups.values())
            skipped = [pairs[n] for n in dropped]
            public = {k: ref.id for k, ref in refs_by_keys(j.conn, groups).items()}
            moved = merge_batch.merge_many(j, groups, public)
            st_search.reindex_many(j.conn, [("person", k) for k in
                                            [*groups, *(g for gs in groups.values() for g in gs)]])
            batch = j.batch_id
        return MergeBatch(id=batch, name=f"{folded} people merged into {len(groups)}",
                          merged=folded, kept=len(groups), moved=moved, skipped=skipped)

    def _merge_orgs(self, keep: str, gone: str) -> MergeResult:
        with self.svc.db.write("merge", actor=self.svc.actor, now=self.svc.now) as j:
            a = self.svc.resolve.org_key(j.conn, keep, field="keep")
            b = self.svc.resolve.org_key(j.conn, gone, field="other")
            if a == b:
                raise InvalidInput("those are the same organization.", field="org")
            refs = q.org_refs(j.conn, [a, b])
            people = q.people_at_orgs(j.conn, [a, b])
            moved = q.merge_orgs(j, a, b)
            st_search.reindex_many(j.conn, [("org", a), ("org", b)]
                                   + [("person", p) for p in sorted(people)])
            batch = j.batch_id
        ref_a = PersonRef(refs[a][0], refs[a][1], a)
        ref_b = PersonRef(refs[b][0], refs[b][1], b)
        return MergeResult(id=batch, name=ref_a.name, kept=ref_a, merged=ref_b, moved=moved)
