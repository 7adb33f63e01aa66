"""Typed results of the agenda actions and of history/undo (docs/architecture.md,
"Use cases"). Each prints as the JSON every front end shares (`Record.to_dict`)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime

from kithbook.domain.models import (
    Interaction,
    Note,
    Org,
    Person,
    PersonRef,
    Promise,
    Record,
    Tie,
)


@dataclass
class Snoozed(Record):
    """A person whose reminders are deferred until a date (None: no longer snoozed)."""

    id: str
    name: str
    snoozed_until: date | None
    batch_id: str


@dataclass
class Touched(Record):
    """A quick touch recorded for a person: the interaction that reset their cadence."""

    id: str
    name: str
    touched_at: datetime | None
    interaction_id: str


@dataclass
class Archived(Record):
    """A person archived with a reason (or brought back: both None)."""

    id: str
    name: str
    archived_at: datetime | None
    archive_reason: str | None
    batch_id: str


@dataclass
class ChangeBatch(Record):
    """One entry of the audit trail: a batch of changes that `undo` reverses as one."""

    id: str
    name: str
    at: datetime | None
    actor: str | None
    changes: int
    undone: bool


@dataclass
class Undone(Record):
    """What an undo reversed."""

    id: str
    name: str
    changes_reversed: int


@dataclass
class Trashed(Record):
    """A record moved to the trash, with the batch that `undo` takes to bring it back."""

    id: str
    name: str
    kind: str
    undo_batch: str


@dataclass
class TagCount(Record):
    """A tag (its name is its id) and how many records carry it."""

    id: str
    name: str
    count: int


@dataclass
class Reindexed(Record):
    """The search index rebuilt: how many documents it holds."""

    id: str
    name: str
    documents: int


@dataclass
class Tagged(Record):
    """The tags a record carries after a change: a person, an organization or an
    interaction (its summary as the name)."""

    id: str
    name: str
    kind: str
    tags: list[str]


@dataclass(kw_only=True)
class ProfileTie(Tie):
    """A tie as a person's profile shows it: with the other person (JSON `other`)."""

    other_person: PersonRef = field(metadata={"json": "other"})

    @classmethod
    def of(cls, tie: Tie, person_key: int) -> ProfileTie:
        return cls(**{f.name: getattr(tie, f.name) for f in fields(tie)},
                   other_person=tie.other(person_key))


@dataclass(kw_only=True)
class PersonProfile(Person):
    """Everything about one person: the person, their ties, timeline (the newest, with
    the total), open promises both ways and notes."""

    ties: list[ProfileTie]
    timeline: list[Interaction]
    timeline_total: int
    promises_they_owe: list[Promise]
    promises_owed_to_them: list[Promise]
    notes: list[Note]


@dataclass(kw_only=True)
class OrgProfile(Org):
    """An organization with its people and tags (as `Org`) and its notes."""

    notes: list[Note]
