"""`kithbook ally money ...` for buying groups, joint bids and the exit settlement
(docs/economics.md). Orders, rebates and costs are booked with `ally money book`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from kithbook.cli.ally import Alliance, DateOpt, JsonOpt, parse_day
from kithbook.cli.ally_money import render_agreement
from kithbook.cli.common import emit, services

if TYPE_CHECKING:
    from rich.console import Console

Agreement = Annotated[str, typer.Argument(help="The agreement: its name or id.")]
Bid = Annotated[str, typer.Argument(help="The bid: its name or id.")]
Opt = Annotated[str | None, typer.Option()]
Many = Annotated[list[str] | None, typer.Option()]


def render_settlement(con: Console, r: Any) -> None:
    from rich.table import Table

    s = r.settlement
    con.print(f"[bold]{r.name}[/bold]  [dim]{r.id}[/dim]  {s.item}: gain {s.gain} "
              f"{s.currency}; " + (f"agreed: {s.method}" if s.agreed else
                                  "no method agreed yet (Shapley shown)"))
    t = Table(box=None, header_style="bold")
    for col in ("member", "units", "own saving", "equal price", "pro rata", "Shapley",
                "transfer"):
        t.add_column(col, justify="left" if col == "member" else "right")
    for m in s.members:
        t.add_row(m.member, str(m.units), str(m.own_saving), str(m.equal_price),
                  str(m.pro_rata), str(m.shapley), str(m.transfer))
    con.print(t)
    con.print(f"[dim]{s.shapley_how}[/dim]")
    for n in s.notes:  # a stale baseline is one of them (r.stale_baselines in --json)
        con.print(f"  {n}")
    for x in getattr(r, "issued", []):
        render_issued(con, x)


def render_issued(con: Console, x: Any) -> None:
    state = ("ledger recomputes it identically" if x.verified
             else "[red]ledger gives different figures[/red]")
    con.print(f"  settlement {x.number} through {x.through}  [dim]{x.id}[/dim]  issued "
              f"{x.issued_on} ({state})")
    for a in x.answers:
        con.print(f"    {a.name} {a.verdict}" + (f": {a.comment}" if a.comment else "")
                  + f" [dim]({a.via})[/dim]")


def render_bid(con: Console, v: Any) -> None:
    b = v.bid
    con.print(f"[bold]{v.name}[/bold]  [dim]{v.id}[/dim]  lead {b.lead}; members "
              f"{', '.join(b.members)}; price [bold]{v.price.total} {v.currency}[/bold]")
    for ln in v.price.lines:
        con.print(f"  {ln.label}: {ln.amount if ln.amount is not None else ''}  "
                  f"[dim]{ln.explain}[/dim]")
    for f in v.findings:
        con.print(f"  {f.severity}: {f.message} ({f.fix})")
    for d in v.decisions:
        con.print(f"  {d.decided_on} {d.verdict}" + (" (forced)" if d.forced else "")
                  + f": {d.reasons}")
    for wp, member, amount in v.payments:
        con.print(f"  payment for {wp}: {member} {amount}")


def render_exit(con: Console, v: Any) -> None:
    s = v.settlement
    con.print(f"[bold]{v.name}[/bold]  [dim]{v.id}[/dim]  rule {s.rule}; pool {s.pool}, "
              f"value to share {s.value} {s.currency}")
    for p in s.parties:
        con.print(f"  {p.party}: contributed {p.contributed}, received {p.received_before}, "
                  f"entitled {p.entitlement}, in kind {p.in_kind}, final payment "
                  f"[bold]{p.payment}[/bold] (net {p.net})")
        for r in p.returned:
            con.print(f"    returned: {r.item} ({r.kind})")


def group(ctx: typer.Context, alliance: Alliance,
          name: Annotated[str, typer.Argument(help="The group's name.")],
          item: Annotated[str, typer.Option(help="What the group buys.")],
          member: Annotated[list[str], typer.Option(help="A partner in the group (repeat).")],
          price: Annotated[list[str], typer.Option(
              help="Unit price by the group's total units, FROM=PRICE (repeat).")],
          mode: Annotated[str, typer.Option(help="all_units or marginal.")] = "all_units",
          rebate: Annotated[list[str] | None, typer.Option(
              help="Money back per unit by the group's total units, FROM=PER_UNIT (repeat; "
              "start at 0: --rebate 0=0 --rebate 3000=0.20).")] = None,
          rebate_mode: Annotated[str, typer.Option(
              help="all_units (retrospective) or marginal (incremental).")] = "all_units",
          rebate_pct: Annotated[str | None, typer.Option(
              help="A share of spend given back, e.g. 0.01 for 1%.")] = None,
          currency: Annotated[str | None, typer.Option(
              help="Default: the alliance's.")] = None,
          json_out: JsonOpt = False) -> None:
    """A joint-purchasing group and the supplier's schedule.

    Example: kithbook ally money group "Buyers" "Paper 2027" --item "A4 paper" --member us
    --member Northwind --member Eastco --price 0=5.00 --price 1000=4.50 --price 5000=4.00
    """
    with services(ctx) as svc:
        ag = svc.economics_deals.new_group(alliance, name, item, member, price, mode=mode,
                                           rebates=rebate or [], rebate_mode=rebate_mode,
                                           rebate_pct=rebate_pct, currency=currency)
    emit(ctx, ag, lambda con: render_agreement(con, ag), json_flag=json_out)


def baseline(ctx: typer.Context, agreement: Agreement,
             member: Annotated[str, typer.Argument(help="The member.")],
             unit_price: Annotated[str, typer.Argument(help="What it pays alone, per unit.")],
             source: Annotated[str, typer.Option(help="Who quoted it, which invoice or list.")],
             dated: Annotated[str, typer.Option(help="YYYY-MM-DD of the price.")],
             kind: Annotated[str, typer.Option(help="paid, quote or list.")] = "paid",
             volume: Opt = None, index: Opt = None, json_out: JsonOpt = False) -> None:
    """A member's documented baseline price (savings are measured against it).

    Example: kithbook ally money baseline "Paper 2027" Eastco 5.20 --source "invoice 311"
    --dated 2026-11-02
    """
    with services(ctx) as svc:
        ag = svc.economics_deals.baseline(agreement, member, unit_price, kind, source,
                                          parse_day(dated, "--dated"), volume=volume,
                                          index=index)
    emit(ctx, ag, lambda con: con.print(f"Baselines of {ag.name}: " + ", ".join(
        f"{b.member} {b.unit_price} ({b.kind}, {b.source})"
        for b in (ag.buying.baselines if ag.buying else ()))), json_flag=json_out)


def member(ctx: typer.Context, agreement: Agreement,
           partner: Annotated[str, typer.Argument(help="A partner of the alliance.")],
           json_out: JsonOpt = False) -> None:
    """Add a partner of the alliance to a buying group (then record its baseline).

    Example: kithbook ally money member "Paper 2027" "Southco"
    """
    with services(ctx) as svc:
        ag = svc.economics_deals.add_member(agreement, partner)
    emit(ctx, ag, lambda con: con.print(
        f"Members of {ag.name}: {', '.join(ag.buying.members if ag.buying else ())}"),
        json_flag=json_out)


def agree(ctx: typer.Context, agreement: Agreement,
          method: Annotated[str, typer.Argument(help="equal_price, pro_rata or shapley.")],
          json_out: JsonOpt = False) -> None:
    """Record the allocation the group's members agreed.

    Example: kithbook ally money agree "Paper 2027" shapley
    """
    with services(ctx) as svc:
        ag = svc.economics_deals.agree(agreement, method)
    emit(ctx, ag, lambda con: con.print(f"{ag.name}: agreed {method}"), json_flag=json_out)


def settle(ctx: typer.Context, agreement: Agreement, through: DateOpt = None,
           json_out: JsonOpt = False) -> None:
    """The group's gain allocated three ways side by side, and each member's transfer.

    Example: kithbook ally money settle "Paper 2027"
    """
    with services(ctx) as svc:
        r = svc.economics_deals.settle(agreement, parse_day(through, "--through"))
    emit(ctx, r, lambda con: render_settlement(con, r), json_flag=json_out)


def issue_settlement(ctx: typer.Context, agreement: Agreement, through: DateOpt = None,
                     json_out: JsonOpt = False) -> None:
    """Issue the group's settlement through a day that has ended (default: yesterday);
    members confirm or dispute it, in the app or through `ally money send`.

    Example: kithbook ally money issue-settlement "Paper 2027" --through 2027-06-30
    """
    with services(ctx) as svc:
        x = svc.economics_deals.issue_settlement(agreement, parse_day(through, "--through"))
    emit(ctx, x, lambda con: render_issued(con, x), json_flag=json_out)


def answer_settlement(
        ctx: typer.Context,
        statement_id: Annotated[str, typer.Argument(metavar="STATEMENT", help="mst_...")],
        member: Annotated[str, typer.Argument(help="The member answering.")],
        verdict: Annotated[str, typer.Argument(help="confirmed or disputed.")],
        comment: Annotated[str | None, typer.Option(help="Needed for a dispute.")] = None,
        json_out: JsonOpt = False) -> None:
    """Record a member confirming or disputing an issued settlement.

    Example: kithbook ally money answer-settlement mst_3k Northwind confirmed
    """
    with services(ctx) as svc:
        x = svc.economics_deals.answer_settlement(statement_id, member, verdict, comment)
    emit(ctx, x, lambda con: render_issued(con, x), json_flag=json_out)


def bid(ctx: typer.Context, alliance: Alliance,
        name: Annotated[str, typer.Argument(help="The bid's name.")],
        lead: Annotated[str, typer.Option(help="The member that answers and submits.")],
        member: Annotated[list[str], typer.Option(help="Another member (repeat).")],
        deadline: DateOpt = None,
        liability: Annotated[str | None, typer.Option(
            help="joint_and_several, several or lead_only.")] = None,
        contingency: Annotated[str | None, typer.Option(help="0.05 = 5% on the parts.")
                               ] = None,
        currency: Opt = None, json_out: JsonOpt = False) -> None:
    """A joint bid or consortium.

    Example: kithbook ally money bid "Port bid" "Harbour tender" --lead us --member
    Northwind --deadline 2027-03-01 --liability joint_and_several
    """
    with services(ctx) as svc:
        ag = svc.economics_deals.new_bid(alliance, name, lead, member,
                                         deadline=parse_day(deadline, "--deadline"),
                                         liability=liability, contingency=contingency,
                                         currency=currency)
        v = svc.economics_deals.bid(ag.id)
    emit(ctx, v, lambda con: render_bid(con, v), json_flag=json_out)


def authorize(ctx: typer.Context, agreement: Bid,
              member: Annotated[str, typer.Argument(help="The member authorizing the lead.")],
              signed_by: Annotated[str, typer.Option(help="Who signed for the member.")],
              signed_on: DateOpt = None, document: Opt = None,
              json_out: JsonOpt = False) -> None:
    """A member's written authorization of the lead.

    Example: kithbook ally money authorize "Harbour tender" Northwind --signed-by "Nina
    North" --document https://x.example/auth.pdf
    """
    with services(ctx) as svc:
        v = svc.economics_deals.authorize(agreement, member, signed_by,
                                          signed_on=parse_day(signed_on, "--signed-on"),
                                          document=document)
    emit(ctx, v, lambda con: render_bid(con, v), json_flag=json_out)


def wp(ctx: typer.Context, agreement: Bid,
       code: Annotated[str, typer.Argument(help="WP1, WP2...")],
       name: Annotated[str | None, typer.Argument(help="What it delivers.")] = None,
       owner: Opt = None, budget: Opt = None, start: DateOpt = None, end: DateOpt = None,
       completed: DateOpt = None, json_out: JsonOpt = False) -> None:
    """Add or change a work package (owner, budget, dates, completed).

    Example: kithbook ally money wp "Harbour tender" WP1 "Crane survey" --owner Northwind
    --budget 40000 --start 2027-04-01 --end 2027-06-30
    """
    with services(ctx) as svc:
        v = svc.economics_deals.work_package(
            agreement, code, name or "", owner=owner, budget=budget,
            start=parse_day(start, "--start"), end=parse_day(end, "--end"),
            completed_on=parse_day(completed, "--completed"))
    emit(ctx, v, lambda con: render_bid(con, v), json_flag=json_out)


def part(ctx: typer.Context, agreement: Bid,
         member: Annotated[str, typer.Argument(help="The member pricing it.")],
         description: Annotated[str, typer.Argument(help="What is priced.")],
         cost: Annotated[str, typer.Argument(help="Its cost.")],
         margin: Annotated[str | None, typer.Option(help="0.15 = cost + 15%.")] = None,
         wp_code: Annotated[str | None, typer.Option("--wp", help="The work package.")
                            ] = None,
         json_out: JsonOpt = False) -> None:
    """A member's priced part of the bid.

    Example: kithbook ally money part "Harbour tender" Northwind "Crane hire" 30000
    --margin 0.12 --wp WP1
    """
    with services(ctx) as svc:
        v = svc.economics_deals.price_part(agreement, member, description, cost,
                                           margin=margin, wp=wp_code)
    emit(ctx, v, lambda con: render_bid(con, v), json_flag=json_out)


def bid_show(ctx: typer.Context, agreement: Bid, json_out: JsonOpt = False) -> None:
    """The bid: price build-up, blockers, decisions, payments.

    Example: kithbook ally money bid-show "Harbour tender"
    """
    with services(ctx) as svc:
        v = svc.economics_deals.bid(agreement)
    emit(ctx, v, lambda con: render_bid(con, v), json_flag=json_out)


def decide(ctx: typer.Context, agreement: Bid,
           verdict: Annotated[str, typer.Argument(help="go or no_go.")],
           reasons: Annotated[str, typer.Option(help="Why.")],
           force: Annotated[bool, typer.Option(help="Go over the blockers.")] = False,
           json_out: JsonOpt = False) -> None:
    """Go or no-go, with the reasons recorded.

    Example: kithbook ally money decide "Harbour tender" go --reasons "Margin 14%, crane
    licence secured"
    """
    with services(ctx) as svc:
        v = svc.economics_deals.decide(agreement, verdict, reasons, force=force)
    emit(ctx, v, lambda con: render_bid(con, v), json_flag=json_out)


def exit_rule(ctx: typer.Context, alliance: Alliance,
              rule: Annotated[str, typer.Argument(
                  help="pro_rata_contributions, equal, fixed_shares, return_then_shares.")],
              share: Many = None, name: Opt = None, json_out: JsonOpt = False) -> None:
    """The agreed exit-settlement rule (shares PARTNER=BP for the fixed-share rules).

    Example: kithbook ally money exit-rule "Widget deal" pro_rata_contributions
    """
    with services(ctx) as svc:
        ag = svc.economics_deals.new_exit(alliance, rule, shares=share or [], name=name)
    emit(ctx, ag, lambda con: render_agreement(con, ag), json_flag=json_out)


def exit_pool(ctx: typer.Context, agreement: Agreement,
              description: Annotated[str, typer.Argument()],
              amount: Annotated[str, typer.Argument()],
              kind: Annotated[str, typer.Option(help="cash, asset or liability.")] = "cash",
              to: Annotated[str | None, typer.Option(help="Taken back in kind by.")] = None,
              json_out: JsonOpt = False) -> None:
    """What is left in the alliance at exit (cash, an asset, a liability).

    Example: kithbook ally money exit-pool "Exit settlement" "Joint account" 42000
    """
    with services(ctx) as svc:
        ag = svc.economics_deals.exit_pool(agreement, description, amount, kind=kind,
                                           to_party=to)
    emit(ctx, ag, lambda con: render_agreement(con, ag), json_flag=json_out)


def exit_received(ctx: typer.Context, agreement: Agreement,
                  party: Annotated[str, typer.Argument()],
                  amount: Annotated[str, typer.Argument()],
                  on: DateOpt = None, description: Opt = None,
                  json_out: JsonOpt = False) -> None:
    """What a party received from the alliance before the exit.

    Example: kithbook ally money exit-received "Exit settlement" Northwind 5000
    """
    with services(ctx) as svc:
        ag = svc.economics_deals.exit_received(agreement, party, amount,
                                               on=parse_day(on, "--on"),
                                               description=description)
    emit(ctx, ag, lambda con: render_agreement(con, ag), json_flag=json_out)


def exit_returned(ctx: typer.Context, agreement: Agreement,
                  item: Annotated[str, typer.Argument()],
                  kind: Annotated[str, typer.Argument(
                      help="asset, ip, data, customers or other.")],
                  to: Annotated[str, typer.Option(help="The party it went back to.")],
                  on: DateOpt = None, note: Opt = None, json_out: JsonOpt = False) -> None:
    """A shared asset, IP, data or customers returned to a party.

    Example: kithbook ally money exit-returned "Exit settlement" "Customer list" data --to us
    """
    with services(ctx) as svc:
        ag = svc.economics_deals.exit_returned(agreement, item, kind, to,
                                               returned_on=parse_day(on, "--on"), note=note)
    emit(ctx, ag, lambda con: render_agreement(con, ag), json_flag=json_out)


def exit_statement(ctx: typer.Context, agreement: Agreement, json_out: JsonOpt = False
                   ) -> None:
    """Each party's final statement at exit.

    Example: kithbook ally money exit-statement "Exit settlement"
    """
    with services(ctx) as svc:
        v = svc.economics_deals.exit_settlement(agreement)
    emit(ctx, v, lambda con: render_exit(con, v), json_flag=json_out)


def register(app: typer.Typer) -> None:
    for name, fn in (("group", group), ("member", member), ("baseline", baseline),
                     ("agree", agree),
                     ("settle", settle), ("issue-settlement", issue_settlement),
                     ("answer-settlement", answer_settlement), ("bid", bid),
                     ("authorize", authorize), ("wp", wp),
                     ("part", part), ("bid-show", bid_show), ("decide", decide),
                     ("exit-rule", exit_rule), ("exit-pool", exit_pool),
                     ("exit-received", exit_received), ("exit-returned", exit_returned),
                     ("exit-statement", exit_statement)):
        app.command(name)(fn)
