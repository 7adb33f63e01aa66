"""Typed results of the relationship engine's use cases (docs/architecture.md, "Use
cases"): tie strength, warm paths, reach, brokers, dormant ties, needs and offers,
matches and the give/ask ledger. Each prints as the JSON the CLI's --json, the REST API
and the agent interface share (`Record.to_dict`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from kithbook.domain.models import PersonRef, Record

# a field whose JSON key is a Python keyword
FROM = {"json": "from"}


@dataclass
class StrengthComponent(Record):
    """One part of the tie-strength model (docs/tie-strength-and-paths.md) with its evidence."""

    name: str
    value: float | None
    weight: float
    contribution: float
    detail: str


@dataclass
class TieStrength(Record):
    """How strong the tie between two people is, and why."""

    id: str
    name: str
    from_: PersonRef = field(metadata=FROM)
    to: PersonRef
    score: float
    display: int
    basis: str
    components: list[StrengthComponent] = field(default_factory=list)
    interactions: int = 0
    last_two_way_contact: datetime | None = None
    days_since_contact: float | None = None
    favour_balance: float | None = None


@dataclass
class RankedTie(Record):
    """One tie of a person, ranked by strength, with its Dunbar layer."""

    id: str
    name: str
    score: float
    display: int
    layer: str


@dataclass
class StrongestTies(Record):
    """A person's ties, strongest first."""

    id: str
    name: str
    ties: list[RankedTie] = field(default_factory=list)


@dataclass
class IntroRoute(Record):
    """One warm-introduction route: the people on it, each tie's strength, the ask."""

    id: str
    name: str
    people: list[PersonRef]
    strengths: list[float]
    hops: int
    score: float
    product: float
    weakest: float
    ask: str


@dataclass
class PathResult(Record):
    """Warm-introduction routes from someone to a person or an organization."""

    id: str
    name: str
    from_: PersonRef = field(metadata=FROM)
    max_hops: int
    reachable: bool
    routes: list[IntroRoute] = field(default_factory=list)
    message: str | None = None  # why there is no route


@dataclass
class ReachThrough(Record):
    """A contact and how many second-degree people are reached through them."""

    id: str
    name: str
    second_degree: int
    only_through: int


@dataclass
class WorthMeeting(Record):
    """A second-degree person worth meeting, and through whom."""

    id: str
    name: str
    score: float
    support: float
    non_redundancy: float
    mutuals: int
    via: list[PersonRef] = field(default_factory=list)


@dataclass
class Reach(Record):
    """Who a person reaches: first and second degree, through whom, who to meet."""

    id: str
    name: str
    first_degree: int
    second_degree: int
    through: list[ReachThrough] = field(default_factory=list)
    worth_meeting: list[WorthMeeting] = field(default_factory=list)


@dataclass
class BrokerStats(Record):
    """Structural-hole measures of one person (effective size, Burt constraint)."""

    id: str
    name: str
    degree: int
    effective_size: float
    efficiency: float
    constraint: float


@dataclass
class Brokers(Record):
    """A person's own brokerage, local bridges, and the brokers among their contacts."""

    id: str
    name: str
    own: BrokerStats | None = None
    local_bridges: list[PersonRef] = field(default_factory=list)
    brokers: list[BrokerStats] = field(default_factory=list)


@dataclass
class DormantTie(Record):
    """A formerly strong tie now out of touch, worth reviving, with the reason."""

    id: str
    name: str
    score: float
    days_out_of_touch: int
    trust: float
    novelty: float
    history: float
    long_dormant: bool
    reason: str


@dataclass
class DormantTies(Record):
    """Dormant ties of a person (you), best first."""

    id: str
    name: str
    dormant: list[DormantTie] = field(default_factory=list)


@dataclass
class NeedOffer(Record):
    """A need or an offer a person has (listen and help)."""

    id: str
    name: str
    kind: str
    tags: list[str]
    person: PersonRef


@dataclass
class MatchSide(Record):
    """One side of a match: the need or the offer, and whose it is."""

    id: str
    name: str
    person: PersonRef


@dataclass
class Match(Record):
    """An introduction to make: one person's need meets another's offer."""

    id: str
    name: str
    need: MatchSide
    offer: MatchSide
    relevance: float
    score: float
    strength_need: float
    strength_offer: float
    shared: list[str] = field(default_factory=list)
    already_connected: bool = False


@dataclass
class Matches(Record):
    """The introductions to make, with how many open needs and offers were weighed."""

    matches: list[Match] = field(default_factory=list)
    needs: int = 0
    offers: int = 0


@dataclass
class LedgerEntry(Record):
    """A favour, intro, advice or referral one person gave another."""

    id: str
    name: str
    kind: str
    giver: PersonRef
    receiver: PersonRef
    occurred_on: date


@dataclass
class WithMe(Record):
    """The ledger between a person and you."""

    they_gave_me: int
    i_gave_them: int
    balance: float


@dataclass
class Ledger(Record):
    """A person's give/ask ledger with the reciprocity balance."""

    id: str
    name: str
    given: int
    received: int
    balance: float
    with_me: WithMe | None = None
    entries: list[LedgerEntry] = field(default_factory=list)
