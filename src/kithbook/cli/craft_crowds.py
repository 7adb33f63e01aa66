"""`kithbook survey`, `referral`, `time`: the wisdom of crowds, referrals and advocates,
time invested and value returned (docs/networking-craft.md). Thin: parse, call
services, render."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from kithbook.cli.common import emit, multi_value, services
from kithbook.cli.craft import JsonOpt, Person, day, each

if TYPE_CHECKING:
    from rich.console import Console

    from kithbook.domain.craft_records import Idea, MonthReport, Referral, SurveyResults

survey_app = typer.Typer(help="One-question surveys to a segment of your network, and what "
                         "the crowd says.\n\nExample: kithbook survey new \"How many trucks in "
                         "2027?\" --tag logistics", no_args_is_help=True)
referral_app = typer.Typer(help="Referrals: who referred whom, what came of it, advocates, "
                           "the thank-you loop.\n\nExample: kithbook referral add \"Ana Silva\" "
                           "\"Cy Tran\"", no_args_is_help=True)
idea_app = typer.Typer(help="Idea tests: a panel's structured feedback on an idea, and a "
                       "verdict.\n\nExample: kithbook idea new \"Night deliveries\"",
                       no_args_is_help=True)
time_app = typer.Typer(help="Time invested in relationships and value returned; the monthly "
                       "report.\n\nExample: kithbook time report --month 2026-11",
                       no_args_is_help=True)
SurveyArg = Annotated[str, typer.Argument(help="The survey: its id or question.")]
RefArg = Annotated[str, typer.Argument(help="The referral's id.")]


def register(app: typer.Typer) -> None:
    app.add_typer(survey_app, name="survey")
    app.add_typer(referral_app, name="referral")
    app.add_typer(idea_app, name="idea")
    app.add_typer(time_app, name="time")


def render_results(con: Console, r: SurveyResults) -> None:
    s = r.survey
    con.print(f"[bold]{s.name}[/bold] ({s.kind}; {s.answered}/{s.asked} answered)  "
              f"[dim]{s.id}[/dim]")
    e = r.estimates
    if e is not None and e.count:
        con.print(f"  median {e.median}, Q1 {e.q1}, Q3 {e.q3}, IQR {e.iqr}, range {e.low} to "
                  f"{e.high}, mean without outliers {e.mean_without_outliers}")
        for o in e.outliers:
            con.print(f"  outlier ({o.side}): {o.name} {o.value}")
    for t in r.tallies:
        con.print(f"  {t.name}: {t.votes} ({t.share:.0%})")
    if s.kind == "open":
        for a in r.answers:
            con.print(f"  {a.name}: {a.answer}")
    if r.waiting:
        con.print("  waiting: " + ", ".join(p.name for p in r.waiting))
    if r.unsent:
        con.print("  no link yet: " + ", ".join(p.name for p in r.unsent)
                  + f"  (kithbook survey send {s.id} PERSON)")
    if r.to_thank:
        con.print("  to thank: " + ", ".join(p.name for p in r.to_thank))


@survey_app.command("new", cls=multi_value("--choice", "--person"))
def survey_new(
    ctx: typer.Context, question: Annotated[str, typer.Argument(help="The one question.")],
    kind: Annotated[str, typer.Option(help="estimate, choice or open.")] = "estimate",
    choice: Annotated[list[str] | None, typer.Option("--choice", help="A choice.")] = None,
    tag: Annotated[str | None, typer.Option(help="Ask people with this tag.")] = None,
    tier: Annotated[str | None, typer.Option(help="Ask people of this tier.")] = None,
    org: Annotated[str | None, typer.Option(help="Ask people at this organization.")] = None,
    stage: Annotated[str | None, typer.Option(help="Ask people at this stage.")] = None,
    person: Annotated[list[str] | None, typer.Option("--person", help="Ask this person.")]
    = None,
    json_out: JsonOpt = False,
) -> None:
    """Put one question to a segment of your network.

    Example: kithbook survey new "Rail or road?" --kind choice --choice rail road --tag ops
    """
    with services(ctx) as svc:
        s = svc.surveys.create(question, kind=kind, choices=choice or [], tag=tag, tier=tier,
                               org=org, stage=stage, people=list(person) if person else None)
    emit(ctx, s, lambda con: con.print(f"Asked {s.asked} people: {s.name}  [dim]{s.id}[/dim]"),
         json_flag=json_out)


@survey_app.command("list")
def survey_list(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Surveys, newest first.

    Example: kithbook survey list
    """
    with services(ctx) as svc:
        page = svc.surveys.list()
    emit(ctx, page, each(page.items, lambda con, s: con.print(
        f"{s.name} ({s.answered}/{s.asked})  [dim]{s.id}[/dim]"), "No surveys."),
         json_flag=json_out)


@survey_app.command("answer")
def survey_answer(ctx: typer.Context, survey: SurveyArg, person: Person,
                  answer: Annotated[str, typer.Argument(help="Their answer.")],
                  json_out: JsonOpt = False) -> None:
    """Record someone's answer.

    Example: kithbook survey answer sur_1234 "Ana Silva" 120
    """
    with services(ctx) as svc:
        r = svc.surveys.answer(survey, person, answer)
    emit(ctx, r, lambda con: render_results(con, r), json_flag=json_out)


@survey_app.command("send")
def survey_send(ctx: typer.Context, survey: SurveyArg, person: Person,
                days: Annotated[int, typer.Option(help="How long the link works.")] = 14,
                json_out: JsonOpt = False) -> None:
    """A private link (no account needed) for someone asked in the survey to answer it.
    Shown once, with a short message to send it with.

    Example: kithbook survey send sur_1234 "Ana Silva"
    """
    with services(ctx) as svc:
        link = svc.surveys.send(survey, person, days=days)

    def render(con: Console) -> None:
        con.print(f"Link for {link.person.name if link.person else 'them'} "
                  f"(until {link.expires_at:%Y-%m-%d}): {link.url}")
        con.print(link.email_text)

    emit(ctx, link, render, json_flag=json_out)


@survey_app.command("results")
def survey_results(ctx: typer.Context, survey: SurveyArg, json_out: JsonOpt = False) -> None:
    """What the crowd said: median, spread and outliers, or tallies.

    Example: kithbook survey results sur_1234
    """
    with services(ctx) as svc:
        r = svc.surveys.results(survey)
    emit(ctx, r, lambda con: render_results(con, r), json_flag=json_out)


@survey_app.command("thank")
def survey_thank(ctx: typer.Context, survey: SurveyArg, person: Person,
                 json_out: JsonOpt = False) -> None:
    """Record that you thanked a respondent.

    Example: kithbook survey thank sur_1234 "Ana Silva"
    """
    with services(ctx) as svc:
        r = svc.surveys.thank(survey, person)
    emit(ctx, r, lambda con: render_results(con, r), json_flag=json_out)


@survey_app.command("close")
def survey_close(ctx: typer.Context, survey: SurveyArg, json_out: JsonOpt = False) -> None:
    """Close a survey: no more answers (links included); it leaves the brief's questions.

    Example: kithbook survey close sur_1234
    """
    with services(ctx) as svc:
        s = svc.surveys.close(survey)
    emit(ctx, s, lambda con: con.print(f"Closed: {s.name} ({s.answered}/{s.asked} "
                                       f"answered)  [dim]{s.id}[/dim]"), json_flag=json_out)


def render_idea(con: Console, i: Idea) -> None:
    v = i.verdict
    con.print(f"[bold]{i.name}[/bold]: {v.verdict.replace('_', ' ')}"
              f"{' (by hand)' if v.by_hand else ''}, {v.responses} responses  "
              f"[dim]{i.id}[/dim]")
    for reason in v.reasons:
        con.print(f"  {reason}")


IdeaArg = Annotated[str, typer.Argument(help="The idea: its id or title.")]
Score = Annotated[int, typer.Option(min=1, max=5, help="1 to 5.")]


@idea_app.command("new")
def idea_new(ctx: typer.Context,
             title: Annotated[str, typer.Argument(help="The idea in a few words.")],
             text: Annotated[str | None, typer.Option(help="What it is.")] = None,
             json_out: JsonOpt = False) -> None:
    """An idea to test on a panel of people you know.

    Example: kithbook idea new "Night deliveries" --text "Deliver between 22:00 and 6:00"
    """
    with services(ctx) as svc:
        i = svc.surveys.idea(title, text=text)
    emit(ctx, i, lambda con: render_idea(con, i), json_flag=json_out)


@idea_app.command("feedback")
def idea_feedback(ctx: typer.Context, idea: IdeaArg, person: Person,
                  interest: Score, would_use: Score, clarity: Score,
                  liked: Annotated[str | None, typer.Option(help="What they liked.")] = None,
                  worries: Annotated[str | None, typer.Option(help="What worries them.")]
                  = None,
                  json_out: JsonOpt = False) -> None:
    """One person's structured feedback on an idea.

    Example: kithbook idea feedback "Night deliveries" "Ana Silva" --interest 5
    --would-use 4 --clarity 4
    """
    with services(ctx) as svc:
        i = svc.surveys.feedback(idea, person, interest=interest, would_use=would_use,
                                 clarity=clarity, liked=liked, worries=worries)
    emit(ctx, i, lambda con: render_idea(con, i), json_flag=json_out)


@idea_app.command("verdict")
def idea_verdict(ctx: typer.Context, idea: IdeaArg,
                 verdict: Annotated[str, typer.Argument(
                     help="go, refine, drop, too_early, or 'auto' to let the feedback decide.")],
                 json_out: JsonOpt = False) -> None:
    """Set the verdict by hand (or back to the one the feedback gives, with 'auto').

    Example: kithbook idea verdict "Night deliveries" drop
    """
    with services(ctx) as svc:
        i = svc.surveys.set_verdict(idea, None if verdict == "auto" else verdict)
    emit(ctx, i, lambda con: render_idea(con, i), json_flag=json_out)


@idea_app.command("list")
def idea_list(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Ideas with their verdicts.

    Example: kithbook idea list
    """
    with services(ctx) as svc:
        page = svc.surveys.ideas()
    emit(ctx, page, each(page.items, lambda con, i: render_idea(con, i), "No ideas yet."),
         json_flag=json_out)


def render_referral(con: Console, r: Referral) -> None:
    value = f", {r.value}" if r.value is not None else ""
    con.print(f"{r.occurred_on} {r.name}: {r.status}{value}"
              f"{'' if r.thanked_at else ' (not thanked)'}  [dim]{r.id}[/dim]")


@referral_app.command("add")
def referral_add(ctx: typer.Context,
                 referrer: Annotated[str, typer.Argument(help="Who referred.")],
                 referred: Annotated[str, typer.Argument(help="Whom they referred.")],
                 to: Annotated[str | None, typer.Option(help="To whom (default: you).")] = None,
                 on: Annotated[str | None, typer.Option("--on", help="YYYY-MM-DD.")] = None,
                 note: Annotated[str | None, typer.Option(help="A note.")] = None,
                 json_out: JsonOpt = False) -> None:
    """Someone referred someone to you (or to --to).

    Example: kithbook referral add "Ana Silva" "Cy Tran"
    """
    with services(ctx) as svc:
        r = svc.referrals.add(referrer, referred, to=to, on=day(on, "--on"), note=note)
    emit(ctx, r, lambda con: render_referral(con, r), json_flag=json_out)


@referral_app.command("outcome")
def referral_outcome(ctx: typer.Context, referral: RefArg,
                     status: Annotated[str, typer.Argument(help="met, won or lost.")],
                     value: Annotated[str | None, typer.Option(help="What it was worth.")]
                     = None,
                     json_out: JsonOpt = False) -> None:
    """What came of a referral.

    Example: kithbook referral outcome ref_1234 won --value 12000
    """
    with services(ctx) as svc:
        r = svc.referrals.outcome(referral, status, value=value)
    emit(ctx, r, lambda con: render_referral(con, r), json_flag=json_out)


@referral_app.command("thank")
def referral_thank(ctx: typer.Context, referral: RefArg, json_out: JsonOpt = False) -> None:
    """Record that you thanked the referrer.

    Example: kithbook referral thank ref_1234
    """
    with services(ctx) as svc:
        r = svc.referrals.thank(referral)
    emit(ctx, r, lambda con: render_referral(con, r), json_flag=json_out)


@referral_app.command("reported")
def referral_reported(ctx: typer.Context, referral: RefArg, json_out: JsonOpt = False) -> None:
    """Record that you told the referrer what came of it.

    Example: kithbook referral reported ref_1234
    """
    with services(ctx) as svc:
        r = svc.referrals.reported(referral)
    emit(ctx, r, lambda con: render_referral(con, r), json_flag=json_out)


@referral_app.command("list")
def referral_list(ctx: typer.Context,
                  person: Annotated[str | None, typer.Argument(help="A person.")] = None,
                  json_out: JsonOpt = False) -> None:
    """Referrals, newest first.

    Example: kithbook referral list
    """
    with services(ctx) as svc:
        page = svc.referrals.list(person)
    emit(ctx, page, each(page.items, lambda con, r: render_referral(con, r), "No referrals."),
         json_flag=json_out)


@referral_app.command("asked")
def referral_asked(ctx: typer.Context, person: Person, json_out: JsonOpt = False) -> None:
    """Record that you asked someone for a referral (the agenda stops reminding you).

    Example: kithbook referral asked "Ana Silva"
    """
    with services(ctx) as svc:
        p = svc.referrals.asked(person)
    emit(ctx, p, lambda con: con.print(f"Asked {p.name} for a referral.  [dim]{p.id}[/dim]"),
         json_flag=json_out)


@referral_app.command("loop")
def referral_loop(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """The thank-you loop: referrals to thank for or to report back on.

    Example: kithbook referral loop
    """
    with services(ctx) as svc:
        page = svc.referrals.loop()
    emit(ctx, page, each(page.items, lambda con, r: render_referral(con, r),
                         "Nothing to thank for or report back on."), json_flag=json_out)


@referral_app.command("advocates")
def referral_advocates(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Advocates ranked by what their referrals brought.

    Example: kithbook referral advocates
    """
    with services(ctx) as svc:
        page = svc.referrals.advocates()
    emit(ctx, page, each(page.items, lambda con, a: con.print(
        f"{a.rank}. {a.name}: {a.referrals} referrals, {a.won} won, value {a.value}  "
        f"[dim]{a.id}[/dim]"), "No advocates yet."),
        json_flag=json_out)


def render_report(con: Console, r: MonthReport) -> None:
    con.print(f"[bold]{r.name}[/bold] ({r.timezone}): {r.total_minutes:g} min, "
              f"{r.value_count} values worth {r.value_amount}")
    con.print("  " + ", ".join(f"{k.replace('_', ' ')} {v:g} min" for k, v in r.minutes.items()))
    for v in r.values:
        if v.count:
            con.print(f"  {v.name}: {v.count} ({v.amount})")
    for s in r.people:
        con.print(f"  {s.name}: {s.minutes:g} min, {s.amount}")
    for m in r.trend:
        con.print(f"  {m.name}: {m.total_minutes:g} min, {m.value_amount}")


@time_app.command("report")
def time_report(ctx: typer.Context,
                month: Annotated[str | None, typer.Option(help="YYYY-MM (default: this "
                                                          "month).")] = None,
                months: Annotated[int, typer.Option(help="Months in the trend.")] = 12,
                json_out: JsonOpt = False) -> None:
    """Where relationship time went in a month and what it returned.

    Example: kithbook time report --month 2026-11
    """
    with services(ctx) as svc:
        r = svc.timevalue.report(month, months=months)
    emit(ctx, r, lambda con: render_report(con, r), json_flag=json_out)


@time_app.command("log")
def time_log(ctx: typer.Context, minutes: Annotated[int, typer.Argument(help="Minutes.")],
             kind: Annotated[str, typer.Argument(help="preparation, meetings, follow_up, "
                                                 "events.")],
             person: Annotated[str | None, typer.Option(help="With whom.")] = None,
             note: Annotated[str | None, typer.Option(help="A note.")] = None,
             json_out: JsonOpt = False) -> None:
    """Time spent on relationships outside logged interactions.

    Example: kithbook time log 30 preparation --person "Ana Silva"
    """
    with services(ctx) as svc:
        t = svc.timevalue.log_time(minutes, kind, person=person, note=note)
    emit(ctx, t, lambda con: con.print(f"Logged {t.minutes} min of {t.kind}  [dim]{t.id}[/dim]"),
         json_flag=json_out)


@time_app.command("value")
def time_value(ctx: typer.Context,
               kind: Annotated[str, typer.Argument(help="deal, referral, hire, answer, "
                                                   "saving.")],
               amount: Annotated[str | None, typer.Option(help="What it was worth.")] = None,
               person: Annotated[str | None, typer.Option(help="Thanks to whom.")] = None,
               on: Annotated[str | None, typer.Option("--on", help="YYYY-MM-DD.")] = None,
               note: Annotated[str | None, typer.Option(help="A note.")] = None,
               json_out: JsonOpt = False) -> None:
    """Value a relationship returned.

    Example: kithbook time value deal --amount 12000 --person "Ana Silva"
    """
    with services(ctx) as svc:
        v = svc.timevalue.log_value(kind, amount=amount, person=person, on=day(on, "--on"),
                                    note=note)
    emit(ctx, v, lambda con: con.print(f"Logged {v.kind} {v.amount or ''}  [dim]{v.id}[/dim]"),
         json_flag=json_out)
