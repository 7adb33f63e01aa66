"""What every alliance service shares: naming an alliance, one of its partners, one
of its rows, a person; the journaled write; typed values parsed once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Table

from kithbook.errors import Ambiguous, InvalidInput, NotFound
from kithbook.store import alliances as st
from kithbook.store.journal import Journal

if TYPE_CHECKING:
    from kithbook.services.app import Services

MAX_MONEY = Decimal("1e15")


class AllianceBase:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    @contextmanager
    def write(self, action: str) -> Iterator[Journal]:
        with self.svc.db.write(action, actor=self.svc.actor, now=self.svc.now) as j:
            yield j

    # -- naming things ---------------------------------------------------------------

    def alliance_key(self, conn: Connection, text: str, *, archived: bool = False) -> int:
        """An alliance by id, id prefix or name (accents and case ignored)."""
        text = (text or "").strip()
        if not text:
            raise InvalidInput("which alliance?", field="alliance",
                               hint="Give its name or id.")
        keys = st.find_alliance_keys(conn, text, archived=archived)
        if not keys and not archived:
            keys = st.find_alliance_keys(conn, text, archived=True)
            if keys:
                raise NotFound(f"the alliance '{text}' is archived.",
                               hint="Restore it first to change it.")
        if not keys:
            raise NotFound(f"no alliance matches '{text}'.",
                           hint="List them to see their names and ids.", field="alliance",
                           remedy="alliance_views.portfolio")
        if len(keys) > 1:
            raise Ambiguous(f"'{text}' matches {len(keys)} alliances.", st.describe(conn, keys))
        return keys[0]

    def partner_key(self, conn: Connection, alliance_key: int, text: str) -> int:
        """A partner of this alliance: 'us', its id, or its organization (name, id,
        domain)."""
        text = (text or "").strip()
        if not text:
            raise InvalidInput("which partner?", field="partner",
                               hint="Give the organization's name, or 'us'.")
        if text.lower() in ("us", "we", "our side"):
            key = st.us_partner_key(conn, alliance_key)
            if key is None:
                raise NotFound("this alliance has no partner marked as us.",
                               hint="Add our organization as a partner marked us.")
            return int(key)
        keys = st.key_by_public_id(conn, "alliance_partners", alliance_key, text)
        if len(keys) == 1:
            return keys[0]
        for org_key in self.svc.resolve.org_keys(conn, text):
            found = st.partner_key_for_org(conn, alliance_key, org_key)
            if found is not None:
                return found
        names = ", ".join(x.name for x in st.partners_of(conn, alliance_key)) or "none yet"
        raise NotFound(f"'{text}' is not a partner of this alliance (partners: {names}).",
                       hint="Add the organization as a partner first.", field="partner",
                       remedy="alliances.add_partner")

    def row_key(self, conn: Connection, table: Table, alliance_key: int, text: str,
                what: str) -> int:
        """A row of an alliance table (goal, decision, ...) by id or id prefix."""
        keys = st.key_by_public_id(conn, table.name, alliance_key, text or "")
        if not keys:
            raise NotFound(f"this alliance has no {what} with the id '{text}'.",
                           hint=f"Show the alliance to see its {what}s with their ids.")
        if len(keys) > 1:
            raise Ambiguous(f"'{text}' is the start of several {what} ids.",
                            [(str(k), what, "") for k in keys])
        return keys[0]

    def person_key(self, conn: Connection, text: str, *, field: str = "person") -> int:
        """A person, through the one resolver (docs/architecture.md, "The resolver")."""
        return self.svc.resolve.person_key(conn, text, field=field)


# -- values -----------------------------------------------------------------------------


def clean(text: str | None, field: str, *, required: bool = False,
          limit: int = 10_000) -> str | None:
    value = " ".join((text or "").split()) if text is not None else None
    if not value:
        if required:
            raise InvalidInput(f"the {field.replace('_', ' ')} is needed.", field=field)
        return None
    if len(value) > limit:
        raise InvalidInput(f"the {field.replace('_', ' ')} is longer than {limit} characters.",
                           field=field)
    return value


def choice(value: str | None, allowed: tuple[str, ...], field: str) -> str | None:
    if value is None or value == "":
        return None
    v = value.strip().lower().replace("-", "_").replace(" ", "_").replace("/", "_")
    if v not in allowed:
        raise InvalidInput(f"'{value}' is not a known {field.replace('_', ' ')}.", field=field,
                           hint=f"Use one of: {', '.join(allowed)}.")
    return v


def money(value: Decimal | str | int | None, field: str, *, allow_negative: bool = False
          ) -> Decimal | None:
    """A Decimal from what was typed: '1,200.50' and '1200.5' both work; floats never."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        raise InvalidInput(f"the {field} must be given as text or a decimal, not a float.",
                           field=field)
    try:
        d = Decimal(str(value).replace(",", "").replace("_", "").strip())
    except InvalidOperation:
        raise InvalidInput(f"'{value}' is not a number.", field=field) from None
    if not d.is_finite() or abs(d) >= MAX_MONEY:
        raise InvalidInput(f"'{value}' is out of range.", field=field)
    if d < 0 and not allow_negative:
        raise InvalidInput(f"the {field} cannot be negative.", field=field)
    return d


def day(value: date | str | None, field: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"'{value}' is not a date.", field=field,
                           hint="Use YYYY-MM-DD.") from None
