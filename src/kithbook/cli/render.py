"""Rendering records for people (Rich). JSON output never goes through here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.errors import MarkupError
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text


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


# A record id (`per_…`, `pro_…`): never cut, so it can be copied into the next command.
ID_TOKEN = re.compile(r"\b[a-z]{3}_[0-9a-z]{8,}\b")
# Columns that hold nothing but ids, addresses or commands: every line of them stays whole.
WHOLE_HEADERS = frozenset({"id", "ids", "address", "command", "commands", "to do it"})
# Ordinary words longer than this may be folded when the terminal is narrow.
FOLD_AT = 12


def table(title: str | None, columns: list[str], rows: list[list[Any]]) -> Grid:
    """A table whose ids and commands are never cut: long text wraps, an id or a
    `kithbook …` command stays on one line; when even that does not fit the terminal,
    each row is printed as a block of `column  value` lines instead."""
    return Grid(title, columns, [["" if v is None else str(v) for v in r] for r in rows])


def _plain(cell: str) -> str:
    try:
        return Text.from_markup(cell).plain
    except MarkupError:
        return cell


def _command_part(line: str) -> str:
    """`kithbook done pro_x (when it comes)` -> `kithbook done pro_x`: what must not wrap."""
    return re.split(r"\s{2,}|\s\(", line, maxsplit=1)[0]


def _unbreakable(line: str, whole: bool) -> int:
    """How wide a column must be for this line to keep its ids and commands whole."""
    if whole:
        return cell_len(line)
    if line.startswith("kithbook "):
        return cell_len(_command_part(line))
    # the whole word an id is in: "(per_…)," must not fold either
    widest = max((cell_len(w) for w in line.split() if ID_TOKEN.search(w)), default=0)
    words = max((cell_len(w) for w in line.split()), default=0)
    return max(widest, min(words, FOLD_AT))


class Grid:
    """What `table()` returns: laid out when printed, at the console's width."""

    def __init__(self, title: str | None, columns: list[str], rows: list[list[str]]) -> None:
        self.title = title
        self.columns = columns
        self.rows = rows
        natural = [max(1, cell_len(c)) for c in columns]
        least = [max((cell_len(w) for w in c.split()), default=1) for c in columns]
        for row in rows:
            for j, cell in enumerate(row[: len(columns)]):
                whole = columns[j].lower() in WHOLE_HEADERS
                for line in _plain(cell).splitlines() or [""]:
                    natural[j] = max(natural[j], cell_len(line))
                    least[j] = max(least[j], _unbreakable(line, whole))
        self.natural = natural
        self.least = least

    def widths(self, max_width: int, compact: bool) -> list[int] | None:
        """Column widths (without padding) that fit `max_width` and keep every id and
        command whole, or None when there are none."""
        n = len(self.columns)
        overhead = 3 * n - 3 if compact else 3 * n + 1
        room = max_width - overhead
        if sum(self.natural) <= room:
            return list(self.natural)
        if sum(self.least) > room:
            return None
        widths = list(self.least)
        spare = room - sum(widths)
        while spare > 0:  # each character to the column furthest from its natural width
            j = min(range(n), key=lambda k: widths[k] / self.natural[k])
            if widths[j] >= self.natural[j]:
                break
            widths[j] += 1
            spare -= 1
        return widths

    def _table(self, widths: list[int], compact: bool) -> Table:
        t = Table(
            title=self.title,
            title_justify="left",
            show_lines=False,
            expand=False,
            show_edge=not compact,
            pad_edge=not compact,
        )
        for c, w in zip(self.columns, widths, strict=True):
            t.add_column(c, overflow="fold", width=w)
        for r in self.rows:
            t.add_row(*r)
        return t

    def _records(self) -> Iterator[Any]:
        if self.title:
            yield Text(self.title, style="table.title")
        for i, r in enumerate(self.rows):
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold", no_wrap=True)
            grid.add_column(overflow="fold")
            for c, cell in zip(self.columns, r, strict=False):
                if cell:
                    grid.add_row(c, cell)
            if i:
                yield Text("")
            yield grid

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for compact in (False, True):
            widths = self.widths(options.max_width, compact)
            if widths is not None:
                yield self._table(widths, compact)
                return
        yield from self._records()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, options.max_width)


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
        ("anniversary", "anniversary"),
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
