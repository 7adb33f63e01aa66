"""Public ids: `new_ids` (many at once, for bulk imports) makes the same kind of id as
`new_id`, and a seeded block still gives `new_id`'s sequence."""

from __future__ import annotations

from collections import Counter

from kithbook import ids


def test_many_ids_at_once_look_like_one_at_a_time() -> None:
    made = ids.new_ids("tie", 4000)
    assert len(made) == len(set(made)) == 4000
    assert all(i.startswith("tie_") and len(i) == 20 and ids.looks_like_id(i) for i in made)
    assert ids.kind_of(made[0]) == "tie"
    # every character of the alphabet, about equally often (64,000 draws of 32 values:
    # 2,000 each on average; a character missing or doubled would be far outside this)
    counts = Counter(c for i in made for c in i[4:])
    assert set(counts) == set(ids._ALPHABET)
    assert all(1600 < n < 2400 for n in counts.values()), counts
    assert ids.new_ids("person", 0) == []


def test_a_seeded_block_gives_new_ids_sequence() -> None:
    with ids.seeded(7):
        one_by_one = [ids.new_id("tie") for _ in range(5)]
    with ids.seeded(7):
        assert ids.new_ids("tie", 5) == one_by_one
