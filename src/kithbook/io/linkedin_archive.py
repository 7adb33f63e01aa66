"""What a LinkedIn data-archive zip holds beyond Connections.csv: messages (both
vintages), invitations, endorsements and recommendations received. Each parser streams
one `ArchiveTouch` per readable row and one `RowError` per row it cannot read; it never
raises on a row (the limits on size, rows and time are io/intake.py's, applied by
io/sources.py).

Headers of the files as LinkedIn wrote them:

- messages.csv, current: `CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,
  RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER` (`2025-11-03 14:22:05 UTC`);
- Messages.csv, 2018: `From,To,Date,Subject,Content,Direction,Folder` (`1/8/18, 6:14 PM`,
  Direction INCOMING or OUTGOING);
- Invitations.csv: `From,To,Sent At,Message,Direction[,inviterProfileUrl,
  inviteeProfileUrl]`;
- Endorsement_Received_Info.csv: `Endorsement Date,Skill Name,Endorser First Name,
  Endorser Last Name,Endorser Public Url,Endorsement Status` (Endorsement_Given_Info.csv:
  `Endorsee ...`);
- Recommendations_Received.csv and Recommendations_Given.csv: `First Name,Last Name,
  Company,Job Title,Text,Creation Date,Status`.

Who "me" is, when a file does not say (current messages have no direction), is decided
by the importer from the whole archive (services/import_archive.py)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from kithbook.io import normalize as n
from kithbook.io.csv_common import get, numeric_order, parse_date, read_rows
from kithbook.io.records import RowError

# file in the zip -> the kind of touch it holds
MEMBERS = {
    "messages.csv": "message",
    "invitations.csv": "invitation",
    "endorsement_received_info.csv": "endorsement",
    "endorsement_given_info.csv": "endorsement",
    "recommendations_received.csv": "recommendation",
    "recommendations_given.csv": "recommendation",
}
MAX_TEXT = 20_000  # content kept per message, when it is kept at all


@dataclass(frozen=True)
class Party:
    """Someone on a message: the name as written and the profile URL when given."""

    name: str
    url: str | None = None  # normalized (normalize.linkedin_url)


@dataclass
class ArchiveTouch:
    kind: str  # message, invitation, endorsement, recommendation
    line: int
    when: datetime  # aware, UTC (a time written without a zone is read in the user's)
    sender: Party | None  # None: the archive's owner, known from the file
    recipients: list[Party] = field(default_factory=list)  # [] with direction "in": me
    conversation: str = ""  # LinkedIn's id, or one derived from the parties
    subject: str | None = None
    content: str | None = None  # the words; the importer keeps them only when asked
    direction: str | None = None  # "out" / "in" when the file says; None: decide by "me"
    topic: str | None = None  # an endorsement's skill
    # the same wall-clock time read as UTC, when it was written without a zone and read
    # in another: how an import made before the zone setting (or under another zone)
    # keyed it, so a re-import recognises what that one brought (services/import_archive)
    as_utc: datetime | None = None


Parsed = ArchiveTouch | RowError

_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?[Mm]?\.?)?")
# what may follow the time: fractions of a second, then the zone when one is written
_ZONE = re.compile(r"^(?:\.\d+)?\s*(UTC|GMT|Z)?\s*(?:([+-])(\d{1,2}):?(\d{2})?)?\s*$",
                   re.IGNORECASE)


def parse_datetime(text: str | None, dayfirst: bool | None = None,
                   zone: tzinfo = UTC) -> datetime | None:
    """`2025-11-03 14:22:05 UTC`, `1/8/18, 6:14 PM`, `2021/03/04 10:11:12 UTC`, a bare
    date: an aware UTC datetime, or None when the date cannot be read.

    A time with a zone (`UTC`, `Z`, `+01:00`) is read in it. A time without one is the
    wall clock of whoever exported the file (LinkedIn's 2018 export, `1/8/18, 6:14 PM`)
    and is read in `zone`, the user's configured time zone, so the instant is the one a
    current export (UTC, marked) gives the same message. A bare date is that day: its
    midnight in UTC, so the day stays the one written whatever the zone."""
    if not text:
        return None
    text = text.strip()[:100]
    day = parse_date(text, dayfirst)
    if day is None:
        return None
    m = _TIME.search(text)
    if m is None:
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    hour, minute, second = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    ampm = (m.group(4) or "").lower()
    if ampm == "p" and hour < 12:
        hour += 12
    elif ampm == "a" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        hour = minute = second = 0
    where = _ZONE.match(text[m.end():])
    if where is not None and where.group(2):
        sign = -1 if where.group(2) == "-" else 1
        offset = timedelta(hours=int(where.group(3)), minutes=int(where.group(4) or 0))
        zone = timezone(sign * offset) if offset < timedelta(hours=24) else UTC
    elif where is not None and where.group(1):
        zone = UTC
    local = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone)
    return local.astimezone(UTC)


def _times(raw: str | None, order: bool | None, zone: tzinfo
           ) -> tuple[datetime | None, datetime | None]:
    """The time as read in `zone`, and as read in UTC when that differs (a time written
    without a zone: ArchiveTouch.as_utc)."""
    when = parse_datetime(raw, order, zone)
    if when is None or zone is UTC:
        return when, None
    as_utc = parse_datetime(raw, order, UTC)
    return when, (as_utc if as_utc != when else None)


def _party(name: str | None, url: str | None = None) -> Party | None:
    clean = n.clean(name, 300)
    norm = n.linkedin_url(url) if url else None
    if not clean and not norm:
        return None
    return Party(clean or (norm or "").rsplit("/", 1)[-1], norm)


def _split(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split(",") if p.strip()]


def _direction(text: str | None) -> str | None:
    v = (text or "").strip().upper()
    return "out" if v == "OUTGOING" else "in" if v == "INCOMING" else None


SETTLE_ROWS = 5_000  # rows held back, at most, while the file's date order is unsettled


def _rows(text: str, is_header: Callable[[list[str]], bool], date_cols: tuple[str, ...]
          ) -> Iterator[tuple[int, dict[str, str], bool | None] | RowError]:
    """Rows as they are read, with the file's numeric date order (13/01 or 01/13). Rows
    are held back only until a date settles the order, and never more than SETTLE_ROWS
    of them: LinkedIn's own numeric dates are month first, and the held rows bound the
    memory of a file of any length (the row count is io/intake.py's)."""
    held: list[tuple[int, dict[str, str]] | RowError] = []
    order: bool | None = None
    settled = False
    for it in read_rows(text, is_header):
        if settled:
            yield it if isinstance(it, RowError) else (it[0], it[1], order)
            continue
        held.append(it)
        if not isinstance(it, RowError):
            order = numeric_order(get(it[1], *date_cols))
            settled = order is not None
        if settled or len(held) >= SETTLE_ROWS:
            settled = True
            for h in held:
                yield h if isinstance(h, RowError) else (h[0], h[1], order)
            held = []
    for h in held:
        yield h if isinstance(h, RowError) else (h[0], h[1], order)


def parse(member: str, text: str, zone: tzinfo = UTC) -> Iterator[Parsed]:
    """The touches of one archive member (a name from MEMBERS, lower case); `zone`
    reads the times written without one (parse_datetime)."""
    member = member.lower()
    kind = MEMBERS.get(member)
    given = "_given" in member
    if kind == "message":
        yield from parse_messages(text, zone)
    elif kind == "invitation":
        yield from parse_invitations(text, zone)
    elif kind == "endorsement":
        yield from parse_endorsements(text, given=given, zone=zone)
    elif kind == "recommendation":
        yield from parse_recommendations(text, given=given, zone=zone)


def _msg_header(cells: list[str]) -> bool:
    return "date" in cells and "from" in cells and ("to" in cells or "content" in cells)


def parse_messages(text: str, zone: tzinfo = UTC) -> Iterator[Parsed]:
    for it in _rows(text, _msg_header, ("date",)):
        if isinstance(it, RowError):
            yield it
            continue
        if (get(it[1], "folder") or "").upper() in ("DRAFT", "DRAFTS"):
            continue  # never sent: not a touch
        yield _message(*it, zone)


def _message(line: int, row: dict[str, str], order: bool | None, zone: tzinfo) -> Parsed:
    raw = get(row, "date")
    when, as_utc = _times(raw, order, zone)
    if when is None:
        return RowError(line, f"message date {raw[:40]!r} cannot be read" if raw
                        else "message without a date")
    sender = _party(get(row, "from"), get(row, "sender profile url"))
    names = _split(get(row, "to"))
    urls = _split(get(row, "recipient profile urls"))
    if urls and len(urls) == len(names):
        recipients = [p for nm, u in zip(names, urls, strict=True) if (p := _party(nm, u))]
    elif urls:
        recipients = [p for u in urls if (p := _party(None, u))]
    else:
        to = n.clean(get(row, "to"), 300)
        recipients = [Party(to)] if to else []
    direction = _direction(get(row, "direction"))
    if sender is None and direction != "out":
        return RowError(line, "message without a sender")
    if not recipients and direction != "in":
        return RowError(line, "message without a recipient")
    conv = n.clean(get(row, "conversation id"), 200)
    if not conv:
        other = (recipients[0] if direction == "out" and recipients else sender)
        conv = "with:" + n.fast_fold(other.name if other else "")[:150]
    return ArchiveTouch(
        "message", line, when, sender, recipients, conv,
        subject=n.clean(get(row, "subject"), 300),
        content=n.clean(get(row, "content"), MAX_TEXT), direction=direction, as_utc=as_utc)


def _inv_header(cells: list[str]) -> bool:
    return "sent at" in cells and "from" in cells and "to" in cells


def parse_invitations(text: str, zone: tzinfo = UTC) -> Iterator[Parsed]:
    for it in _rows(text, _inv_header, ("sent at",)):
        if isinstance(it, RowError):
            yield it
            continue
        line, row, order = it
        raw = get(row, "sent at")
        when, as_utc = _times(raw, order, zone)
        direction = _direction(get(row, "direction"))
        sender = _party(get(row, "from"), get(row, "inviterprofileurl"))
        recipient = _party(get(row, "to"), get(row, "inviteeprofileurl"))
        if when is None:
            yield RowError(line, f"invitation date {(raw or '')[:40]!r} cannot be read")
        elif direction is None:
            yield RowError(line, "invitation without a direction (INCOMING or OUTGOING)")
        elif sender is None or recipient is None:
            yield RowError(line, "invitation without both people")
        else:
            other = recipient if direction == "out" else sender
            yield ArchiveTouch("invitation", line, when, sender, [recipient],
                               "invitation:" + (other.url or n.fast_fold(other.name))[:200],
                               subject="LinkedIn invitation",
                               content=n.clean(get(row, "message"), MAX_TEXT),
                               direction=direction, as_utc=as_utc)


def _end_header(cells: list[str]) -> bool:
    return "endorsement date" in cells and "skill name" in cells


def parse_endorsements(text: str, *, given: bool = False, zone: tzinfo = UTC
                       ) -> Iterator[Parsed]:
    """Endorsement_Received_Info.csv (`Endorser ...` columns), or with `given`
    Endorsement_Given_Info.csv (`Endorsee ...`): evidence, them to me or me to them."""
    who_col = "endorsee" if given else "endorser"
    for it in _rows(text, _end_header, ("endorsement date",)):
        if isinstance(it, RowError):
            yield it
            continue
        line, row, order = it
        raw = get(row, "endorsement date")
        when, as_utc = _times(raw, order, zone)
        name = " ".join(p for p in (get(row, f"{who_col} first name"),
                                    get(row, f"{who_col} last name")) if p)
        who = _party(name, get(row, f"{who_col} public url"))
        if (get(row, "endorsement status") or "").upper() in ("HIDDEN", "REJECTED"):
            continue
        if when is None:
            yield RowError(line, f"endorsement date {(raw or '')[:40]!r} cannot be read")
        elif who is None:
            yield RowError(line, f"endorsement without an {who_col}")
        else:
            said = "You endorsed them" if given else "Endorsed you"
            yield ArchiveTouch(
                "endorsement", line, when, None if given else who, [who] if given else [],
                f"endorsement{'-given' if given else ''}:"
                + (who.url or n.fast_fold(who.name))[:200],
                subject=f"{said} on LinkedIn", direction="out" if given else "in",
                topic=n.clean(get(row, "skill name"), 200), as_utc=as_utc)


def _rec_header(cells: list[str]) -> bool:
    return "first name" in cells and "text" in cells and "creation date" in cells


def parse_recommendations(text: str, *, given: bool = False, zone: tzinfo = UTC
                          ) -> Iterator[Parsed]:
    """Recommendations_Received.csv, or with `given` Recommendations_Given.csv (the same
    columns: the other person's name, company and title)."""
    for it in _rows(text, _rec_header, ("creation date",)):
        if isinstance(it, RowError):
            yield it
            continue
        line, row, order = it
        raw = get(row, "creation date")
        when, as_utc = _times(raw, order, zone)
        name = " ".join(p for p in (get(row, "first name"), get(row, "last name")) if p)
        who = _party(name)
        if when is None:
            yield RowError(line, f"recommendation date {(raw or '')[:40]!r} cannot be read")
        elif who is None:
            yield RowError(line, "recommendation without a name")
        else:
            where = " at ".join(p for p in (n.clean(get(row, "job title"), 200),
                                           n.clean(get(row, "company"), 200)) if p)
            said = "You recommended them" if given else "Recommended you"
            yield ArchiveTouch(
                "recommendation", line, when, None if given else who, [who] if given else [],
                f"recommendation{'-given' if given else ''}:" + n.fast_fold(who.name)[:200],
                subject=f"{said} on LinkedIn" + (f" ({where})" if where else ""),
                content=n.clean(get(row, "text"), MAX_TEXT),
                direction="out" if given else "in", as_utc=as_utc)


# -- the same touch in every vintage -------------------------------------------------------
#
# LinkedIn's conversation ids, profile URLs, header spelling and time format differ between
# a 2018 archive and a current one of the same account, so none of them is part of what
# makes a touch "already imported". What both vintages say alike is who was on it, when
# (to the minute) and which way it went. The importer groups touches into one interaction
# per conversation-day, the conversation being the set of people on it besides the owner
# (known once they are matched: services/import_archive.py), and tells the touches of one
# conversation-day apart by their stamps (below). A day re-imported from a newer archive
# that holds more of its messages gains the stamps it did not have, and only those.

TWO_WAY = frozenset({"message", "invitation"})  # one thread holds both directions


def thread_key(kind: str, direction: str, when: datetime) -> str:
    """The kind and day of a touch's conversation-day: the day in UTC of the instant
    (a current export writes UTC; a 2018 one the wall clock, read in the configured
    zone: parse_datetime), so both vintages give a message the same instant and day
    when that zone is the one the 2018 export was written in; the key is the UTC day,
    not the local one, so what an import keyed before stays found whatever the zone
    is now. Endorsements and recommendations given are apart from the ones received."""
    if kind not in TWO_WAY and direction == "out":
        kind += "-given"
    return f"{kind}:{when.astimezone(UTC).date().isoformat()}"


def base_stamp(t: ArchiveTouch, direction: str) -> str:
    """What tells a touch from the others of its conversation-day in every vintage: a
    message its direction and minute (the 2018 export has no seconds), an endorsement
    its skill, an invitation or a recommendation its direction."""
    if t.kind == "message":
        return f"{direction}@{t.when.astimezone(UTC):%H:%M}"
    if t.kind == "endorsement" and t.topic:
        topic = n.fast_fold(t.topic)
        if len(topic) > 120:
            topic = hashlib.sha256(topic.encode()).hexdigest()[:32]
        return f"{direction}:{topic}"
    return direction


def stamps(touches: Sequence[tuple[ArchiveTouch, str]]) -> list[str]:
    """The stamps of one conversation-day's (touch, direction) pairs, in the order
    given, made unique by counting equal ones in time order (`out@14:22#1` is the
    second message I sent in that minute). Two archives holding the same touches give
    them the same stamps; a later archive holding more gives the ones it adds new
    stamps."""
    order = sorted(range(len(touches)), key=lambda i: (touches[i][0].when, i))
    seen: dict[str, int] = {}
    out = [""] * len(touches)
    for i in order:
        base = base_stamp(*touches[i])
        out[i] = f"{base}#{seen.get(base, 0)}"
        seen[base] = seen.get(base, 0) + 1
    return out


def parse_profile(text: str) -> Party | None:
    """The archive owner's name, from Profile.csv (`First Name,Last Name,...`)."""
    for it in read_rows(text, lambda c: "first name" in c and "last name" in c):
        if isinstance(it, RowError):
            return None
        name = " ".join(p for p in (get(it[1], "first name"), get(it[1], "last name")) if p)
        return _party(name)
    return None
