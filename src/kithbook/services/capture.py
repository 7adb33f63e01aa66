"""Capture use cases: add, list, edit and remove mail and calendar sources; run them
(incremental, resumable, one undo batch per run); report what each run did; review the
correspondents proposed as new people. See docs/capture.md."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kithbook import ids
from kithbook.domain.capture import (
    DEFAULT_NEVER,
    MAIL_KINDS,
    PRIVACY_LEVELS,
    SOURCE_KINDS,
    canonical_address,
    name_from_address,
)
from kithbook.domain.models import Page, PersonRef, Record
from kithbook.errors import Ambiguous, Conflict, InvalidInput, NotFound
from kithbook.services.catalog import use_case
from kithbook.store import capture as st

if TYPE_CHECKING:
    from kithbook.services.app import Services

PasswordPrompt = Callable[[str], str | None]


@dataclass
class NewSource:
    """A source to capture from. `location` is a path (mbox, Maildir, .ics), an IMAP
    host, or a CalDAV calendar URL."""

    kind: str
    name: str
    location: str
    privacy: str = "metadata"
    never: list[str] = field(default_factory=list)
    me: list[str] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)
    user: str | None = None
    port: int | None = None
    starttls: bool = False
    ca_file: str | None = None
    since: date | None = None
    default_never: bool = True
    timeout: float | None = None  # seconds a silent server is given (network sources)


@dataclass
class CaptureSource(Record):
    id: str
    name: str
    kind: str
    location: str
    privacy: str
    never: list[str] = field(default_factory=list)
    me: list[str] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)
    user: str | None = None
    since: str | None = None
    password_stored: bool | None = None  # network sources: is it in the OS keyring?
    last_run: str | None = None
    last_status: str | None = None
    created_at: datetime | None = None
    key: int = 0


@dataclass
class RunReport(Record):
    id: str
    name: str  # the source's name
    source_id: str
    status: str  # running, done, partial, failed, interrupted
    started_at: datetime | None = None
    finished_at: datetime | None = None
    message: str | None = None
    undo_batch: str = ""
    undone: bool = False
    seen: int = 0
    kept: int = 0
    duplicates: int = 0
    created: int = 0
    updated: int = 0
    withdrawn: int = 0
    proposed: int = 0
    people_touched: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


@dataclass
class Proposal(Record):
    """An unknown correspondent, offered as a new person (never created silently)."""

    id: str  # the address
    name: str  # suggested name
    address: str
    msgs_in: int
    msgs_out: int
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    status: str = "proposed"


def _json_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _source(row: dict[str, Any], last: dict[str, Any] | None = None) -> CaptureSource:
    st_ = row["settings"] or {}
    stored = None
    if row["kind"] in ("imap", "caldav") and st_.get("user"):
        from kithbook.io import secrets

        stored = secrets.get_password(row["public_id"]) is not None
    return CaptureSource(
        id=row["public_id"], name=row["name"], kind=row["kind"], location=row["location"],
        privacy=st_.get("privacy", "metadata"), never=_json_list(st_.get("never")),
        me=_json_list(st_.get("me")), folders=_json_list(st_.get("folders")),
        user=st_.get("user"), since=st_.get("since"), password_stored=stored,
        last_run=last["public_id"] if last else None,
        last_status=last["status"] if last else None,
        created_at=row["created_at"], key=row["id"],
    )


def run_report(row: dict[str, Any]) -> RunReport:
    stats = row.get("stats") or {}
    return RunReport(
        id=row["public_id"], name=row["source_name"], source_id=row["source_public_id"],
        status=row["status"], started_at=row["started_at"], finished_at=row["finished_at"],
        message=row["message"], undo_batch=row["batch_id"],
        undone=row.get("undone_at") is not None,
        **{k: stats.get(k, 0) for k in ("seen", "kept", "duplicates", "created", "updated",
                                        "withdrawn", "proposed", "people_touched")},
        skipped=dict(stats.get("skipped") or {}), problems=list(stats.get("problems") or []),
    )


class CaptureService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    # -- sources ------------------------------------------------------------------------

    @use_case(writes=True)
    def add(self, new: NewSource, *, password: str | None = None) -> CaptureSource:
        """Add a source. A network source's password goes to the OS keyring, never to
        the database; without a keyring it is asked at each run."""
        kind = (new.kind or "").strip().lower()
        if kind not in SOURCE_KINDS:
            raise InvalidInput(f"'{new.kind}' is not a kind of source; use one of "
                               f"{', '.join(SOURCE_KINDS)}.", field="kind")
        name = (new.name or "").strip()
        if not name or len(name) > 100:
            raise InvalidInput("a source needs a short name (1 to 100 characters).",
                               field="name")
        if new.privacy not in PRIVACY_LEVELS:
            raise InvalidInput(f"privacy must be one of {', '.join(PRIVACY_LEVELS)}.",
                               field="privacy")
        location = (new.location or "").strip()
        if kind in ("mbox", "maildir", "ics"):
            try:
                path = Path(location).expanduser()
                there = path.exists()
                location = str(path.resolve()) if there else location
            except (OSError, ValueError, RuntimeError):  # too long, NUL bytes, loops
                there = False
            if not there:
                raise InvalidInput(f"{location[:200]} does not exist.", field="location",
                                   hint="Give the path of the file or folder.")
        elif kind == "imap" and not new.user:
            raise InvalidInput("an IMAP account needs a user name.", field="user")
        elif kind == "caldav" and not location.lower().startswith(("https://", "http://")):
            raise InvalidInput("a CalDAV calendar is named by its https:// address.",
                               field="location")
        me = [canonical_address(a) for a in new.me if "@" in a]
        if len(me) != len([a for a in new.me if a.strip()]):
            raise InvalidInput("your own addresses must be e-mail addresses.", field="me")
        never = [p.strip().lower() for p in new.never if p.strip()]
        if new.default_never:
            never = [*DEFAULT_NEVER, *[p for p in never if p not in DEFAULT_NEVER]]
        settings: dict[str, Any] = {
            "privacy": new.privacy, "never": never, "me": me,
            "folders": new.folders or (["INBOX"] if kind == "imap" else []),
            "user": new.user, "port": new.port, "starttls": new.starttls,
            "ca_file": new.ca_file, "since": new.since.isoformat() if new.since else None,
            "timeout": new.timeout,
        }
        with self.svc.db.write("capture add", actor=self.svc.actor, now=self.svc.now) as j:
            if any(r["name"].lower() == name.lower() for r in st.sources(j.conn)):
                raise Conflict(f"a source named '{name}' exists already.",
                               hint="Pick another name, or remove the old source first.")
            if kind in MAIL_KINDS and not me and not self._my_emails(j.conn):
                raise InvalidInput(
                    "Kithbook needs your own e-mail address to tell sent mail from "
                    "received mail.", field="me")
            key = st.insert_source(j, {"public_id": ids.new_id("capture_source"),
                                       "name": name, "kind": kind, "location": location,
                                       "settings": settings, "cursor": None})
            row = [r for r in st.sources(j.conn) if r["id"] == key][0]
        if password:
            from kithbook.io import secrets

            secrets.set_password(row["public_id"], password)
        return _source(row)

    def _my_emails(self, conn: Any) -> list[str]:
        return [a for a, _k, is_me in st.person_email_index(conn) if is_me]

    def _find(self, conn: Any, ref: str) -> dict[str, Any]:
        found = st.source_by_ref(conn, (ref or "").strip())
        if not found:
            names = ", ".join(r["name"] for r in st.sources(conn)) or "none yet"
            raise NotFound(f"no capture source '{ref}' (sources: {names}).")
        if len(found) > 1:
            raise Ambiguous(f"'{ref}' matches several capture sources.",
                            [(r["public_id"], r["name"], r["kind"]) for r in found])
        return found[0]

    @use_case()
    def sources(self) -> list[CaptureSource]:
        """Every live source with its last run."""
        with self.svc.db.read() as conn:
            rows = st.sources(conn)
            last = {r["source_id"]: r for r in reversed(st.runs(conn, limit=1000))}
        return [_source(r, last.get(r["id"])) for r in rows]

    @use_case()
    def get(self, ref: str) -> CaptureSource:
        """One capture source, by name or id."""
        with self.svc.db.read() as conn:
            return _source(self._find(conn, ref))

    @use_case(writes=True)
    def edit(self, ref: str, *, privacy: str | None = None, never_add: list[str] | None = None,
             never_remove: list[str] | None = None, me_add: list[str] | None = None,
             folders: list[str] | None = None, password: str | None = None) -> CaptureSource:
        """Change what a source keeps: privacy level, never-capture list, own addresses,
        folders; a new password goes to the keyring."""
        if privacy is not None and privacy not in PRIVACY_LEVELS:
            raise InvalidInput(f"privacy must be one of {', '.join(PRIVACY_LEVELS)}.",
                               field="privacy")
        with self.svc.db.write("capture edit", actor=self.svc.actor, now=self.svc.now) as j:
            row = self._find(j.conn, ref)
            settings = dict(row["settings"] or {})
            if privacy is not None:
                settings["privacy"] = privacy
            never = list(settings.get("never") or [])
            for p in never_add or []:
                if p.strip() and p.strip().lower() not in never:
                    never.append(p.strip().lower())
            drop = {p.strip().lower() for p in never_remove or []}
            settings["never"] = [p for p in never if p not in drop]
            for a in me_add or []:
                if "@" not in a:
                    raise InvalidInput(f"'{a}' is not an e-mail address.", field="me")
                if canonical_address(a) not in settings.get("me", []):
                    settings["me"] = [*settings.get("me", []), canonical_address(a)]
            if folders:
                settings["folders"] = folders
            st.update_source(j, row["id"], {"settings": settings})
            row = self._find(j.conn, row["public_id"])
        if password:
            from kithbook.io import secrets

            secrets.set_password(row["public_id"], password)
        return _source(row)

    @use_case(writes=True)
    def remove(self, ref: str) -> CaptureSource:
        """Stop capturing from a source. What it captured stays (it happened); its stored
        password leaves the keyring. `undo` brings the source back."""
        with self.svc.db.write("capture remove", actor=self.svc.actor, now=self.svc.now) as j:
            row = self._find(j.conn, ref)
            st.update_source(j, row["id"], {"deleted_at": j.now})
        from kithbook.io import secrets

        secrets.delete_password(row["public_id"])
        return _source(row)

    # -- runs -----------------------------------------------------------------------------

    @use_case(writes=True)
    def run(self, refs: list[str] | None = None, *, max_seconds: float | None = None,
            max_items: int | None = None, prompt: PasswordPrompt | None = None
            ) -> list[RunReport]:
        """Run sources (all by default). Each run commits in steps with its cursor, so a
        run that stops resumes without duplicates; all its steps form one undo batch."""
        from kithbook.services.capture_run import run_source

        with self.svc.db.read() as conn:
            rows = [self._find(conn, r) for r in refs] if refs else st.sources(conn)
        if not rows:
            raise NotFound("there is no capture source yet.",
                           hint="Add one first (an mbox, a Maildir, IMAP, .ics or CalDAV).")
        deadline = time.monotonic() + max_seconds if max_seconds else None
        return [run_source(self.svc, row, deadline=deadline, max_items=max_items,
                           prompt=prompt) for row in rows]

    @use_case()
    def report(self, ref: str | None = None, *, limit: int = 20) -> list[RunReport]:
        """What each recent run saw, kept, skipped (and why) and proposed."""
        with self.svc.db.read() as conn:
            key = self._find(conn, ref)["id"] if ref else None
            return [run_report(r) for r in st.runs(conn, source_key=key, limit=limit)]

    # -- review ---------------------------------------------------------------------------

    @use_case()
    def review(self, *, status: str = "proposed", limit: int = 100, offset: int = 0
               ) -> tuple[list[Proposal], int]:
        """Correspondents who wrote and were written to repeatedly, not yet people."""
        if status not in ("proposed", "seen", "accepted", "dismissed"):
            raise InvalidInput("status is one of proposed, seen, accepted, dismissed.",
                               field="status")
        with self.svc.db.read() as conn:
            rows, total = st.contacts(conn, status=status, limit=limit, offset=offset)
        return [Proposal(id=r["address"], name=name_from_address(r["address"],
                                                                 r["display_name"]),
                         address=r["address"], msgs_in=r["msgs_in"], msgs_out=r["msgs_out"],
                         first_seen=r["first_seen"], last_seen=r["last_seen"],
                         status=r["status"]) for r in rows], total

    @use_case(writes=True)
    def accept(self, addresses: list[str], *, everyone: bool = False) -> list[PersonRef]:
        """Make proposed correspondents people, and give them the touches already
        captured with them (threads and meetings), all in one undo batch."""
        from kithbook.services.capture_accept import accept

        return accept(self.svc, addresses, everyone=everyone)

    @use_case(writes=True)
    def dismiss(self, addresses: list[str]) -> Page[str]:
        """Never propose these correspondents again (undo brings them back)."""
        from kithbook.store.capture_schema import capture_contacts

        with self.svc.db.write("capture dismiss", actor=self.svc.actor, now=self.svc.now) as j:
            found = st.contacts_by_address(j.conn, [canonical_address(a) for a in addresses])
            missing = [a for a in addresses if canonical_address(a) not in found]
            if missing:
                raise NotFound(f"no correspondent {missing[0]} on the review list.")
            for row in found.values():
                j.update(capture_contacts, row["id"], {"status": "dismissed"})
        # the total dismissed, the addresses as given
        return Page(total=len(found), items=list(addresses))


def utc_start(day: str | None) -> datetime | None:
    """Midnight UTC of a source's start date."""
    if not day:
        return None
    d = date.fromisoformat(day)
    return datetime(d.year, d.month, d.day, tzinfo=UTC)
