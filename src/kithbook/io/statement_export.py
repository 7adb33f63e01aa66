"""A period statement as a file a partner can check (docs/economics.md, "Statements"):
a printable HTML page, CSV and JSON. Each figure comes with its explanation, the ledger
entries it rests on and the rule version; the inputs are listed in full."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from html import escape
from typing import Any

from kithbook.domain.models import as_dict


def _m(x: Decimal | None) -> str:
    return "" if x is None else format(x, "f")


def _src(sources: tuple[int, ...] | list[int]) -> str:
    return " ".join(f"#{n}" for n in sources)


def to_json(view: Any) -> str:
    return json.dumps(as_dict(view), indent=2, ensure_ascii=False) + "\n"


def to_csv(view: Any) -> str:
    """Sections one after another, each with its header row: the statement's lines,
    each party's line, the ledger entries (inputs) and the rate versions."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["statement", view.name, "period", view.period, view.start, view.end,
                "currency", view.currency, "status", view.status, "digest", view.digest])
    w.writerow(["rounding", view.rounding])
    w.writerow([])
    w.writerow(["section", "code", "label", "quantity", "amount", "explain", "entries",
                "rule"])
    for ln in view.lines:
        w.writerow(["line", ln.code, ln.label, _m(ln.quantity), _m(ln.amount), ln.explain,
                    _src(ln.sources), ln.rule or ""])
    w.writerow([])
    w.writerow(["section", "party", "bp", "opening", "share", "paid", "closing", "explain",
                "entries"])
    for p in view.parties:
        w.writerow(["party", p.party, p.bp, _m(p.opening), _m(p.share), _m(p.paid),
                    _m(p.closing), p.explain, _src(p.paid_sources)])
    w.writerow([])
    w.writerow(["section", "seq", "kind", "on", "booked", "amount", "units", "party", "ref",
                "product", "reverses", "note"])
    for e in view.entries:
        w.writerow(["entry", e.seq, e.kind, e.on, e.booked, _m(e.amount), _m(e.units),
                    e.party or "", e.ref, e.product, e.reverses or "", e.note])
    w.writerow([])
    w.writerow(["section", "version", "from", "to", "bands"])
    for v in view.rules:
        w.writerow(["rate", v.version, v.effective_from, v.effective_to or "",
                    "; ".join(f"{b.label()}: {format(b.rate, 'f')}" for b in v.bands)])
    return out.getvalue()


CSS = """body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#111}
table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}
th,td{border-bottom:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.muted{color:#555;font-size:12px}h1{font-size:20px}h2{font-size:16px;margin-top:1.5em}
@media print{body{margin:1cm}a{color:inherit;text-decoration:none}}"""


def to_html(view: Any) -> str:
    """A self-contained printable page (no scripts, no external files)."""
    e = escape
    rows = "".join(
        f"<tr><td>{e(ln.label)}</td><td class=n>{e(_m(ln.quantity))}</td>"
        f"<td class=n>{e(_m(ln.amount))}</td><td>{e(ln.explain)}"
        f"<div class=muted>{e(_src(ln.sources))} {e(ln.rule or '')}</div></td></tr>"
        for ln in view.lines)
    parties = "".join(
        f"<tr><td>{e(p.party)}</td><td class=n>{p.bp}</td><td class=n>{_m(p.opening)}</td>"
        f"<td class=n>{_m(p.share)}</td><td class=n>{_m(p.paid)}</td>"
        f"<td class=n>{_m(p.closing)}</td><td>{e(p.explain)}</td></tr>" for p in view.parties)
    entries = "".join(
        f"<tr><td>#{x.seq}</td><td>{e(x.kind)}</td><td>{x.on}</td><td>{x.booked}</td>"
        f"<td class=n>{_m(x.amount)}</td><td class=n>{_m(x.units)}</td>"
        f"<td>{e(x.party or '')}</td><td>{e(x.ref or x.product)}</td>"
        f"<td>{e(('reverses #' + str(x.reverses)) if x.reverses else '')} {e(x.note)}</td></tr>"
        for x in view.entries) or "<tr><td colspan=9>No entries booked in this period.</td></tr>"
    rules = "".join(
        f"<tr><td>v{v.version}</td><td>{v.effective_from}</td><td>{v.effective_to or ''}</td>"
        f"<td>{e('; '.join(f'{b.label()}: {format(b.rate, chr(102))}' for b in v.bands))}"
        f"</td></tr>" for v in view.rules)
    answers = "".join(f"<li>{e(x.name)}: {e(x.verdict)} ({x.at:%Y-%m-%d})"
                      f"{': ' + e(x.comment) if x.comment else ''}</li>" for x in view.answers)
    status = (f"Issued on {view.issued_on}" + (", recomputed from the ledger: identical"
                                              if view.verified else
                                              ", recomputed from the ledger: DIFFERENT")
              if view.status == "issued" else "Open: figures may still change")
    notes = "".join(f"<li>{e(n)}</li>" for n in view.notes)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{e(view.name)}</title>
<style>{CSS}</style></head><body>
<h1>Statement: {e(view.name)}</h1>
<p>Alliance {e(view.alliance)} · period {view.period} ({view.start} to {view.end}) ·
contract year {view.contract_year} · {e(view.currency)} · payer {e(view.payer)}</p>
<p>{e(status)}. Digest <code>{e(view.digest)}</code>.</p>
<p class=muted>Rounding: {e(view.rounding)}, applied once per figure.</p>
<h2>Figures</h2>
<table><tr><th>Line</th><th>Quantity</th><th>Amount</th><th>How it was computed</th></tr>
{rows}</table>
<p><strong>Due for the period: {_m(view.due)} {e(view.currency)}</strong></p>
<h2>Parties</h2>
<table><tr><th>Party</th><th>bp</th><th>Opening</th><th>Share</th><th>Paid</th>
<th>Closing</th><th>Explanation</th></tr>{parties}</table>
<h2>Ledger entries booked in the period (the inputs)</h2>
<table><tr><th>#</th><th>Kind</th><th>On</th><th>Booked</th><th>Amount</th><th>Units</th>
<th>Party</th><th>Reference</th><th>Note</th></tr>{entries}</table>
<h2>Rate versions used</h2>
<table><tr><th>Version</th><th>From</th><th>To</th><th>Bands</th></tr>{rules}</table>
{f'<h2>Notes</h2><ul>{notes}</ul>' if notes else ''}
{f'<h2>Answers from the parties</h2><ul>{answers}</ul>' if answers else ''}
</body></html>
"""
