"""A LinkedIn connection is one person across export vintages (issue 13): a 2018
Connections.csv has no profile URL, and the company or position may have changed before
the current export, so neither the URL nor name + company joins the two. The folded name
and the "Connected On" day (the same in every export) do, when exactly one person has
both; the preview says so. An older export's job becomes a past role, never the current
one."""

from __future__ import annotations

from sqlalchemy import select
from tests.test_linkedin_reimport import (
    ADA,
    BO,
    BO_DAY,
    CURRENT_EVIDENCE,
    CY,
    CY_DAY,
    EVERY_DAY,
    JAN8,
    OLD_CONNECTIONS,
    _assert_every_day_once,
    current_messages,
    vintage_2018,
    zipped,
)
from typer.testing import CliRunner

NEW = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
OLD = "First Name,Last Name,Email Address,Company,Position,Connected On\n"
# Ada moved from Analytical to Globex between the two exports
ADA_2018 = OLD + 'Ada,Lovelace,urn:li:member:101,Analytical,CEO,"1/8/18, 6:14 PM"\n'
ADA_NOW = NEW + f"Ada,Lovelace,{ADA},,Globex,CTO,08 Jan 2018\n"


def _people(svc, name: str) -> list[int]:  # type: ignore[no-untyped-def]
    from kithbook.store.schema import people

    with svc.db.read() as conn:
        return list(conn.execute(select(people.c.id).where(
            people.c.name == name, people.c.deleted_at.is_(None))).scalars())


def _roles(svc, key: int) -> set[tuple[str, str | None, bool]]:  # type: ignore[no-untyped-def]
    from kithbook.store.schema import orgs, roles

    with svc.db.read() as conn:
        return {(r.name, r.title, bool(r.is_current)) for r in conn.execute(
            select(orgs.c.name, roles.c.title, roles.c.is_current)
            .join(orgs, orgs.c.id == roles.c.org_id).where(roles.c.person_id == key))}


def _import(svc, text: str, name: str, dry_run: bool = False):  # type: ignore[no-untyped-def]
    return svc.transfer.import_bytes(text.encode(), filename=name, dry_run=dry_run)


def test_2018_then_current_is_one_person_and_the_new_job_is_current(svc) -> None:  # type: ignore[no-untyped-def]
    _import(svc, ADA_2018, "2018.csv")
    preview = _import(svc, ADA_NOW, "now.csv", dry_run=True)
    assert (preview.created, preview.updated) == (0, 1)
    assert preview.details["people"]["recognised_by_name_and_connected_on"] == 1
    report = _import(svc, ADA_NOW, "now.csv")
    assert report.created == 0
    (ada,) = _people(svc, "Ada Lovelace")
    assert svc.people.resolve(ADA).name == "Ada Lovelace"  # the URL is filled in
    assert _roles(svc, ada) == {("Analytical", "CEO", False), ("Globex", "CTO", True)}
    assert _import(svc, ADA_NOW, "now.csv").created == 0  # and stays one


def test_current_then_2018_is_one_person_and_the_old_job_is_past(svc, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _import(svc, ADA_NOW, "now.csv")
    path = tmp_path / "Connections.csv"
    path.write_text(ADA_2018)
    res = CliRunner().invoke(__import__("kithbook.cli.main", fromlist=["app"]).app, [
        "--db", svc.config.db, "import", str(path), "--dry-run"])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert "0 created, 1 updated" in said
    assert "1 LinkedIn connection is recognised by name and Connected On day" in said
    report = _import(svc, ADA_2018, "2018.csv")
    assert report.created == 0
    assert report.details["people"]["recognised_by_name_and_connected_on"] == 1
    (ada,) = _people(svc, "Ada Lovelace")
    assert _roles(svc, ada) == {("Analytical", "CEO", False), ("Globex", "CTO", True)}
    svc.history.undo(report.id)  # the older export's past role goes with its import
    assert _roles(svc, ada) == {("Globex", "CTO", True)}


def test_the_web_preview_says_so(client) -> None:  # type: ignore[no-untyped-def]
    from tests.test_web_pages import post

    r = post(client, "/import/preview", {}, files={"file": ("now.csv", ADA_NOW.encode())})
    tok = r.text.split('name="token" value="', 1)[1].split('"', 1)[0]
    post(client, "/import/confirm", {"token": tok})
    r = post(client, "/import/preview", {}, files={"file": ("2018.csv", ADA_2018.encode())})
    assert r.status_code == 200
    assert "1 LinkedIn connection is recognised by name and Connected On day" in r.text


def test_two_people_of_that_name_and_day_are_not_guessed_between(svc) -> None:  # type: ignore[no-untyped-def]
    twins = NEW + (f"Ada,Lovelace,{ADA},,Globex,CTO,08 Jan 2018\n"
                   "Ada,Lovelace,https://www.linkedin.com/in/ada-2,,Initech,CFO,08 Jan 2018\n")
    _import(svc, twins, "now.csv")
    report = _import(svc, ADA_2018, "2018.csv")
    assert report.created == 1
    assert report.details["people"]["recognised_by_name_and_connected_on"] == 0
    assert len(_people(svc, "Ada Lovelace")) == 3


def test_two_of_that_name_and_day_in_the_file_are_not_guessed_either(svc) -> None:  # type: ignore[no-untyped-def]
    _import(svc, ADA_NOW, "now.csv")
    two = ADA_2018 + 'Ada,Lovelace,urn:li:member:999,Initech,CFO,"1/8/18, 9:00 AM"\n'
    report = _import(svc, two, "2018.csv")
    assert report.created == 2
    assert len(_people(svc, "Ada Lovelace")) == 3


def test_another_profile_or_another_day_is_another_person(svc) -> None:  # type: ignore[no-untyped-def]
    _import(svc, ADA_NOW, "now.csv")
    other = NEW + "Ada,Lovelace,https://www.linkedin.com/in/ada-2,,Initech,CFO,08 Jan 2018\n"
    assert _import(svc, other, "other.csv").created == 1  # two profiles: two people
    later = OLD + 'Ada,Lovelace,,Umbrella,COO,"3/8/18, 6:14 PM"\n'
    assert _import(svc, later, "later.csv").created == 1  # two months apart


def test_a_day_off_by_the_time_zone_still_finds_the_one_connection(svc) -> None:  # type: ignore[no-untyped-def]
    _import(svc, ADA_NOW, "now.csv")  # 8 January; the 2018 file, read elsewhere: 9th
    shifted = OLD + 'Ada,Lovelace,urn:li:member:101,Analytical,CEO,"1/9/18, 1:14 AM"\n'
    assert _import(svc, shifted, "2018.csv").created == 0
    assert len(_people(svc, "Ada Lovelace")) == 1


def test_archives_of_both_vintages_give_each_day_once_after_a_job_change(svc) -> None:  # type: ignore[no-untyped-def]
    """The limit docs/architecture.md named before: a connection whose company changed
    became a second person and got the 2018 copy of each day."""
    from kithbook.store.schema import interactions

    moved = (NEW + f"Ada,Lovelace,{ADA},,Globex,CTO,07 Dec 2017\n"
             f"Bo,Chen,{BO},,Initech,CEO,01 Mar 2016\n"
             f"Cy,Diaz,{CY},,Beta,VP,05 Jan 2018\n")
    rows = [*JAN8, *BO_DAY, *CY_DAY]
    svc.transfer.import_bytes(zipped(moved, "messages.csv", current_messages(rows),
                                     **CURRENT_EVIDENCE), filename="now.zip", dry_run=False)
    assert OLD_CONNECTIONS.count("Acme") == 1  # Bo was at Acme in 2018
    report = svc.transfer.import_bytes(vintage_2018(rows), filename="2018.zip", dry_run=False)
    assert report.created == 0
    assert report.details["people"]["recognised_by_name_and_connected_on"] == 2
    assert report.details["interactions"]["created"] == 0
    assert {n: len(_people(svc, n)) for n in EVERY_DAY} == {n: 1 for n in EVERY_DAY}
    _assert_every_day_once(svc)
    with svc.db.read() as conn:
        assert len(conn.execute(select(interactions.c.id)).all()) == 6
