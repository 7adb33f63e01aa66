"""Duplicate scoring (pure), blocking, and merging with undo."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from kithbook.domain import dupes as d
from kithbook.services.dupes import DupesService
from kithbook.services.interactions import NewInteraction
from kithbook.services.people import NewPerson
from kithbook.store import schema as s


def C(key: int, name: str, **kw: Any) -> d.Candidate:  # noqa: N802
    return d.Candidate(key=key, id=f"per_{key}", name=name, name_folded=name.lower(),
                       **{k: frozenset(v) if isinstance(v, set) else v for k, v in kw.items()})


def test_reasons_for_each_kind_of_match() -> None:
    a = C(1, "Andreas Müller", orgs={"acme"}, emails={"am@acme.example"})
    cases = {
        "same email": C(2, "A. Mueller", emails={"am@acme.example"}),
        "same phone": C(3, "Andy Muller", phones={"+4930123"}),
        "same LinkedIn URL": C(4, "Andreas M", linkedin="https://www.linkedin.com/in/am"),
        "at the same company": C(5, "andreas mueller", orgs={"acme"}),
    }
    a.phones = frozenset({"+4930123"})
    a.linkedin = "https://www.linkedin.com/in/am"
    for reason, b in cases.items():
        pair = d.score(a, b)
        assert pair is not None and any(reason in r for r in pair.reasons), (reason, pair)
        assert pair.score >= d.THRESHOLD


def test_phonetic_name_alone_is_below_the_default_threshold() -> None:
    pair = d.score(C(1, "Jon Smith"), C(2, "John Smith"))
    assert pair is not None and pair.score < d.THRESHOLD
    assert "phonetic" in pair.reasons[0]
    assert d.score(C(1, "Jon Smith"), C(2, "Mary Jones")) is None


def test_different_linkedin_urls_lower_the_score() -> None:
    a = C(1, "Kim Lee", emails={"info@x.example"}, linkedin="https://www.linkedin.com/in/a")
    b = C(2, "Kim Lee", emails={"info@x.example"}, linkedin="https://www.linkedin.com/in/b")
    pair = d.score(a, b)
    assert pair is not None and pair.score < 0.6


def test_blocking_is_not_all_pairs() -> None:
    people = [C(i, f"person{i} family{i % 997}") for i in range(3000)]
    pairs = list(d.candidate_pairs(people))
    assert len(pairs) < 3000 * 3000 // 2 // 50


def test_a_person_is_never_their_own_duplicate() -> None:
    people = [C(1, "Boris Berrese", orgs={"acme"}), C(2, "Bo Brs")]
    assert all(i != j for i, j in d.candidate_pairs(people))
    assert d.find_dupes(people) == []


def test_found_pairs_word_order_and_umlauts() -> None:
    people = [C(1, "andreas muller", orgs={"acme"}), C(2, "muller andreas", orgs={"acme"}),
              C(3, "zoe quinn")]
    found = d.find_dupes(people)
    assert [(p.a.key, p.b.key) for p in found] == [(1, 2)]


names = st.text(alphabet="abcdefghij ", min_size=1, max_size=12)


@given(names, names, st.booleans(), st.booleans())
@settings(max_examples=200, deadline=None)
def test_score_is_symmetric(n1: str, n2: str, same_org: bool, same_mail: bool) -> None:
    a = C(1, n1, orgs={"o"}, emails={"x@y.z"} if same_mail else set())
    b = C(2, n2, orgs={"o"} if same_org else set(), emails={"x@y.z"} if same_mail else set())
    ab, ba = d.score(a, b), d.score(b, a)
    assert (ab is None) == (ba is None)
    if ab and ba:
        assert ab.score == ba.score and 0 <= ab.score <= 1


def test_org_dupes() -> None:
    orgs = [d.OrgCandidate(1, "org_1", "Acme Inc.", "acme inc."),
            d.OrgCandidate(2, "org_2", "ACME", "acme"),
            d.OrgCandidate(3, "org_3", "Globex", "globex", "globex.example"),
            d.OrgCandidate(4, "org_4", "Globex Holdings", "globex holdings", "globex.example")]
    found = {(p.a.key, p.b.key) for p in d.find_org_dupes(orgs)}
    assert found == {(1, 2), (3, 4)}


def _count(svc: Any, table: Any, *where: Any) -> int:
    with svc.db.read() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def test_merge_moves_everything_and_undo_restores(svc: Any) -> None:
    a = svc.people.add(NewPerson("Maria Garcia", emails=["maria@acme.example"], org="Acme"))
    b = svc.people.add(NewPerson("María García", emails=["mg@home.example"],
                                 phones=["+1 415 555 0100"], org="Acme", tags=["golf"],
                                 note="Met at the expo"))
    c = svc.people.add(NewPerson("Sam Lee"))
    svc.ties.tie(b.id, c.id, strength=4)
    svc.ties.tie(a.id, b.id)
    svc.interactions.log(NewInteraction(with_people=[b.id], summary="coffee"))
    svc.promises.make("send deck", to=b.id)
    dupes = DupesService(svc)
    found = dupes.find()
    assert found and {found[0].a.id, found[0].b.id} == {a.id, b.id}
    before = {t.name: _count(svc, t) for t in (s.people, s.ties, s.person_emails, s.notes)}
    result = dupes.merge(a.id, b.id)
    kept = svc.people.resolve(a.id)
    assert sorted(e.value for e in kept.emails) == ["maria@acme.example", "mg@home.example"]
    assert [p.value for p in kept.phones] == ["+1 415 555 0100"]
    assert "golf" in kept.tags
    with svc.db.read() as conn:
        ties = conn.execute(select(s.ties)).all()
        assert [(t.a_id, t.b_id, t.strength) for t in ties] == [
            (min(a.key, c.key), max(a.key, c.key), 4)]
        part = conn.execute(select(s.interaction_participants.c.person_id)).scalars().all()
        assert b.key not in part and a.key in part
        prom = conn.execute(select(s.promises.c.owed_to_id)).scalars().all()
        assert prom == [a.key]
        note_subjects = conn.execute(select(s.notes.c.subject_id)).scalars().all()
        assert note_subjects == [a.key]
    assert _count(svc, s.people, s.people.c.deleted_at.is_(None), s.people.c.id == b.key) == 0
    assert not DupesService(svc).find()
    svc.history.undo(result.id)
    after = {t.name: _count(svc, t) for t in (s.people, s.ties, s.person_emails, s.notes)}
    assert after == before
    assert svc.people.resolve(b.id).name == "María García"
    assert len(svc.people.resolve(a.id).emails) == 1


def test_org_dupes_listed_and_merged(svc: Any) -> None:
    svc.people.add(NewPerson("Ann Bell", org="Acme Inc."))
    svc.people.add(NewPerson("Carl Dahl", org="ACME"))
    found = [f for f in DupesService(svc).find() if f.kind == "org"]
    assert len(found) == 1 and "similar name" in found[0].reasons[0]
    keep, gone = found[0].a.id, found[0].b.id
    result = DupesService(svc).merge(keep, gone)
    assert result.moved["roles"] == 1
    ann, carl = svc.people.resolve("Ann Bell"), svc.people.resolve("Carl Dahl")
    assert ann.roles[0].org_id == carl.roles[0].org_id == keep
    assert not [f for f in DupesService(svc).find() if f.kind == "org"]
    svc.history.undo(result.id)
    assert len([f for f in DupesService(svc).find() if f.kind == "org"]) == 1
