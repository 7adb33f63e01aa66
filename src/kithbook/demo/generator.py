"""Generate the demo network as plain rows, deterministically for a seed and a date.

Structure: people live in communities (a trade, a town, an alumni group) of 15-60;
ties are mostly inside a community, with preferential attachment to a few hubs
(heavy-tailed degrees) and about one tie in seven bridging to another community.
"Me" knows a few hundred of them, with tiers, two years of interactions whose
frequency follows the tier and whose recency varies (some ties went dormant),
promises both ways (some overdue, some broken), notes, needs and offers."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import numpy as np

from kithbook import ids
from kithbook.demo import vocab
from kithbook.demo.chunks import LAST_TOUCH, MET_VIA, SEARCH, Chunk, Out, person_row
from kithbook.domain.text import fold

SIZES = {"small": 300, "medium": 5_000, "large": 100_000}
RESERVED_NAMES = {"maria lopez", "sam chen"}  # the README tour adds Maria; Sam is seeded


CHUNK = 20_000


def parse_size(text: str | int) -> int:
    if isinstance(text, int):
        return text
    t = str(text).strip().lower().replace("_", "").replace(",", "")
    if t in SIZES:
        return SIZES[t]
    if t.endswith("k") and t[:-1].isdigit():
        return int(t[:-1]) * 1000
    if t.endswith("m") and t[:-1].isdigit():
        return int(t[:-1]) * 1_000_000
    if t.isdigit():
        return int(t)
    raise ValueError(text)


def _ascii(text: str) -> str:
    return "".join(c for c in fold(text) if c.isalnum())


def _names(rng: random.Random, n: int) -> list[str]:
    combos = len(vocab.FIRST) * len(vocab.LAST)
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        first = rng.choice(vocab.FIRST)
        last = rng.choice(vocab.LAST)
        name = f"{first} {last}"
        if len(seen) < combos * 0.6:
            if name in seen or fold(name) in RESERVED_NAMES:
                continue
            seen.add(name)
        else:  # big networks: namesakes are real life; add an initial to most
            name = f"{first} {chr(65 + rng.randrange(26))}. {last}"
        out.append(name)
    return out


def _ts(d: datetime) -> datetime:
    return d.replace(microsecond=0)


def generate(n_people: int, *, seed: int, today: date, key_offset: int = 0,
             owner_is_me: bool = True, chunk: int | None = None) -> Iterator[Chunk]:
    """Rows for `n_people` people plus me and Sam Chen (a well-connected connector), a
    chunk at a time, parents before children. The same seed and day give the same rows
    whatever the chunk size. `owner_is_me=False` makes the demo's owner a contact (the
    database already has its "me")."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    now = datetime.combine(today, time(12, 0), tzinfo=UTC)
    chunk = chunk or CHUNK
    out = Out(chunk)
    k = key_offset

    # -- organizations --------------------------------------------------------------------
    n_orgs = max(6, n_people // 8)
    org_names: list[str] = ["Acme Supply", "Northwind Logistics"][:n_orgs]
    used: set[str] = set(org_names)
    while len(org_names) < n_orgs:
        name = f"{rng.choice(vocab.ORG_HEADS)} {rng.choice(vocab.ORG_TAILS)}"
        if name in used:
            name = f"{name} {len(org_names)}"
        used.add(name)
        org_names.append(name)
    del used
    org_keys = []
    org_domain: dict[int, str] = {}
    for i, name in enumerate(org_names):
        key = k + i + 1
        domain = f"{_ascii(name.split()[0])}{_ascii(name.split()[1])[:6]}.example"
        org_keys.append(key)
        org_domain[key] = domain
        yield from out.add(
            "orgs",
            {
                "id": key,
                "public_id": ids.new_id("org", rng),
                "name": name,
                "name_folded": fold(name),
                "domain": domain,
                "kind": rng.choice(vocab.ORG_KINDS),
                "created_at": now,
                "updated_at": now,
                "deleted_at": None,
            },
        )
        yield from out.add(SEARCH, ("org", key, f"{name} {domain}"))
    yield from out.flush("orgs")

    # -- people in communities --------------------------------------------------------------
    n = n_people + 1  # + Sam Chen
    sizes: list[int] = []
    while sum(sizes) < n:
        sizes.append(int(nrng.integers(15, 61)))
    sizes[-1] -= sum(sizes) - n
    if sizes[-1] <= 0:
        sizes.pop()
        sizes[-1] += n - sum(sizes)
    comm_start = np.cumsum([0, *sizes[:-1]]).astype(np.int64)
    comm_size = np.array(sizes, dtype=np.int64)
    community = np.repeat(np.arange(len(sizes)), comm_size)
    orgs_per_comm = max(1, n_orgs // max(1, len(sizes)))
    names = ["Sam Chen", *_names(rng, n - 1)]
    me_key = k + n_orgs + 1
    person_keys = np.arange(me_key + 1, me_key + 1 + n, dtype=np.int64)
    sam = 0  # Sam Chen is the first person of the first community: a hub
    yield from out.add("people", person_row(me_key, ids.new_id("person", rng), "Alex Morgan",
                                             now, is_me=owner_is_me))
    yield from out.add(SEARCH, ("person", me_key, "Alex Morgan"), hold=True)
    yield from out.add(SEARCH, ("name", me_key, "Alex Morgan"), hold=True)

    # -- ties: preferential inside the community, some bridges -------------------------------
    degree = np.minimum(np.floor(nrng.pareto(2.2, n) * 2.5).astype(np.int64) + 1, 60)
    stubs = np.repeat(np.arange(n, dtype=np.int64), degree)
    c = community[stubs]
    u = nrng.random(stubs.size)
    inside = comm_start[c] + np.floor(comm_size[c] * u**2.2).astype(np.int64)
    bridge = nrng.random(stubs.size) < 0.14
    other = np.floor(n * nrng.random(stubs.size) ** 1.8).astype(np.int64)
    dst = np.where(bridge, other, inside)
    a, b = np.minimum(stubs, dst), np.maximum(stubs, dst)
    keep = a != b
    pairs = np.unique(np.stack([a[keep], b[keep]], axis=1), axis=0)
    del stubs, c, u, inside, bridge, other, dst, a, b, keep
    org_of = np.empty(n, dtype=np.int64)
    for ci in range(len(sizes)):
        lo, hi = comm_start[ci], comm_start[ci] + comm_size[ci]
        base = (ci * orgs_per_comm) % n_orgs
        choices = [(base + j) % n_orgs for j in range(orgs_per_comm + 1)]
        org_of[lo:hi] = nrng.choice(choices, size=hi - lo)
    same_comm = community[pairs[:, 0]] == community[pairs[:, 1]]
    strengths = np.where(
        same_comm, nrng.integers(2, 6, len(pairs)), nrng.integers(1, 4, len(pairs))
    )
    # The tie rows draw their ids and dates here, before the people's, but can only be
    # written after the people: keep the generator's state and draw them again then.
    tie_rng = random.Random()
    tie_rng.setstate(rng.getstate())
    for _ in range(len(pairs)):
        rng.getrandbits(80)  # ids.new_id
        rng.random()  # since

    # -- my contacts ---------------------------------------------------------------------------
    n_mine = min(250, max(1, int(n * 0.7)))
    hub_bias = nrng.random(n) ** 0.7 * (1 + np.log1p(degree))
    mine = np.argsort(-hub_bias, kind="stable")[:n_mine]
    del hub_bias
    mine_set = set(mine.tolist()) | {sam}
    tier_of: dict[int, str] = {}
    for idx in mine_set:
        r = rng.random()
        tier_of[idx] = "A" if r < 0.08 else "B" if r < 0.33 else "C"
    tier_of[sam] = "A"
    first_met: dict[int, date | None] = {}
    for idx in range(n):
        key = int(person_keys[idx])
        name = names[idx]
        org_key = org_keys[int(org_of[idx])]
        first, last = name.split()[0], name.split()[-1]
        row = person_row(key, ids.new_id("person", rng), name, now)
        row.update(given_name=first, family_name=last)
        if idx in mine_set:
            row["tier"] = tier_of[idx]
            row["stage"] = rng.choice(("met", "rapport", "rapport", "mutual_help", "advocate"))
            row["how_met"] = rng.choice(vocab.EVENTS)
            row["first_met_on"] = today - timedelta(days=rng.randrange(60, 3000))
            first_met[idx] = row["first_met_on"]
            if rng.random() < 0.15:
                row["cadence_days"] = rng.choice((14, 30, 60, 91))
        elif rng.random() < 0.05:
            row["stage"] = "target"
        yield from out.add("people", row)
        email = f"{_ascii(first)}.{_ascii(last)}{'' if idx < 20000 else idx}@{org_domain[org_key]}"
        yield from out.add(
            "person_emails",
            {
                "person_id": key,
                "value": email,
                "normalized": email,
                "label": "work",
                "is_primary": True,
                "source": "demo",
                "created_at": now,
            },
        )
        phone = None
        if rng.random() < 0.6:
            digits = f"{rng.randrange(200, 990)}555{rng.randrange(0, 10000):04d}"
            phone = f"+1 {digits[:3]} {digits[3:6]} {digits[6:]}"
            yield from out.add(
                "person_phones",
                {
                    "person_id": key,
                    "value": phone,
                    "e164": "+1" + digits,
                    "label": "mobile",
                    "is_primary": True,
                    "source": "demo",
                    "created_at": now,
                },
            )
        title = rng.choice(vocab.TITLES)
        yield from out.add(
            "roles",
            {
                "person_id": key,
                "org_id": org_key,
                "title": title,
                "department": None,
                "start_date": None,
                "end_date": None,
                "is_current": True,
                "source": "demo",
                "created_at": now,
            },
        )
        yield from out.add(SEARCH, ("name", key, name), hold=True)
        text = " ".join(x for x in (name, email, phone, title, org_names[int(org_of[idx])],
                                    row.get("how_met")) if x)
        yield from out.add(SEARCH, ("person", key, text), hold=True)
        if len(out.pending.get("people", ())) >= chunk - 1:
            # a person's details only after the person: flush them together
            yield from out.flush("people", "person_emails", "person_phones", "roles", SEARCH)
    # the people's search documents before any other kind's, as they were written
    yield from out.flush("people", "person_emails", "person_phones", "roles", SEARCH)
    del names

    tie_kinds = ("knows", "client", "supplier", "friend", "alumni", "partner")
    for (pa, pb), st_, sc in zip(
        pairs.tolist(), strengths.tolist(), same_comm.tolist(), strict=True
    ):
        if org_of[pa] == org_of[pb]:
            kind = "colleague"
        else:
            kind = tie_kinds[(pa * 31 + pb) % len(tie_kinds)] if sc else "knows"
        yield from out.add(
            "ties",
            {
                "public_id": ids.new_id("tie", tie_rng),
                "a_id": int(person_keys[pa]),
                "b_id": int(person_keys[pb]),
                "kind": kind,
                "strength": int(st_),
                "since": today - timedelta(days=int(365 * 6 * tie_rng.random())),
                "note": None,
                "source": "demo",
                "created_at": now,
                "deleted_at": None,
            },
        )
    del pairs, strengths, same_comm
    for idx in mine_set:
        strength = {"A": 5, "B": 4, "C": 2}[tier_of[idx]]
        yield from out.add(
            "ties",
            {
                "public_id": ids.new_id("tie", rng),
                "a_id": me_key,
                "b_id": int(person_keys[idx]),
                "kind": "knows",
                "strength": strength - (rng.random() < 0.3),
                "since": first_met.get(idx),
                "note": None,
                "source": "demo",
                "created_at": now,
                "deleted_at": None,
            },
        )
    yield from out.flush("ties")
    met_via: list[tuple[int, int]] = []
    for idx in rng.sample(sorted(mine_set), k=max(1, len(mine_set) // 5)):
        peers = [
            p
            for p in range(
                int(comm_start[community[idx]]),
                int(comm_start[community[idx]] + comm_size[community[idx]]),
            )
            if p in mine_set and p != idx
        ]
        if peers:
            met_via.append((int(person_keys[idx]), int(person_keys[rng.choice(peers)])))
    yield Chunk(MET_VIA, met_via)

    # -- two years of interactions with me ------------------------------------------------------
    last_touch: dict[int, datetime] = {}
    rate = {"A": 22, "B": 8, "C": 2.5}
    channels = ("meeting", "call", "email", "email", "message", "video", "event")
    interactions: list[tuple[datetime, int, list[int]]] = []
    for idx in sorted(mine_set):
        count = int(nrng.poisson(rate[tier_of[idx]]))
        dormant = rng.random() < 0.15
        for _ in range(count):
            span = 730 if not dormant else 365
            days_ago = (
                (730 - span) + span * (rng.random() ** 1.4)
                if dormant
                else 730 * (rng.random() ** 1.6)
            )
            when = _ts(now - timedelta(days=days_ago, minutes=rng.randrange(0, 600)))
            others = [idx]
            if rng.random() < 0.1:
                ci = community[idx]
                cand = int(comm_start[ci] + rng.randrange(int(comm_size[ci])))
                if cand in mine_set and cand != idx:
                    others.append(cand)
            interactions.append((when, idx, others))
    interactions.sort(key=lambda x: x[0])
    for when, idx, others in interactions:
        ikey_pid = ids.new_id("interaction", rng)
        channel = rng.choice(channels)
        topic = rng.choice(vocab.TOPICS)
        contract = rng.random() < 0.3
        row = {
            "public_id": ikey_pid,
            "occurred_at": when,
            "channel": channel,
            "minutes": rng.choice((15, 30, 45, 60, 90))
            if channel in ("meeting", "call", "video", "event")
            else None,
            "summary": f"Talked about {topic}",
            "initiated_by_id": me_key if rng.random() < 0.55 else int(person_keys[idx]),
            "they_want": f"help with {rng.choice(vocab.NEEDS)}" if contract else None,
            "i_want": f"an intro about {rng.choice(vocab.TOPICS)}" if contract else None,
            "agreed": "Follow up next month" if contract else None,
            "next_step": "send a short recap" if contract and rng.random() < 0.5 else None,
            "source": "demo",
            "created_at": when,
            "deleted_at": None,
            "_participants": [me_key] + [int(person_keys[o]) for o in others],
        }
        yield from out.add("interactions", row)
        for o in others:
            pk = int(person_keys[o])
            if pk not in last_touch or last_touch[pk] < when:
                last_touch[pk] = when
    yield from out.flush("interactions")
    yield Chunk(LAST_TOUCH, sorted(last_touch.items()))

    # -- promises both ways ----------------------------------------------------------------------
    for idx in sorted(mine_set):
        if rng.random() > 0.3:
            continue
        pk = int(person_keys[idx])
        mine_owes = rng.random() < 0.6
        due = today + timedelta(days=rng.randrange(-60, 31))
        status, closed = "open", None
        if due < today:
            r = rng.random()
            if r < 0.5:
                status, closed = "done", now - timedelta(days=rng.randrange(0, 30))
            elif r < 0.6:
                status, closed = "broken", now - timedelta(days=rng.randrange(0, 30))
        yield from out.add(
            "promises",
            {
                "public_id": ids.new_id("promise", rng),
                "owed_by_id": me_key if mine_owes else pk,
                "owed_to_id": pk if mine_owes else me_key,
                "what": rng.choice(vocab.PROMISES_MINE if mine_owes else vocab.PROMISES_THEIRS),
                "due": due,
                "status": status,
                "status_reason": "fell through the cracks" if status == "broken" else None,
                "closed_at": closed,
                "interaction_id": None,
                "created_at": now - timedelta(days=rng.randrange(30, 90)),
                "deleted_at": None,
            },
        )

    # -- notes, tags, needs and offers, ledger --------------------------------------------------
    for idx in sorted(mine_set):
        pk = int(person_keys[idx])
        if rng.random() < 0.3:
            body = " ".join(rng.sample(vocab.NOTE_LINES, k=rng.randrange(1, 3)))
            created = now - timedelta(days=rng.randrange(1, 700))
            yield from out.add(
                "notes",
                {
                    "public_id": ids.new_id("note", rng),
                    "subject_kind": "person",
                    "subject_id": pk,
                    "body": body,
                    "created_at": created,
                    "updated_at": created,
                    "deleted_at": None,
                },
            )
        if rng.random() < 0.2:
            yield from out.add(
                "taggings",
                {
                    "tag": rng.choice(
                        ("investor", "local", "expo-2026", "alumni", "vip", "referrer")
                    ),
                    "subject_kind": "person",
                    "subject_id": pk,
                },
            )
        if rng.random() < 0.05:
            other_key = int(person_keys[rng.choice(sorted(mine_set))])
            if other_key != pk:
                giver, receiver = (me_key, pk) if rng.random() < 0.5 else (pk, me_key)
                yield from out.add(
                    "ledger",
                    {
                        "public_id": ids.new_id("ledger", rng),
                        "giver_id": giver,
                        "receiver_id": receiver,
                        "kind": rng.choice(("favour", "intro", "advice")),
                        "what": rng.choice(vocab.TOPICS),
                        "occurred_on": today - timedelta(days=rng.randrange(1, 600)),
                        "interaction_id": None,
                        "created_at": now,
                    },
                )
    for idx in range(n):
        r = rng.random()
        if r < 0.12:
            text = rng.choice(vocab.NEEDS)
            yield from out.add(
                "needs_offers",
                {
                    "public_id": ids.new_id("need", rng),
                    "person_id": int(person_keys[idx]),
                    "kind": "need" if r < 0.06 else "offer",
                    "text": text,
                    "tags": fold(text.split()[-1]),
                    "created_at": now,
                    "resolved_at": None,
                },
            )
    yield from out.flush()
