"""Every use case returns a typed result (docs/architecture.md, "Use cases"): a
`Record` dataclass, a list of them, a `Page` of them, a `(list, total)` pair, or one
of several such records; never `dict[str, Any]`, a bare tuple, a number or `Any`."""

from __future__ import annotations

import types
import typing
from typing import Any

from kithbook.domain.models import Record
from kithbook.services.catalog import catalogue

# Explicit exceptions, each with its reason:
# - the alliance rule findings are the domain's frozen results (domain/alliances/facts.py,
#   `Finding`); they expose `id` and `name` as properties, which `as_dict` prints.
NOT_RECORDS = {
    "alliance_views.communication", "alliance_views.findings", "alliance_views.raci_findings",
}


def typed(tp: Any) -> bool:
    """Whether a return annotation is a record, or a container of records."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is None:
        return isinstance(tp, type) and issubclass(tp, Record)
    if origin is list:
        return typed(args[0])
    if origin is tuple:  # (items, total)
        return len(args) == 2 and typed(args[0]) and args[1] is int
    if origin in (typing.Union, types.UnionType):
        return all(a is type(None) or typed(a) for a in args)
    return isinstance(origin, type) and issubclass(origin, Record)  # Page[T]


def test_every_use_case_returns_records() -> None:
    loose = []
    for uc in catalogue():
        result = typing.get_type_hints(uc.function).get("return")
        if not typed(result) and uc.name not in NOT_RECORDS:
            loose.append(f"{uc.name} -> {result}")
    assert loose == []


def test_the_exceptions_are_still_needed() -> None:
    names = {uc.name: uc for uc in catalogue()}
    for name in NOT_RECORDS:
        assert not typed(typing.get_type_hints(names[name].function).get("return")), name


def test_the_check_sees_loose_results() -> None:
    from kithbook.domain.models import Page, Person

    assert typed(Person) and typed(list[Person]) and typed(Page[Person])
    assert typed(tuple[list[Person], int]) and typed(Person | None)
    for loose in (dict[str, Any], Any, int, list[tuple[str, int]], tuple[Person, str]):
        assert not typed(loose)
