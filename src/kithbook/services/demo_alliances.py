"""The alliance portfolio of `kithbook demo` (docs/alliance-management.md): a joint bid, a buying
group, a licensing deal and a joint venture in trouble. Everything is written through
the same use cases a user calls, back-dated step by step (a Services per day), so
every view has a history: meetings, measurements, confirmations, health checks."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from kithbook.services.alliance_measures import NewObjective
from kithbook.services.alliance_work import NewMeeting, RaciAssignment
from kithbook.services.alliances import AllianceChanges, NewAlliance
from kithbook.services.people import NewPerson

if TYPE_CHECKING:
    from kithbook.domain.alliances.records import Forum
    from kithbook.services.app import Services

US = "Morgan & Partners"
GOOD = dict.fromkeys(("strategic_value", "operational_effectiveness", "relationship_trust",
                      "governance_effectiveness", "communication_quality",
                      "goal_role_clarity", "commitment_fairness"), 4)


class Portfolio:
    """Builds the four alliances against one database, dated relative to `today`."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc
        self.today = svc.today
        self.people: dict[str, str] = {}  # name -> id
        self.forums: dict[str, Forum] = {}

    def at(self, days_ago: int) -> Services:
        from kithbook.services.app import Services

        day = self.today - timedelta(days=days_ago)
        return Services(self.svc.db, replace(self.svc.config, as_of=day), actor=self.svc.actor)

    def day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)

    def when(self, days_ago: int, hour: int = 10) -> datetime:
        return datetime.combine(self.day(days_ago), time(hour, 0), tzinfo=UTC)

    def forum(self, s: Services, alliance: str, title: str, cadence: str, *,
              layer: str) -> None:
        self.forums[title] = s.alliance_work.add_forum(alliance, title, cadence, layer=layer)

    def fid(self, title: str) -> str:
        return self.forums[title].id

    def person(self, name: str, org: str, title: str) -> str:
        if name not in self.people:
            first = name.split()[0].lower()
            domain = org.lower().replace("&", "and").replace(" ", "") + ".example"
            p = self.at(0).people.add(NewPerson(name=name, org=org, title=title,
                                              emails=[f"{first}@{domain}"], tier="B"))
            self.people[name] = p.id
        return self.people[name]

    def team(self, org: str, *members: tuple[str, str]) -> list[str]:
        return [self.person(n, org, t) for n, t in members]

    def build(self) -> list[str]:
        ours = self.team(US, ("Priya Natarajan", "Operations Director"),
                         ("Tom Becker", "Bid Manager"), ("Lena Fischer", "Finance Lead"))
        self.us = ours
        return [self.joint_bid(), self.buying_group(), self.licensing(), self.venture()]

    # -- a joint bid with two firms, launched and healthy --------------------------------

    def joint_bid(self) -> str:
        name = "Harbour crane tender"
        nw = self.team("Northwind Logistics", ("Nina Holm", "Managing Director"),
                       ("Ned Sørensen", "Head of Operations"), ("Nora Berg", "Bid Writer"))
        bl = self.team("Baltic Lift", ("Karl Weiss", "CEO"), ("Kasia Nowak", "Engineer"))
        s = self.at(120)
        s.alliances.create(NewAlliance(
            name, type="joint_proposal", us=US, partners=["Northwind Logistics", "Baltic Lift"],
            purpose="Win the port authority's crane-services tender as one consortium.",
            rationale="Northwind holds the port licence and Baltic Lift the cranes; we bring "
                      "the project management. None of us could bid alone.",
            started_on=self.day(120), planned_end_on=self.day(-420), notice_days=60,
            decision_on=self.day(-45)))
        s.alliances.add_partner(name, "us", sponsor=self.us[0], contacts=self.us[1:2])
        s.alliances.add_partner(name, "Northwind Logistics", sponsor=nw[0], contacts=nw[1:],
                                role="lead bidder")
        s.alliances.add_partner(name, "Baltic Lift", sponsor=bl[0], contacts=bl[1:])
        g_us = s.alliance_work.add_goal(name, "us", "Win the tender and run the project office",
                                        kpi="tender won")
        g_nw = s.alliance_work.add_goal(name, "Northwind Logistics",
                                        "Keep the port licence busy all year", kpi="port volume")
        g_bl = s.alliance_work.add_goal(name, "Baltic Lift", "Place six cranes on a 3-year lease",
                                        kpi="cranes leased")
        s.alliances.move(name, "negotiate")
        s = self.at(100)
        for goal, others in ((g_us, ("Northwind Logistics", "Baltic Lift")),
                             (g_nw, ("us", "Baltic Lift")), (g_bl, ("us", "Northwind Logistics"))):
            for p in others:
                s.alliance_work.confirm(name, goal.id, p, "confirmed")
        for party, kind, amount, rate in (("us", "hours", "300", "95"),
                                          ("Northwind Logistics", "cash", "15000", None),
                                          ("Baltic Lift", "hours", "160", "110")):
            s.alliance_measures.contribute(name, party, kind, amount, rate=rate,
                                           stage="committed", on=self.day(100))
        self.forum(s, name, "Bid team", "weekly", layer="operations")
        self.forum(s, name, "Steering group", "monthly", layer="steering")
        s.alliances.add_document(name, "Pre-bid agreement", "https://files.example/pba.pdf",
                                 kind="agreement")
        s.alliance_work.add_obligation(name, "Each member keeps bid material confidential "
                                       "for two years after the award", kind="exit_provision")
        ob = s.alliance_work.add_obligation(name, "Submit the tender by the portal deadline",
                                            partner="Northwind Logistics", due_on=self.day(-30))
        s.alliances.move(name, "launch")
        s = self.at(90)
        won = s.alliance_measures.add_objective(name, NewObjective(
            "Tender sections delivered", metric="sections signed off", unit="sections",
            kind="means", baseline="0", target="12", start_on=self.day(90),
            deadline=self.day(-25), owner="Northwind Logistics", owner_person=nw[2], weight=60))
        price = s.alliance_measures.add_objective(name, NewObjective(
            "Price below the estimate", metric="bid price", unit="kEUR", baseline="4200",
            target="3800", start_on=self.day(90), deadline=self.day(-25), owner="us",
            owner_person=self.us[1], weight=40))
        Cell = tuple[str, str, str | None]
        rows: list[tuple[str, str | None, str | None, list[Cell]]] = [
            ("Write the technical section", won.id, None, [("Northwind Logistics", "A", nw[0]),
             ("Northwind Logistics", "R", nw[2]), ("Baltic Lift", "C", bl[1]), ("us", "I", None)]),
            ("Cost model and price", price.id, None, [("us", "A", self.us[0]),
             ("us", "R", self.us[1]), ("Baltic Lift", "C", bl[0]),
             ("Northwind Logistics", "C", nw[1])]),
            ("Crane availability plan", None, None, [("Baltic Lift", "A", bl[0]),
             ("Baltic Lift", "R", bl[1]), ("Northwind Logistics", "C", nw[1])]),
            ("Portal submission", None, ob.id, [("Northwind Logistics", "A", nw[0]),
             ("us", "R", self.us[1]), ("Baltic Lift", "I", None)]),
        ]
        for act, objective, obligation, cells in rows:
            s.alliance_work.add_activity(name, act, objective=objective, obligation=obligation,
                                         check_in_days=14, raci=[
                                             RaciAssignment(p, letters, person)
                                             for p, letters, person in cells])
        for weeks in range(12, -1, -1):
            d = 7 * weeks + 2
            sd = self.at(d)
            sd.alliance_work.log_meeting(name, NewMeeting(
                with_people=[nw[1], nw[2], bl[1]], forum=self.fid("Bid team"),
                when=self.when(d),
                summary="Bid team stand-up", minutes="Sections reviewed; risks updated.",
                minutes_count=45))
            if weeks <= 11:
                sd.alliance_measures.measure(name, won.id, str(min(12, 11 - weeks + 2)),
                                             on=self.day(d))
            if weeks % 3 == 0:
                sd.alliance_measures.measure(name, price.id, str(4200 - (12 - weeks) * 30),
                                             on=self.day(d))
        for m in (3, 2, 1, 0):
            d = 30 * m + 5
            self.at(d).alliance_work.log_meeting(name, NewMeeting(
                with_people=[nw[0], bl[0]], forum=self.fid("Steering group"),
                when=self.when(d, 15),
                summary="Steering group", minutes="Go/no-go confirmed; budget on track.",
                minutes_count=60))
        s = self.at(60)
        s.alliances.move(name, "manage", force=True, reason="the kickoff was the first bid "
                         "team meeting")
        for party, kind, amount, rate in (("us", "hours", "210", "95"),
                                          ("Northwind Logistics", "cash", "12000", None),
                                          ("Baltic Lift", "hours", "150", "110")):
            self.at(10).alliance_measures.contribute(name, party, kind, amount, rate=rate,
                                                     stage="delivered", on=self.day(10))
        s = self.at(3)
        dec = s.alliance_work.record_decision(
            name, "Bid at 3,850 kEUR with a 5% crane-availability bonus", partner="us",
            person=self.us[0], decided_on=self.day(3))
        s.alliance_work.confirm(name, dec.id, "Northwind Logistics", "confirmed", person=nw[0])
        s.alliance_work.add_action(name, "Send the final price sheet to Northwind",
                                   self.svc.people.resolve("me").id, due=self.day(-2),
                                   to=nw[0], decision=dec.id)
        s.alliance_work.add_action(name, "Crane certificates into the bid annex", bl[1],
                                   due=self.day(1))
        return name

    # -- a buying group of four small firms, monthly, mostly fine -------------------------

    def buying_group(self) -> str:
        name = "Office supplies buying group"
        gl = self.team("Greenleaf Dental", ("Greta Lind", "Practice Manager"),
                       ("Gus Lind", "Office Lead"), ("Gina Park", "Reception"))
        rb = self.team("Riverside Bakery", ("Rosa Marin", "Owner"), ("Rui Costa", "Buyer"))
        tp = self.team("Tallis Print", ("Theo Tallis", "Director"), ("Tara Quinn", "Admin"))
        s = self.at(400)
        s.alliances.create(NewAlliance(
            name, type="joint_purchasing", us=US,
            partners=["Greenleaf Dental", "Riverside Bakery", "Tallis Print"],
            purpose="Buy paper, toner and cleaning supplies together for volume prices.",
            rationale="Each of us alone is too small for the wholesaler's volume tiers.",
            started_on=self.day(400), planned_end_on=self.day(-330), notice_days=90,
            decision_on=self.day(-200)))
        s.alliances.add_partner(name, "us", sponsor=self.us[2])
        for org, team_ in (("Greenleaf Dental", gl), ("Riverside Bakery", rb),
                           ("Tallis Print", tp)):
            s.alliances.add_partner(name, org, sponsor=team_[0], contacts=team_[1:],
                                    share_bp=2500)
        goals = [s.alliance_work.add_goal(name, p, text, kpi="supplies cost",
                                          direction="decrease")
                 for p, text in (("us", "Cut supplies spend by a tenth"),
                                 ("Greenleaf Dental", "Cheaper sterile packs"),
                                 ("Riverside Bakery", "Cheaper packaging"),
                                 ("Tallis Print", "Cheaper paper stock"))]
        s.alliances.move(name, "negotiate")
        parties = ["us", "Greenleaf Dental", "Riverside Bakery", "Tallis Print"]
        s = self.at(380)
        for g, owner in zip(goals, parties, strict=True):
            for p in parties:
                if p != owner:
                    s.alliance_work.confirm(name, g.id, p, "confirmed")
        self.forum(s, name, "Members' meeting", "monthly", layer="management")
        s.alliances.add_document(name, "Buying group charter", "https://files.example/bg.pdf",
                                 kind="agreement")
        s.alliance_work.add_obligation(name, "Members give 90 days' notice and settle open "
                                       "orders before leaving", kind="exit_provision")
        for p in parties:
            s.alliance_measures.contribute(name, p, "cash", "500", stage="committed",
                                           description="yearly membership fee")
        s.alliances.move(name, "launch", force=True)
        sav = s.alliance_measures.add_objective(name, NewObjective(
            "Supplies savings", metric="savings against last year's prices", unit="EUR",
            baseline="0", target="18000", start_on=self.day(380), deadline=self.day(-15),
            owner="us", owner_person=self.us[2], weight=70))
        part = s.alliance_measures.add_objective(name, NewObjective(
            "Orders through the group", metric="share of members' orders", unit="%",
            kind="means", baseline="20", target="80", start_on=self.day(380),
            deadline=self.day(-15), owner="Riverside Bakery", owner_person=rb[1], weight=30))
        for act, obj, owner, person in (("Negotiate the wholesaler contract", sav.id, "us",
                                         self.us[2]),
                                        ("Pool the monthly orders", part.id, "Riverside Bakery",
                                         rb[1])):
            s.alliance_work.add_activity(name, act, objective=obj, check_in_days=30, raci=[
                RaciAssignment(owner, "AR", person),
                *[RaciAssignment(p, "C") for p in parties if p != owner][:2]])
        s.alliances.move(name, "manage", force=True)
        for m in range(12, -1, -1):
            d = 30 * m + 4
            sd = self.at(d)
            sd.alliance_work.log_meeting(name, NewMeeting(
                with_people=[gl[0], rb[0], tp[0]], forum=self.fid("Members' meeting"),
                when=self.when(d),
                summary="Members' meeting", minutes="Orders pooled; prices checked.",
                minutes_count=60))
            sd.alliance_measures.measure(name, sav.id, str(1300 * (12 - m) + 400),
                                         on=self.day(d))
            sd.alliance_measures.measure(name, part.id, str(min(85, 25 + 5 * (12 - m))),
                                         on=self.day(d))
            if m % 3 == 0:
                for p in parties:
                    sd.alliance_measures.contribute(name, p, "cash", "125", stage="delivered",
                                                    on=self.day(d))
        s = self.at(40)
        chk = s.alliance_measures.open_check(name, min_group=2)
        for p, team_size in (("us", 2), ("Greenleaf Dental", 3), ("Riverside Bakery", 2),
                             ("Tallis Print", 2)):
            for i in range(team_size):
                s.alliance_measures.rate(name, chk.id, p,
                                         {**GOOD, "commitment_fairness": 3 + (i % 2)})
        return name

    # -- a licensing deal with a renewal decision coming up ------------------------------

    def licensing(self) -> str:
        name = "Loomwork scheduling licence"
        lw = self.team("Loomwork Software", ("Lars Lund", "Partner Manager"),
                       ("Lea Vogel", "Support Lead"))
        s = self.at(700)
        s.alliances.create(NewAlliance(
            name, type="licensing", us=US, partners=["Loomwork Software"],
            purpose="We resell Loomwork's scheduling module to our clients under licence.",
            rationale="Building our own scheduler would take two years.",
            started_on=self.day(700), planned_end_on=self.day(-60), notice_days=45,
            decision_on=self.day(-10)))
        s.alliances.add_partner(name, "us", sponsor=self.us[0], contacts=self.us[1:2])
        s.alliances.add_partner(name, "Loomwork Software", sponsor=lw[0], contacts=lw[1:])
        g1 = s.alliance_work.add_goal(name, "us", "Offer scheduling without building it",
                                      kpi="licences sold")
        g2 = s.alliance_work.add_goal(name, "Loomwork Software",
                                      "Reach firms of under 50 staff", kpi="licences sold")
        s.alliances.move(name, "negotiate")
        s.alliance_work.confirm(name, g1.id, "Loomwork Software", "confirmed")
        s.alliance_work.confirm(name, g2.id, "us", "confirmed")
        self.forum(s, name, "Quarterly business review", "quarterly",
                                  layer="management")
        s.alliances.add_document(name, "Licence agreement", "https://files.example/lic.pdf",
                                 kind="agreement")
        s.alliance_work.add_obligation(name, "Licensee stops selling and hands over client "
                                       "list within 30 days of the end", kind="exit_provision")
        s.alliance_measures.contribute(name, "us", "hours", "200", rate="90", stage="committed")
        s.alliance_measures.contribute(name, "Loomwork Software", "introduction", "10",
                                       rate="500", stage="committed")
        s.alliances.move(name, "launch", force=True)
        lic = s.alliance_measures.add_objective(name, NewObjective(
            "Licences sold", metric="licences", unit="licences", baseline="0", target="40",
            start_on=self.day(690), deadline=self.day(-60), owner="us",
            owner_person=self.us[1], weight=100))
        s.alliance_work.add_activity(name, "Sell and onboard licensees", objective=lic.id,
                                     check_in_days=90, raci=[
                                         RaciAssignment("us", "A", self.us[0]),
                                         RaciAssignment("us", "R", self.us[1]),
                                         RaciAssignment("Loomwork Software", "C", lw[1])])
        s.alliances.move(name, "manage", force=True)
        for q in range(7, -1, -1):
            d = 91 * q + 6
            sd = self.at(d)
            sd.alliance_work.log_meeting(name, NewMeeting(
                with_people=[lw[0], lw[1]], forum=self.fid("Quarterly business review"),
                when=self.when(d), summary="Quarterly business review",
                minutes="Sales reviewed; support tickets discussed.", minutes_count=90))
            sd.alliance_measures.measure(name, lic.id, str(4 * (8 - q) + 2), on=self.day(d))
        self.at(30).alliance_measures.contribute(name, "us", "hours", "190", rate="90",
                                                 stage="delivered")
        self.at(30).alliance_measures.contribute(name, "Loomwork Software", "introduction",
                                                 "7", rate="500", stage="delivered")
        s = self.at(5)
        s.alliance_work.record_decision(
            name, "Review: renew for two years if Loomwork keeps the price", kind="review",
            outcome="continue", partner="us", person=self.us[0], decided_on=self.day(5))
        return name

    # -- a joint venture in trouble -------------------------------------------------------

    def venture(self) -> str:
        name = "Helio rooftop solar JV"
        hp = self.team("Helio Partners", ("Hanna Roth", "Founder"),
                       ("Hugo Brandt", "Installer Lead"), ("Heidi Lam", "Sales"))
        s = self.at(300)
        s.alliances.create(NewAlliance(
            name, type="joint_venture", us=US, partners=["Helio Partners"],
            purpose="A joint company selling and installing rooftop solar for small offices.",
            rationale="Helio installs; we own the office-manager relationships.",
            started_on=self.day(300), planned_end_on=self.day(-700), notice_days=180,
            decision_on=self.day(-20)))
        s.alliances.add_partner(name, "us", sponsor=self.us[0], contacts=self.us[1:],
                                share_bp=5000)
        s.alliances.add_partner(name, "Helio Partners", sponsor=hp[0], contacts=hp[1:],
                                share_bp=5000)
        g1 = s.alliance_work.add_goal(name, "us", "Own the customer relationship",
                                      kpi="customer accounts", direction="own")
        g2 = s.alliance_work.add_goal(name, "Helio Partners", "Own the installed base",
                                      kpi="customer accounts", direction="own")
        s.alliances.move(name, "negotiate")
        s.alliance_work.confirm(name, g1.id, "Helio Partners", "disputed",
                                comment="The customers are the JV's, not yours.")
        s.alliance_work.confirm(name, g2.id, "us", "confirmed")
        self.forum(s, name, "JV board", "monthly", layer="steering")
        self.forum(s, name, "Sales and install sync", "weekly", layer="operations")
        s.alliances.add_document(name, "JV agreement", "https://files.example/jv.pdf",
                                 kind="agreement")
        s.alliance_measures.contribute(name, "us", "cash", "40000", stage="committed")
        s.alliance_measures.contribute(name, "Helio Partners", "cash", "40000",
                                       stage="committed")
        s.alliance_measures.contribute(name, "Helio Partners", "hours", "600", rate="70",
                                       stage="committed")
        s.alliances.move(name, "launch", force=True, reason="the bank wanted a start date")
        inst = s.alliance_measures.add_objective(name, NewObjective(
            "Rooftops installed", metric="installations", unit="roofs", baseline="0",
            target="60", start_on=self.day(290), deadline=self.day(-75), owner="Helio Partners",
            owner_person=hp[1], weight=60))
        rev = s.alliance_measures.add_objective(name, NewObjective(
            "JV revenue", metric="revenue", unit="kEUR", baseline="0", target="900",
            start_on=self.day(290), deadline=self.day(-75), owner="us", weight=40))
        s.alliance_work.add_activity(name, "Installations", objective=inst.id, check_in_days=14,
                                     raci=[RaciAssignment("Helio Partners", "R", hp[1]),
                                           RaciAssignment("us", "I")])
        s.alliance_work.add_activity(name, "Sales pipeline", objective=rev.id, check_in_days=14,
                                     raci=[RaciAssignment("us", "A", self.us[0]),
                                           RaciAssignment("Helio Partners", "A", hp[0]),
                                           RaciAssignment("us", "R", self.us[1])])
        s.alliances.move(name, "manage", force=True)
        for m in range(9, 2, -1):
            d = 30 * m + 3
            sd = self.at(d)
            sd.alliance_work.log_meeting(name, NewMeeting(
                with_people=[hp[0], hp[1]], forum=self.fid("JV board"),
                when=self.when(d),
                summary="JV board", minutes_count=60))
            sd.alliance_measures.measure(name, inst.id, str(3 * (9 - m) + 2), on=self.day(d))
            sd.alliance_measures.measure(name, rev.id, str(45 * (9 - m) + 20), on=self.day(d))
        for w in range(20, 8, -2):
            d = 7 * w
            self.at(d).alliance_work.log_meeting(name, NewMeeting(
                with_people=[hp[1], hp[2]], forum=self.fid("Sales and install sync"),
                when=self.when(d),
                summary="Sales and install sync", minutes_count=30))
        self.at(120).alliance_measures.contribute(name, "us", "cash", "40000",
                                                  stage="delivered")
        self.at(120).alliance_measures.contribute(name, "Helio Partners", "cash", "15000",
                                                  stage="delivered")
        self.at(120).alliance_measures.contribute(name, "Helio Partners", "hours", "180",
                                                  rate="70", stage="delivered")
        s = self.at(60)
        dec = s.alliance_work.record_decision(
            name, "Action plan: Helio adds a second install crew by next month",
            kind="action_plan", partner="us", person=self.us[0], decided_on=self.day(60))
        s.alliance_work.confirm(name, dec.id, "Helio Partners", "disputed",
                                comment="We cannot fund a crew before the second payment.")
        s.alliance_work.add_action(name, "Hire the second install crew", hp[0],
                                   due=self.day(25), decision=dec.id)
        s.alliance_work.add_action(name, "Share the pipeline report with Helio",
                                   self.us[1], due=self.day(12), to=hp[2])
        s = self.at(20)
        s.alliance_work.record_decision(
            name, "Cap marketing spend at 5 kEUR until installs catch up", partner="us",
            person=self.us[0], decided_on=self.day(20))
        chk = s.alliance_measures.open_check(name, min_group=2)
        for i in range(3):
            s.alliance_measures.rate(name, chk.id, "us", {
                **GOOD, "commitment_fairness": 2, "communication_quality": 2 + i % 2,
                "operational_effectiveness": 2})
        for i in range(2):
            s.alliance_measures.rate(name, chk.id, "Helio Partners", {
                **GOOD, "relationship_trust": 3, "goal_role_clarity": 2 + i,
                "strategic_value": 4 + i})
        self.at(0).alliances.edit(name, AllianceChanges(
            lessons="Agree who owns the customer before signing."))
        return name


def load_alliances(svc: Services, seed: int = 7) -> list[str]:
    """Add the demo portfolio; returns the alliances' names. Same seed and day, same
    records (ids included)."""
    from kithbook import ids

    # not `seed` itself: the network generator draws its ids from random.Random(seed),
    # and the two streams met (a demo of 80 people gave an alliance organization the id
    # of one of the network's)
    with ids.seeded(seed + 4004):
        return Portfolio(svc).build()
