"""Rendering records for people (Rich). JSON output never goes through here."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rich.console import Console
from rich.table import Table


def when(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        if len(value) == 10:
            return value
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return str(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def table(title: str | None, columns: list[str], rows: list[list[Any]]) -> Table:
    t = Table(title=title, title_justify="left", show_lines=False, expand=False)
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*["" if v is None else str(v) for v in r])
    return t


def person_profile(con: Console, p: dict[str, Any]) -> None:
    head = p["name"]
    role = next((r for r in p.get("roles", []) if r.get("is_current")), None)
    if role:
        head += f" — {', '.join(x for x in (role.get('title'), role.get('org_name')) if x)}"
    con.print(f"[bold]{head}[/bold]  [dim]{p['id']}[/dim]")
    facts = []
    if p.get("is_me"):
        facts.append("this is you")
    for label, key in (
        ("tier", "tier"),
        ("stage", "stage"),
        ("cadence days", "cadence_days"),
        ("birthday", "birthday"),
    ):
        if p.get(key):
            facts.append(f"{label}: {p[key]}")
    if p.get("last_touch_at"):
        facts.append(f"last touch: {when(p['last_touch_at'])}")
    if p.get("archived_at"):
        facts.append(f"ARCHIVED {when(p['archived_at'])}: {p.get('archive_reason') or ''}")
    if facts:
        con.print("  " + " · ".join(facts))
    if p.get("how_met") or p.get("met_via"):
        via = f" via {p['met_via']['name']}" if p.get("met_via") else ""
        con.print(f"  how we met: {p.get('how_met') or ''}{via}")
    for kind in ("emails", "phones", "urls", "addresses"):
        for cp in p.get(kind, []):
            label = f" ({cp['label']})" if cp.get("label") else ""
            con.print(
                f"  {kind[:-1] if kind != 'addresses' else 'address'}: {cp['value']}{label}"
                f"  [dim]{cp.get('source', '')}[/dim]"
            )
    if p.get("tags"):
        con.print("  tags: " + ", ".join(p["tags"]))
    if p.get("ties"):
        con.print(
            table(
                "Ties",
                ["with", "kind", "strength", "since"],
                [
                    [t["other"]["name"], t["kind"], t["strength"], when(t.get("since"))]
                    for t in p["ties"]
                ],
            )
        )
    owe = p.get("promises_owed_to_them", [])
    owed = p.get("promises_they_owe", [])
    if owe or owed:
        con.print(
            table(
                "Open promises",
                ["id", "who owes", "to", "what", "due"],
                [
                    [
                        x["id"],
                        x["owed_by"]["name"],
                        x["owed_to"]["name"],
                        x["what"],
                        when(x.get("due")),
                    ]
                    for x in owed + owe
                ],
            )
        )
    if p.get("timeline"):
        rows = []
        for i in p["timeline"]:
            who = ", ".join(x["name"] for x in i["participants"] if x["id"] != p["id"])
            contract = "; ".join(
                f"{k.replace('_', ' ')}: {i[k]}"
                for k in ("they_want", "i_want", "next_step")
                if i.get(k)
            )
            if i.get("agreed"):
                contract = (
                    (contract + "; " if contract else "") + "agreed: " + " / ".join(i["agreed"])
                )
            channel = i["channel"]
            if i.get("captured"):  # came in by capture, not logged by hand
                channel += " [dim](captured)[/dim]"
            rows.append([when(i["occurred_at"]), channel, i.get("summary") or "", who, contract])
        con.print(
            table(
                f"Timeline ({p.get('timeline_total', len(rows))} in all)",
                ["when", "channel", "summary", "with", "contract"],
                rows,
            )
        )
    for n in p.get("notes", []):
        con.print(f"[bold]Note[/bold] {when(n['created_at'])} [dim]{n['id']}[/dim]")
        con.print("  " + n["body"].replace("\n", "\n  "))


def org_profile(con: Console, o: dict[str, Any]) -> None:
    con.print(f"[bold]{o['name']}[/bold]  [dim]{o['id']}[/dim]")
    facts = [x for x in (o.get("domain"), o.get("kind")) if x]
    if facts:
        con.print("  " + " · ".join(facts))
    if o.get("tags"):
        con.print("  tags: " + ", ".join(o["tags"]))
    if o.get("people"):
        con.print(table(f"People ({len(o['people'])})", ["id", "name"],
                        [[p["id"], p["name"]] for p in o["people"]]))
    for n in o.get("notes", []):
        con.print(f"[bold]Note[/bold] {when(n['created_at'])} [dim]{n['id']}[/dim]")
        con.print("  " + n["body"].replace("\n", "\n  "))
