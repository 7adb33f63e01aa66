"""Listen and help: match one person's need to another's offer.

Relevance comes from shared tags (strong signal) and shared content words of the free
text (weaker); the rank multiplies relevance by the strengths I would use to make the
introduction: my tie to the person in need and my tie to the person offering (or the
best warm path to them, supplied by the caller). Pure: no SQL, no clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from kithbook.domain.text import fold, words

_STOP = (
    "a an and or the of for to in on at with by from as is are be been was were it its this "
    "that these those i we you he she they them our your their my me us need needs needed "
    "looking look want wants wanted someone somebody anyone who can could would help offer "
    "offers offering good great new some any about into over very"
)
STOPWORDS = frozenset(_STOP.split(" "))


@dataclass(frozen=True)
class Item:
    id: str
    person: int  # person key
    kind: str  # need | offer
    text: str
    tags: tuple[str, ...] = ()


@dataclass
class Match:
    need: Item
    offer: Item
    relevance: float
    strength_need: float  # my tie to the person in need
    strength_offer: float  # my tie (or best path) to the person offering
    score: float
    shared: list[str] = field(default_factory=list)
    already_connected: bool = False


def parse_tags(raw: str | Iterable[str] | None) -> tuple[str, ...]:
    if raw is None:
        return ()
    parts = raw.split(",") if isinstance(raw, str) else list(raw)
    out: list[str] = []
    for p in parts:
        t = fold(p).strip().lstrip("#")
        if t and t not in out:
            out.append(t)
    return tuple(out)


def _stem(w: str) -> str:
    for suf in ("ing", "ers", "er", "es", "s"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)]
    return w


def terms(text: str) -> set[str]:
    return {_stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 2}


def relevance(need: Item, offer: Item) -> tuple[float, list[str]]:
    """0..1: 0.7 x tag Jaccard + 0.3 x word overlap, with any shared tag worth at least 0.5."""
    nt, ot = set(need.tags), set(offer.tags)
    tag_shared = nt & ot
    tag_j = len(tag_shared) / len(nt | ot) if (nt or ot) else 0.0
    nw = terms(need.text) | {_stem(t) for t in nt}
    ow = terms(offer.text) | {_stem(t) for t in ot}
    word_shared = nw & ow
    word_o = len(word_shared) / min(len(nw), len(ow)) if nw and ow else 0.0
    rel = 0.7 * tag_j + 0.3 * word_o
    if tag_shared:
        rel = max(rel, 0.5)
    shown = {_stem(w): w for w in words(offer.text)} | {_stem(w): w for w in words(need.text)}
    extra = word_shared - {_stem(t) for t in tag_shared}
    shared = sorted(tag_shared) + sorted(shown.get(w, w) for w in extra)
    return min(1.0, rel), shared


def match(
    needs: Sequence[Item],
    offers: Sequence[Item],
    strength_to: Callable[[int], float],
    *,
    connected: Callable[[int, int], bool] = lambda a, b: False,
    min_relevance: float = 0.15,
    limit: int = 20,
) -> list[Match]:
    """Every (need, offer) pair of different people above `min_relevance`, ranked by
    relevance x strength(me, needer) x strength(me, offerer)."""
    cache: dict[int, float] = {}

    def s(p: int) -> float:
        if p not in cache:
            cache[p] = max(0.0, min(1.0, strength_to(p)))
        return cache[p]

    out: list[Match] = []
    for n in needs:
        for o in offers:
            if n.person == o.person:
                continue
            rel, shared = relevance(n, o)
            if rel < min_relevance:
                continue
            sn, so = s(n.person), s(o.person)
            out.append(Match(n, o, rel, sn, so, rel * sn * so, shared,
                             connected(n.person, o.person)))
    out.sort(key=lambda m: (-m.score, -m.relevance, m.need.id, m.offer.id))
    return out[:limit]
