"""`find`: one search box over people, organizations, interactions and notes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kithbook.domain.models import SearchHit
from kithbook.domain.text import fold, respell
from kithbook.services.catalog import use_case
from kithbook.store import interactions as st_int
from kithbook.store import notes as st_notes
from kithbook.store import orgs as st_orgs
from kithbook.store import people as st_people
from kithbook.store import search as st

KINDS = st.KINDS  # what a search can look through

if TYPE_CHECKING:
    from kithbook.services.app import Services


class SearchService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    @use_case()
    def find(
        self, query: str, *, kinds: tuple[str, ...] = st.KINDS, limit: int = 30
    ) -> list[SearchHit]:
        """Search people, organizations, interactions and notes, best match first."""
        with self.svc.db.read() as conn:
            found = st.search(conn, query, kinds=kinds, limit=limit)
            if not found and respell(query) != fold(query):  # 'Juergen' for Jürgen
                found = st.search(conn, respell(query), kinds=kinds, limit=limit)
            for spaced in ([] if found else _spacings(query)):  # 'JoséGarcía'
                found = st.search(conn, spaced, kinds=kinds, limit=limit)
                if found:
                    break
            by_kind: dict[str, list[int]] = {}
            for kind, key, _ in found:
                by_kind.setdefault(kind, []).append(key)
            names: dict[tuple[str, int], tuple[str, str, str]] = {}
            if by_kind.get("person"):
                refs = st_people.refs_by_keys(conn, by_kind["person"])
                extra = {d[0]: d[2] for d in st_people.describe(conn, by_kind["person"])}
                for key, ref in refs.items():
                    names[("person", key)] = (ref.id, ref.name, extra.get(ref.id, ""))
            for key in by_kind.get("org", []):
                o = st_orgs.get_org(conn, key, people=False)
                if o:
                    names[("org", key)] = (o.id, o.name, o.domain or o.kind or "")
            for i in st_int.by_keys(conn, by_kind.get("interaction", [])):
                who = ", ".join(p.name for p in i.participants if p.key)
                names[("interaction", i.key)] = (
                    i.id,
                    i.name,
                    f"{i.occurred_at.date().isoformat()} {i.channel} with {who}",
                )
            for n in st_notes.by_keys(conn, by_kind.get("note", [])):
                names[("note", n.key)] = (n.id, n.name, f"note on {n.subject_name}")
        hits = []
        for kind, key, score in found:
            if (kind, key) in names:
                pid, name, snippet = names[(kind, key)]
                hits.append(SearchHit(id=pid, name=name, kind=kind, snippet=snippet, rank=score))
        return hits


def _spacings(query: str) -> list[str]:
    """A name typed without its space ('JoséGarcía', 'mariasmith') as the two words it
    may be, most even split first; the index holds words, so one long word matches
    nothing. Only for one word of 5 to 40 letters: a few cheap index lookups."""
    word = fold(query).strip()
    if " " in word or not 5 <= len(word) <= 40 or not word.isalpha():
        return []
    cuts = sorted(range(2, len(word) - 1), key=lambda i: abs(len(word) / 2 - i))
    return [f"{word[:i]} {word[i:]}" for i in cuts]
