"""Request and response shapes of the REST API (pydantic), and the declared errors."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorDetail(BaseModel):
    code: str
    message: str
    hint: str | None = None
    field: str | None = None
    candidates: list[dict[str, str]] | None = None  # an ambiguous name: the records it fits
    suggestions: list[dict[str, str]] | None = None  # nothing matched: the closest records


class ErrorBody(BaseModel):
    error: ErrorDetail


def declared(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for the error statuses a route can return."""
    text = {
        400: "Bad request",
        403: "Cross-site request refused",
        404: "Not found",
        409: "Ambiguous name or conflict",
        413: "Request too large",
        421: "Unknown Host header",
        422: "Invalid input",
        503: "Storage unavailable",
    }
    return {s: {"model": ErrorBody, "description": text.get(s, "Error")} for s in statuses}


# every route can meet these: Host check, size limit, storage trouble, bad parameters
COMMON = declared(413, 421, 422, 503)
WRITE = declared(403, 404, 409, 413, 421, 422, 503)
READ_ONE = declared(404, 409, 413, 421, 422, 503)


class Page(BaseModel):
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


class PeoplePage(Page):
    total_is_lower_bound: bool = Field(
        default=False,
        description="True when a name prefix matched very many people and counting "
                    "stopped: `total` people were counted and at least that many match")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PersonIn(Strict):
    name: str = Field(min_length=1, max_length=300)
    emails: list[str] = Field(default_factory=list, max_length=20)
    phones: list[str] = Field(default_factory=list, max_length=20)
    urls: list[str] = Field(default_factory=list, max_length=20)
    org: str | None = Field(default=None, max_length=300)
    title: str | None = Field(default=None, max_length=300)
    tier: str | None = Field(default=None, max_length=10)
    stage: str | None = Field(default=None, max_length=40)
    cadence: str | None = Field(default=None, max_length=40)
    met_via: str | None = Field(default=None, max_length=300)
    how_met: str | None = Field(default=None, max_length=2000)
    first_met_on: date | None = None
    tags: list[str] = Field(default_factory=list, max_length=50)
    note: str | None = Field(default=None, max_length=100_000)


class PersonPatch(Strict):
    name: str | None = Field(default=None, max_length=300)
    tier: str | None = Field(default=None, max_length=10)
    stage: str | None = Field(default=None, max_length=40)
    cadence: str | None = Field(default=None, max_length=40)
    how_met: str | None = Field(default=None, max_length=2000)
    emails: list[str] = Field(default_factory=list, max_length=20)
    phones: list[str] = Field(default_factory=list, max_length=20)
    urls: list[str] = Field(default_factory=list, max_length=20)
    org: str | None = Field(default=None, max_length=300)
    title: str | None = Field(default=None, max_length=300)
    add_tags: list[str] = Field(default_factory=list, max_length=50)
    remove_tags: list[str] = Field(default_factory=list, max_length=50)


class NoteIn(Strict):
    body: str = Field(min_length=1, max_length=100_000)


class OrgIn(Strict):
    name: str = Field(min_length=1, max_length=300)
    domain: str | None = Field(default=None, max_length=300)
    kind: str | None = Field(default=None, max_length=60)
    tags: list[str] = Field(default_factory=list, max_length=50)


DATE_TEXT = ("ISO date, or as people type it: today, tomorrow, friday, next week, in 3 days, "
             "+3d, 2w, end of month, 31/12 (by the configured locale); the result carries "
             "the date understood")


class TieIn(Strict):
    a: str = Field(min_length=1, max_length=300)
    b: str = Field(min_length=1, max_length=300)
    kind: str | None = Field(default=None, max_length=40)
    strength: int | None = Field(default=None, ge=1, le=5)
    since: str | None = Field(default=None, max_length=60, description=DATE_TEXT)
    note: str | None = Field(default=None, max_length=2000)


class InteractionIn(Strict):
    with_people: list[str] = Field(min_length=1, max_length=50)
    channel: str | None = Field(default=None, max_length=40)
    when: str | None = Field(
        default=None, max_length=60,
        description="ISO date or time, or as people type it: yesterday 14:30, friday")
    minutes: int | None = Field(default=None, ge=0, le=1440)
    summary: str | None = Field(default=None, max_length=10_000)
    initiated_by: str | None = Field(default=None, max_length=300)
    they_want: str | None = Field(default=None, max_length=2000)
    i_want: str | None = Field(default=None, max_length=2000)
    agreed: list[str] = Field(default_factory=list, max_length=50)
    next_step: str | None = Field(default=None, max_length=2000)
    tags: list[str] = Field(default_factory=list, max_length=50)


class PromiseIn(Strict):
    what: str = Field(min_length=1, max_length=2000)
    to: str | None = Field(default=None, max_length=300, description="I owe this person")
    from_: str | None = Field(
        default=None, alias="from", max_length=300, description="This person owes me"
    )
    due: str | None = Field(default=None, max_length=60, description=DATE_TEXT)
    interaction: str | None = Field(default=None, max_length=100)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class PromiseClose(Strict):
    status: str = Field(pattern="^(done|broken|released)$")
    reason: str | None = Field(default=None, max_length=2000)
