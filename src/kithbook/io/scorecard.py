"""The quarterly scorecard as one self-contained, printable HTML file (A4, charts as
inline SVG, no external file), and the chart markup the web page shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kithbook.io import svg_charts

if TYPE_CHECKING:
    from kithbook.services.alliance_views import Scorecard


def charts(card: Scorecard) -> dict[str, str]:
    """SVG markup for the scorecard's charts, keyed by name."""
    from kithbook.domain.alliances.facts import DIMENSION_LABELS

    objectives = svg_charts.progress_bars(
        "Objectives against target (tick: where the plan is today)",
        [(o.name, o.progress, o.expected) for o in card.objectives])
    contributions = svg_charts.paired_bars(
        f"Contributions ({card.alliance.currency})",
        [(x.name, float(x.committed), float(x.delivered)) for x in card.ledger])
    radar = svg_charts.radar(
        "Health check, each side (1-5)", [DIMENSION_LABELS[d] for d in card.dimensions],
        [(s.name, [s.means.get(d) for d in card.dimensions]) for s in card.radar])
    trend = svg_charts.trend_line(
        "Health score over time", [(p.on.isoformat(), p.score) for p in card.health.series])
    return {"objectives": objectives, "contributions": contributions, "radar": radar,
            "trend": trend}


def scorecard_html(card: Scorecard) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("kithbook.io", "templates"),
                      autoescape=select_autoescape(["html"]))
    return env.get_template("scorecard_print.html").render(card=card, charts=charts(card))
