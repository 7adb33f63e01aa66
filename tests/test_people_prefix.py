"""People search by name prefix a page at a time (issue 16, store/name_words.py): the
same people as the full-text meaning ("a word of the name starts with each typed word"),
in name order, on both plans and both engines; the word table kept equal to the name
documents through every write path."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from kithbook.domain.text import fold, words
from kithbook.services.demo import load_demo
from kithbook.services.people import NewPerson
from kithbook.store import name_words
from kithbook.store import schema as s

CSV = Path(__file__).parent / "data" / "csv"
FIRST = ["Ana", "Anna", "Andre", "Mar", "Maria", "Marco", "Jo", "José", "Zoë", "Björn", "Li"]
LAST = ["Adams", "Anders", "Marsh", "Martínez", "Smith", "Sánchez", "O'Brien", "Jones",
        "de la Cruz", "Ng", "Müller-Lüdenscheid"]


def _word_rows(svc: Any) -> set[tuple[str, int]]:
    with svc.db.read() as conn:
        return {(r.word, r.person_id) for r in conn.execute(select(s.person_name_words))}


def _from_name_docs(svc: Any) -> set[tuple[str, int]]:
    """What the word table must hold: the words of every name document."""
    with svc.db.read() as conn:
        docs = conn.execute(select(s.search_docs.c.ref_id, s.search_docs.c.body)
                            .where(s.search_docs.c.kind == "name")).all()
    return {(w, d.ref_id) for d in docs for w in d.body.split()}


def _model(svc: Any, prefix: str) -> list[str]:
    """The people list's meaning, computed in Python over every live unarchived person."""
    tokens = words(prefix)
    if not tokens:  # nothing to match ("!!"): nobody, as before
        return []
    with svc.db.read() as conn:
        rows = conn.execute(select(s.people.c.id, s.people.c.name, s.people.c.name_folded)
                            .where(s.people.c.deleted_at.is_(None),
                                   s.people.c.archived_at.is_(None))).all()
    hits = [r for r in rows
            if all(any(w.startswith(t) for w in words(r.name)) for t in tokens)]
    return [r.name for r in sorted(hits, key=lambda r: (r.name_folded, r.id))]


@pytest.mark.parametrize(("cap", "keyed_cost", "keyed_cap", "scan"),
                         [(3, 10**9, 5000, 2000), (3, 0, 5000, 2000), (3, 13, 5000, 2000),
                          (3, 13, 6, 2000), (1000, 13, 5000, 2000), (3, 10**9, 5000, 4)])
def test_a_page_by_prefix_equals_the_model_on_every_plan(
        svc: Any, cap: int, keyed_cost: int, keyed_cap: int, scan: int,
        monkeypatch: Any) -> None:
    """cap 3 sends every common prefix down a broad plan (a count that stops), cap 1000
    sends all of them down the narrow one (exact). A huge keyed cost makes every broad
    page a walk of the name index, 0 makes every one a sort of the rarest word's
    people, 13 lets the estimate choose; a keyed cap of 6 makes the probes and the
    count stop early; a scan of 4 makes the walk's count read 4 name words of the
    range at most. A plan that knows all its matches (narrow, or keyed within the
    keyed cap) gives the exact total; only the others may stop counting."""
    monkeypatch.setattr(name_words, "COUNT_CAP", cap)
    monkeypatch.setattr(name_words, "KEYED_COST", keyed_cost)
    monkeypatch.setattr(name_words, "KEYED_CAP", keyed_cap)
    monkeypatch.setattr(name_words, "SCAN_CAP", scan)
    rng = random.Random(16)
    svc.people.set_me("Me Myself")
    names = sorted({f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(60)})
    for name in names:
        svc.people.add(NewPerson(name=name))
    svc.agenda.archive(names[0], "moved away")  # archived people are not listed
    vip = set(names[1::3])
    for name in vip:
        svc.annotate.tag(name, ["vip"], [])
    plans: list[tuple[bool, str]] = []  # (filtered by a tag, the plan)
    bounded: list[bool] = []  # the last list's plan knew all its matches
    choose = name_words.plan

    def spy(*args: Any, **kwargs: Any) -> Any:
        chosen = choose(*args, **kwargs)
        plans.append((kwargs["filtered"], chosen.plan))
        bounded.append(chosen.bounded)
        return chosen

    monkeypatch.setattr(name_words, "plan", spy)
    saw_lower = False
    for prefix in ["a", "an", "ana", "m", "mar", "j", "jo s", "s a", "zo", "mul", "ludens",
                   "o", "brien", "de", "la cr", "zz", "ng", "x", "bjorn m", "A ", "!!"]:
        for tag in (None, "vip"):
            expected = [n for n in _model(svc, prefix) if tag is None or n in vip]
            for offset in (0, 2, 5):
                bounded.clear()
                page = svc.people.list(name_prefix=prefix, tag=tag, limit=4, offset=offset)
                assert [p.name for p in page.items] == expected[offset:offset + 4], (
                    prefix, tag, offset)
                if page.total_is_lower_bound:
                    saw_lower = True
                    assert bounded == [False], prefix
                    assert len(expected) >= page.total, prefix
                    if page.items:  # what the page saw is counted
                        assert page.total >= offset + len(page.items), prefix
                    if scan > len(names):  # the count read the whole range
                        assert page.total >= min(cap, len(expected)), prefix
                else:
                    assert page.total == len(expected), (prefix, tag, offset)
    # only walks stop counting: none when every broad list is keyed
    assert saw_lower == (cap == 3 and keyed_cost != 0)
    broad = {"walk", "keyed"} if keyed_cost == 13 else {"walk" if keyed_cost else "keyed"}
    plain = {plan for filtered, plan in plans if not filtered}
    tagged = {plan for filtered, plan in plans if filtered}
    assert plain == ({"narrow"} | broad if cap == 3 else {"narrow"}), plain
    assert tagged == ({"narrow", "keyed"} if cap == 3 else {"narrow"}), tagged


def test_word_table_follows_every_write(svc: Any, tmp_path: Path) -> None:
    load_demo(svc, 40, alliances=False)  # the bulk loader
    assert _word_rows(svc) == _from_name_docs(svc) != set()
    sam = svc.people.add(NewPerson(name="Sam Zyxwort"))
    svc.people.add(NewPerson(name="Sammy Zyxwort"))
    svc.people.edit(sam.id, name="Samuel Qorvath")
    assert _word_rows(svc) == _from_name_docs(svc)
    assert svc.people.list(name_prefix="qorv").total == 1
    assert svc.people.list(name_prefix="zyx").total == 1
    _, batch = svc.people.delete("Samuel Qorvath")
    assert _word_rows(svc) == _from_name_docs(svc)
    assert svc.people.list(name_prefix="qorv").total == 0
    svc.history.undo(batch)
    assert _word_rows(svc) == _from_name_docs(svc)
    assert svc.people.list(name_prefix="qorv").total == 1
    svc.dupes.merge("Samuel Qorvath", "Sammy Zyxwort")
    assert _word_rows(svc) == _from_name_docs(svc)
    assert svc.people.list(name_prefix="zyx").total == 0
    rep = svc.transfer.import_file(CSV / "linkedin_connections.csv", dry_run=False)
    assert _word_rows(svc) == _from_name_docs(svc)
    svc.history.undo(rep.id)
    assert _word_rows(svc) == _from_name_docs(svc)
    svc.database.reindex()
    assert _word_rows(svc) == _from_name_docs(svc)


def test_prefix_words_match_folded_spellings(svc: Any) -> None:
    svc.people.add(NewPerson(name="Zoë Müller-Lüdenscheid"))
    for typed in ("zoe", "ZOË", "mull", "ludensch", "zo mu"):
        assert [p.name for p in svc.people.list(name_prefix=typed).items] == [
            "Zoë Müller-Lüdenscheid"], typed
    assert fold("Zoë") == "zoe"


def test_the_range_after_a_prefix_skips_surrogates() -> None:
    assert name_words.successor("mar") == "mas"
    assert name_words.successor("a\ud7ff") == "a\ue000"  # U+D800.. cannot be sent
    assert name_words.successor("a\U0010ffff") is None


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)


@given(prefix=_TEXT.filter(bool), rest=_TEXT, other=_TEXT)
def test_the_range_of_a_prefix_holds_exactly_the_words_starting_with_it(
        prefix: str, rest: str, other: str) -> None:
    """Byte order of UTF-8 is code point order, which both engines compare words in.
    Words have at most 300 characters, and so has the prefix the range is made of."""
    low, high = name_words.bounds(prefix)
    cut = prefix[:300]
    for word in ((prefix + rest)[:300], other[:300], (cut[:-1] + other)[:300]):
        inside = low.encode() <= word.encode() < high.encode()
        assert inside == word.startswith(cut), (prefix, word)


def test_the_range_after_the_last_character() -> None:
    last = "\U0010ffff"
    low, high = name_words.bounds("a" + last)
    for word, inside in (("a" + last, True), ("a" + last * 299, True), ("a" + last + "b", True),
                         ("a", False), ("a" + "\U0010fffe" + last, False), ("b", False)):
        assert (low.encode() <= word.encode() < high.encode()) == inside, word
