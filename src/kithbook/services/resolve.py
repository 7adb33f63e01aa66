"""The one resolver: what a user typed -> records, with one set of messages.

Every front end and every service hands the text a person typed (or an id it got
from an earlier answer) to this module, and nothing else turns text into records.
The rules, in order (docs/architecture.md, "The resolver"):

1. `me` / `myself`: the owner of the rolodex.
2. A public id (`per_7k2m...`) or its unique start (at least 4 characters after `_`).
3. An email address; a LinkedIn profile URL (any of its spellings).
4. A full name, with or without accents and in any case (`Muller` finds Müller).
5. The start of each word of a name (`mar lop` finds Maria Lopez).
5b. A full name in another spelling or spacing: `Juergen Mueller` finds Jürgen Müller,
   `李娜` finds 李 娜, `jeanluc` finds Jean-Luc (domain.text.name_key).
6. Where an organization is allowed too: an organization's id, name, domain or the
   start of a word of its name; "anyone at ORG" (also "someone at", "at ", "org:")
   names everyone currently at it.

Several matches raise Ambiguous with the candidates and their ids; none raises
NotFound with the closest name as "Did you mean ...?" (people and organizations
alike). The batch form (`people_batch`) runs the same rules for a whole import with
a few queries per thousand references.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kithbook import ids
from kithbook.domain.models import Person, PersonRef, Record
from kithbook.domain.text import fold, name_key, words
from kithbook.errors import Ambiguous, Candidate, InvalidInput, KithbookError, NotFound
from kithbook.store import lookup

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kithbook.services.app import Services

PersonLike = str | Person | PersonRef  # what a user typed, or a record already found
ME_WORDS = ("me", "myself")
ORG_PREFIXES = ("anyone at ", "someone at ", "everyone at ", "org:", "at ")
SUGGEST_CUTOFF = 60  # rapidfuzz WRatio below which a name is not worth suggesting
# A batch suggests names for this many misses at most: each suggestion scans every name.
BATCH_SUGGESTIONS = 20


@dataclass(frozen=True)
class Subject(Record):
    """One record a reference resolved to: a person, an organization, or (where the
    caller allows it) an interaction, promise, note or tie named by its id."""

    id: str
    name: str
    kind: str
    key: int = 0


@dataclass(frozen=True)
class Target(Record):
    """Where a warm path should lead: one person, or everyone currently at an
    organization ("anyone at Acme")."""

    id: str
    name: str  # "Maria Lopez", or "anyone at Acme"
    kind: str  # person or org
    people: list[int] = field(default_factory=list)  # person keys


@dataclass
class _Found:
    """What the person rules found for one text: keys and how, or nothing."""

    keys: list[int]
    how: str  # id, email, linkedin, name, words, me, none


def _clean(text: str | None, field_name: str, what: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise InvalidInput(f"{what} is needed: give a name, an email or an id.",
                           field=field_name)
    if len(text) > 1000:
        raise InvalidInput(f"'{text[:40]}...' is too long to be a name, an email or an id.",
                           field=field_name)
    return text


def org_text(text: str) -> str | None:
    """The organization in "anyone at Acme" (and its variants), else None."""
    folded = text.lower()
    for prefix in ORG_PREFIXES:
        if folded.startswith(prefix):
            return text[len(prefix):].strip() or None
    return None


class Resolver:
    """`svc.resolve`: turns references into records (see the module docstring)."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc

    # -- people -----------------------------------------------------------------------

    def person_key(self, conn: Connection, text: PersonLike | None, *,
                   field: str = "person") -> int:
        """The one person `text` names, or Ambiguous / NotFound. A record a service
        returned earlier (a Person or PersonRef) is taken as it is: front ends pass
        references on, and nothing is resolved twice."""
        if isinstance(text, Person | PersonRef) and text.key:
            return text.key
        text = _clean(text if isinstance(text, str | None) else text.id, field, "a person")
        found = self._find_people(conn, [text])[text]
        return self._one_person(conn, text, found, field)

    def person_keys(self, conn: Connection, texts: Sequence[PersonLike], *,
                    field: str = "person") -> list[int]:
        """One person per reference, in order (the first problem raises)."""
        return [self.person_key(conn, t, field=field) for t in texts]

    def person(self, text: PersonLike | None, *, field: str = "person") -> PersonRef:
        """The person `text` names, as a reference (id and name)."""
        with self.svc.db.read() as conn:
            key = self.person_key(conn, text, field=field)
            return self.person_ref(conn, key)

    def person_ref(self, conn: Connection, key: int) -> PersonRef:
        """The id and name of a person key."""
        cid, name, _ = lookup.describe_people(conn, [key])[0]
        return PersonRef(id=cid, name=name, key=key)

    def me_key(self, conn: Connection) -> int:
        """The owner of the rolodex; NotFound until they said who they are."""
        key = lookup.me(conn)
        if key is None:
            raise NotFound("Kithbook does not know who you are yet.",
                           hint="Say your name once.", remedy="people.set_me", field="person")
        return key

    def people_batch(self, conn: Connection, refs: Iterable[str]) -> dict[str, int | KithbookError]:
        """Each reference -> its person key, or the error a single lookup would raise
        (same rules, same messages), in a few queries for the whole batch."""
        texts = list(dict.fromkeys(" ".join(r.split()) for r in refs))
        found = self._find_people(conn, [t for t in texts if t])
        out: dict[str, int | KithbookError] = {}
        suggested = 0
        for text in texts:
            try:
                if not text:
                    _clean(text, "person", "a person")
                hit = found[text]
                if hit.how == "none" and suggested >= BATCH_SUGGESTIONS:
                    raise NotFound(f"no person matches '{text}'.",
                                   hint="Check the spelling, or give an email or an id.")
                suggested += hit.how == "none"
                out[text] = self._one_person(conn, text, hit, "person")
            except KithbookError as exc:
                out[text] = exc
        return {r: out[" ".join(r.split())] for r in refs}

    def _find_people(self, conn: Connection, texts: list[str]) -> dict[str, _Found]:
        """Apply rules 1-5 to many texts with batch queries."""
        from kithbook.io import normalize

        out: dict[str, _Found] = {}
        pending: list[str] = []
        exact_ids: list[str] = []
        for t in texts:
            if t.lower() in ME_WORDS:
                me = lookup.me(conn)
                out[t] = _Found([me] if me is not None else [], "me")
            elif ids.looks_like_id(t.lower()) and ids.kind_of(t.lower()) == "person":
                exact_ids.append(t.lower())
            else:
                pending.append(t)
        by_id = lookup.people_by_public_ids(conn, exact_ids)
        for t in texts:
            if t.lower() in by_id:
                out[t] = _Found(by_id[t.lower()], "id")
            elif ids.looks_like_id(t.lower()) and t not in out:
                out[t] = _Found(lookup.people_by_id_prefix(conn, t.lower()), "id")
        emails = {t: normalize.email(t) for t in pending if "@" in t}
        by_email = lookup.people_by_emails(conn, [e for e in emails.values() if e])
        urls = {t: normalize.linkedin_url(t) for t in pending if "linkedin." in t.lower()}
        by_url = lookup.people_by_linkedin(conn, [u for u in urls.values() if u])
        # names only for what an email or a LinkedIn address has not answered (an
        # import of ties by email would look every email up as a name as well)
        by_name = lookup.people_by_folded_names(conn, [
            fold(t) for t in pending if t not in urls and not by_email.get(emails.get(t) or "")])
        for t in pending:
            email = emails.get(t)
            if email and by_email.get(email):
                out[t] = _Found(by_email[email], "email")
            elif t in urls:
                url = urls[t]
                out[t] = _Found(by_url.get(url, []) if url else [], "linkedin")
            elif by_name.get(fold(t)):
                out[t] = _Found(by_name[fold(t)], "name")
            else:
                toks = words(t)
                keys = lookup.people_by_name_words(conn, toks) if toks else []
                out[t] = _Found(keys, "words" if keys else "none")
        misses = [t for t in pending
                  if out[t].how == "none" and "@" not in t and t not in urls and name_key(t)]
        if misses:  # rule 5b: one pass over the names for the whole batch
            by_key: dict[str, list[int]] = {}
            for key, folded in lookup.person_names(conn):
                by_key.setdefault(name_key(folded), []).append(key)
            for t in misses:
                if by_key.get(name_key(t)):
                    out[t] = _Found(sorted(by_key[name_key(t)]), "name")
        return out

    def _one_person(self, conn: Connection, text: str, found: _Found, field: str) -> int:
        if len(found.keys) == 1:
            return found.keys[0]
        if found.how == "me" and not found.keys:
            return self.me_key(conn)
        if len(found.keys) > 1:
            raise self._ambiguous_people(conn, text, found, field)
        if found.how == "id":
            raise NotFound(f"no person has the id '{text}'.",
                           hint="Check it, or look the person up by name.", field=field,
                           remedy="search.find")
        if found.how == "linkedin":
            raise NotFound(f"no person has the LinkedIn profile '{text}'.",
                           hint="Check the address, or look the person up by name.",
                           field=field, remedy="search.find")
        suggestions = self._suggest(conn, text, people=True, orgs=False)
        raise NotFound(f"no person matches '{text}'.{_did_you_mean(suggestions)}",
                       hint="Check the spelling, or give an email or an id.", field=field,
                       remedy="people.add", suggestions=suggestions)

    def _ambiguous_people(self, conn: Connection, text: str, found: _Found,
                          field: str) -> Ambiguous:
        cands = lookup.describe_people(conn, found.keys)
        if found.how == "id":
            msg = f"'{text}' is the start of several ids."
        elif found.how == "email":
            msg = f"several people have the email '{text}'."
        elif found.how == "linkedin":
            msg = f"several people have the LinkedIn profile '{text}'."
        else:
            msg = f"'{text}' matches {len(found.keys)} people."
        return Ambiguous(msg, cands, hint="Give the id of the one you mean.", field=field)

    # -- organizations -------------------------------------------------------------------

    def org_keys(self, conn: Connection, text: str) -> list[int]:
        """Every organization `text` could name (id, id start, name, domain, word start)."""
        t = " ".join(text.split())
        if ids.looks_like_id(t.lower()) and ids.kind_of(t.lower()) == "org":
            return lookup.orgs_by_id_prefix(conn, t.lower())
        found = lookup.orgs_by_text(conn, t, fold(t))
        want = name_key(t)
        if found or not want:
            return found
        return sorted(k for k, folded in lookup.org_names(conn) if name_key(folded) == want)

    def org_key(self, conn: Connection, text: str | None, *, field: str = "org") -> int:
        """The one organization `text` names, or Ambiguous / NotFound."""
        text = _clean(text, field, "an organization")
        keys = self._one_org(conn, text, self.org_keys(conn, text), field)
        if keys is None:
            suggestions = self._suggest(conn, text, people=False, orgs=True)
            raise NotFound(f"no organization matches '{text}'.{_did_you_mean(suggestions)}",
                           hint="Check the spelling, or add the organization.", field=field,
                           remedy="orgs.add", suggestions=suggestions)
        return keys

    def _one_org(self, conn: Connection, text: str, keys: list[int], field: str) -> int | None:
        if len(keys) <= 1:
            return keys[0] if keys else None
        named = {k: lookup.describe_orgs(conn, [k])[0] for k in keys}
        exact = [k for k, c in named.items() if fold(c[1]) == fold(text)]
        if len(exact) == 1:
            return exact[0]
        raise Ambiguous(f"'{text}' matches {len(keys)} organizations.",
                        sorted(named.values(), key=lambda c: (c[1], c[0])),
                        hint="Give the id of the one you mean.", field=field)

    # -- either ----------------------------------------------------------------------------

    def subject(self, conn: Connection, text: str | Person | PersonRef | None, *,
                kinds: Sequence[str] = ("person", "org"), field: str = "target") -> Subject:
        """A person, else an organization (else, by id only, one of the other `kinds`:
        interaction, promise, note, tie)."""
        if isinstance(text, Person | PersonRef) and text.key:
            return Subject(id=text.id, name=text.name, kind="person", key=text.key)
        text = _clean(text if isinstance(text, str | None) else text.id, field,
                      "a person or an organization")
        low = text.lower()
        kind = ids.kind_of(low) if ids.looks_like_id(low) else None
        if kind is not None and kind not in kinds:
            allowed = " or ".join(_KIND_NAMES.get(k, k) for k in kinds)
            raise InvalidInput(f"'{text}' is the id of {_KIND_NAMES.get(kind, kind)}; "
                               f"this needs {allowed}.", field=field)
        if kind is not None and kind not in ("person", "org"):
            keys = lookup.record_keys(conn, kind, low)
            cands = lookup.record_refs(conn, kind, keys)
            if len(keys) == 1:
                return Subject(id=cands[0][0], name=cands[0][1], kind=kind, key=keys[0])
            if keys:
                raise Ambiguous(f"'{text}' is the start of several ids.", cands,
                                hint="Give the whole id.", field=field)
            raise NotFound(f"no {_KIND_NAMES.get(kind, kind)} has the id '{text}'.",
                           hint="Check it: it may be in the trash.", field=field)
        if kind == "org" or ("person" not in kinds and "org" in kinds):
            key = self.org_key(conn, text, field=field)
            cid, name, _ = lookup.describe_orgs(conn, [key])[0]
            return Subject(id=cid, name=name, kind="org", key=key)
        found = self._find_people(conn, [text])[text]
        if found.keys or kind == "person" or found.how in ("me", "linkedin") \
                or "org" not in kinds:
            key = self._one_person(conn, text, found, field)
            ref = self.person_ref(conn, key)
            return Subject(id=ref.id, name=ref.name, kind="person", key=key)
        org = self._one_org(conn, text, self.org_keys(conn, text), field)
        if org is not None:
            cid, name, _ = lookup.describe_orgs(conn, [org])[0]
            return Subject(id=cid, name=name, kind="org", key=org)
        suggestions = self._suggest(conn, text, people=True, orgs=True)
        raise NotFound(
            f"no person or organization matches '{text}'.{_did_you_mean(suggestions)}",
            hint="Check the spelling, or give an email or an id.", field=field,
            remedy="search.find", suggestions=suggestions)

    def target(self, conn: Connection, text: str | None, *, field: str = "target") -> Target:
        """A person, or everyone currently at an organization: "anyone at Acme", or an
        organization's name when no person has it."""
        text = _clean(text, field, "a person or an organization")
        at = org_text(text)
        if at is not None:
            key = self.org_key(conn, at, field=field)
            cid, name, _ = lookup.describe_orgs(conn, [key])[0]
            return Target(id=cid, name=f"anyone at {name}", kind="org",
                          people=lookup.org_members(conn, key))
        found = self.subject(conn, text, kinds=("person", "org"), field=field)
        if found.kind == "person":
            return Target(id=found.id, name=found.name, kind="person", people=[found.key])
        return Target(id=found.id, name=f"anyone at {found.name}", kind="org",
                      people=lookup.org_members(conn, found.key))

    # -- did you mean -------------------------------------------------------------------------

    def _suggest(self, conn: Connection, text: str, *, people: bool,
                 orgs: bool) -> list[Candidate]:
        """The closest names (best first, at most three) to a text that matched nothing."""
        from rapidfuzz import fuzz, process

        folded, compact = fold(text), name_key(text)
        best: dict[tuple[str, int], float] = {}
        for kind, enabled, names in (("person", people, lookup.person_names),
                                     ("org", orgs, lookup.org_names)):
            if not enabled:
                continue
            choices = dict(names(conn))
            if not choices:
                continue
            keyed = {k: name_key(v) for k, v in choices.items()}
            # as typed (folded), and in the spelling- and spacing-free form
            for query, pool in ((folded, choices), (compact, keyed)):
                for _name, score, key in process.extract(query, pool, scorer=fuzz.WRatio,
                                                         score_cutoff=SUGGEST_CUTOFF, limit=3):
                    best[(kind, key)] = max(score, best.get((kind, key), 0.0))
        scored = sorted(((score, kind, key) for (kind, key), score in best.items()),
                        key=lambda x: (-x[0], x[1], x[2]))
        out: list[Candidate] = []
        for _score, kind, key in scored[:3]:
            desc = (lookup.describe_people if kind == "person" else lookup.describe_orgs)(
                conn, [key])
            out.extend(desc)
        return out


_KIND_NAMES = {"person": "a person", "org": "an organization", "interaction": "an interaction",
               "promise": "a promise", "note": "a note", "tie": "a tie"}


def _did_you_mean(suggestions: list[Candidate]) -> str:
    if not suggestions:
        return ""
    cid, name, _ = suggestions[0]
    return f" Did you mean {name} ({cid})?"
