"""Pruning proposals with their reasons, and archive / unarchive (kept, undoable)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from kithbook.cli.next_steps import prune_command
from kithbook.domain.prune import PruneFacts, propose, review

TIERS = {"A": 30, "B": 90, "C": 365}
TODAY = date(2026, 11, 27)


def dt(d: str) -> datetime:
    return datetime.fromisoformat(d).replace(hour=10, tzinfo=UTC)


def pf(**kw: object) -> PruneFacts:
    base: dict[str, object] = dict(key=2, id="per_x", name="Pat", created_at=dt("2020-01-01"),
                                   last_touch_at=dt("2026-11-01"))
    base.update(kw)
    return PruneFacts(**base)  # type: ignore[arg-type]


def test_quiet_recent_contact_is_left_alone() -> None:
    assert propose(pf(tier="A", cadence_days=30), today=TODAY, tier_days=TIERS) is None


def test_long_silence_on_a_high_tier_proposes_a_downgrade() -> None:
    p = propose(pf(tier="A", cadence_days=30, last_touch_at=dt("2026-08-01")), today=TODAY,
                tier_days=TIERS)
    assert p is not None and p.action == "downgrade" and p.to_tier == "B"
    assert p.reasons == ["no touch for 118 days, over 2x their 30-day cadence (tier A)"]
    assert prune_command(p) == "kithbook edit per_x --tier B"  # the CLI's words


def test_years_of_silence_on_a_low_tier_proposes_archive() -> None:
    p = propose(pf(tier="C", cadence_days=365, last_touch_at=dt("2023-06-01")), today=TODAY,
                tier_days=TIERS)
    assert p is not None and p.action == "archive"
    assert p.reasons[0].startswith("no touch for 1275 days (tier C)")
    assert prune_command(p).startswith('kithbook archive per_x --reason "no touch for')


def test_advocates_are_never_proposed_for_archive() -> None:
    p = propose(pf(tier="C", stage="advocate", cadence_days=365,
                   last_touch_at=dt("2023-06-01")), today=TODAY, tier_days=TIERS)
    assert p is None or p.action != "archive"


def test_one_sided_effort_proposes_slowing_down() -> None:
    p = propose(pf(tier="B", cadence_days=90, started_by_me=9, started_by_them=1), today=TODAY,
                tier_days=TIERS)
    assert p is not None and p.action == "slow_down" and p.to_cadence_days == 180
    assert p.reasons == ["one-sided: you started 9 of 10 interactions in the past year"]
    balanced = pf(tier="B", cadence_days=90, started_by_me=5, started_by_them=5)
    assert propose(balanced, today=TODAY, tier_days=TIERS) is None


def test_favours_never_returned_propose_slowing_down() -> None:
    p = propose(pf(tier="B", cadence_days=90, given=3, received=0), today=TODAY,
                tier_days=TIERS)
    assert p is not None and p.action == "slow_down"
    assert "gave 3 favours or intros and received none" in p.reasons[0]


def test_broken_promises_propose_a_downgrade() -> None:
    p = propose(pf(tier="A", cadence_days=30, broken_by_them=3, kept_by_them=1), today=TODAY,
                tier_days=TIERS)
    assert p is not None and p.action == "downgrade" and p.to_tier == "B"
    assert p.reasons == ["broke 3 promises, kept 1"]
    reliable = pf(tier="A", cadence_days=30, broken_by_them=2, kept_by_them=5)
    assert propose(reliable, today=TODAY, tier_days=TIERS) is None


def test_broken_promises_at_the_lowest_tier_slow_down_instead() -> None:
    p = propose(pf(tier="C", cadence_days=365, broken_by_them=2), today=TODAY, tier_days=TIERS)
    assert p is not None and p.action == "slow_down" and p.to_cadence_days == 730


def test_review_ranks_the_most_warranted_first() -> None:
    mild = pf(key=3, id="per_b", name="Bo", tier="B", cadence_days=90,
              last_touch_at=dt("2026-05-01"))
    strong = pf(key=4, id="per_c", name="Cy", tier=None, last_touch_at=dt("2021-01-01"),
                broken_by_them=3)
    out = review([mild, strong], today=TODAY, tier_days=TIERS)
    assert [p.id for p in out] == ["per_c", "per_b"]
    assert out[0].action == "archive" and len(out[0].reasons) == 2
    assert review([mild, strong], today=TODAY, tier_days=TIERS, limit=1)[0].id == "per_c"


# -- through the store --------------------------------------------------------------------


def at(svc, day: str):  # type: ignore[no-untyped-def]
    from kithbook.services.app import Services

    return Services(svc.db, replace(svc.config, as_of=date.fromisoformat(day)))


def test_prune_service_and_archive_round_trip(svc) -> None:  # type: ignore[no-untyped-def]
    from kithbook.services.interactions import NewInteraction
    from kithbook.services.people import NewPerson

    s0 = at(svc, "2023-01-01")
    s0.people.set_me("Ann Owner")
    s0.people.add(NewPerson(name="Old Pal", tier="C"))
    s0.people.add(NewPerson(name="Maria Lopez", tier="A"))
    s0.people.add(NewPerson(name="Eager Ed", tier="B"))
    for day in ("2026-03-01", "2026-05-01", "2026-07-01", "2026-09-01", "2026-11-01"):
        at(svc, day).interactions.log(NewInteraction(with_people=["Eager Ed"],
                                                      initiated_by="me"))
    at(svc, "2026-11-20").interactions.log(NewInteraction(with_people=["Maria Lopez"]))
    proposals = {p.name: p for p in at(svc, "2026-11-27").agenda.prune()}
    assert proposals["Old Pal"].action == "archive"
    assert proposals["Eager Ed"].action == "slow_down"
    assert "you started 5 of 5" in proposals["Eager Ed"].reasons[0]
    assert "Maria Lopez" not in proposals

    s1 = at(svc, "2026-11-27")
    out = s1.agenda.archive("Old Pal", "no contact since 2023")
    person = s1.people.resolve("Old Pal")
    assert person.archived_at is not None and person.archive_reason == "no contact since 2023"
    assert "Old Pal" not in {p.name for p in s1.agenda.prune()}
    assert all(i.name != "Old Pal" for i in at(svc, "2027-06-01").agenda.today(50).items)
    s1.history.undo(out.batch_id)
    assert s1.people.resolve("Old Pal").archived_at is None

    s1.agenda.archive("Old Pal", "again")
    s1.agenda.unarchive("Old Pal")
    back = s1.people.resolve("Old Pal")
    assert back.archived_at is None and back.archive_reason is None


def test_archive_needs_a_reason_and_not_me(svc) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from kithbook.errors import InvalidInput
    from kithbook.services.people import NewPerson

    svc.people.set_me("Ann Owner")
    svc.people.add(NewPerson(name="Old Pal"))
    with pytest.raises(InvalidInput):
        svc.agenda.archive("Old Pal", "  ")
    with pytest.raises(InvalidInput):
        svc.agenda.archive("me", "tired")
