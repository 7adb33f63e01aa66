"""Public, stable record ids: a short type prefix and 16 lowercase base32 characters
(80 random bits). Readable on a screen, safe in URLs and vCard UIDs."""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford: no i, l, o, u

PREFIXES = {
    "person": "per",
    "org": "org",
    "tie": "tie",
    "interaction": "int",
    "promise": "pro",
    "note": "not",
    "need": "ned",
    "ledger": "led",
    "import": "imp",
    "batch": "bat",
    "user": "usr",
    "token": "tok",
    "capture_source": "src",
    "capture_run": "run",
    # alliances (docs/alliance-management.md) and private response links (docs/private-links.md)
    "alliance": "all",
    "partner": "par",
    "document": "doc",
    "obligation": "obl",
    "goal": "gol",
    "objective": "obj",
    "activity": "act",
    "contribution": "con",
    "forum": "for",
    "meeting": "mee",
    "decision": "dec",
    "check": "chk",
    "exit_item": "exi",
    "link": "lnk",
    # the craft of networking (docs/networking-craft.md)
    "target": "tgt",
    "event": "evt",
    "research": "res",
    "pitch": "pit",
    "rehearsal": "reh",
    "pitch_use": "use",
    "story": "sto",
    "telling": "tel",
    "claim": "clm",
    "statement": "stm",
    "survey": "sur",
    "idea": "ide",
    "referral": "ref",
    "time_entry": "tim",
    "value_entry": "val",
    # alliance economics (docs/economics.md)
    "agreement": "agr",
    "money_statement": "mst",
    "report": "rpt",
}


_SEEDED: ContextVar[random.Random | None] = ContextVar("kithbook_seeded_ids", default=None)


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """Within the block, ids come from a seeded generator (the demo: same seed, same
    ids); everywhere else they stay random."""
    token = _SEEDED.set(random.Random(seed))
    try:
        yield
    finally:
        _SEEDED.reset(token)


def new_id(kind: str, rng: random.Random | None = None) -> str:
    rng = rng if rng is not None else _SEEDED.get()
    bits = rng.getrandbits(80) if rng is not None else secrets.randbits(80)
    chars = []
    for _ in range(16):
        chars.append(_ALPHABET[bits & 31])
        bits >>= 5
    return f"{PREFIXES[kind]}_{''.join(chars)}"


# Each byte value to the alphabet character of its low five bits: 256 is 8 x 32, so
# every character is equally likely, as with the five-bit groups of getrandbits.
_BYTE_CHAR = bytes(ord(_ALPHABET[b & 31]) for b in range(256))


def new_ids(kind: str, n: int) -> list[str]:
    """`new_id` n times, from one draw of random bytes (a ties import makes 180,000:
    a second and a half one at a time)."""
    if _SEEDED.get() is not None:  # the seeded sequence stays `new_id`'s
        return [new_id(kind) for _ in range(n)]
    text = secrets.token_bytes(16 * n).translate(_BYTE_CHAR).decode()
    head = f"{PREFIXES[kind]}_"
    return [head + text[i:i + 16] for i in range(0, 16 * n, 16)]


def kind_of(public_id: str) -> str | None:
    prefix = public_id.split("_", 1)[0]
    for kind, p in PREFIXES.items():
        if p == prefix:
            return kind
    return None


def looks_like_id(text: str) -> bool:
    head, sep, tail = text.partition("_")
    return (
        bool(sep)
        and head in PREFIXES.values()
        and 4 <= len(tail) <= 16
        and all(c in _ALPHABET for c in tail)
    )
