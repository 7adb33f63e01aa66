"""`kithbook pitch`, `story`, `claim`, `told`: elevator pitches, the story bank, claims
people made and what I told whom (docs/networking-craft.md). Thin: parse, call
services, render."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from kithbook.cli.common import emit, services
from kithbook.cli.craft import JsonOpt, Person, day, each

if TYPE_CHECKING:
    from rich.console import Console

    from kithbook.domain.craft_records import Claim, Pitch, Statement, Story, TellResult

pitch_app = typer.Typer(help="Elevator pitches by audience and goal: versions, spoken length, "
                        "rehearsals, uses and what came of them.\n\nExample: kithbook pitch add "
                        "\"Rail freight\" --audience \"logistics buyers\" \"We move ...\"",
                        no_args_is_help=True)
story_app = typer.Typer(help="The story bank: themes, audiences, lengths; who heard which "
                        "story, and a warning before telling it twice.\n\nExample: kithbook "
                        "story tell \"Night shift\" \"Ana Silva\"", no_args_is_help=True)
claim_app = typer.Typer(help="Claims people made, and whether they held.\n\nExample: kithbook "
                        "claim add \"Ana Silva\" \"We tender every March\"", no_args_is_help=True)
told_app = typer.Typer(help="What you told whom, so your story stays consistent; warns where "
                       "two statements conflict.\n\nExample: kithbook told add \"Ana Silva\" "
                       "\"team size\" \"We are 12\" --value 12", no_args_is_help=True)
PitchArg = Annotated[str, typer.Argument(help="The pitch: its name or id.")]
StoryArg = Annotated[str, typer.Argument(help="The story: its title or id.")]
People = Annotated[list[str], typer.Argument(help="People: names, emails or ids.")]


def register(app: typer.Typer) -> None:
    app.add_typer(pitch_app, name="pitch")
    app.add_typer(story_app, name="story")
    app.add_typer(claim_app, name="claim")
    app.add_typer(told_app, name="told")


# -- pitches -------------------------------------------------------------------------------


def render_pitch(con: Console, p: Pitch, *, full: bool = True) -> None:
    score = f", score {p.score.score:.2f} over {p.score.scored_uses} uses" if p.score else ""
    con.print(f"[bold]{p.name}[/bold] for {p.audience} (v{p.version}, {p.words} words, "
              f"{p.seconds} s{score})  [dim]{p.id}[/dim]")
    for w in p.warnings:
        con.print(f"  [yellow]warning:[/yellow] {w}")
    if not full:
        return
    if p.goal:
        con.print(f"  goal: {p.goal}")
    con.print(f"  {p.text}")
    for r in p.rehearsals:
        con.print(f"  rehearsed {r.on} v{r.version}: {r.seconds or '-'} s, rating "
                  f"{r.rating or '-'}{' - ' + r.notes if r.notes else ''}")
    for u in p.uses:
        con.print(f"  used {u.used_on} with {u.person.name}: {u.outcome}  [dim]{u.id}[/dim]")


@pitch_app.command("add")
def pitch_add(ctx: typer.Context, name: Annotated[str, typer.Argument(help="A name.")],
              text: Annotated[str, typer.Argument(help="The pitch as you say it.")],
              audience: Annotated[str, typer.Option(help="Who it is for.")],
              goal: Annotated[str | None, typer.Option(help="What it should get.")] = None,
              json_out: JsonOpt = False) -> None:
    """A new pitch (its first version); its spoken length is computed.

    Example: kithbook pitch add "Rail" "We move freight by rail." --audience buyers
    """
    with services(ctx) as svc:
        p = svc.pitches.add(name, audience, text, goal=goal)
    emit(ctx, p, lambda con: render_pitch(con, p), json_flag=json_out)


@pitch_app.command("revise")
def pitch_revise(ctx: typer.Context, pitch: PitchArg,
                 text: Annotated[str, typer.Argument(help="The new version.")],
                 json_out: JsonOpt = False) -> None:
    """A new version of a pitch (old versions are kept).

    Example: kithbook pitch revise Rail "Cheaper, greener freight by rail."
    """
    with services(ctx) as svc:
        p = svc.pitches.revise(pitch, text)
    emit(ctx, p, lambda con: render_pitch(con, p), json_flag=json_out)


@pitch_app.command("list")
def pitch_list(ctx: typer.Context,
               audience: Annotated[str | None, typer.Option(help="Only this audience.")] = None,
               json_out: JsonOpt = False) -> None:
    """The pitch bank with lengths and scores.

    Example: kithbook pitch list
    """
    with services(ctx) as svc:
        page = svc.pitches.list(audience=audience)
    emit(ctx, page, each(page.items, lambda con, p: render_pitch(con, p, full=False),
                         "No pitches."),
         json_flag=json_out)


@pitch_app.command("show")
def pitch_show(ctx: typer.Context, pitch: PitchArg, json_out: JsonOpt = False) -> None:
    """One pitch: text, rehearsals, uses, score.

    Example: kithbook pitch show Rail
    """
    with services(ctx) as svc:
        p = svc.pitches.show(pitch)
    emit(ctx, p, lambda con: render_pitch(con, p), json_flag=json_out)


@pitch_app.command("length")
def pitch_length(ctx: typer.Context, text: Annotated[str, typer.Argument(help="Any text.")],
                 json_out: JsonOpt = False) -> None:
    """How long a text takes to say, at 150 words a minute.

    Example: kithbook pitch length "We move freight by rail."
    """
    with services(ctx) as svc:
        n = svc.pitches.length(text)
    emit(ctx, n, each([f"{n.words} words, {n.label}", *(f"warning: {w}" for w in n.warnings)],
                      lambda con, line: con.print(line), ""), json_flag=json_out)


@pitch_app.command("rehearse")
def pitch_rehearse(
    ctx: typer.Context, pitch: PitchArg,
    seconds: Annotated[int | None, typer.Option(help="How long it took.")] = None,
    rating: Annotated[int | None, typer.Option(help="Your self-rating, 1-5.")] = None,
    notes: Annotated[str | None, typer.Option(help="What to change.")] = None,
    on: Annotated[str | None, typer.Option("--on", help="YYYY-MM-DD (default today).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Log a rehearsal.

    Example: kithbook pitch rehearse Rail --seconds 25 --rating 4 --notes "slower"
    """
    with services(ctx) as svc:
        p = svc.pitches.rehearse(pitch, on=day(on, "--on"), seconds=seconds, rating=rating,
                                 notes=notes)
    emit(ctx, p, lambda con: render_pitch(con, p), json_flag=json_out)


@pitch_app.command("use")
def pitch_use(
    ctx: typer.Context, pitch: PitchArg, person: Person,
    outcome: Annotated[str, typer.Option(help="advanced, interested, neutral, declined, "
                                         "unknown.")] = "unknown",
    on: Annotated[str | None, typer.Option("--on", help="YYYY-MM-DD (default today).")] = None,
    interaction: Annotated[str | None, typer.Option(help="The interaction's id.")] = None,
    note: Annotated[str | None, typer.Option(help="A note.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """You used a pitch with someone; say what came of it.

    Example: kithbook pitch use Rail "Ana Silva" --outcome advanced
    """
    with services(ctx) as svc:
        p = svc.pitches.use(pitch, person, outcome=outcome, on=day(on, "--on"),
                            interaction=interaction, note=note)
    emit(ctx, p, lambda con: render_pitch(con, p), json_flag=json_out)


@pitch_app.command("outcome")
def pitch_outcome(ctx: typer.Context, use: Annotated[str, typer.Argument(help="The use's id.")],
                  outcome: Annotated[str, typer.Argument(help="advanced, interested, neutral, "
                                                         "declined, unknown.")],
                  json_out: JsonOpt = False) -> None:
    """What came of one use of a pitch, once you know.

    Example: kithbook pitch outcome use_1234 advanced
    """
    with services(ctx) as svc:
        p = svc.pitches.set_outcome(use, outcome)
    emit(ctx, p, lambda con: render_pitch(con, p), json_flag=json_out)


@pitch_app.command("best")
def pitch_best(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """The pitch that works best for each audience.

    Example: kithbook pitch best
    """
    with services(ctx) as svc:
        page = svc.pitches.best()
    emit(ctx, page, each(page.items, lambda con, s: con.print(
        f"{s.audience}: {s.name} (score {s.score:.2f}, {s.scored_uses} scored uses, "
        f"{s.seconds} s)  [dim]{s.id}[/dim]"), "No pitches."), json_flag=json_out)


# -- stories -------------------------------------------------------------------------------


def render_story(con: Console, s: Story, *, full: bool = True) -> None:
    about = ", ".join(x for x in (s.theme, s.audience) if x)
    st = s.stats
    told = f"; told {st.told}x to {st.listeners}, landed {st.landed}" if st else ""
    con.print(f"[bold]{s.name}[/bold] ({s.seconds} s{', ' + about if about else ''}{told})  "
              f"[dim]{s.id}[/dim]")
    if full:
        con.print(f"  {s.text}")
        for t in s.tellings:
            landed = {True: ", landed", False: ", fell flat"}.get(t.landed, "")  # type: ignore[arg-type]
            con.print(f"  told {t.told_at.date()} to {t.person.name}{landed}  [dim]{t.id}[/dim]")


def render_tell(con: Console, r: TellResult) -> None:
    for w in r.warnings:
        con.print(f"[yellow]warning:[/yellow] {w.message}")
    if r.recorded:
        con.print(f"Told '{r.name}' to " + ", ".join(t.person.name for t in r.recorded) + ".")
    elif not r.warnings:
        con.print(f"Nobody there has heard '{r.name}'.")


@story_app.command("add")
def story_add(ctx: typer.Context, title: Annotated[str, typer.Argument(help="A title.")],
              text: Annotated[str, typer.Argument(help="The story.")],
              theme: Annotated[str | None, typer.Option(help="Its theme.")] = None,
              audience: Annotated[str | None, typer.Option(help="Who it suits.")] = None,
              json_out: JsonOpt = False) -> None:
    """A story for the bank.

    Example: kithbook story add "Night shift" "We moved a factory in a night." --theme grit
    """
    with services(ctx) as svc:
        s = svc.stories.add(title, text, theme=theme, audience=audience)
    emit(ctx, s, lambda con: render_story(con, s), json_flag=json_out)


@story_app.command("list")
def story_list(ctx: typer.Context,
               theme: Annotated[str | None, typer.Option(help="Only this theme.")] = None,
               audience: Annotated[str | None, typer.Option(help="Only this audience.")] = None,
               max_seconds: Annotated[int | None, typer.Option(help="At most this long.")] = None,
               json_out: JsonOpt = False) -> None:
    """The story bank.

    Example: kithbook story list --theme grit
    """
    with services(ctx) as svc:
        page = svc.stories.list(theme=theme, audience=audience, max_seconds=max_seconds)
    emit(ctx, page, each(page.items, lambda con, s: render_story(con, s, full=False),
                         "No stories."),
         json_flag=json_out)


@story_app.command("show")
def story_show(ctx: typer.Context, story: StoryArg, json_out: JsonOpt = False) -> None:
    """One story and everyone who heard it.

    Example: kithbook story show "Night shift"
    """
    with services(ctx) as svc:
        s = svc.stories.show(story)
    emit(ctx, s, lambda con: render_story(con, s), json_flag=json_out)


@story_app.command("check")
def story_check(ctx: typer.Context, story: StoryArg, people: People,
                json_out: JsonOpt = False) -> None:
    """Before telling a story: who among these people heard it already.

    Example: kithbook story check "Night shift" "Ana Silva" "Ben Okafor"
    """
    with services(ctx) as svc:
        r = svc.stories.check(story, list(people))
    emit(ctx, r, lambda con: render_tell(con, r), json_flag=json_out)


@story_app.command("tell")
def story_tell(
    ctx: typer.Context, story: StoryArg, people: People,
    landed: Annotated[bool | None, typer.Option("--landed/--flat",
                                                help="Whether it landed.")] = None,
    again: Annotated[bool, typer.Option("--again", help="Record it even for people who "
                                        "heard it already.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Record that you told a story (refused, with a warning, for anyone who heard it).

    Example: kithbook story tell "Night shift" "Ana Silva" --landed
    """
    with services(ctx) as svc:
        r = svc.stories.tell(story, list(people), landed=landed, again=again)
    emit(ctx, r, lambda con: render_tell(con, r), json_flag=json_out)


@story_app.command("landed")
def story_landed(
    ctx: typer.Context,
    telling: Annotated[str, typer.Argument(help="The telling's id (from `story show`).")],
    landed: Annotated[bool, typer.Option("--landed/--flat", help="Whether it landed.")] = True,
    json_out: JsonOpt = False,
) -> None:
    """Say whether a telling landed or fell flat, after the fact.

    Example: kithbook story landed tel_3k9 --flat
    """
    with services(ctx) as svc:
        s = svc.stories.landed(telling, landed)
    emit(ctx, s, lambda con: render_story(con, s), json_flag=json_out)


# -- claims and statements -------------------------------------------------------------------


def render_claim(con: Console, c: Claim) -> None:
    src = f" [dim](source: {c.source})[/dim]" if c.source else ""
    con.print(f"[{c.status}] {c.person.name}: {c.name}{src}  [dim]{c.id}[/dim]")


@claim_app.command("add")
def claim_add(ctx: typer.Context, person: Person,
              text: Annotated[str, typer.Argument(help="What they claimed.")],
              topic: Annotated[str | None, typer.Option(help="Its topic.")] = None,
              on: Annotated[str | None, typer.Option("--on", help="YYYY-MM-DD.")] = None,
              status: Annotated[str, typer.Option(help="verified, false, unknown.")] = "unknown",
              source: Annotated[str | None, typer.Option(help="How you know.")] = None,
              json_out: JsonOpt = False) -> None:
    """A claim someone made, to check later.

    Example: kithbook claim add "Ana Silva" "We tender every March"
    """
    with services(ctx) as svc:
        c = svc.honesty.claim(person, text, topic=topic, on=day(on, "--on"), status=status,
                              source=source)
    emit(ctx, c, lambda con: render_claim(con, c), json_flag=json_out)


@claim_app.command("check")
def claim_check(ctx: typer.Context, claim: Annotated[str, typer.Argument(help="Claim id.")],
                status: Annotated[str, typer.Argument(help="verified, false, unknown.")],
                source: Annotated[str | None, typer.Option(help="How you know.")] = None,
                json_out: JsonOpt = False) -> None:
    """Whether a claim held, with the source.

    Example: kithbook claim check clm_1234 false --source "tender notice"
    """
    with services(ctx) as svc:
        c = svc.honesty.check_claim(claim, status, source=source)
    emit(ctx, c, lambda con: render_claim(con, c), json_flag=json_out)


@claim_app.command("list")
def claim_list(ctx: typer.Context,
               person: Annotated[str | None, typer.Argument(help="A person.")] = None,
               status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
               json_out: JsonOpt = False) -> None:
    """Claims people made, newest first.

    Example: kithbook claim list "Ana Silva"
    """
    with services(ctx) as svc:
        page = svc.honesty.claims(person, status=status)
    emit(ctx, page, each(page.items, lambda con, c: render_claim(con, c), "No claims."),
         json_flag=json_out)


def render_statement(con: Console, s: Statement) -> None:
    gone = " [dim](withdrawn)[/dim]" if s.withdrawn else ""
    con.print(f"{s.said_on} to {s.person.name} on {s.topic}: {s.name}{gone}  [dim]{s.id}[/dim]")


@told_app.command("add")
def told_add(ctx: typer.Context, person: Person,
             topic: Annotated[str, typer.Argument(help="The topic.")],
             text: Annotated[str, typer.Argument(help="What you said.")],
             value: Annotated[str | None, typer.Option(help="The fact in a word or number.")]
             = None,
             on: Annotated[str | None, typer.Option("--on", help="YYYY-MM-DD.")] = None,
             json_out: JsonOpt = False) -> None:
    """Record what you told someone; warns where it conflicts with what you told others.

    Example: kithbook told add "Ana Silva" "team size" "We are 12" --value 12
    """
    with services(ctx) as svc:
        r = svc.honesty.said(person, topic, text, value=value, on=day(on, "--on"))

    def render(con: Console) -> None:
        render_statement(con, r.statement)
        for c in r.conflicts:
            con.print(f"[yellow]warning:[/yellow] conflicts on {c.name}: {c.reason}.")

    emit(ctx, r, render, json_flag=json_out)


@told_app.command("list")
def told_list(ctx: typer.Context,
              person: Annotated[str | None, typer.Argument(help="A person.")] = None,
              topic: Annotated[str | None, typer.Option(help="Only this topic.")] = None,
              json_out: JsonOpt = False) -> None:
    """What you told whom, newest first.

    Example: kithbook told list --topic "team size"
    """
    with services(ctx) as svc:
        page = svc.honesty.told(person, topic=topic)
    emit(ctx, page, each(page.items, lambda con, s: render_statement(con, s), "Nothing recorded."),
         json_flag=json_out)


@told_app.command("conflicts")
def told_conflicts(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Statements to different people that do not agree.

    Example: kithbook told conflicts
    """
    with services(ctx) as svc:
        page = svc.honesty.conflicts()
    emit(ctx, page, each(page.items, lambda con, c: con.print(
        f"{c.name}: {c.reason}. [dim]({c.first_id}, {c.second_id})[/dim]"),
        "No conflicts: your story is consistent."),
         json_flag=json_out)


@told_app.command("withdraw")
def told_withdraw(ctx: typer.Context,
                  statement: Annotated[str, typer.Argument(help="Statement id.")],
                  json_out: JsonOpt = False) -> None:
    """Withdraw a statement you corrected.

    Example: kithbook told withdraw stm_1234
    """
    with services(ctx) as svc:
        s = svc.honesty.withdraw(statement)
    emit(ctx, s, lambda con: render_statement(con, s), json_flag=json_out)
