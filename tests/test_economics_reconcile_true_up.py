"""Reconciling a partner's report when an all-units tier counted over the contract year
crossed a band mid-year (docs/economics.md, "Reconciliation"): the earlier periods are
trued up on our statement, and the difference that makes with a partner's report is
named as the true-up, not as a stale rate card."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from kithbook.domain.economics import ledger as lg
from kithbook.domain.economics import rates as rt
from kithbook.domain.economics import reconcile as rc
from kithbook.domain.economics import royalty as ry
from kithbook.domain.economics.split import Share

Y = 2026
R = rc.ReportLine


def second_quarter() -> tuple[ry.PeriodStatement, lg.Ledger]:
    # 5% of net sales below 10,000 in a contract year, 8% of all of them from 10,000
    t = ry.RoyaltyTerms(
        agreement="Lic", currency="EUR", start=date(Y, 1, 1), period_months=3, basis="net",
        tier_mode="all_units", tier_window="contract_year",
        versions=(rt.tiered(1, date(Y, 1, 1), [(D(0), D("0.05")), (D(10_000), D("0.08"))]),),
        payer="Licensee", payees=(Share("Licensor", 10_000),))
    led = lg.Ledger()
    for on, ref, amount in ((date(Y, 2, 1), "INV-1", "6000"), (date(Y, 5, 1), "INV-2", "4000"),
                            (date(Y, 5, 9), "INV-3", "2000")):
        led = led.append(lg.Entry(led.next_seq, "sale", on, on, amount=D(amount),
                                  units=D(1), ref=ref))
    q1, q2 = ry.statements(t, led, 2)
    # Q1: 6,000 x 5% = 300. Q2: the year reaches 12,000, so 6,000 x 8% = 480 and Q1's
    # 6,000 are re-rated: 6,000 x (8% - 5%) = 180, earned 660
    assert q1.figure("earned") == D("300.00")
    assert q2.figure("true_up") == D("180.00") and q2.figure("earned") == D("660.00")
    return q2, led


def test_our_side_keeps_the_true_up_as_its_own_line() -> None:
    q2, led = second_quarter()
    ours = rc.our_lines(q2, led, "EUR")
    assert [(x.key, x.net, x.royalty) for x in ours] == [
        ("INV-2", D(4000), D("320.00")), ("INV-3", D(2000), D("160.00")),
        ("true-up", None, D("180.00"))]
    assert sum(x.royalty or 0 for x in ours) == q2.figure("earned")


def test_a_report_without_the_true_up_is_named_as_such_not_a_rate_card() -> None:
    q2, led = second_quarter()
    theirs = [R("INV-2", D(1), D(4000), D("320.00")), R("INV-3", D(1), D(2000), D("160.00"))]
    r = rc.reconcile(rc.our_lines(q2, led, "EUR"), theirs, "EUR")
    assert [(d.key, d.kind) for d in r.differences] == [("true-up", "true_up")]
    assert "their report leaves it out" in r.differences[0].explain
    assert "180.00" in r.differences[0].explain
    assert not any(d.kind == "rate" for d in r.differences)
    assert [p.status for p in r.pairs] == ["agrees", "agrees", "only_ours"]
    assert r.verdict == "1 difference"
    assert r.totals[2] == ("royalty", D("660.00"), D("480.00"), D("-180.00"))


def test_a_true_up_folded_into_their_sales_lines_is_named_as_such() -> None:
    q2, led = second_quarter()
    # their lines carry the year's re-rating: 320 + 120 and 160 + 60
    theirs = [R("INV-2", D(1), D(4000), D("440.00")), R("INV-3", D(1), D(2000), D("220.00"))]
    r = rc.reconcile(rc.our_lines(q2, led, "EUR"), theirs, "EUR")
    assert [(d.key, d.kind) for d in r.differences] == [
        ("INV-2", "true_up_inside"), ("INV-3", "true_up_inside"),
        ("true-up", "true_up_inside")]
    assert "includes part of the all-units true-up" in r.differences[0].explain
    assert "inside their sales lines" in r.differences[2].explain
    assert r.totals[2][3] == D("0.00")
    assert r.agrees and r.verdict == "agrees (true-up inside their lines)"
    assert [p.status for p in r.pairs] == ["agrees", "agrees", "agrees"]


def test_a_true_up_line_of_theirs_matches_ours() -> None:
    q2, led = second_quarter()
    theirs = [R("INV-2", D(1), D(4000), D("320.00")), R("INV-3", D(1), D(2000), D("160.00")),
              R("True up", None, None, D("180.00"))]
    r = rc.reconcile(rc.our_lines(q2, led, "EUR"), theirs, "EUR")
    assert r.verdict == "agrees"


def test_a_partner_still_at_the_lower_band_is_told_the_band_was_crossed() -> None:
    q2, led = second_quarter()
    theirs = [R("INV-2", D(1), D(4000), D("200.00")), R("INV-3", D(1), D(2000), D("100.00"))]
    r = rc.reconcile(rc.our_lines(q2, led, "EUR"), theirs, "EUR")
    kinds = [(d.key, d.kind) for d in r.differences]
    assert kinds == [("INV-2", "rate"), ("INV-3", "rate"), ("true-up", "true_up")]
    assert "crossed into a higher all-units band" in r.differences[0].explain


def test_a_folded_true_up_is_found_when_their_report_gives_no_units() -> None:
    q2, led = second_quarter()
    theirs = [R("INV-2", None, D(4000), D("440.00")), R("INV-3", None, D(2000), D("220.00"))]
    r = rc.reconcile(rc.our_lines(q2, led, "EUR"), theirs, "EUR")
    assert r.verdict == "agrees (true-up inside their lines)"
