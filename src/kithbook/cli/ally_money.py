"""`kithbook ally money ...`: alliance economics (docs/economics.md). Royalty and
revenue-share agreements with their ledger and statements here; buying groups, joint
bids and the exit settlement in cli/ally_deals.py."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kithbook.cli.ally import Alliance, DateOpt, JsonOpt, page, parse_day
from kithbook.cli.common import emit, services

if TYPE_CHECKING:
    from rich.console import Console

    from kithbook.domain.economics.records import StatementView

money_app = typer.Typer(
    help="Alliance economics: royalties and revenue shares, statements partners can "
    "check, buying groups, joint bids, exit settlement.\n\nExample: kithbook ally money "
    "royalty \"Widget deal\" \"Widget licence\" --payer Northwind --payee us=10000 "
    "--start 2026-01-01 --rate 0.08",
    no_args_is_help=True,
)
Agreement = Annotated[str, typer.Argument(help="The agreement: its name or id.")]
TierOpt = Annotated[list[str] | None, typer.Option(
    "--tier", help="A tier FROM=RATE (repeat): 0=0.05 --tier 100000=0.07.")]


def render_entry(con: Console, e: Any) -> None:
    moved = "  [yellow](booked into the first open period)[/yellow]" if e.moved else ""
    con.print(f"{e.name}  [dim]{e.id}[/dim]{moved}")


def render_agreement(con: Console, ag: Any) -> None:
    con.print(f"[bold]{ag.name}[/bold]  [dim]{ag.id}[/dim]  {ag.kind}, {ag.currency}, "
              f"alliance {ag.alliance}; {ag.entries} ledger entries, {ag.issued} issued")
    t = ag.royalty
    if t is not None:
        con.print(f"  payer {t.payer}; payees "
                  + ", ".join(f"{s.party} {s.bp} bp" for s in t.payees))
        con.print(f"  from {t.start}, {t.period_months}-month periods, base {t.basis}, "
                  f"{t.tier_mode} tiers over the {t.tier_window}, negative periods: "
                  f"{t.negative_policy}")
        for v in t.versions:
            con.print(f"  rates {v.label()}: "
                      + "; ".join(f"{b.label()} {b.rate}" for b in v.bands))
        for what, x in (("minimum a year", t.minimum_per_year),
                        ("royalty cap a year", t.cap_royalty_per_year),
                        ("base cap a year", t.cap_base_per_year)):
            if x is not None:
                con.print(f"  {what}: {x}")


def render_statement(con: Console, s: StatementView) -> None:
    from rich.table import Table

    state = (f"issued {s.issued_on}" + (" (ledger recomputes it identically)" if s.verified
                                        else " [red](ledger gives different figures)[/red]")
             if s.status == "issued" else "open")
    con.print(f"[bold]{s.name}[/bold]  [dim]{s.id}[/dim]  {s.start} to {s.end}, {state}")
    t = Table(show_header=True, header_style="bold", box=None)
    for col in ("line", "quantity", "amount", "how"):
        t.add_column(col, justify="right" if col in ("quantity", "amount") else "left")
    for ln in s.lines:
        src = " ".join(f"#{n}" for n in ln.sources)
        t.add_row(ln.label, "" if ln.quantity is None else str(ln.quantity),
                  "" if ln.amount is None else str(ln.amount),
                  ln.explain + (f" [dim]{src}[/dim]" if src else ""))
    con.print(t)
    con.print(f"Due from {s.payer}: [bold]{s.due} {s.currency}[/bold]")
    for p in s.parties:
        con.print(f"  {p.party} ({p.bp} bp): opening {p.opening}, share {p.share}, "
                  f"paid {p.paid}, closing {p.closing}")
    for a in s.answers:
        con.print(f"  {a.name} {a.verdict}" + (f": {a.comment}" if a.comment else ""))
    con.print(f"[dim]Rounding: {s.rounding}. Digest {s.digest[:16]}…[/dim]")


@money_app.command("list")
def list_(ctx: typer.Context,
          alliance: Annotated[str | None, typer.Argument(help="Only this alliance.")] = None,
          json_out: JsonOpt = False) -> None:
    """The money agreements, for one alliance or all.

    Example: kithbook ally money list "Widget deal"
    """
    with services(ctx) as svc:
        items = svc.economics.agreements(alliance)

    def render(con: Console) -> None:
        for x in items:
            con.print(f"{x.name}  [dim]{x.id}[/dim]  {x.kind}, {x.currency}, {x.alliance}")
        if not items:
            con.print("No agreements yet: start one with `kithbook ally money royalty`.")

    emit(ctx, page(items), render, json_flag=json_out)


@money_app.command("show")
def show(ctx: typer.Context, agreement: Agreement, json_out: JsonOpt = False) -> None:
    """One agreement with its terms.

    Example: kithbook ally money show "Widget licence"
    """
    with services(ctx) as svc:
        ag = svc.economics.show(agreement)
    emit(ctx, ag, lambda con: render_agreement(con, ag), json_flag=json_out)


@money_app.command("royalty")
def royalty(
    ctx: typer.Context,
    alliance: Alliance,
    name: Annotated[str, typer.Argument(help="The agreement's name.")],
    payer: Annotated[str, typer.Option(help="The partner that pays.")],
    payee: Annotated[list[str], typer.Option(help="PARTNER=BP, repeat; sum 10000.")],
    start: Annotated[str, typer.Option(help="YYYY-MM-DD: the first period starts here.")],
    rate: Annotated[str | None, typer.Option(help="A flat rate: 0.08 of net, or per unit.")
                    ] = None,
    tier: TierOpt = None,
    period_months: Annotated[int, typer.Option(help="1, 3, 6 or 12.")] = 3,
    basis: Annotated[str, typer.Option(help="net (a share of net sales) or units.")] = "net",
    tier_mode: Annotated[str, typer.Option(help="marginal or all_units.")] = "marginal",
    window: Annotated[str, typer.Option(help="period, contract_year or lifetime.")
                      ] = "period",
    negative: Annotated[str, typer.Option(help="floor or carry_forward.")] = "floor",
    minimum: Annotated[str | None, typer.Option(help="Minimum royalty per contract year.")
                       ] = None,
    cap_royalty: Annotated[str | None, typer.Option(help="Royalty cap per year.")] = None,
    cap_base: Annotated[str | None, typer.Option(help="Royalty-bearing base cap per year.")
                        ] = None,
    end: DateOpt = None,
    currency: Annotated[str | None, typer.Option(help="Default: the alliance's.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """A royalty or revenue-share agreement between partners of an alliance.

    Example: kithbook ally money royalty "Widget deal" "Widget licence" --payer
    Northwind --payee us=7000 --payee Inventor=3000 --start 2026-01-01 --tier 0=0.05
    --tier 100000=0.08 --minimum 10000
    """
    from kithbook.services.economics_base import NewRoyalty

    with services(ctx) as svc:
        ag = svc.economics.new_royalty(alliance, NewRoyalty(
            name=name, payer=payer, payees=payee, start=parse_day(start, "--start"),
            rate=rate, tiers=tier or [], period_months=period_months, basis=basis,
            tier_mode=tier_mode, tier_window=window, negative_policy=negative,
            minimum_per_year=minimum, cap_royalty_per_year=cap_royalty,
            cap_base_per_year=cap_base, end=parse_day(end, "--end"), currency=currency))
    emit(ctx, ag, lambda con: render_agreement(con, ag), json_flag=json_out)


@money_app.command("rate")
def rate(ctx: typer.Context, agreement: Agreement,
         effective_from: Annotated[str, typer.Option("--from", help="YYYY-MM-DD")],
         rate: Annotated[str | None, typer.Option(help="A flat rate.")] = None,
         tier: TierOpt = None,
         note: Annotated[str | None, typer.Option()] = None,
         json_out: JsonOpt = False) -> None:
    """New rates from a date; earlier sales keep the old ones.

    Example: kithbook ally money rate "Widget licence" --from 2027-01-01 --rate 0.09
    """
    with services(ctx) as svc:
        ag = svc.economics.add_rate(agreement, parse_day(effective_from, "--from"), rate,
                                    tier or [], note)
    emit(ctx, ag, lambda con: render_agreement(con, ag), json_flag=json_out)


@money_app.command("book")
def book(
    ctx: typer.Context,
    agreement: Agreement,
    kind: Annotated[str, typer.Argument(
        help="sale, return, deduction, advance, payment; order, rebate, cost, transfer.")],
    amount: Annotated[str | None, typer.Argument(help="Money, exact (1200.50).")] = None,
    on: DateOpt = None,
    units: Annotated[str | None, typer.Option()] = None,
    party: Annotated[str | None, typer.Option(help="Payee of a payment, member of an order.")
                     ] = None,
    ref: Annotated[str | None, typer.Option(help="The invoice or report line.")] = None,
    product: Annotated[str | None, typer.Option()] = None,
    booked: DateOpt = None,
    note: Annotated[str | None, typer.Option()] = None,
    json_out: JsonOpt = False,
) -> None:
    """Add a ledger entry (entries are never edited: `reverse` a mistake).

    Example: kithbook ally money book "Widget licence" sale 12000 --on 2026-02-10 --ref INV-7
    """
    from kithbook.services.economics_base import NewEntry

    with services(ctx) as svc:
        e = svc.economics.book(agreement, NewEntry(
            kind=kind, on=parse_day(on, "--on"), amount=amount, units=units, party=party,
            ref=ref, product=product, booked=parse_day(booked, "--booked"), note=note))
    emit(ctx, e, lambda con: render_entry(con, e), json_flag=json_out)


@money_app.command("reverse")
def reverse(ctx: typer.Context, agreement: Agreement,
            seq: Annotated[int, typer.Argument(help="The entry's number (#7 is 7).")],
            note: Annotated[str | None, typer.Option()] = None,
            booked: DateOpt = None,
            json_out: JsonOpt = False) -> None:
    """Reverse a ledger entry with a negating entry (booked today, or --booked).

    Example: kithbook ally money reverse "Widget licence" 7 --note "invoice cancelled"
    """
    with services(ctx) as svc:
        e = svc.economics.reverse(agreement, seq, note, parse_day(booked, "--booked"))
    emit(ctx, e, lambda con: render_entry(con, e), json_flag=json_out)


@money_app.command("ledger")
def ledger(ctx: typer.Context, agreement: Agreement, json_out: JsonOpt = False) -> None:
    """The ledger, oldest first.

    Example: kithbook ally money ledger "Widget licence"
    """
    with services(ctx) as svc:
        items = svc.economics.ledger(agreement)

    def render(con: Console) -> None:
        for e in items:
            con.print(f"{e.name}  booked {e.booked}" + ("  [dim](reversed)[/dim]"
                                                         if e.reversed else ""))

    emit(ctx, page(items), render, json_flag=json_out)


@money_app.command("statements")
def statements(ctx: typer.Context, agreement: Agreement, through: DateOpt = None,
               json_out: JsonOpt = False) -> None:
    """Every period's statement up to now (or --through): due, balances, issued.

    Example: kithbook ally money statements "Widget licence"
    """
    with services(ctx) as svc:
        items = svc.economics.statements(agreement, through)

    def render(con: Console) -> None:
        for s in items:
            owed = ", ".join(f"{p.party} owed {p.closing}" for p in s.parties)
            con.print(f"{s.label}  due {s.due} {s.currency}  {owed}  [dim]{s.status} "
                      f"{s.id}[/dim]")

    emit(ctx, page(items), render, json_flag=json_out)


@money_app.command("statement")
def statement(
    ctx: typer.Context,
    agreement: Agreement,
    period: Annotated[str | None, typer.Argument(
        help="The period's number, or any day in it (default: the current one).")] = None,
    party: Annotated[str | None, typer.Option(help="One party's statement.")] = None,
    out: Annotated[Path | None, typer.Option(help="Write a file: .html, .csv or .json.")
                   ] = None,
    json_out: JsonOpt = False,
) -> None:
    """One period's statement with the entries and rates behind every figure.

    Example: kithbook ally money statement "Widget licence" 2 --party us --out q2.html
    """
    from kithbook.errors import InvalidInput

    fmt = None
    if out is not None:
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in ("html", "csv", "json"):
            raise InvalidInput("the file must end in .html, .csv or .json.", field="out")
        if not out.expanduser().resolve().parent.is_dir():
            raise InvalidInput(f"the folder of {out} does not exist.", field="out")
    with services(ctx) as svc:
        s = svc.economics.statement(agreement, period, party)
        f = svc.economics.statement_file(agreement, period, party, fmt) if fmt else None
    if out is not None and f is not None:
        from kithbook.io.atomic import atomic_write

        with atomic_write(out.expanduser(), binary=True) as fh:
            fh.write(f.text.encode("utf-8"))

    def render(con: Console) -> None:
        render_statement(con, s)
        if out is not None:
            con.print(f"Wrote {out}.")

    emit(ctx, s, render, json_flag=json_out)


@money_app.command("issue")
def issue(ctx: typer.Context, agreement: Agreement,
          period: Annotated[str | None, typer.Argument(help="Default: the next one.")] = None,
          json_out: JsonOpt = False) -> None:
    """Issue an ended period's statement: kept with its digest, it never changes.

    Example: kithbook ally money issue "Widget licence"
    """
    with services(ctx) as svc:
        s = svc.economics.issue(agreement, period)
    emit(ctx, s, lambda con: render_statement(con, s), json_flag=json_out)


@money_app.command("answer")
def answer(ctx: typer.Context,
           statement_id: Annotated[str, typer.Argument(metavar="STATEMENT", help="mst_...")],
           party: Annotated[str, typer.Argument(help="The partner answering.")],
           verdict: Annotated[str, typer.Argument(help="confirmed or disputed.")],
           comment: Annotated[str | None, typer.Option(help="Needed for a dispute.")] = None,
           json_out: JsonOpt = False) -> None:
    """Record a partner confirming or disputing an issued statement.

    Example: kithbook ally money answer mst_3k Northwind disputed --comment "INV-7 twice"
    """
    with services(ctx) as svc:
        s = svc.economics.answer(statement_id, party, verdict, comment)
    emit(ctx, s, lambda con: render_statement(con, s), json_flag=json_out)


@money_app.command("send")
def send(ctx: typer.Context,
         statement_id: Annotated[str, typer.Argument(metavar="STATEMENT", help="mst_...")],
         to: Annotated[str, typer.Option(help="A partner's contact.")],
         days: Annotated[int, typer.Option(help="How long the link works.")] = 14,
         json_out: JsonOpt = False) -> None:
    """A private link (no account needed) for a partner to confirm or dispute a statement,
    or a buying group's settlement (for the member the recipient is a contact of).

    Example: kithbook ally money send mst_3k --to "Nina North"
    """
    with services(ctx) as svc:
        link = svc.economics.send(statement_id, to, days=days)

    def render(con: Console) -> None:
        con.print(f"Link for {link.person.name if link.person else 'the recipient'} "
                  f"(until {link.expires_at:%Y-%m-%d}): {link.url}")
        con.print(link.email_text)

    emit(ctx, link, render, json_flag=json_out)


def read_report(path: Path) -> list[Any]:
    """A partner's report as CSV: a key column (key, ref, reference, invoice or product)
    and units, net and royalty columns (any of them)."""
    from kithbook.errors import InvalidInput
    from kithbook.services.economics_base import ReportLineIn

    try:
        text = path.expanduser().read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}.", field="file") from None
    rows = list(csv.DictReader(text.splitlines()))
    out = []
    for row in rows:
        low = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        key = next((low[k] for k in ("key", "ref", "reference", "invoice", "product")
                    if low.get(k)), "")
        out.append(ReportLineIn(key, low.get("units") or None, low.get("net") or None,
                                low.get("royalty") or None))
    if not out:
        raise InvalidInput(f"{path} has no lines.", field="file",
                           hint="A CSV with a header: key,units,net,royalty.")
    return out


@money_app.command("reconcile")
def reconcile(
    ctx: typer.Context,
    agreement: Agreement,
    period: Annotated[str, typer.Argument(help="The period's number or a day in it.")],
    party: Annotated[str, typer.Argument(help="The partner whose report it is.")],
    file: Annotated[Path, typer.Argument(help="Their report, CSV: key,units,net,royalty.")],
    keep: Annotated[bool, typer.Option(help="Keep the report (default: a preview).")
                    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Reconcile a partner's own report with our statement, line by line.

    Example: kithbook ally money reconcile "Widget licence" 2 Northwind their-q2.csv --keep
    """
    lines = read_report(file)
    with services(ctx) as svc:
        r = svc.economics.reconcile(agreement, period, party, lines, source=file.name,
                                    dry_run=not keep)

    def render(con: Console) -> None:
        con.print(f"[bold]{r.name}[/bold]: {r.verdict}" + ("" if r.kept else
                                                            "  [dim](preview: --keep)[/dim]"))
        for d in r.differences:
            con.print(f"  {d.id}: {d.name}")
        for fig, ours, theirs, delta in r.totals:
            con.print(f"  total {fig}: ours {ours}, theirs {theirs}, difference {delta}")

    emit(ctx, r, render, json_flag=json_out)


def register(app: typer.Typer) -> None:
    from kithbook.cli import ally_deals

    ally_deals.register(money_app)
    app.add_typer(money_app, name="money")
