"""People whose name has a word starting with each typed word, a page at a time, at a
cost that does not grow with the number of matches (docs/scaling.md, "People search").

Each word of a live person's name is a row of `person_name_words` (kept by
store/search.py), so "some name word starts with `ma`" is the B-tree range
`word >= 'ma' AND word < 'mb'`. A range read with a LIMIT stops early; the full-text
indexes gather every match of a prefix first. Three plans, chosen per query from one
statement of index probes that each stop early:

- narrow (the rarest word has at most COUNT_CAP name words) and keyed (at most
  KEYED_CAP name words and a walk expected to cost more): every match is among the
  rarest word's people, so the list reads the keys of all matches in name order
  (store/people.py): the page is a slice, the total their number, exact;
- walk: the page reads the name index in order and keeps the matches. Every name word
  is a piece of the folded name, so a substring test on the index entry throws out
  most other people before any table row or word is read (a tenth of a microsecond an
  entry; at worst the page reads the index once).

The walk reads about (offset + limit) * people / spread entries, where `spread` counts
the matches that are not the first word of a name: the first words of matches sit
together in name order ("Julia", "Julian"...), so a walk for a first name that sorts
late reads every name before them. Broad plans count up to COUNT_CAP and report the
total as a lower bound past that (as does a filtered list past KEYED_CAP, which sorts
the rarest word's people for its page).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Integer, and_, any_, bindparam, exists, func, select

from kithbook.store import schema as s

# How many matches are counted before the total becomes "at least".
COUNT_CAP = 1000
# How many name words of the rarest typed word's range a broad plan's count reads at
# most (at most KEYED_CAP, which the probe counts to: past this the total is a lower
# bound).
SCAN_CAP = 2000
# How many name words the probe of a typed word counts: the keyed plan's cost is known
# up to here (5 ms at 5,000 on this project's bench machine, bench/RESULTS.md).
KEYED_CAP = 5000
# The keyed plan costs about this many walked index entries per match it sorts
# (1.2 microseconds against 0.09, measured at 100,000 people).
KEYED_COST = 13

_W = s.person_name_words
_P = s.people


def successor(prefix: str) -> str | None:
    """The smallest string after every string starting with `prefix`, or None where the
    last character has no successor. Surrogates are no characters (a string holding one
    cannot be sent to the database), so U+D7FF is followed by U+E000."""
    last = ord(prefix[-1]) + 1
    if last > 0x10FFFF:
        return None
    return prefix[:-1] + chr(0xE000 if 0xD800 <= last <= 0xDFFF else last)


# The last character: a prefix that ends in it has no successor to stop at (`successor`).
_LAST = chr(0x10FFFF)


def bounds(prefix: str) -> tuple[str, str]:
    """[low, high): exactly the words that start with `prefix` (cut to 300 characters,
    as words are), in byte order, which both engines compare words in (UTF-8's byte
    order is code point order; the column is COLLATE "C" on PostgreSQL). Where the
    prefix ends in the last character the range ends at it followed by 301 last
    characters, after every word that starts with it and before every other."""
    prefix = prefix[:300]
    after = successor(prefix)
    return prefix, after if after is not None else prefix + _LAST * 301


def _in_range(w: Any, name: str) -> Any:
    """The word of `w` lies in the range bound as `<name>_lo`, `<name>_hi`."""
    return and_(w.c.word >= bindparam(f"{name}_lo"), w.c.word < bindparam(f"{name}_hi"))


def _has_word(name: str, person: Any) -> Any:
    """EXISTS: the person `person` (a key column) has a name word in the range bound as
    `name`. Each condition reads its own alias of the table, so that a query that also
    joins the table (capped_count) correlates nothing by mistake."""
    w = _W.alias()
    return exists().where(w.c.person_id == person, _in_range(w, name))


def _range_keys(w: Any, name: str, limit: Any = None) -> Any:
    """The people of the words of `w` in the range bound as `name` (at most `limit`)."""
    return select(w.c.person_id).where(_in_range(w, name)).limit(limit)


def _key_set(pg: bool, name: str, person: Any, limit: Any = None) -> Any:
    """The person is among the people with a name word in the range bound as `name`, as
    a key set the engine reads from the word index first. PostgreSQL is handed an array:
    given `IN (subquery)` and an ORDER BY the name index serves, its planner may walk
    the whole name index instead, expecting matches spread evenly (260 ms for "jul" at
    100,000 people, 6 ms as an array)."""
    keys = _range_keys(_W.alias(), name, limit)
    if pg:
        return person == any_(func.array(keys.scalar_subquery()))
    return person.in_(keys)


@functools.cache
def _probe(n: int) -> Any:
    """The plan's one round trip for `n` typed words, made once (building it cost more
    than running it): each word's name words, counted up to `:cap` (an index-only range
    that stops there); how many folded names start with it, counted the same way (the
    matches that sit together in name order; on PostgreSQL the name index's collation
    may order other characters elsewhere, which only makes this estimate rougher); and
    about how many people there are (the highest key: one index step; deleted people
    make it an overestimate, which favours the keyed plan)."""
    cap = bindparam("cap", type_=Integer)

    def capped(query: Any) -> Any:
        return select(func.count()).select_from(query.limit(cap).subquery()).scalar_subquery()

    return select(
        *(capped(select(_W.c.person_id).where(_W.c.word >= bindparam(f"lo{i}"),
                                              _W.c.word < bindparam(f"hi{i}")))
          for i in range(n)),
        *(capped(select(_P.c.id).where(_P.c.name_folded >= bindparam(f"lo{i}"),
                                       _P.c.name_folded < bindparam(f"hi{i}")))
          for i in range(n)),
        select(func.max(_P.c.id)).scalar_subquery())


def _contains(pg: bool, name: str) -> Any:
    """The folded name holds the text bound as `name`: a plain substring search on both
    engines (no LIKE pattern, so no escaping)."""
    fn = func.strpos if pg else func.instr
    return fn(_P.c.name_folded, bindparam(name)) > 0


@functools.cache
def _conditions(plan: str, others: int, pg: bool) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """(the match, the match of the other typed words) of a plan with `others` typed
    words besides the rarest, made once per shape: an alias and its EXISTS cost a
    quarter of a millisecond to build, as much as a search's page takes to run. The
    values are bound by name (`NamePlan.params`): the rarest word's range `nw_r`, the
    others' `nw_o0`..., a walk's substrings `nw_c0`...."""
    other = tuple(_has_word(f"nw_o{i}", _P.c.id) for i in range(others))
    if plan != "walk":
        return (*other, _key_set(pg, "nw_r", _P.c.id)), other
    # the substring tests read only the index entry; the EXISTS confirms a word start
    pieces = tuple(_contains(pg, f"nw_c{i}") for i in range(others + 1))
    return (*pieces, *other, _has_word("nw_r", _P.c.id)), other


@dataclass(frozen=True)
class NamePlan:
    """What `people.list` adds to its query for a name prefix."""

    conds: tuple[Any, ...]  # the match, ANDed with the list's other conditions
    plan: str  # "narrow" (exact total), "keyed" or "walk" (total counted up to COUNT_CAP)
    size: int  # the rarest typed word's name words, counted up to KEYED_CAP + 1
    others: tuple[Any, ...]  # the match of the other typed words (capped_count)
    params: dict[str, Any]  # the values the conditions bind

    @property
    def bounded(self) -> bool:
        """The matches are among at most KEYED_CAP people, all of them known: the rarest
        word's range was counted to its end (a filtered list may take the keyed plan
        past it)."""
        return self.plan in ("narrow", "keyed") and self.size <= KEYED_CAP


def plan(conn: Connection, tokens: Sequence[str], *, offset: int = 0,
         limit: int = 20, filtered: bool = False) -> NamePlan:
    """`filtered`: the list has other conditions (a tag, a tier...), which the walk's
    estimate cannot see and which may make it read much further; those lists sort the
    rarest word's people."""
    unique = list(dict.fromkeys(tokens))
    n = len(unique)
    ranges = {t: bounds(t) for t in unique}
    params: dict[str, Any] = {"cap": KEYED_CAP + 1}
    for i, t in enumerate(unique):
        params[f"lo{i}"], params[f"hi{i}"] = ranges[t]
    row = conn.execute(_probe(n), params).one()
    sizes = {t: int(c) for t, c in zip(unique, row[:n], strict=True)}
    firsts = {t: int(c) for t, c in zip(unique, row[n:2 * n], strict=True)}
    rarest = min(sizes, key=lambda t: (sizes[t], -len(t)))
    m = sizes[rarest]
    chosen = "walk"
    if m <= COUNT_CAP:
        chosen = "narrow"
    elif filtered:
        chosen = "keyed"
    else:
        # past KEYED_CAP the sort's cost is unknown and may be most of the people, while
        # a walk reads the name index at most once
        spread = m - firsts[rarest]
        walk_rows = (offset + limit) * int(row[-1] or 0) / max(spread, 1)
        if m <= KEYED_CAP and walk_rows >= KEYED_COST * m:
            chosen = "keyed"
    values: dict[str, Any] = {}
    values["nw_r_lo"], values["nw_r_hi"] = ranges[rarest]
    for i, t in enumerate(t for t in unique if t != rarest):
        values[f"nw_o{i}_lo"], values[f"nw_o{i}_hi"] = ranges[t]
    if chosen == "walk":
        values.update({f"nw_c{i}": t[:300] for i, t in enumerate(unique)})
    conds, others = _conditions(chosen, n - 1, conn.dialect.name == "postgresql")
    return NamePlan(conds, chosen, m, others, values)


@functools.cache
def _scanned(pg: bool) -> Any:
    """The first SCAN_CAP (bound as `nw_scan`) name words of the rarest word's range:
    on SQLite a subquery to join, on PostgreSQL "the person is among their people", as
    an array."""
    limit = bindparam("nw_scan", type_=Integer)
    if pg:
        return _key_set(True, "nw_r", _P.c.id, limit)
    return _range_keys(_W, "nw_r", limit).subquery()


def capped_count(conn: Connection, p: Any, conds: Sequence[Any],
                 name: NamePlan) -> tuple[int, bool]:
    """(total, is a lower bound) of a broad plan: among the first SCAN_CAP name words of
    the rarest word's range, the people that pass the list's other conditions and the
    other typed words, counted up to COUNT_CAP + 1. The total is exact only where the
    range had no more words and the count did not stop.

    Reading a bounded part of the range bounds the count's cost. Counting to the cap
    over the whole range read every word of it where few people match the other typed
    words: 43 ms for "j s" at 100,000 people, whose page took 0.2 ms.

    SQLite reads the part in word order, joined to each person; a person with two words
    in the range ("Anna Adams" for "a") is a row per word, hence the distinct count.
    PostgreSQL's planner would rather join the range to every person by hash, so it is
    handed the part's keys as an array (any SCAN_CAP of the range's words: the count is
    a lower bound all the same)."""
    scanned_all = name.size <= min(SCAN_CAP, KEYED_CAP)  # the probe counts to KEYED_CAP + 1
    params = {**name.params, "nw_scan": SCAN_CAP}
    if conn.dialect.name == "sqlite":
        part = _scanned(False)
        rows = (select(part.c.person_id.label("pid"))
                .select_from(part.join(p, p.c.id == part.c.person_id))
                .where(*conds, *name.others)
                .limit(COUNT_CAP + 1).subquery())
        n_rows, people = conn.execute(
            select(func.count(), func.count(rows.c.pid.distinct())).select_from(rows),
            params).one()
        return int(people), int(n_rows) > COUNT_CAP or not scanned_all
    keys = _scanned(True)
    matched = select(p.c.id).where(keys, *conds, *name.others).limit(COUNT_CAP + 1).subquery()
    people = int(conn.execute(select(func.count()).select_from(matched), params).scalar_one())
    return people, people > COUNT_CAP or not scanned_all

