"""The craft pages' SVG charts (io/svg_charts.py, io/craft_charts.py) with fixed
inputs: bars to scale, every label escaped (names come from people's records), the
estimate spread with its box, median and named outliers, the month trend."""

from __future__ import annotations

import re
from decimal import Decimal

from kithbook.io import svg_charts
from kithbook.io.craft_charts import hours, money, number

EVIL = '<script>alert("x")</script> & Co'


def widths(svg: str) -> list[float]:
    return [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" '
                                         r'height="14"', svg)]


def test_bars_are_to_scale_and_labels_escaped() -> None:
    svg = svg_charts.hbars("Time by person", [(EVIL, 120.0, "2 h"), ("Bo", 30.0, "30 min"),
                                              ("Cy", 0.0, "0 min")])
    assert "<script>" not in svg and "&lt;script&gt;alert(&quot;x&quot;)" in svg
    big, small, zero = widths(svg)
    assert big == 4 * small and zero == 0.0
    assert 'role="img" aria-label="Time by person"' in svg
    empty = svg_charts.hbars("Nothing", [], empty="No time recorded this month.")
    assert "No time recorded this month." in empty and widths(empty) == []
    # all zero: the labels still drawn, no bar, no division by zero
    assert widths(svg_charts.hbars("Z", [("a", 0.0, "0"), ("b", 0.0, "0")])) == [0.0, 0.0]


def test_columns_scale_to_the_peak_and_mark_the_month() -> None:
    svg = svg_charts.columns("Hours", [("26-09", 2.0, "2"), ("26-10", 4.0, "4"),
                                       ("26-11", 1.0, "1")], highlight="26-11")
    heights = [float(h) for h in re.findall(r'height="([\d.]+)" fill="#', svg)]
    assert heights == [heights[1] / 2, heights[1], heights[1] / 4] and heights[1] > 0
    assert svg.count('fill="#1d2733"') == 1  # the month shown, darker


def test_spread_draws_the_box_the_median_and_names_outliers() -> None:
    svg = svg_charts.spread("Estimates", [("Ana", 120.0, False), ("Bo", 140.0, False),
                                          (EVIL, 900.0, True)], (125.0, 135.0, 400.0))
    assert "median 135" in svg and "<script>" not in svg
    assert svg.count('fill="#b3261e"') == 2  # the outlier's dot and its name
    assert "No estimates yet." in svg_charts.spread("E", [], None)


def test_figures_as_people_read_them() -> None:
    assert [hours(m) for m in (0, 45, 60, 90, 130.4)] == ["0 min", "45 min", "1 h", "1 h 30",
                                                          "2 h 10"]
    assert money(Decimal("5150.00")) == "5,150" and money(Decimal("250.5")) == "250.50"
    assert money(None) == "–"
    assert number(Decimal("3.3E+2")) == "330" and number(Decimal("131.2500")) == "131.25"
    assert number(None) == "–" and number(Decimal("0")) == "0"
