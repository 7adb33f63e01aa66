"""The craft-of-networking rules with fixed inputs: spoken length, told twice,
conflicting statements, survey aggregates and outliers, idea verdicts, best pitch per
audience, advocate ranking and the thank-you loop, the question to ask, and time and
value sums across month boundaries and time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kithbook.cli.next_steps import agenda_command
from kithbook.domain import briefing, craft_agenda, ideas, pitches, referrals, speech, stories
from kithbook.domain import statements as stm
from kithbook.domain import surveys as sv
from kithbook.domain import timevalue as tv
from kithbook.domain.models import PersonRef

ME = PersonRef(id="per_me", name="Ann Owner", key=1)
MARIA = PersonRef(id="per_maria", name="Maria Lopez", key=2)
SAM = PersonRef(id="per_sam", name="Sam Chen", key=3)
LEE = PersonRef(id="per_lee", name="Lee Park", key=4)
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


# -- spoken length -------------------------------------------------------------------------


def test_word_count_treats_joined_words_as_one() -> None:
    assert speech.count_words("Don't stop the follow-up: 1,500 units at 3.5% — now!") == 9
    assert speech.count_words("") == 0 and speech.count_words(" — … ") == 0
    assert speech.count_words("Élan über straße") == 3


@pytest.mark.parametrize(("words", "seconds", "warning"), [
    (0, 0, None), (1, 0, None), (2, 1, None), (75, 30, None), (76, 30, "Over 30 seconds"),
    (150, 60, "Over 30 seconds"), (151, 60, "Over a minute"), (300, 120, "Over a minute"),
])
def test_spoken_length_at_150_words_a_minute(words: int, seconds: int,
                                               warning: str | None) -> None:
    got = speech.spoken_length(" ".join(["word"] * words))
    assert (got.words, got.seconds) == (words, seconds)
    if warning is None:
        assert got.warnings == []
    else:
        assert len(got.warnings) == 1 and got.warnings[0].startswith(warning)


def test_spoken_length_label() -> None:
    assert speech.spoken_length(" ".join(["w"] * 200)).label == "1 min 20 s"
    assert speech.spoken_length("one two three").label == "1 s"


# -- stories --------------------------------------------------------------------------------


def test_told_twice_warns_only_listeners_who_heard_it() -> None:
    tellings = [
        stories.Telling("sto_a", MARIA, at("2026-03-01T10:00:00+00:00"), landed=True),
        stories.Telling("sto_a", MARIA, at("2026-06-01T10:00:00+00:00"), landed=False),
        stories.Telling("sto_b", SAM, at("2026-06-01T10:00:00+00:00")),
    ]
    warn = stories.told_twice("sto_a", "The lost container", [MARIA, SAM, LEE], tellings)
    assert [w.id for w in warn] == [MARIA.id]
    assert warn[0].times == 2 and warn[0].last_told_at.date() == date(2026, 6, 1)
    assert warn[0].landed is False and "2 times" in warn[0].message
    assert "fell flat" in warn[0].message
    assert stories.told_twice("sto_b", "B", [MARIA], tellings) == []


def test_story_stats_landed_rate() -> None:
    tellings = [
        stories.Telling("s", MARIA, at("2026-01-01T00:00:00+00:00"), landed=True),
        stories.Telling("s", SAM, at("2026-01-02T00:00:00+00:00"), landed=True),
        stories.Telling("s", SAM, at("2026-01-03T00:00:00+00:00"), landed=False),
        stories.Telling("s", LEE, at("2026-01-04T00:00:00+00:00")),
    ]
    got = stories.story_stats("s", "S", tellings)
    assert (got.told, got.listeners, got.landed, got.flat) == (4, 3, 2, 1)
    assert got.landed_rate == pytest.approx(0.667)
    assert stories.story_stats("x", "X", tellings).landed_rate is None


# -- conflicting statements --------------------------------------------------------------


def s_(sid: str, person: PersonRef, text: str, value: str | None = None,
       topic: str = "Launch date", on: date = date(2026, 5, 1)) -> stm.StatementFact:
    return stm.StatementFact(sid, person, topic, text, value, on)


def test_values_that_differ_conflict_and_equal_ones_do_not() -> None:
    a = s_("1", MARIA, "We launch in March.", "March")
    b = s_("2", SAM, "Launch is in April.", "april")
    c = s_("3", LEE, "We go live in march", "MARCH ")
    assert "'March' to Maria Lopez but 'april' to Sam Chen" in (stm.conflict_reason(a, b) or "")
    assert stm.conflict_reason(a, c) is None
    assert stm.conflict_reason(s_("4", MARIA, "x", "1,000"), s_("5", SAM, "y", "1000")) is None


def test_numbers_in_text_conflict() -> None:
    a = s_("1", MARIA, "We have 12 clients", topic="clients")
    b = s_("2", SAM, "We have 20 clients now", topic="Clients ")
    assert "12 to Maria Lopez, 20 to Sam Chen" in (stm.conflict_reason(a, b) or "")
    same = s_("3", LEE, "Twelve? No: 12 clients.", topic="clients")
    assert stm.conflict_reason(a, same) is None


def test_negation_conflicts_only_when_the_rest_agrees() -> None:
    yes = s_("1", MARIA, "We are hiring engineers", topic="hiring")
    no = s_("2", SAM, "We aren't hiring engineers", topic="hiring")
    other = s_("3", LEE, "The team is not growing this year", topic="hiring")
    assert "told Maria Lopez it is so and Sam Chen it is not" in (
        stm.conflict_reason(yes, no) or "")
    assert stm.conflict_reason(yes, other) is None


def test_same_person_or_other_topic_is_no_conflict() -> None:
    a = s_("1", MARIA, "x", "March")
    assert stm.conflict_reason(a, s_("2", MARIA, "y", "April")) is None
    assert stm.conflict_reason(a, s_("3", SAM, "y", "April", topic="price")) is None


def test_conflicts_lists_pairs_oldest_first() -> None:
    items = [
        s_("3", LEE, "x", "May", on=date(2026, 7, 1)),
        s_("1", MARIA, "x", "March", on=date(2026, 5, 1)),
        s_("2", SAM, "x", "March", on=date(2026, 6, 1)),
    ]
    got = stm.conflicts(items)
    assert [(c.first_id, c.second_id) for c in got] == [("1", "3"), ("2", "3")]
    warn = stm.conflicts_with(items[0], items[1:])
    assert [c.first_id for c in warn] == ["1", "2"]


# -- surveys ---------------------------------------------------------------------------------


def est(values: list[str]) -> list[sv.EstimateAnswer]:
    return [sv.EstimateAnswer(PersonRef(f"per_{i}", f"P{i}", i + 10), Decimal(v))
            for i, v in enumerate(values)]


def test_estimates_median_spread_and_outliers() -> None:
    got = sv.summarize_estimates(est(["10", "12", "11", "13", "100", "9"]))
    assert got.count == 6
    assert (got.median, got.q1, got.q3, got.iqr) == (
        Decimal("11.5"), Decimal("10.25"), Decimal("12.75"), Decimal("2.5"))
    assert got.fences == [Decimal("6.5"), Decimal("16.5")]
    assert [(o.name, o.value, o.side) for o in got.outliers] == [("P4", Decimal(100), "high")]
    assert got.mean_without_outliers == Decimal(11)
    assert (got.low, got.high) == (Decimal(9), Decimal(100))


def test_estimates_low_outlier_odd_count_and_exact_decimals() -> None:
    got = sv.summarize_estimates(est(["0.10", "5.05", "5.15", "5.25", "5.35"]))
    assert got.median == Decimal("5.15") and got.q1 == Decimal("5.05")
    assert [(o.value, o.side) for o in got.outliers] == [(Decimal("0.10"), "low")]


def test_too_few_estimates_have_no_outliers() -> None:
    got = sv.summarize_estimates(est(["1", "2", "1000"]))
    assert got.median == Decimal(2) and got.outliers == [] and got.fences is None
    assert sv.summarize_estimates([]).count == 0


def test_choice_tallies_keep_zero_votes_and_order() -> None:
    got = sv.tally_choices(["Yes", "No", "Maybe"], ["Yes", "No", "Yes", "Maybe", "Yes"])
    assert [(t.name, t.votes, t.share) for t in got] == [
        ("Yes", 3, 0.6), ("No", 1, 0.2), ("Maybe", 1, 0.2)]
    empty = sv.tally_choices(["A", "B"], [])
    assert [(t.name, t.votes, t.share) for t in empty] == [("A", 0, 0.0), ("B", 0, 0.0)]


def test_match_choice_by_text_number_or_unique_start() -> None:
    choices = ["Monthly fee", "Per seat", "Free"]
    assert sv.match_choice("per SEAT", choices) == "Per seat"
    assert sv.match_choice("3", choices) == "Free"
    assert sv.match_choice("mon", choices) == "Monthly fee"
    assert sv.match_choice("p", choices) == "Per seat"
    assert sv.match_choice("yearly", choices) is None


@pytest.mark.parametrize(("text", "value"), [
    ("1,200", "1200"), ("1 200", "1200"), ("$1.5k", "1500"), ("-3.25", "-3.25"),
    ("2m", "2000000"), ("40 %", "40"), ("0.10", "0.1"), ("12.", "12"), ("-0", "0"),
])
def test_parse_estimate(text: str, value: str) -> None:
    assert sv.parse_estimate(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", ".", "1,2", "1.2.3", "k"])
def test_parse_estimate_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        sv.parse_estimate(text)


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False))
def test_parse_estimate_reads_what_it_writes(d: Decimal) -> None:
    assert sv.parse_estimate(format(d, "f")) == d
    assert sv.parse_estimate(f"{d:,.2f}") == d


@given(st.lists(st.integers(-1000, 1000), min_size=1, max_size=40))
def test_median_is_between_quartiles(values: list[int]) -> None:
    got = sv.summarize_estimates(est([str(v) for v in values]))
    assert got.low is not None and got.high is not None
    assert got.low <= got.q1 <= got.median <= got.q3 <= got.high  # type: ignore[operator]
    assert all(o.value < got.q1 or o.value > got.q3 for o in got.outliers)  # type: ignore[operator]


# -- idea tests ------------------------------------------------------------------------------


def fb(*use: int, clarity: int = 4) -> list[ideas.Feedback]:
    return [ideas.Feedback(interest=4, would_use=u, clarity=clarity) for u in use]


def test_idea_verdicts() -> None:
    assert ideas.verdict(fb(5, 4)).verdict == "too_early"
    assert ideas.verdict(fb(5, 4, 4, 2, 4)).verdict == "go"  # mean 3.8, 80% keen
    assert ideas.verdict(fb(4, 3, 3, 3, 4)).verdict == "refine"  # mean 3.4
    assert ideas.verdict(fb(2, 2, 3, 1)).verdict == "drop"
    muddled = ideas.verdict(fb(5, 5, 4, clarity=2))
    assert muddled.verdict == "go" and any("explain it better" in r for r in muddled.reasons)
    manual = ideas.verdict(fb(2, 2, 3, 1), manual="refine")
    assert manual.verdict == "refine" and manual.by_hand
    assert "the panel says drop" in manual.reasons[0]


# -- pitches ---------------------------------------------------------------------------------


def test_best_pitch_per_audience_shrinks_small_samples() -> None:
    facts = [
        pitches.PitchFacts("pit_lucky", "Lucky", "Investors", 25, ("advanced",)),
        pitches.PitchFacts("pit_solid", "Solid", "investors ", 28,
                           ("advanced",) * 8 + ("declined",) * 2),
        pitches.PitchFacts("pit_new", "New", "Investors", 20, ()),
        pitches.PitchFacts("pit_cfo", "CFO", "CFO", 40, ("neutral", "unknown")),
    ]
    best = pitches.best_per_audience(facts)
    assert best["investors"].id == "pit_solid"
    assert best["cfo"].id == "pit_cfo" and best["cfo"].scored_uses == 1
    ranked = [s.id for s in pitches.score_pitches(facts) if s.audience.strip() != "CFO"]
    assert ranked == ["pit_solid", "pit_lucky", "pit_new"]
    scores = {s.id: s.score for s in pitches.score_pitches(facts)}
    assert scores["pit_lucky"] == pytest.approx(2 / 3, abs=1e-4)  # (1 + 2 x 0.5) / 3
    assert scores["pit_solid"] == pytest.approx(0.75) and scores["pit_new"] == 0.5


def test_pitch_suggestion_matches_audience_words() -> None:
    facts = [pitches.PitchFacts("pit_inv", "Inv", "investor", 25, ("advanced",) * 3),
             pitches.PitchFacts("pit_buy", "Buyer", "logistics buyer", 25, ("neutral",))]
    got = pitches.suggest_for(["Head of Logistics", "buyer"], facts)
    assert got is not None and got.id == "pit_buy"
    fallback = pitches.suggest_for(["gardener"], facts)
    assert fallback is not None and fallback.id == "pit_inv" and "overall" in fallback.why
    assert pitches.suggest_for(["x"], []) is None


# -- referrals and advocates -------------------------------------------------------------


def ref(rid: str, referrer: PersonRef, referred: PersonRef, status: str = "open",
        value: str | None = None, on: date = date(2026, 3, 1),
        thanked: bool = True, reported: bool = False) -> referrals.ReferralFact:
    return referrals.ReferralFact(
        rid, referrer, referred, ME, on, status, Decimal(value) if value else None,
        thanked_at=at("2026-03-02T09:00:00+00:00") if thanked else None,
        reported_at=at("2026-04-02T09:00:00+00:00") if reported else None)


def test_advocates_ranked_by_value_then_wins_then_meetings() -> None:
    x1, x2, x3 = (PersonRef(f"per_x{i}", f"X{i}", 20 + i) for i in range(3))
    facts = [
        ref("r1", MARIA, x1, "won", "1200.50"),
        ref("r2", MARIA, x2, "lost"),
        ref("r3", SAM, x1, "won", "5000"),
        ref("r4", LEE, x2, "met"),
        ref("r5", LEE, x3, "open", on=date(2026, 5, 1)),
        ref("r6", ME, x3, "won", "99999"),  # my own referrals make me no advocate
        ref("r7", SAM, x3, "lost", "700"),  # value counts only once won
    ]
    ranked = referrals.rank_advocates(facts, me_key=ME.key)
    assert [(a.name, a.rank, a.value) for a in ranked] == [
        ("Sam Chen", 1, Decimal("5000")), ("Maria Lopez", 2, Decimal("1200.50")),
        ("Lee Park", 3, Decimal(0))]
    lee = ranked[2]
    assert (lee.referrals, lee.met, lee.won, lee.open) == (2, 1, 0, 1)
    assert lee.last_referral_on == date(2026, 5, 1)


def test_advocate_ties_break_on_wins_then_recency() -> None:
    facts = [ref("a", MARIA, SAM, "won"), ref("b", LEE, SAM, "won", on=date(2026, 6, 1)),
             ref("c", SAM, LEE, "met")]
    assert [a.name for a in referrals.rank_advocates(facts, me_key=1)] == [
        "Lee Park", "Maria Lopez", "Sam Chen"]


def test_thank_you_loop() -> None:
    facts = [ref("r1", MARIA, SAM, thanked=False, on=date(2026, 11, 20)),
             ref("r2", LEE, SAM, "won", "10"),
             ref("r3", SAM, LEE, "lost", reported=True),
             ref("r4", ME, LEE, thanked=False)]
    steps = referrals.loop_steps(facts, me_key=ME.key, today=date(2026, 11, 27))
    assert [(s.kind, s.referral.id, s.days_late) for s in steps] == [
        ("thank", "r1", 5), ("report_back", "r2", 0)]
    items = [craft_agenda.loop_item(s, today=date(2026, 11, 27)) for s in steps]
    assert [i.kind for i in items] == ["thank_referrer", "report_back"]
    assert items[0].score == 55.0 and items[0].id == MARIA.id


def test_ask_for_referral_after_a_kept_promise() -> None:
    kept = [referrals.KeptPromise("pro_1", "send the deck", MARIA, date(2026, 11, 20), "rapport"),
            referrals.KeptPromise("pro_2", "intro", MARIA, date(2026, 11, 25), "rapport"),
            referrals.KeptPromise("pro_3", "old", SAM, date(2026, 10, 1), "advocate"),
            referrals.KeptPromise("pro_4", "x", LEE, date(2026, 11, 26), "target"),
            referrals.KeptPromise("pro_5", "y", ME, date(2026, 11, 26), "met")]
    today = date(2026, 11, 27)
    got = referrals.referral_asks(kept, today=today, asked_since={}, referred_since={})
    assert [k.promise_id for k in got] == ["pro_2", "pro_5"]
    asked = referrals.referral_asks(kept, today=today, asked_since={MARIA.key: today},
                                    referred_since={ME.key: date(2026, 11, 26)})
    assert asked == []


# -- the question to ask ------------------------------------------------------------------


def test_question_to_ask_prefers_the_most_specific() -> None:
    q = briefing.question_to_ask(open_surveys=[("sur_1", "What would you pay?")],
                                 they_want=("a supplier", date(2026, 1, 2)))
    assert q.text == "What would you pay?"
    q = briefing.question_to_ask(they_want=("a second supplier.", date(2026, 1, 2)),
                                 needs=["a bookkeeper"])
    assert q.text == "Last time you wanted a second supplier: how is that going?"
    q = briefing.question_to_ask(needs=["a bookkeeper"], stage="rapport")
    assert q.text.startswith("How is it going with a bookkeeper")
    assert briefing.question_to_ask(stage="advocate").text.startswith("Who else")
    assert briefing.question_to_ask(stage="advocate", met=False).why == "a first meeting"
    assert briefing.question_to_ask(stage=None).text == briefing.DEFAULT_QUESTION


# -- time and value ---------------------------------------------------------------------


def test_month_bounds_follow_the_local_calendar_and_dst() -> None:
    start, end = tv.month_bounds(2026, 3, BERLIN)
    assert start == at("2026-02-28T23:00:00+00:00")  # CET, UTC+1
    assert end == at("2026-03-31T22:00:00+00:00")  # CEST from 29 March, UTC+2
    start, end = tv.month_bounds(2026, 12, NEW_YORK)
    assert (start, end) == (at("2026-12-01T05:00:00+00:00"), at("2027-01-01T05:00:00+00:00"))
    assert tv.months_ending(2026, 2, 3) == [(2025, 12), (2026, 1), (2026, 2)]


def test_a_late_evening_call_belongs_to_the_local_month() -> None:
    call = at("2026-01-31T23:30:00+00:00")
    assert tv.month_of(call, ZoneInfo("UTC")) == (2026, 1)
    assert tv.month_of(call, BERLIN) == (2026, 2)
    assert tv.month_of(at("2026-02-01T03:00:00+00:00"), NEW_YORK) == (2026, 1)


def test_month_sums_across_boundaries_and_time_zones() -> None:
    facts = [
        tv.TimeFact(at("2026-01-31T23:30:00+00:00"), 60, "meetings", (MARIA, SAM)),
        tv.TimeFact(at("2026-02-15T10:00:00+00:00"), 45, "follow_up", (MARIA,)),
        tv.TimeFact(at("2026-02-28T22:59:00+00:00"), 30, "preparation"),
        tv.TimeFact(at("2026-02-28T23:00:00+00:00"), 90, "events", (SAM,)),  # 1 March Berlin
        tv.TimeFact(at("2026-02-10T10:00:00+00:00"), 10, "meetings", (MARIA, SAM, LEE)),
    ]
    values = [
        tv.ValueFact(date(2026, 2, 1), "deal", Decimal("1000.10"), MARIA),
        tv.ValueFact(date(2026, 2, 28), "answer", None, SAM),
        tv.ValueFact(date(2026, 3, 1), "deal", Decimal("5"), SAM),
        tv.ValueFact(date(2026, 1, 31), "saving", Decimal("7"), None),
    ]
    feb = tv.month_sums(2026, 2, BERLIN, facts, values)
    assert feb.minutes_by_kind["meetings"] == 70 and feb.minutes_by_kind["events"] == 0
    assert feb.minutes_by_kind["follow_up"] == 45 and feb.unattributed == 30
    assert feb.minutes_by_person[MARIA.key] == 30 + 45 + Fraction(10, 3)
    assert feb.minutes_by_person[LEE.key] == Fraction(10, 3)
    total = sum(feb.minutes_by_person.values()) + feb.unattributed
    assert total == sum(feb.minutes_by_kind.values())  # per-person shares add up
    assert feb.value_by_kind["deal"] == (1, Decimal("1000.10"))
    assert feb.value_by_kind["answer"] == (1, Decimal(0))
    assert feb.value_by_kind["saving"] == (0, Decimal(0))
    utc_feb = tv.month_sums(2026, 2, ZoneInfo("UTC"), facts, values)
    assert utc_feb.minutes_by_kind["meetings"] == 10
    assert utc_feb.minutes_by_kind["events"] == 90
    shares = tv.shares(feb.minutes_by_person, feb.value_by_person, feb.people, limit=10)
    assert [(s.name, s.minutes, s.amount) for s in shares] == [
        ("Maria Lopez", 78.3, Decimal("1000.10")), ("Sam Chen", 33.3, Decimal(0)),
        ("Lee Park", 3.3, Decimal(0))]
    assert shares[0].per_hour == Decimal("766.03")


def test_money_in_cents_is_exact() -> None:
    assert tv.cents(Decimal("1000.10")) == 100010 and tv.from_cents(100010) == Decimal("1000.10")
    assert tv.money("$1,250.5") == Decimal("1250.50") and tv.money("3k") == Decimal("3000.00")
    with pytest.raises(ValueError):
        tv.money("1.005")
    with pytest.raises(ValueError):
        tv.cents(Decimal("0.001"))


# -- agenda items -------------------------------------------------------------------------


def test_meeting_today_links_the_brief() -> None:
    m = craft_agenda.MeetingFact(MARIA, "evt_1", "Coffee at the expo", date(2026, 11, 27),
                                 "09:30", tier="A")
    item = craft_agenda.meeting_item(m, today=date(2026, 11, 27))
    assert item is not None and item.kind == "meeting" and item.score == 91.0
    assert agenda_command(item) == "kithbook brief per_maria" and "09:30" in item.why
    assert craft_agenda.meeting_item(m, today=date(2026, 11, 28)) is None
