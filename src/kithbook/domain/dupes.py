"""Duplicate detection: pure scoring with reasons, and blocking so that only people who
share a key (email, phone, LinkedIn URL, phonetic surname, organization) are compared.

No I/O: the store hands over `Candidate`s, this returns scored pairs, best first."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

MAX_BLOCK = 60  # a block larger than this is compared by a sorted window, not all pairs
WINDOW = 8
THRESHOLD = 0.6


@dataclass
class Candidate:
    key: int
    id: str
    name: str
    name_folded: str
    given: str = ""  # folded
    family: str = ""  # folded
    emails: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()
    linkedin: str | None = None
    orgs: frozenset[str] = frozenset()  # folded current organizations


@dataclass
class DupePair:
    a: Candidate
    b: Candidate
    score: float
    reasons: list[str] = field(default_factory=list)


def _tokens(c: Candidate) -> tuple[str, str]:
    words = c.name_folded.replace(",", " ").replace(".", " ").split()
    given = c.given or (words[0] if words else "")
    family = c.family or (words[-1] if len(words) > 1 else "")
    return given, family


def phonetic(word: str) -> str:
    if not word:
        return ""
    import jellyfish

    return jellyfish.metaphone(word) or word[:4]


def block_keys(c: Candidate) -> list[str]:
    keys = [f"e:{e}" for e in c.emails] + [f"p:{p}" for p in c.phones]
    if c.linkedin:
        keys.append(f"l:{c.linkedin}")
    given, family = _tokens(c)
    if family:
        keys.append(f"n:{phonetic(family)}:{given[:1]}")
        for org in c.orgs:  # a typo can move the surname's key; the given name stays
            keys.append(f"o:{org}:{phonetic(family)[:2]}")
            keys.append(f"og:{org}:{given[:3]}")
    elif given:
        keys.append(f"g:{phonetic(given)}")
    if given and family:  # swapped order: "Müller Andreas" vs "Andreas Müller"
        keys.append(f"n:{phonetic(given)}:{family[:1]}")
    return list(dict.fromkeys(keys))  # "Boris Berrese" gives n:BRS:b twice


def score(a: Candidate, b: Candidate) -> DupePair | None:
    """Probability-like score in 0..1 with the reasons, or None when clearly different."""
    from rapidfuzz import fuzz

    reasons: list[str] = []
    parts: list[float] = []
    if a.linkedin and a.linkedin == b.linkedin:
        reasons.append("same LinkedIn URL")
        parts.append(0.99)
    if a.emails & b.emails:
        reasons.append("same email " + sorted(a.emails & b.emails)[0])
        parts.append(0.95)
    if a.phones & b.phones:
        reasons.append("same phone " + sorted(a.phones & b.phones)[0])
        parts.append(0.85)
    sim = fuzz.token_sort_ratio(a.name_folded, b.name_folded) / 100.0
    ga, fa = _tokens(a)
    gb, fb = _tokens(b)
    same_org = bool(a.orgs & b.orgs)
    phon = bool(fa and fb and phonetic(fa) == phonetic(fb) and ga[:1] == gb[:1])
    if sim >= 0.85 and same_org:
        reasons.append(f"similar name ({sim:.0%}) at the same company")
        parts.append(0.6 + 0.35 * sim)
    elif sim >= 0.9 and phon:  # name alone: shown only below the default threshold
        reasons.append(f"similar name ({sim:.0%}), phonetic match")
        parts.append(0.55)
    elif phon and same_org:
        reasons.append("phonetic name match at the same company")
        parts.append(0.7)
    if not parts:
        return None
    different_linkedin = a.linkedin and b.linkedin and a.linkedin != b.linkedin
    total = 1.0
    for p in parts:
        total *= 1 - p
    value = 1 - total
    if different_linkedin:
        value *= 0.5
        reasons.append("but different LinkedIn URLs")
    same_family = bool(fa and fb and phonetic(fa) == phonetic(fb))
    if sim < 0.5 and not same_family and not (
            a.emails & b.emails or (a.linkedin and a.linkedin == b.linkedin)):
        value *= 0.7
        reasons.append(f"though the names differ ({sim:.0%})")
    return DupePair(a, b, round(value, 3), reasons)


def candidate_pairs(people: Sequence[Candidate]) -> Iterable[tuple[int, int]]:
    """Index pairs sharing at least one block key; big blocks use a sorted window."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(people):
        for k in block_keys(c):
            blocks[k].append(i)
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2:
            continue
        if len(members) <= MAX_BLOCK:
            pairs: Iterable[tuple[int, int]] = combinations(members, 2)
        else:
            ordered = sorted(members, key=lambda i: people[i].name_folded)
            pairs = ((ordered[i], ordered[j]) for i in range(len(ordered))
                     for j in range(i + 1, min(i + 1 + WINDOW, len(ordered))))
        for i, j in pairs:
            if i == j:
                continue
            pair = (i, j) if i < j else (j, i)
            if pair not in seen:
                seen.add(pair)
                yield pair


def find_dupes(people: Sequence[Candidate], threshold: float = THRESHOLD) -> list[DupePair]:
    out = []
    for i, j in candidate_pairs(people):
        found = score(people[i], people[j])
        if found is not None and found.score >= threshold:
            out.append(found)
    out.sort(key=lambda d: (-d.score, d.a.name_folded))
    return out


@dataclass
class OrgCandidate:
    key: int
    id: str
    name: str
    name_folded: str
    domain: str | None = None


_ORG_NOISE = {"inc", "ltd", "llc", "gmbh", "corp", "corporation", "co", "the", "sa", "ag",
              "plc", "limited", "company", "bv", "srl", "sarl"}


def org_core(folded: str) -> str:
    words = [w for w in folded.replace(",", " ").replace(".", " ").split()
             if w not in _ORG_NOISE]
    return " ".join(words) or folded


def find_org_dupes(orgs: Sequence[OrgCandidate], threshold: float = 0.9) -> list[DupePair]:
    """Organizations with the same domain or nearly the same name (legal suffixes aside)."""
    from rapidfuzz import fuzz

    blocks: dict[str, list[int]] = defaultdict(list)
    for i, o in enumerate(orgs):
        core = org_core(o.name_folded)
        blocks["c:" + core[:4]].append(i)
        if o.domain:
            blocks["d:" + o.domain.lower()].append(i)
    seen: set[tuple[int, int]] = set()
    out: list[DupePair] = []
    for members in blocks.values():
        for i, j in combinations(members[:MAX_BLOCK * 4], 2):
            if (i, j) in seen:
                continue
            seen.add((i, j))
            a, b = orgs[i], orgs[j]
            reasons = []
            value = 0.0
            if a.domain and a.domain.lower() == (b.domain or "").lower():
                reasons.append(f"same domain {a.domain}")
                value = 0.95
            sim = fuzz.ratio(org_core(a.name_folded), org_core(b.name_folded)) / 100
            if sim >= threshold:
                reasons.append(f"similar name ({sim:.0%})")
                value = max(value, sim * 0.95)
            if reasons:
                ca = Candidate(a.key, a.id, a.name, a.name_folded)
                cb = Candidate(b.key, b.id, b.name, b.name_folded)
                out.append(DupePair(ca, cb, round(value, 3), reasons))
    out.sort(key=lambda d: -d.score)
    return out


def merge_groups(pairs: Sequence[tuple[int, int]]) -> tuple[dict[int, list[int]], list[int]]:
    """(keep, gone) pairs as a user gives them, possibly chained ("B into A", then "C
    into B", or "A into C") -> each final keeper and the people folded into it, in the
    order the one-by-one merges would have folded them: a person who was itself a keeper
    comes before those it had taken in (so its own values win over theirs, as they did
    when it took them in). Also the positions of the pairs dropped because earlier ones
    had already joined them."""
    parent: dict[int, int] = {}
    children: dict[int, list[int]] = {}
    roots: dict[int, None] = {}
    dropped: list[int] = []

    def root(x: int) -> int:
        while x in parent:
            x = parent[x]
        return x

    for n, (keep, gone) in enumerate(pairs):
        rk, rg = root(keep), root(gone)
        if rk == rg:
            dropped.append(n)
            continue
        parent[rg] = rk
        children.setdefault(rk, []).append(rg)
        roots.setdefault(rk, None)
    out: dict[int, list[int]] = {}
    for r in roots:
        if r in parent:
            continue
        order: list[int] = []
        stack = list(reversed(children.get(r, [])))
        while stack:
            x = stack.pop()
            order.append(x)
            stack.extend(reversed(children.get(x, [])))
        out[r] = order
    return out, dropped
