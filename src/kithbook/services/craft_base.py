"""What every craft-of-networking service shares (docs/networking-craft.md): the
journaled write, naming a record by id or name, cleaning text, parsing typed values."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from kithbook.domain.text import count, plural
from kithbook.errors import Ambiguous, InvalidInput, NotFound
from kithbook.store import craft as st
from kithbook.store.journal import Journal

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kithbook.services.app import Services


def clean(text: str | None, field: str, *, required: bool = False,
          limit: int = 10_000, lines: bool = False) -> str | None:
    """Trim (keeping line breaks when `lines`); None for empty; a length limit."""
    if text is None:
        value = ""
    elif lines:
        value = "\n".join(" ".join(x.split()) for x in text.strip().splitlines()).strip()
    else:
        value = " ".join(text.split())
    if not value:
        if required:
            raise InvalidInput(f"{field.replace('_', ' ')} is needed.", field=field)
        return None
    if len(value) > limit:
        raise InvalidInput(f"{field.replace('_', ' ')} is longer than {limit} characters.",
                           field=field)
    return value


def parsed(fn: Any, value: Any, field: str) -> Any:
    """Run a domain parser; its ValueError becomes InvalidInput on `field`."""
    try:
        return fn(value)
    except ValueError as exc:
        raise InvalidInput(str(exc) or f"'{value}' is not valid here.", field=field) from exc


class CraftBase:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    @contextmanager
    def write(self, action: str) -> Iterator[Journal]:
        with self.svc.db.write(action, actor=self.svc.actor, now=self.svc.now) as j:
            yield j

    def record_key(self, conn: Connection, table: Any, text: str, *, what: str,
                   name_column: str | None = "name", field: str | None = None) -> int:
        """A record of `table` by its id (or id start) or, when it has one, its name."""
        text = (text or "").strip()
        field = field or what
        if not text:
            raise InvalidInput(f"which {what}?", field=field, hint="Give its id or name.")
        keys = st.keys_by_public_id(conn, table, text)
        if not keys and name_column:
            keys = st.keys_by_name(conn, table, name_column, text)
        if not keys:
            raise NotFound(f"no {what} matches '{text}'.", field=field,
                           hint=f"List the {plural(what)} to see their ids.")
        if len(keys) > 1:
            raise Ambiguous(f"'{text}' matches {count(len(keys), what)}.",
                            [(str(k), text, what) for k in keys])
        return keys[0]
