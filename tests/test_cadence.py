"""Keep-in-touch cadences: precedence, due dates, snooze, and reset on every kind of touch."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kithbook.domain.cadence import (
    Cadence,
    Touch,
    add_working_days,
    cadence_status,
    describe_days,
    effective_cadence,
    last_touch,
    snooze_until,
)
from kithbook.errors import InvalidInput

TIERS = {"A": 30, "B": 90, "C": 365}


def dt(d: str, h: int = 10) -> datetime:
    return datetime.fromisoformat(d).replace(hour=h, tzinfo=UTC)


# -- which cadence applies -------------------------------------------------------------


def test_tier_defaults() -> None:
    assert effective_cadence(cadence_days=None, tier="A", tier_days=TIERS) == Cadence(30, "tier A")
    assert effective_cadence(cadence_days=None, tier="B", tier_days=TIERS).days == 90
    assert effective_cadence(cadence_days=None, tier="C", tier_days=TIERS).days == 365


def test_tier_defaults_are_configurable() -> None:
    c = effective_cadence(cadence_days=None, tier="A", tier_days={**TIERS, "A": 14})
    assert c == Cadence(14, "tier A")


def test_own_cadence_beats_tier_and_kind() -> None:
    c = effective_cadence(cadence_days=7, tier="C", kinds=("client",), tier_days=TIERS)
    assert c == Cadence(7, "person")


def test_tier_beats_kind() -> None:
    c = effective_cadence(cadence_days=None, tier="C", kinds=("client",), tier_days=TIERS)
    assert c == Cadence(365, "tier C")


def test_kind_default_when_untiered_takes_the_shortest() -> None:
    c = effective_cadence(
        cadence_days=None, tier=None, kinds=("supplier", "client", "knows"), tier_days=TIERS
    )
    assert c == Cadence(30, "kind client")


def test_no_tier_no_kind_means_no_cadence() -> None:
    c = effective_cadence(cadence_days=None, tier=None, kinds=("knows",), tier_days=TIERS)
    assert c is None


def test_broken_config_is_an_error_not_a_silence() -> None:
    with pytest.raises(InvalidInput):
        effective_cadence(cadence_days=None, tier="A", tier_days={"B": 90})
    with pytest.raises(InvalidInput):
        effective_cadence(cadence_days=0, tier=None, tier_days=TIERS)


def test_describe_days() -> None:
    assert describe_days(30) == "monthly"
    assert describe_days(12) == "every 12 days"


# -- due dates and snooze -----------------------------------------------------------------


def test_due_when_last_touch_plus_cadence_has_passed() -> None:
    c = Cadence(30, "tier A")
    before = cadence_status(
        c, last_touch_at=dt("2026-01-01"), created_at=dt("2025-01-01"), snoozed_until=None,
        today=date(2026, 1, 30),
    )
    assert before.due_on == date(2026, 1, 31)
    assert before.days_overdue == -1 and not before.is_due
    on_day = replace(before, days_overdue=0)
    assert on_day.is_due
    late = cadence_status(
        c, last_touch_at=dt("2026-01-01"), created_at=dt("2025-01-01"), snoozed_until=None,
        today=date(2026, 3, 2),
    )
    assert late.days_overdue == 30 and late.lateness == 1.0


def test_never_touched_counts_from_when_added() -> None:
    st = cadence_status(
        Cadence(90, "tier B"), last_touch_at=None, created_at=dt("2026-01-01"),
        snoozed_until=None, today=date(2026, 4, 1),
    )
    assert not st.touched and st.due_on == date(2026, 4, 1) and st.is_due


def test_snooze_hides_until_its_day() -> None:
    c = Cadence(30, "tier A")
    kw = dict(last_touch_at=dt("2026-01-01"), created_at=dt("2025-01-01"))
    snoozed = cadence_status(c, snoozed_until=date(2026, 3, 10), today=date(2026, 3, 1), **kw)
    assert snoozed.days_overdue > 0 and not snoozed.is_due
    ended = cadence_status(c, snoozed_until=date(2026, 3, 10), today=date(2026, 3, 10), **kw)
    assert ended.is_due and ended.snoozed_until is None


def test_snooze_until() -> None:
    assert snooze_until(date(2026, 3, 1), 14) == date(2026, 3, 15)
    with pytest.raises(InvalidInput):
        snooze_until(date(2026, 3, 1), 0)


def test_last_touch_is_the_latest_at_or_before_now() -> None:
    touches = [
        Touch(dt("2026-01-01"), "interaction"),
        Touch(dt("2026-02-01"), "promise_kept"),
        Touch(dt("2026-05-01"), "interaction"),  # after now: a plan, or after --as-of
    ]
    got = last_touch(touches, now=dt("2026-03-01"))
    assert got is not None and got.kind == "promise_kept"
    assert last_touch([], now=dt("2026-03-01")) is None


def test_add_working_days_skips_weekends() -> None:
    assert add_working_days(date(2026, 11, 26), 2) == date(2026, 11, 30)  # Thu -> Mon
    assert add_working_days(date(2026, 11, 23), 2) == date(2026, 11, 25)  # Mon -> Wed


# -- reset on every kind of touch, through the real store --------------------------------


def at(svc, day: str):  # type: ignore[no-untyped-def]
    from kithbook.services.app import Services

    return Services(svc.db, replace(svc.config, as_of=date.fromisoformat(day)))


def due_names(svc, day: str) -> set[str]:  # type: ignore[no-untyped-def]
    items = at(svc, day).agenda.today(100).items
    return {i.name for i in items if i.kind == "keep_in_touch"}


@pytest.fixture
def maria(svc):  # type: ignore[no-untyped-def]
    from kithbook.services.people import NewPerson

    s0 = at(svc, "2026-01-01")
    s0.people.set_me("Ann Owner")
    s0.people.add(NewPerson(name="Maria Lopez", tier="A"))
    return svc


@pytest.mark.parametrize("channel", ["meeting", "call", "email", "message", "video", "event"])
def test_any_logged_interaction_resets(maria, channel: str) -> None:  # type: ignore[no-untyped-def]
    from kithbook.services.interactions import NewInteraction

    assert "Maria Lopez" in due_names(maria, "2026-02-15")
    at(maria, "2026-02-10").interactions.log(
        NewInteraction(with_people=["Maria Lopez"], channel=channel)
    )
    assert "Maria Lopez" not in due_names(maria, "2026-02-15")
    assert "Maria Lopez" not in due_names(maria, "2026-03-11")
    assert "Maria Lopez" in due_names(maria, "2026-03-12")


def test_group_interaction_resets_every_participant(maria) -> None:  # type: ignore[no-untyped-def]
    from kithbook.services.interactions import NewInteraction
    from kithbook.services.people import NewPerson

    at(maria, "2026-01-01").people.add(NewPerson(name="Sam Chen", tier="A"))
    at(maria, "2026-02-10").interactions.log(
        NewInteraction(with_people=["Maria Lopez", "Sam Chen"], channel="event")
    )
    assert due_names(maria, "2026-02-15").isdisjoint({"Maria Lopez", "Sam Chen"})


def test_promise_fulfilled_to_them_resets(maria) -> None:  # type: ignore[no-untyped-def]
    p = at(maria, "2026-01-05").promises.make("send the quote", to="Maria Lopez")
    at(maria, "2026-02-10").promises.close(p.id, "done")
    assert "Maria Lopez" not in due_names(maria, "2026-02-15")


def test_quick_touch_resets(maria) -> None:  # type: ignore[no-untyped-def]
    at(maria, "2026-02-10").agenda.touched("Maria Lopez", "liked her post")
    assert "Maria Lopez" not in due_names(maria, "2026-02-15")


def test_reset_is_read_from_history_not_only_the_stored_column(maria) -> None:  # type: ignore[no-untyped-def]
    """A touch written without maintaining people.last_touch_at (an old importer, a
    bug) still resets the clock: candidates are re-checked against history."""
    from sqlalchemy import insert

    from kithbook.store import schema as s

    with maria.db.write("test", record=False) as j:
        key = j.conn.execute(
            s.people.select().where(s.people.c.name == "Maria Lopez")
        ).first().id
        iid = j.conn.execute(insert(s.interactions).values(
            public_id="int_test0000000001", occurred_at=dt("2026-02-10"), channel="call",
            created_at=dt("2026-02-10"),
        )).inserted_primary_key[0]
        j.conn.execute(insert(s.interaction_participants).values(interaction_id=iid,
                                                                 person_id=key))
    assert "Maria Lopez" not in due_names(maria, "2026-02-15")


def test_as_of_ignores_later_touches(maria) -> None:  # type: ignore[no-untyped-def]
    from kithbook.services.interactions import NewInteraction

    at(maria, "2026-03-01").interactions.log(NewInteraction(with_people=["Maria Lopez"]))
    assert "Maria Lopez" in due_names(maria, "2026-02-15")  # the touch came later
    assert "Maria Lopez" not in due_names(maria, "2026-03-02")


def test_snooze_defers_without_touching(maria) -> None:  # type: ignore[no-untyped-def]
    out = at(maria, "2026-02-15").agenda.snooze("Maria Lopez", "14d")
    assert out.snoozed_until == date(2026, 3, 1)
    assert "Maria Lopez" not in due_names(maria, "2026-02-20")
    assert "Maria Lopez" in due_names(maria, "2026-03-01")
    person = maria.people.resolve("Maria Lopez")
    assert person.last_touch_at is None


def test_kind_default_applies_to_untiered_clients(svc) -> None:  # type: ignore[no-untyped-def]
    from kithbook.services.people import NewPerson

    s0 = at(svc, "2026-01-01")
    s0.people.set_me("Ann Owner")
    s0.people.add(NewPerson(name="Cleo Client"))
    s0.people.add(NewPerson(name="Kim Known"))
    s0.ties.tie("me", "Cleo Client", kind="client")
    s0.ties.tie("me", "Kim Known", kind="knows")
    names = due_names(svc, "2026-02-01")
    assert "Cleo Client" in names and "Kim Known" not in names


# -- properties -------------------------------------------------------------------------

@given(
    touched=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
    days=st.integers(min_value=1, max_value=800),
    offset=st.integers(min_value=-900, max_value=900),
    snooze=st.one_of(st.none(), st.integers(min_value=-30, max_value=30)),
)
def test_due_exactly_when_cadence_has_passed_and_not_snoozed(
    touched: date, days: int, offset: int, snooze: int | None
) -> None:
    today = touched + timedelta(days=offset)
    until = None if snooze is None else today + timedelta(days=snooze)
    st_ = cadence_status(
        Cadence(days, "person"), last_touch_at=dt(touched.isoformat(), 23),
        created_at=dt("2019-01-01"), snoozed_until=until, today=today,
    )
    snoozed = until is not None and until > today
    assert st_.is_due == (today >= touched + timedelta(days=days) and not snoozed)


@given(start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
       n=st.integers(min_value=1, max_value=30))
def test_working_days_land_on_a_weekday_after_n_weekdays(start: date, n: int) -> None:
    end = add_working_days(start, n)
    assert end.weekday() < 5
    span = [start + timedelta(days=k) for k in range(1, (end - start).days + 1)]
    assert sum(1 for d in span if d.weekday() < 5) == n
