"""Capture rules, pure: which address is whom, which message or meeting is a personal
touch, and how a correspondent becomes a proposal. No I/O (docs/capture.md).

Addresses are compared in a canonical form: lower case, and the provider's own
aliasing undone: `+tag` sub-addressing where the provider delivers it to the same
mailbox, dots in the local part for Gmail only, googlemail.com = gmail.com."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

PRIVACY_LEVELS = ("metadata", "subject", "snippet")
SOURCE_KINDS = ("mbox", "maildir", "imap", "ics", "caldav")
MAIL_KINDS = frozenset({"mbox", "maildir", "imap"})

# Providers that deliver local+tag@domain to local@domain.
_PLUS_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
    "icloud.com", "me.com", "mac.com", "fastmail.com", "fastmail.fm", "proton.me",
    "protonmail.com", "pm.me", "yandex.com", "yandex.ru", "zoho.com", "hey.com",
})
_DOTLESS_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
_DOMAIN_ALIASES = {"googlemail.com": "gmail.com"}

# Addresses that are never a person talking to you; users add their own per source.
DEFAULT_NEVER: tuple[str, ...] = (
    "noreply@*", "no-reply@*", "no_reply@*", "donotreply@*", "do-not-reply@*",
    "do_not_reply@*", "mailer-daemon@*", "postmaster@*", "notifications@*",
    "notification@*", "notify@*", "newsletter@*", "newsletters@*", "news@*",
    "bounce*@*", "*-bounces@*", "*@bounce.*", "*@*.bounce.*", "alerts@*", "digest@*",
    "*@noreply.*", "*@*.noreply.*", "*@notifications.*",
)

# Unknown correspondents are proposed as new people once they wrote to you and you to
# them, at least this many messages in all.
PROPOSE_MIN_MESSAGES = 3
MAX_PARTIES = 30  # a message to more people than this is a broadcast, not a touch


def canonical_address(address: str) -> str:
    """The form two spellings of one mailbox share."""
    addr = address.strip().strip("<>").strip().lower()
    local, at, domain = addr.rpartition("@")
    if not at or not local or not domain:
        return addr
    domain = _DOMAIN_ALIASES.get(domain, domain)
    if domain in _PLUS_DOMAINS and "+" in local:
        local = local.split("+", 1)[0] or local
    if domain in _DOTLESS_DOMAINS:
        local = local.replace(".", "") or local
    return f"{local}@{domain}"


def without_tag(address: str) -> str:
    """The address without a `+tag`, whatever the domain (for my own aliases and as a
    second try when matching people)."""
    local, at, domain = address.rpartition("@")
    if at and "+" in local and local.split("+", 1)[0]:
        return f"{local.split('+', 1)[0]}@{domain}"
    return address


def is_me(address: str, me: frozenset[str]) -> bool:
    """One of my addresses, or a `+tag` variant of one (mail to me+x@ reaches me)."""
    return address in me or without_tag(address) in me


@lru_cache(maxsize=64)
def _compiled(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regular expression for a whole list: a run checks every address against it."""
    parts = []
    for raw in patterns:
        pat = raw.strip().lower()
        if not pat:
            continue
        if pat.startswith("@"):
            parts.append(r"[^@]*@(?:[^@]*\.)?" + re.escape(pat[1:]))
        elif any(c in pat for c in "*?["):
            parts.append(fnmatch.translate(pat).removeprefix("(?s:").removesuffix(")\\Z"))
        else:
            parts.append(re.escape(canonical_address(pat)))
    return re.compile("(?:" + "|".join(parts) + r")\Z", re.S) if parts else None


def never_matches(address: str, patterns: Iterable[str]) -> str | None:
    """The never-capture pattern that covers a canonical address, if any. A pattern is
    an address, `@domain` (and its subdomains), or a glob such as `noreply@*`."""
    pats = tuple(patterns)
    rx = _compiled(pats)
    if rx is None or rx.match(address) is None:
        return None
    for raw in pats:  # which one: only for the rare address that is covered
        pat = raw.strip().lower()
        if not pat:
            continue
        if pat.startswith("@"):
            domain = address.rpartition("@")[2]
            if domain == pat[1:] or domain.endswith("." + pat[1:]):
                return raw
        elif any(c in pat for c in "*?["):
            if fnmatch.fnmatchcase(address, pat):
                return raw
        elif canonical_address(pat) == address:
            return raw
    return None


@dataclass(frozen=True)
class Party:
    address: str  # canonical
    name: str | None = None


@dataclass
class MailFacts:
    """What a message says about itself, as read from its headers."""

    message_id: str | None
    sender: Party | None
    recipients: list[Party]  # To and Cc, in order
    when: datetime | None
    refs: list[str] = field(default_factory=list)  # References then In-Reply-To
    gm_thread: str | None = None
    subject: str | None = None
    snippet: str | None = None
    size: int = 0
    auto_submitted: str | None = None
    precedence: str | None = None
    list_id: str | None = None
    list_unsubscribe: bool = False


@dataclass
class Verdict:
    """A message judged: kept (with direction and the others) or skipped with a reason."""

    keep: bool
    reason: str = ""
    direction: str = "in"  # out: I sent it; in: someone else did
    others: list[Party] = field(default_factory=list)


def judge_mail(m: MailFacts, me: frozenset[str], never: Sequence[str]) -> Verdict:
    """Is this message a personal touch? Automated and list mail announce themselves
    (RFC 3834 Auto-Submitted, Precedence, RFC 2919 List-Id, RFC 2369 List-Unsubscribe)."""
    if m.when is None:
        return Verdict(False, "no readable date")
    if m.sender is None:
        return Verdict(False, "no sender")
    auto = (m.auto_submitted or "").strip().lower()
    if auto and auto != "no":
        return Verdict(False, "automated (Auto-Submitted)")
    if (m.precedence or "").strip().lower() in ("bulk", "list", "junk"):
        return Verdict(False, "bulk mail (Precedence)")
    if m.list_id:
        return Verdict(False, "mailing list (List-Id)")
    if m.list_unsubscribe:
        return Verdict(False, "newsletter (List-Unsubscribe)")
    out = is_me(m.sender.address, me)
    if not out and never_matches(m.sender.address, never):
        return Verdict(False, "never-capture address")
    everyone = [m.sender, *m.recipients]
    others: dict[str, Party] = {}
    for p in everyone:
        if is_me(p.address, me) or p.address in others or "@" not in p.address:
            continue
        if never_matches(p.address, never):
            continue
        others[p.address] = p
    if not others:
        return Verdict(False, "only yourself or never-capture addresses")
    if len(others) > MAX_PARTIES:
        return Verdict(False, f"sent to more than {MAX_PARTIES} people")
    if not out and not any(is_me(p.address, me) for p in m.recipients):
        # mail that reached me without naming me: a list, a Bcc blast, a forward rule
        return Verdict(False, "not addressed to you")
    return Verdict(True, direction="out" if out else "in", others=list(others.values()))


def thread_key(m: MailFacts, item_key: str) -> str:
    """The thread a message belongs to before any lookup: Gmail's thread id when the
    export has it, else the oldest message it refers to (the root of References)."""
    if m.gm_thread:
        return f"gm:{m.gm_thread}"
    return m.refs[0] if m.refs else item_key


def proposal_due(msgs_in: int, msgs_out: int) -> bool:
    """Two-way and repeated: they wrote, I wrote, and it was not a one-off."""
    return msgs_in >= 1 and msgs_out >= 1 and msgs_in + msgs_out >= PROPOSE_MIN_MESSAGES


def name_from_address(address: str, display: str | None) -> str:
    """A person's name for a proposal: the display name, else the mailbox made readable."""
    if display and "@" not in display and display.strip():
        return display.strip()[:300]
    local = address.partition("@")[0]
    words = [w for w in local.replace("_", ".").replace("-", ".").split(".") if w]
    return " ".join(w.capitalize() for w in words)[:300] or address


def judge_meeting(status: str, all_day: bool, organizer: Party | None,
                  attendees: Sequence[tuple[Party, str]], me: frozenset[str],
                  never: Sequence[str]) -> Verdict:
    """Did this meeting happen with me and someone else? Cancelled, declined and
    all-day entries are no touch; neither is a meeting I never accepted."""
    if status == "CANCELLED":
        return Verdict(False, "cancelled")
    if all_day:
        return Verdict(False, "all-day entry, not a meeting")
    i_organize = organizer is None or is_me(organizer.address, me)
    mine = [ps for p, ps in attendees if is_me(p.address, me)]
    if not i_organize:
        if not mine:
            return Verdict(False, "you were not among the attendees")
        if all(ps == "DECLINED" for ps in mine):
            return Verdict(False, "you declined")
        if not any(ps in ("ACCEPTED", "TENTATIVE", "DELEGATED") for ps in mine):
            return Verdict(False, "you did not accept")
    others: dict[str, Party] = {}
    everyone = [(organizer, "ACCEPTED")] if organizer is not None else []
    for p, ps in [*everyone, *attendees]:
        if p is None or is_me(p.address, me) or p.address in others or ps == "DECLINED":
            continue
        if never_matches(p.address, never):
            continue
        others[p.address] = p
    if not others:
        return Verdict(False, "no other attendees")
    if len(others) > MAX_PARTIES:
        return Verdict(False, f"more than {MAX_PARTIES} attendees")
    return Verdict(True, direction="out" if i_organize else "in",
                   others=list(others.values()))


@dataclass
class Touch:
    """One message or meeting occurrence that counts, ready to be written."""

    origin: str  # mail, calendar
    key: str  # Message-ID (or a stable substitute), UID|RECURRENCE-ID
    thread: str  # the thread before lookups (a meeting is its own thread)
    when: datetime
    direction: str  # out, in, both
    others: list[Party]
    channel: str  # email, meeting
    initiator: str | None = None  # canonical address of who wrote or organized it
    refs: list[str] = field(default_factory=list)  # messages this one answers
    minutes: int | None = None
    summary: str | None = None
    locator: str = ""
    fingerprint: str | None = None
    withdraw: bool = False  # a meeting captured before, now cancelled or declined


@dataclass
class Batch:
    """What a source read in one step, committed together with the cursor after it."""

    touches: list[Touch] = field(default_factory=list)
    seen: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    cursor: dict[str, object] | None = None
    problems: list[str] = field(default_factory=list)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1
