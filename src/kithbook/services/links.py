"""Private response links: a person outside Kithbook answers one question (confirm a
decision, rate a health check, answer a survey, check a statement) on a phone-sized
page at /r/<token>, without an account (docs/private-links.md).

The mechanism is generic. A feature declares a `Purpose`: what the page shows (only
what the question needs), the fields asked, and what an answer does, then registers it
in `PURPOSE_MODULES`. Links are unguessable (256 random bits; only their SHA-256 is
stored), expire, serve one purpose for one recipient, are revocable, and take one
answer, journaled with who and when.
"""

from __future__ import annotations

import hashlib
import importlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Connection

from kithbook import ids
from kithbook.domain.models import PersonRef, Record
from kithbook.errors import Ambiguous, Conflict, InvalidInput, LinkClosed, NotFound
from kithbook.services.catalog import use_case
from kithbook.store import links as st
from kithbook.store import people as st_people
from kithbook.store.journal import Journal
from kithbook.store.rows import utc

if TYPE_CHECKING:
    from kithbook.services.app import Services

# Registration point: each module registers its purposes with `register` on import.
PURPOSE_MODULES = ("kithbook.services.alliance_links", "kithbook.services.economics_links",
                   "kithbook.services.craft_survey_links")
DEFAULT_DAYS = 14
MAX_DAYS = 180
FIELD_KINDS = ("verdict", "rating", "text", "choice", "number")
MAX_TEXT = 4000


@dataclass(frozen=True)
class LinkField:
    """One thing asked. `verdict`: confirm or dispute (a dispute needs the comment
    field filled); `rating`: 1-5; `choice`: one of `choices`; `text`, `number`."""

    name: str
    label: str
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class LinkPage:
    """What the recipient sees: a title, who asks, the lines the question needs, the
    fields. Nothing else of the database is reachable through a link."""

    title: str
    asked_by: str
    lines: tuple[str, ...]
    fields: tuple[LinkField, ...]
    submit: str = "Send"


@dataclass(frozen=True)
class LinkRow:
    """A link as a purpose sees it: keys only, never the token."""

    key: int
    id: str
    purpose: str
    subject_kind: str
    subject_key: int
    person_key: int | None
    context: dict[str, Any]
    expires_at: datetime


class Purpose(Protocol):
    @property
    def name(self) -> str:
        """Stored on the link; unique."""
        ...

    @property
    def label(self) -> str:
        """For people, after 'please': "confirm or dispute a decision"."""
        ...

    @property
    def subject_kind(self) -> str: ...

    @property
    def anonymous(self) -> bool:
        """True: the answer is stored apart from who gave it."""
        ...

    def page(self, svc: Services, conn: Connection, link: LinkRow) -> LinkPage: ...

    def apply(self, svc: Services, j: Journal, link: LinkRow,
              answer: dict[str, Any]) -> str:
        """Record the answer inside the write; return a one-line thank-you summary."""
        ...


_REGISTRY: dict[str, Purpose] = {}


def register(purpose: Purpose) -> Purpose:
    _REGISTRY[purpose.name] = purpose
    return purpose


def purposes() -> dict[str, Purpose]:
    for name in PURPOSE_MODULES:
        importlib.import_module(name)
    return _REGISTRY


def purpose(name: str) -> Purpose:
    found = purposes().get(name)
    if found is None:
        raise NotFound(f"no link purpose is called '{name}'.")
    return found


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class IssuedLink(Record):
    """A new link. `url` and `email_text` are shown once: only a hash is kept."""

    id: str
    name: str  # the purpose's label
    purpose: str
    url: str
    email_text: str
    expires_at: datetime
    person: PersonRef | None = None


@dataclass
class LinkInfo(Record):
    id: str
    name: str
    purpose: str
    subject_kind: str
    status: str  # open, answered, expired, revoked
    created_at: datetime
    expires_at: datetime
    person: PersonRef | None = None
    revoked_at: datetime | None = None
    answered_at: datetime | None = None
    answer: dict[str, Any] = field(default_factory=dict)


@dataclass
class LinkView(Record):
    """The page for a token: the question, or (once answered) the thank-you."""

    id: str
    name: str  # the page title
    page: LinkPage
    answered_at: datetime | None = None
    expires_at: datetime | None = None


@dataclass
class LinkAnswer(Record):
    id: str
    name: str  # the thank-you summary
    answered_at: datetime


def status_of(row: Any, now: datetime) -> str:
    if row.revoked_at is not None:
        return "revoked"
    if row.answered_at is not None:
        return "answered"
    if now > utc(row.expires_at):  # type: ignore[operator]
        return "expired"
    return "open"


class LinkService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    # -- issuing (features call this) ---------------------------------------------------

    def issue_in(self, j: Journal, purpose_name: str, subject_key: int, person_key: int,
                 *, context: dict[str, Any] | None = None, days: int = DEFAULT_DAYS,
                 intro: str = "", sender: str | None = None) -> IssuedLink:
        """Inside a write: a new link for one person and one purpose."""
        p = purpose(purpose_name)
        if not 1 <= days <= MAX_DAYS:
            raise InvalidInput(f"a link lasts 1 to {MAX_DAYS} days.", field="days")
        token = secrets.token_urlsafe(32)
        expires = j.now + timedelta(days=days)
        public = ids.new_id("link")
        st.insert_link(j, public_id=public, token_hash=token_hash(token), purpose=p.name,
                       subject_kind=p.subject_kind, subject_id=subject_key,
                       person_id=person_key, context=context or {}, expires_at=expires)
        person = st_people.ref_by_key(j.conn, person_key)
        me = st_people.me_key(j.conn)
        signer = sender or (st_people.ref_by_key(j.conn, me).name if me else "")
        url = f"{self.svc.config.public_url.rstrip('/')}/r/{token}"
        return IssuedLink(public, p.label, p.name, url,
                          email_text(person.name, p.label, intro, url, expires, signer),
                          expires, person)

    # -- the recipient's side -----------------------------------------------------------

    def _open(self, conn: Connection, token: str) -> tuple[Any, Purpose]:
        row = st.by_hash(conn, token_hash(token or ""))
        if row is None:
            raise NotFound("there is nothing at this address.",
                           hint="Check that the whole link was copied.")
        status = status_of(row, self.svc.now)
        if status == "revoked":
            raise LinkClosed("this link was withdrawn by the sender.",
                             hint="Ask them for a new one if you still want to answer.")
        if status == "expired":
            raise LinkClosed(f"this link expired on {utc(row.expires_at):%Y-%m-%d}.",
                             hint="Ask the sender for a new one.")
        return row, purpose(row.purpose)

    def view(self, token: str) -> LinkView:
        """The page behind a token (an answered link shows its thank-you)."""
        with self.svc.db.read() as conn:
            row, p = self._open(conn, token)
            page = p.page(self.svc, conn, _row(row))
        return LinkView(row.public_id, page.title, page, utc(row.answered_at),
                        utc(row.expires_at))

    def answer(self, token: str, form: dict[str, str]) -> LinkAnswer:
        """Validate the answer against the page's fields and record it once."""
        with self.svc.db.read() as conn:
            row, p = self._open(conn, token)
            page = p.page(self.svc, conn, _row(row))
            who = st_people.ref_by_key(conn, row.person_id).name if row.person_id else "someone"
        answer = validate(page.fields, form)
        actor = f"{who} (private link)"
        with self.svc.db.write(f"link answer: {p.name}", actor=actor, now=self.svc.now) as j:
            # re-read inside the write: two quick submissions record one answer
            current = st.by_key(j.conn, row.id)
            if current.answered_at is not None:
                raise Conflict("this link was answered already.",
                               hint="Each link takes one answer.")
            if status_of(current, j.now) != "open":
                raise LinkClosed("this link is no longer open.")
            stored = {"answered": True} if p.anonymous else answer
            j.update(st.LINKS, row.id, {"answered_at": j.now, "answer": stored})
            summary = "" if p.anonymous else p.apply(self.svc, j, _row(row), answer)
            at = j.now
        if p.anonymous:
            # a batch of its own, without the person: who answered is journaled above,
            # what they answered here (docs/private-links.md, "Anonymous purposes")
            with self.svc.db.write(f"link answer: {p.name}", actor="anonymous",
                                   now=self.svc.now) as j:
                summary = p.apply(self.svc, j, _row(row), answer)
        return LinkAnswer(row.public_id, summary, at)

    # -- managing links ------------------------------------------------------------------

    def _key(self, conn: Connection, link: str) -> int:
        keys = st.keys_by_public_id(conn, link)
        if not keys:
            raise NotFound(f"no private link has the id '{link}'.")
        if len(keys) > 1:
            raise Ambiguous(f"'{link}' is the start of several link ids.",
                            [(str(k), "link", "") for k in keys])
        return keys[0]

    @use_case(writes=True)
    def revoke(self, link: str) -> LinkInfo:
        """Withdraw a link at once; its page then says so."""
        with self.svc.db.write("link revoke", actor=self.svc.actor, now=self.svc.now) as j:
            key = self._key(j.conn, link)
            row = st.by_key(j.conn, key)
            if row.revoked_at is not None:
                raise Conflict("that link is already withdrawn.")
            j.update(st.LINKS, key, {"revoked_at": j.now})
            return self._info(j.conn, st.by_key(j.conn, key))

    @use_case()
    def get(self, link: str) -> LinkInfo:
        """One private link: its purpose, subject, recipient and state."""
        with self.svc.db.read() as conn:
            return self._info(conn, st.by_key(conn, self._key(conn, link)))

    @use_case()
    def list(self, *, purpose_name: str | None = None, subject_kind: str | None = None,
             subject_keys: list[int] | None = None, limit: int = 200) -> list[LinkInfo]:
        """The private links sent, newest first (for one purpose or subject when given)."""
        with self.svc.db.read() as conn:
            return [self._info(conn, r) for r in st.rows(
                conn, purpose=purpose_name, subject_kind=subject_kind,
                subject_keys=subject_keys, limit=limit)]

    def _info(self, conn: Connection, row: Any) -> LinkInfo:
        p = purposes().get(row.purpose)
        person = st_people.ref_by_key(conn, row.person_id) if row.person_id else None
        return LinkInfo(row.public_id, p.label if p else row.purpose, row.purpose,
                        row.subject_kind, status_of(row, self.svc.now),
                        utc(row.created_at), utc(row.expires_at),  # type: ignore[arg-type]
                        person, utc(row.revoked_at), utc(row.answered_at),
                        dict(row.answer or {}))


def _row(row: Any) -> LinkRow:
    return LinkRow(row.id, row.public_id, row.purpose, row.subject_kind, row.subject_id,
                   row.person_id, dict(row.context or {}),
                   utc(row.expires_at))  # type: ignore[arg-type]


def validate(fields: tuple[LinkField, ...], form: dict[str, str]) -> dict[str, Any]:
    """The answer, typed, from what the form sent; one clear error per problem."""
    out: dict[str, Any] = {}
    for f in fields:
        raw = (form.get(f.name) or "").strip()
        if not raw:
            if f.required:
                raise InvalidInput(f"please answer: {f.label}", field=f.name)
            continue
        if f.kind == "rating":
            if raw not in ("1", "2", "3", "4", "5"):
                raise InvalidInput(f"{f.label}: pick 1 to 5.", field=f.name)
            out[f.name] = int(raw)
        elif f.kind in ("verdict", "choice"):
            allowed = f.choices or ("confirmed", "disputed")
            if raw not in allowed:
                raise InvalidInput(f"{f.label}: pick one of the options.", field=f.name)
            out[f.name] = raw
        elif f.kind == "number":
            from decimal import Decimal, InvalidOperation

            try:
                out[f.name] = str(Decimal(raw.replace(",", "")))
            except InvalidOperation:
                raise InvalidInput(f"{f.label}: give a number.", field=f.name) from None
        else:
            if len(raw) > MAX_TEXT:
                raise InvalidInput(f"{f.label}: keep it under {MAX_TEXT} characters.",
                                   field=f.name)
            out[f.name] = raw
    verdicts = [f for f in fields if f.kind == "verdict"]
    if any(out.get(f.name) == "disputed" for f in verdicts) and not out.get("comment"):
        raise InvalidInput("please say what is wrong: a dispute needs a comment.",
                           field="comment")
    return out


def email_text(name: str, label: str, intro: str, url: str, expires: datetime,
               signer: str) -> str:
    """A plain e-mail the sender can paste into their own mail program."""
    first = name.split()[0] if name.split() else name
    lines = [f"Subject: Please {label}", "", f"Hello {first},", ""]
    if intro:
        lines += [intro, ""]
    lines += [
        f"Could you {label} here? It takes a minute and needs no account:",
        "",
        url,
        "",
        f"The link is for you alone and works until {expires:%Y-%m-%d}.",
        "",
        "Thank you,",
        signer,
    ]
    return "\n".join(lines)


def verdict_fields(question: str) -> tuple[LinkField, ...]:
    """The fields of a confirm-or-dispute question."""
    return (
        LinkField("verdict", question, "verdict", True, ("confirmed", "disputed")),
        LinkField("comment", "Comment (needed if you dispute)", "text"),
    )

