"""The craft of networking in `kithbook demo` (docs/networking-craft.md): pitches
with uses and a rehearsal, stories told, targets, a meeting today and an event tomorrow
with a plan, research notes, claims, what I told whom (with one conflict), referrals
(one to thank), a survey with an outlier and one everyone answered, an idea test, claims
to verify, time and value over several months, and one private survey link. Written
through the use cases, as of the demo's day (noon UTC) with seeded ids: same seed and
day, same records. The survey link's id is seeded like every id, but its token is not:
it comes from `secrets` as every link's does (services/links.py), so the demo's link
is as unguessable as any other and differs from one load to the next; only a hash of
it is stored, and the URL is shown once, in what the demo returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kithbook.services.app import Services
    from kithbook.services.links import IssuedLink
    from kithbook.services.resolve import PersonLike

NEEDED = 8


def load_craft(svc: Services, seed: int = 7) -> tuple[int, IssuedLink | None]:
    """Adds the craft records; returns how many use cases ran (0: too few people) and
    the survey link sent to one person who has not answered (None: too few people)."""
    from kithbook import ids
    from kithbook.services.app import Services as Svc

    s = Svc(svc.db, replace(svc.config, as_of=svc.today), actor=svc.actor)
    found = s.people.list(tier="A", limit=50).items
    others = s.people.list(limit=50).items
    people = [p.id for p in [*found, *others] if not p.is_me]
    people = list(dict.fromkeys(people))
    if len(people) < NEEDED:
        return 0, None
    p = people[:NEEDED]
    today = s.today

    def ago(days: int) -> datetime:
        return datetime.combine(today - timedelta(days=days), time(10, 0), tzinfo=UTC)

    n = 0
    with ids.seeded(seed + 8008):
        buyers = s.pitches.add(
            "Buyers in 20 seconds", "buyers",
            "We help logistics teams keep the promises they make to customers: every "
            "commitment tracked, every follow-up on time, nothing lost between shifts.",
            goal="a demo with their operations lead")
        investors = s.pitches.add(
            "Investors in 30 seconds", "investors",
            "Networking is how small firms win, yet nobody measures it. We turn meetings "
            "into promises kept and referrals won, and show what each hour returned.",
            goal="a second meeting")
        s.pitches.add(
            "Partner pitch, long form", "partners",
            " ".join(["We bring the customers, you bring the trucks, and together we "
                      "offer night deliveries in the northern region."] * 5),
            goal="a pilot")
        s.pitches.rehearse(investors.id, on=today - timedelta(days=2), seconds=31,
                           rating=4, notes="slower on the second sentence")
        for who, pitch, outcome, days in ((p[0], buyers.id, "advanced", 30),
                                          (p[1], buyers.id, "interested", 20),
                                          (p[2], buyers.id, "declined", 12),
                                          (p[3], investors.id, "interested", 5)):
            s.pitches.use(pitch, who, outcome=outcome, on=today - timedelta(days=days))
        n += 8
        rain = s.stories.add("The rainy launch", "It rained on launch day, the trucks were "
                             "late, and we still shipped every order by hand.",
                             theme="grit", audience="buyers")
        s.stories.add("The first customer", "Our first customer found us through a "
                      "referral from her cousin, and is still with us.", theme="referrals")
        s.stories.add("Why we started", "We lost a contract because a promise was "
                      "forgotten between two shifts.", theme="origin", audience="investors")
        s.stories.tell(rain.id, [p[0], p[1]], at=ago(20), landed=True)
        n += 4
        s.research.add_target(p[4], why="runs the port's freight planning", priority="high",
                              how="the meetup tomorrow, through " + s.people.resolve(p[0]).name)
        s.research.add_target("a CFO at a regional port", person=False,
                              why="to test the pricing", priority="medium")
        coffee = s.research.add_event("Coffee", today, kind="meeting", at="15:00",
                                      place="Café Central")
        s.research.attend(coffee.id, p[0])
        meetup = s.research.add_event("Port Logistics Meetup", today + timedelta(days=1),
                                      kind="meetup", at="18:30", place="Harbour Hall")
        s.research.attend(meetup.id, p[4], plan=True, via=p[0],
                          opener="ask how the new terminal changes their planning")
        s.research.attend(meetup.id, p[5], plan=True)
        s.research.add_note(p[0], "Moved from rail to road freight last year; decides "
                            "with the operations lead.", sources=["company website"])
        s.research.add_note(p[4], "Speaks at the meetup on terminal capacity.",
                            sources=["meetup programme"])
        n += 9
        s.honesty.claim(p[1], "Their fleet doubles next year", topic="fleet",
                        on=today - timedelta(days=20))
        s.honesty.claim(p[2], "They signed with a new carrier", topic="carriers",
                        status="verified", source="press release",
                        on=today - timedelta(days=40))
        s.honesty.said(p[0], "pricing", "The pilot costs 12 a seat", value="12",
                       on=today - timedelta(days=30))
        s.honesty.said(p[3], "pricing", "The pilot costs 10 a seat", value="10",
                       on=today - timedelta(days=5))
        n += 4
        won = s.referrals.add(p[1], p[7], on=today - timedelta(days=40))
        s.referrals.outcome(won.id, "won", value="4800")
        s.referrals.thank(won.id)
        s.referrals.add(p[0], p[6], on=today - timedelta(days=3))
        n += 4
        asked: list[PersonLike] = [*p[:6]]
        survey = s.surveys.create("How many trucks will the port need in 2027?",
                                  people=asked)
        for who, answer in ((p[0], "120"), (p[1], "140"), (p[2], "135"), (p[3], "900")):
            s.surveys.answer(survey.id, who, answer)
        s.surveys.thank(survey.id, p[0])
        idea = s.surveys.idea("Night deliveries", text="Deliver between 22:00 and 6:00.")
        for who, scores in ((p[1], (5, 4, 4)), (p[2], (4, 4, 5)), (p[3], (3, 2, 4))):
            s.surveys.feedback(idea.id, who, interest=scores[0], would_use=scores[1],
                               clarity=scores[2])
        n += 11
        s.timevalue.log_time(45, "preparation", person=p[4], at=ago(1))
        s.timevalue.log_time(120, "events", at=ago(8))
        s.timevalue.log_value("saving", amount="350", person=p[1], on=today - timedelta(days=9))
        s.timevalue.log_value("answer", person=p[2], on=today - timedelta(days=3))
        n += 4
        n += _more(s, p, today, ago)
        # last, so every id drawn before it stays as it was: one of the people asked
        # who has not answered gets a link (the survey page shows it sent)
        link = s.surveys.send(survey.id, p[4])
        n += 1
    return n, link


def _more(s: Services, p: list[str], today: date,
          ago: Callable[[int], datetime]) -> int:
    """What the research, honesty, survey and time pages show besides: an event ahead
    with its plan, a target met, claims to verify (one before tomorrow's meetup) and
    checked, a survey everyone answered (to close), earlier months of time and value
    for the report's trend, and a past event with whom I met there."""
    expo = s.research.add_event("Freight Week", today + timedelta(days=10), kind="conference",
                                at="09:00", place="Exhibition Centre, Hall B",
                                url="https://freight-week.example/programme")
    s.research.attend(expo.id, p[6], plan=True, via=p[1],
                      opener="congratulate them on the new cold-storage hub")
    s.research.attend(expo.id, p[7], plan=True)
    s.research.attend(expo.id, p[3], role="speaker")
    met = s.research.add_target(p[2], why="knows every carrier in the region",
                                priority="low", how="their new carrier's launch party")
    s.research.set_target_status(met.id, "met")
    s.research.add_note(p[1], "Fleet of 40 trucks; renews its planning software every "
                        "three years, next in spring.",
                        sources=["https://example.com/fleet-news/2026-09",
                                 "their annual report"])
    s.honesty.claim(p[4], "They are hiring two freight planners this winter",
                    topic="hiring", on=today - timedelta(days=3))
    s.honesty.claim(p[3], "Their budget doubles next year", topic="budget",
                    status="false", source="their annual report",
                    on=today - timedelta(days=50))
    s.honesty.said(p[1], "launch", "We launch the pilot in March", value="March",
                   on=today - timedelta(days=10))
    fair = s.surveys.create("Which trade fair matters most next year?", kind="choice",
                            choices=["Port Expo", "Rail Days", "Freight Week"],
                            people=[p[1], p[2], p[3]])
    for who, answer in ((p[1], "Port Expo"), (p[2], "Freight Week"), (p[3], "Port Expo")):
        s.surveys.answer(fair.id, who, answer)
    s.surveys.thank(fair.id, p[1])
    logged: list[tuple[int, str, str | None, int]] = [
        (60, "preparation", p[0], 44), (30, "follow_up", p[1], 16), (180, "events", None, 100),
        (45, "meetings", p[2], 75)]
    for minutes, kind, whom, days in logged:
        s.timevalue.log_time(minutes, kind, person=whom, at=ago(days))
    for kind, amount, who, days in (("deal", "2400", p[0], 45), ("saving", "600", p[2], 75),
                                    ("referral", "1500", p[1], 110),
                                    ("hire", None, p[3], 6)):
        s.timevalue.log_value(kind, amount=amount, person=who,
                              on=today - timedelta(days=days))
    launch = s.research.add_event("Carrier launch party", today - timedelta(days=14),
                                  kind="dinner", at="19:00", place="Pier 4")
    s.research.attend(launch.id, p[2], plan=True, opener="ask about the new carrier")
    s.research.attend(launch.id, p[7])
    s.research.met_at(launch.id, p[2])
    return 30
