"""Rendering records for people (Rich). JSON output never goes through here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.errors import MarkupError
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from kithbook.domain.models import Note
    from kithbook.services.results import OrgProfile, PersonProfile


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


def person_profile(con: Console, p: PersonProfile) -> None:
    head = p.name
    role = p.current_role
    if role:
        head += f" — {', '.join(x for x in (role.title, role.org_name) if x)}"
    con.print(f"[bold]{head}[/bold]  [dim]{p.id}[/dim]")
    facts = []
    if p.is_me:
        facts.append("this is you")
    for label, value in (
        ("tier", p.tier),
        ("stage", p.stage),
        ("cadence days", p.cadence_days),
        ("birthday", p.birthday),
        ("anniversary", p.anniversary),
    ):
        if value:
            facts.append(f"{label}: {value}")
    if p.last_touch_at:
        facts.append(f"last touch: {when(p.last_touch_at)}")
    if p.archived_at:
        facts.append(f"ARCHIVED {when(p.archived_at)}: {p.archive_reason or ''}")
    if facts:
        con.print("  " + " · ".join(facts))
    if p.how_met or p.met_via:
        via = f" via {p.met_via.name}" if p.met_via else ""
        con.print(f"  how we met: {p.how_met or ''}{via}")
    for kind, points in (("email", p.emails), ("phone", p.phones), ("url", p.urls),
                         ("address", p.addresses)):
        for cp in points:
            label = f" ({cp.label})" if cp.label else ""
            con.print(f"  {kind}: {cp.value}{label}  [dim]{cp.source}[/dim]")
    if p.tags:
        con.print("  tags: " + ", ".join(p.tags))
    if p.ties:
        con.print(
            table(
                "Ties",
                ["with", "kind", "strength", "since"],
                [[t.other_person.name, t.kind, t.strength, when(t.since)] for t in p.ties],
            )
        )
    owe = p.promises_owed_to_them
    owed = p.promises_they_owe
    if owe or owed:
        con.print(
            table(
                "Open promises",
                ["id", "who owes", "to", "what", "due"],
                [[x.id, x.owed_by.name, x.owed_to.name, x.what, when(x.due)]
                 for x in owed + owe],
            )
        )
    if p.timeline:
        rows = []
        for i in p.timeline:
            who = ", ".join(x.name for x in i.participants if x.id != p.id)
            contract = "; ".join(
                f"{k.replace('_', ' ')}: {v}"
                for k, v in (("they_want", i.they_want), ("i_want", i.i_want),
                             ("next_step", i.next_step))
                if v
            )
            if i.agreed:
                contract = (contract + "; " if contract else "") + "agreed: " + " / ".join(i.agreed)
            channel = i.channel
            if i.captured:  # came in by capture, not logged by hand
                channel += " [dim](captured)[/dim]"
            rows.append([when(i.occurred_at), channel, i.summary or "", who, contract])
        con.print(
            table(
                f"Timeline ({p.timeline_total} in all)",
                ["when", "channel", "summary", "with", "contract"],
                rows,
            )
        )
    _notes(con, p.notes)


def org_profile(con: Console, o: OrgProfile) -> None:
    con.print(f"[bold]{o.name}[/bold]  [dim]{o.id}[/dim]")
    facts = [x for x in (o.domain, o.kind) if x]
    if facts:
        con.print("  " + " · ".join(facts))
    if o.tags:
        con.print("  tags: " + ", ".join(o.tags))
    if o.people:
        con.print(table(f"People ({len(o.people)})", ["id", "name"],
                        [[p.id, p.name] for p in o.people]))
    _notes(con, o.notes)


def _notes(con: Console, notes: list[Note]) -> None:
    for n in notes:
        con.print(f"[bold]Note[/bold] {when(n.created_at)} [dim]{n.id}[/dim]")
        con.print("  " + n.body.replace("\n", "\n  "))
