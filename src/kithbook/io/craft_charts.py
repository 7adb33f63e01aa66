"""The craft pages' charts as inline SVG (io/svg_charts.py): a survey's spread of
estimates or its tallies, and the monthly time-and-value report (time by activity kind,
by person and by organization, value by kind, the trend of hours and value)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from kithbook.io import svg_charts

if TYPE_CHECKING:
    from kithbook.domain.craft_records import MonthReport, SurveyResults

KIND_LABELS = {"preparation": "Preparation", "meetings": "Meetings",
               "follow_up": "Follow-up", "events": "Events"}


def hours(minutes: float) -> str:
    """90 -> '1 h 30', 45 -> '45 min'."""
    m = int(round(minutes))
    if m < 60:
        return f"{m} min"
    return f"{m // 60} h {m % 60:02d}" if m % 60 else f"{m // 60} h"


def number(d: Decimal | None) -> str:
    """A Decimal as people write it: 330, not 3.3E+2; 131.25 stays."""
    if d is None:
        return "–"
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def money(amount: Decimal | None) -> str:
    if amount is None:
        return "–"
    text = f"{amount:,.2f}"
    return text[:-3] if text.endswith(".00") else text


def survey_charts(r: SurveyResults) -> dict[str, str]:
    """'spread' for an estimate (a dot per answer, the quartile box, outliers named),
    'tallies' for a choice."""
    out: dict[str, str] = {}
    if r.survey.kind == "estimate":
        est = r.estimates
        outliers = {o.id for o in est.outliers} if est else set()
        dots = [(a.name, float(a.value), a.id in outliers) for a in r.answers
                if a.value is not None]
        box = None
        if est is not None and est.median is not None and est.q1 is not None \
                and est.q3 is not None:
            box = (float(est.q1), float(est.median), float(est.q3))
        out["spread"] = svg_charts.spread("The estimates (box: middle half, line: median)",
                                          dots, box)
    elif r.survey.kind == "choice":
        out["tallies"] = svg_charts.hbars(
            "Answers by choice", [(t.name, float(t.votes), f"{t.votes} ({t.share:.0%})")
                                  for t in r.tallies], empty="No answers yet.")
    return out


def report_charts(r: MonthReport) -> dict[str, str]:
    """'kinds', 'people', 'orgs', 'values' and 'trend' (hours) and 'returns' (value)."""
    kinds = [(KIND_LABELS.get(k, k), m, hours(m)) for k, m in r.minutes.items()]
    return {
        "kinds": svg_charts.hbars(f"Time by activity, {r.name}", kinds,
                                  empty="No time recorded this month."),
        "people": svg_charts.hbars(f"Time by person, {r.name}",
                                   [(p.name, p.minutes, hours(p.minutes)) for p in r.people],
                                   color="#2b8a3e", empty="No time with anyone this month."),
        "orgs": svg_charts.hbars(f"Time by organization, {r.name}",
                                 [(o.name, o.minutes, hours(o.minutes)) for o in r.orgs],
                                 color="#8a3ab9", empty="No organization this month."),
        "values": svg_charts.hbars(
            f"Value returned by kind (amount), {r.name}",
            [(v.name, float(v.amount or 0),
              f"{v.count} · {money(v.amount)}" if v.amount else f"{v.count}, no amount")
             for v in r.values if v.count], color="#d9822b",
            empty="No value recorded this month."),
        "trend": svg_charts.columns(
            "Hours invested, month by month",
            [(t.id[2:], t.total_minutes / 60, f"{t.total_minutes / 60:.0f}")
             for t in r.trend], highlight=r.id[2:]),
        "returns": svg_charts.columns(
            "Value returned, month by month",
            [(t.id[2:], float(t.value_amount), money(t.value_amount)) for t in r.trend],
            color="#2b8a3e", highlight=r.id[2:]),
    }
