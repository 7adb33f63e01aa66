"""People whose name has a word starting with each typed word, a page at a time, at a
cost that does not grow with the number of matches (docs/scaling.md, "People search").

Each word of a live person's name is a row of `person_name_words` (kept by
store/search.py), so "some name word starts with `ma`" is the B-tree range
`word >= 'ma' AND word < 'mb'`. A range read with a LIMIT stops early; the full-text
indexes gather every match of a prefix first. Two plans, chosen per query by probing
each typed word's range for at most COUNT_CAP rows:

- narrow (the rarest word has at most COUNT_CAP name words): every match is among those
  people, so the page sorts at most COUNT_CAP rows and the total is exact;
- broad: the page walks people in name order (the index the page is sorted by) and
  keeps those that match, about (offset + limit) * people / matches rows; the total is
  counted up to COUNT_CAP and then reported as a lower bound.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, exists, func, select

from kithbook.store import schema as s

# How many matches are counted before the total becomes "at least". The narrow plan
# sorts at most this many people; the broad plan reads about people / COUNT_CAP rows
# per page row (100 at 100,000 people).
COUNT_CAP = 1000
# How far past the offset the broad plan walks people in name order. Matches of a first
# name cluster where that name sorts ("jul": Julia, Julian...), so the walk would read
# every person before them (180 ms at 100,000 people); a walk that ends short of a page
# hands over to the key set of the rarest word, sorted (15-60 ms for 5,000-19,000
# matches there).
WALK = 2000

_W = s.person_name_words


def word_range(prefix: str, w: Any = _W) -> Any:
    """The condition "word starts with `prefix`" as a range of the word index (byte
    order on both engines: the column is COLLATE "C" on PostgreSQL)."""
    prefix = prefix[:300]
    last = ord(prefix[-1])
    if last >= 0x10FFFF:
        return w.c.word.like(prefix.replace("%", "").replace("_", "") + "%")
    return and_(w.c.word >= prefix, w.c.word < prefix[:-1] + chr(last + 1))


def has_word(prefix: str, person: Any) -> Any:
    """EXISTS: the person `person` (a key column) has a name word starting so. Each
    condition reads its own alias of the table, so that a query that also joins the
    table (capped_count) correlates nothing by mistake."""
    w = _W.alias()
    return exists().where(w.c.person_id == person, word_range(prefix, w))


def range_size(conn: Connection, prefix: str) -> int:
    """Name words starting with `prefix`, counted up to COUNT_CAP + 1 (an index-only
    range)."""
    inner = select(_W.c.person_id).where(word_range(prefix)).limit(COUNT_CAP + 1).subquery()
    return int(conn.execute(select(func.count()).select_from(inner)).scalar_one())


@dataclass(frozen=True)
class NamePlan:
    """What `people.list` adds to its query for a name prefix."""

    conds: list[Any]  # the match, ANDed with the list's other conditions
    narrow: bool  # every match is among at most COUNT_CAP people: count them exactly
    rarest: str  # the typed word with the fewest name words
    keyed: list[Any]  # the same match driven by the rarest word's people (a key set)


def plan(conn: Connection, tokens: Sequence[str], person: Any) -> NamePlan:
    sizes = {t: range_size(conn, t) for t in dict.fromkeys(tokens)}
    rarest = min(sizes, key=lambda t: (sizes[t], -len(t)))
    narrow = sizes[rarest] <= COUNT_CAP
    others = [has_word(t, person) for t in sizes if t != rarest]
    # the rarest word's people, as a key set the engine reads from the word index
    w = _W.alias()
    keyed = [*others, person.in_(select(w.c.person_id).where(word_range(rarest, w)))]
    conds = keyed if narrow else [*others, has_word(rarest, person)]
    return NamePlan(conds, narrow, rarest, keyed)


def capped_count(conn: Connection, p: Any, where: Any, name: NamePlan) -> tuple[int, bool]:
    """(total, is a lower bound) of the broad plan: the rarest word's range drives, joined
    to the person, stopping after COUNT_CAP + 1 rows. A person with two words in the
    range ("Anna Adams" for "a") is one row per word, hence the distinct count."""
    rows = (select(_W.c.person_id.label("pid"))
            .select_from(_W.join(p, p.c.id == _W.c.person_id))
            .where(word_range(name.rarest), where)
            .limit(COUNT_CAP + 1).subquery())
    n_rows, people = conn.execute(
        select(func.count(), func.count(rows.c.pid.distinct())).select_from(rows)).one()
    return int(people), int(n_rows) > COUNT_CAP
