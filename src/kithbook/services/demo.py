"""`kithbook demo`: load the generated network into the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kithbook.domain.models import Record
from kithbook.errors import Conflict, InvalidInput
from kithbook.services.links import IssuedLink
from kithbook.store import bulk
from kithbook.store import people as st_people

if TYPE_CHECKING:
    from kithbook.services.app import Services

MAX_PEOPLE = 2_000_000


@dataclass
class DemoLoaded(Record):
    """What the demo loaded: the counts of each kind of record (id `demo-SEED`)."""

    id: str
    name: str
    seed: int
    people: int
    organizations: int
    ties: int
    interactions: int
    promises: int
    notes: int
    alliances: int
    craft: int
    batch_id: str = ""  # the one batch `kithbook undo` reverses to remove all of it
    # a live one-question survey link, to open as the person asked would; its URL is
    # shown here once and its token is random on every load (never from the seed)
    survey_link: IssuedLink | None = None


def load_demo(
    svc: Services,
    size: str | int = "small",
    *,
    seed: int = 7,
    force: bool = False,
    alliances: bool = True,
    craft: bool = True,
    progress: Callable[[str, int], None] | None = None,
) -> DemoLoaded:
    """Load the generated sample network (offline, the same for a seed and a day)."""
    from kithbook.demo.generator import generate, parse_size

    try:
        n = parse_size(size)
    except ValueError:
        raise InvalidInput(
            f"'{size}' is not small, medium, large or a number", field="size"
        ) from None
    if not 1 <= n <= MAX_PEOPLE:
        raise InvalidInput(f"the demo size is between 1 and {MAX_PEOPLE:,}", field="size")
    with svc.db.read() as conn:
        existing = st_people.count_people(conn, include_me=False)
        has_me = st_people.me_key(conn) is not None
    if existing and not force:
        raise Conflict(
            f"this database already holds {existing} people of yours; the demo "
            "would mix with them.",
            hint="Load it into another database, or load it here anyway.", field="force",
        )
    # one batch for all of it: a single `kithbook undo` removes the network, the
    # alliances and the craft samples (each step still commits on its own)
    with svc.db.grouped("demo") as batch:
        with svc.db.write("demo", now=svc.now) as j:
            # generated and written a chunk at a time: bounded memory at any size.
            # With a "me" already here, the demo's owner becomes one of the contacts.
            rows = generate(n, seed=seed, today=svc.today, key_offset=bulk.max_key(j.conn),
                            owner_is_me=not has_me)
            counts = bulk.load(j.conn, rows, progress, journal=j)
        portfolio: list[str] = []
        if alliances:  # written through the alliance use cases, so after the bulk load
            from kithbook.services.demo_alliances import load_alliances

            portfolio = load_alliances(svc, seed)
        made, link = 0, None
        if craft:  # pitches, stories, targets, referrals...: through the craft use cases
            from kithbook.services.demo_craft import load_craft

            made, link = load_craft(svc, seed)
    return DemoLoaded(
        id=f"demo-{seed}",
        name=f"demo network ({n:,} people)",
        seed=seed,
        people=counts.get("people", 0),
        organizations=counts.get("orgs", 0),
        ties=counts.get("ties", 0),
        interactions=counts.get("interactions", 0),
        promises=counts.get("promises", 0),
        notes=counts.get("notes", 0),
        alliances=len(portfolio),
        craft=made,
        batch_id=batch,
        survey_link=link,
    )
