"""Rendering alliance records for people (Rich). JSON never passes through here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kithbook.cli.render import table, when

if TYPE_CHECKING:
    from rich.console import Console

    from kithbook.domain.alliances.facts import Finding
    from kithbook.domain.alliances.records import (
        Activity,
        CheckSummary,
        Objective,
        Partner,
        PartyLedger,
    )
    from kithbook.services.alliance_views import HealthView, Overview, PortfolioLine
    from kithbook.services.alliances import GateView

SEVERITY_STYLE = {"error": "bold red", "warn": "yellow", "info": "cyan"}


def score(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def render_portfolio(con: Console, lines: Sequence[PortfolioLine]) -> None:
    if not lines:
        con.print("No alliances yet. Start one with `kithbook ally new NAME --us ORG "
                  "--partner ORG`.")
        return
    con.print(table("Alliances, weakest first", [
        "alliance", "stage", "partners", "health", "issues", "gate", "dates"], [
        [f"{x.name}\n[dim]{x.id}[/dim]", x.stage, ", ".join(x.partners),
         f"{score(x.score)} {x.category}" + (" (capped)" if x.capped else "")
         + (f"\n[dim]weakest: {x.weakest}, coverage {pct(x.coverage)}[/dim]"
            if x.weakest else ""),
         f"{x.errors} errors, {x.warnings} warnings",
         ("open" if x.gate_open else f"{x.unmet} blocking") + (
             f" -> {x.next_stage}" if x.next_stage else ""),
         "\n".join(filter(None, [f"decide by {x.decision_on}" if x.decision_on else "",
                                 f"notice by {x.notice_by}" if x.notice_by else ""]))]
        for x in lines]))


def render_partner(con: Console, p: Partner) -> None:
    con.print(f"[bold]{p.name}[/bold]{' (us)' if p.is_us else ''}  [dim]{p.id}[/dim]"
              + (f"  role: {p.role}" if p.role else "")
              + (f"  share: {p.share_bp / 100:.2f}%" if p.share_bp is not None else "")
              + (f"  LEFT {p.left_on}" if p.left_on else ""))
    con.print(f"  sponsor: {p.sponsor.name if p.sponsor else '(none)'}")
    for c in p.contacts:
        con.print(f"  - {c.name}{' (' + c.role + ')' if c.role else ''}"
                  + ("" if c.active else f"  [dim]left {c.departed_on or ''}[/dim]"))


def render_gate(con: Console, g: GateView) -> None:
    if g.next is None:
        con.print(f"{g.name} is {g.stage}: nothing comes next.")
        return
    head = "open" if g.open else f"{sum(not c.met for c in g.criteria)} blocking"
    con.print(f"[bold]{g.name}[/bold]: {g.stage} -> {g.next}: {head}")
    for c in g.criteria:
        mark = "[green]✓[/green]" if c.met else "[red]✗[/red]"
        con.print(f"  {mark} {c.text}" + (f"  [dim]{c.detail}[/dim]" if c.detail else ""))
    if g.advisories:
        con.print("While managing (shown, never blocking):")
        for c in g.advisories:
            mark = "[green]✓[/green]" if c.met else "[yellow]![/yellow]"
            con.print(f"  {mark} {c.text}" + (f"  [dim]{c.detail}[/dim]" if c.detail else ""))


def render_findings(con: Console, items: Sequence[Finding]) -> None:
    if not items:
        con.print("No findings: nothing to fix.")
        return
    con.print(table("Findings", ["", "rule", "about", "what", "fix"], [
        [f"[{SEVERITY_STYLE[f.severity]}]{f.severity}[/]", f"{f.code}\n[dim]{f.title}[/dim]",
         f.subject, f.message, f.fix] for f in items]))


def render_health(con: Console, h: HealthView) -> None:
    con.print(f"[bold]{h.name}[/bold]: health {score(h.score)} [bold]{h.category}[/bold]"
              + (" (capped by the weakest factor)" if h.capped else "")
              + (f", trend {h.trend}" if h.trend else "")
              + f"; coverage {pct(h.coverage)}" + (" [yellow](thin data)[/yellow]"
                                                      if h.thin else ""))
    con.print(table(None, ["component", "score", "coverage"], [
        [c.label, score(c.score), pct(c.coverage)] for c in h.components]))
    con.print("Per side: " + "; ".join(f"{s.name} {score(s.score)} {s.category}"
                                       for s in h.sides))
    if h.series:
        con.print("Over time: " + ", ".join(f"{p.on}: {score(p.score)}" for p in h.series))


def pace_text(o: Objective) -> str:
    bits = [o.status.replace("_", " ")]
    if o.progress is not None:
        bits.append(f"{o.progress:.0%} of the way")
    if o.linear_ratio is not None:
        bits.append(f"{o.linear_ratio:.0%} of plan")
    if o.projected is not None and o.target is not None:
        bits.append(f"trend reaches {o.projected} by {o.deadline}")
    return ", ".join(bits)


def render_objectives(con: Console, items: Sequence[Objective]) -> None:
    con.print(table("Objectives", ["objective", "owner", "baseline → target", "now", "pace"], [
        [f"{o.name}\n[dim]{o.id}[/dim]", o.owner.name if o.owner else "",
         f"{o.baseline} → {o.target} by {o.deadline}", f"{o.latest_value or '–'}"
         + (f" ({o.latest_on})" if o.latest_on else ""), pace_text(o)] for o in items]))


def render_ledger(con: Console, items: Sequence[PartyLedger]) -> None:
    con.print(table("Skin in the game", ["partner", "committed", "delivered", "outstanding",
                                          "delivered share", "by kind"], [
        [x.name, str(x.committed), str(x.delivered), str(x.outstanding), pct(x.ratio),
         "\n".join(f"{ln.name}: {ln.delivered_amount} of {ln.committed_amount}"
                   for ln in x.lines)] for x in items]))


def render_checks(con: Console, items: Sequence[CheckSummary]) -> None:
    if not items:
        con.print("No health check yet.")
        return
    for c in items:
        con.print(f"[bold]{c.name}[/bold] [dim]{c.id}[/dim]: {c.responses} answers"
                  + (f", {c.held_back} held back until their side has {c.min_group}"
                     if c.held_back else "") + f"; perception {score(c.score)}")
        shown = [s for s in c.sides if s.shown]
        if shown:
            dims = sorted({d for s in shown for d in s.means})
            con.print(table(None, ["dimension", *[s.name for s in shown]], [
                [d.replace("_", " "), *[f"{s.means[d]:.1f}" if d in s.means else "–"
                                        for s in shown]] for d in dims]))
        for g in c.gaps:
            if g.flagged:
                con.print(f"  [yellow]gap[/yellow] {g.name}: spread {g.spread:.1f}"
                          + (f", low: {', '.join(g.low_sides)}" if g.low_sides else ""))


def render_raci(con: Console, rows: Sequence[Activity], found: Sequence[Finding]) -> None:
    holders: list[str] = []
    for a in rows:
        for r in a.raci:
            if r.name not in holders:
                holders.append(r.name)
    con.print(table("RACI", ["activity", *holders], [
        [f"{a.name}{' (done)' if a.done_on else ''}\n[dim]{a.id}[/dim]",
         *[next((r.letters for r in a.raci if r.name == h), "") for h in holders]]
        for a in rows]))
    render_findings(con, found)


def render_overview(con: Console, v: Overview) -> None:
    a = v.alliance
    con.print(f"[bold]{a.name}[/bold]  [dim]{a.id}[/dim]  {a.type_label or 'type not set'}"
              f", stage [bold]{a.stage}[/bold]" + (" (ARCHIVED)" if a.archived else ""))
    dates = [f"{k} {val}" for k, val in (("start", a.started_on), ("planned end",
                                         a.planned_end_on), ("notice by", a.notice_by),
                                         ("decide by", a.decision_on)) if val]
    if dates:
        con.print("  " + " · ".join(dates))
    if a.purpose:
        con.print(f"  purpose: {a.purpose}")
    for p in a.partners:
        render_partner(con, p)
    render_health(con, v.health)
    render_gate(con, v.gate)
    render_findings(con, v.findings)
    if v.goals:
        con.print(table("Goals", ["goal", "of", "status"], [
            [f"{g.name}\n[dim]{g.id}[/dim]", g.party.name, g.status + (
                f" ({', '.join(g.awaiting)})" if g.awaiting else "")] for g in v.goals]))
    if v.activities:
        render_raci(con, v.activities, [])
    if v.objectives:
        render_objectives(con, v.objectives)
    if any(x.lines for x in v.ledger):
        render_ledger(con, v.ledger)
    if v.forums:
        con.print(table("Forums", ["forum", "cadence", "last held", "next due", "kept"], [
            [f"{f.name}\n[dim]{f.id}[/dim]", f"{f.cadence_days} days", when(f.last_held),
             when(f.next_due), pct(f.adherence)] for f in v.forums]))
    if v.decisions:
        con.print(table("Decisions", ["decision", "by", "status"], [
            [f"{d.name}\n[dim]{d.id}[/dim]", d.party.name, d.status + (
                f" ({', '.join(d.awaiting)})" if d.awaiting else "")] for d in v.decisions]))
    if v.actions:
        con.print(table("Action items", ["what", "owner", "due", "status"], [
            [f"{x.name}\n[dim]{x.id}[/dim]", f"{x.owner.name} ({x.party.name})", when(x.due),
             x.status + (" (late)" if x.overdue else "")] for x in v.actions]))
    if v.exit_plan:
        con.print(table("Exit plan", ["kind", "what", "done"], [
            [x.kind, f"{x.name}\n[dim]{x.id}[/dim]", when(x.done_on)] for x in v.exit_plan]))
