"""Alliance economics in the database (docs/economics.md, "Storage"): agreements with
their terms as canonical JSON, the append-only ledger as `domain.economics.ledger`
entries, issued statements, partners' answers and partners' own reports. All SQL of the
economics lives here; the rules are in domain/economics."""

from __future__ import annotations

import dataclasses
import sys
import types
import typing
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Connection, Row, func, or_, select

from kithbook.domain.economics.ledger import Entry, Ledger
from kithbook.domain.text import fold
from kithbook.store import schema_alliances as a
from kithbook.store import schema_economics as e
from kithbook.store.journal import Journal
from kithbook.store.keyed_changes import inserted_keys

T = TypeVar("T")

# -- canonical JSON of the terms -----------------------------------------------------------


def encode(value: Any) -> Any:
    """A frozen dataclass of terms as JSON: decimals and dates as strings, tuples as
    lists. `decode` reverses it exactly."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    return value


def decode(cls: type[T], data: Any) -> T:
    return typing.cast(T, _decode(cls, data))


def _decode(tp: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _decode(inner[0], data)
    if origin is tuple:
        (item, *_rest) = typing.get_args(tp)
        return tuple(_decode(item, x) for x in data)
    if tp is Decimal:
        return Decimal(str(data))
    if tp is date:
        return date.fromisoformat(data)
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp, vars(sys.modules[tp.__module__]))
        names = {f.name for f in dataclasses.fields(tp) if f.init}
        make: Any = tp
        return make(**{k: _decode(hints[k], v) for k, v in data.items() if k in names})
    return data


# -- agreements ----------------------------------------------------------------------------


def insert_agreement(j: Journal, values: dict[str, Any]) -> int:
    values = {**values, "name_folded": fold(values["name"]), "created_at": j.now,
              "updated_at": j.now}
    key = j.insert(e.econ_agreements, values)
    assert key is not None
    return key


def update_terms(j: Journal, key: int, terms: Any) -> None:
    j.update(e.econ_agreements, key, {"terms": terms, "updated_at": j.now})


def agreement(conn: Connection, key: int) -> Row[Any]:
    return conn.execute(select(e.econ_agreements).where(e.econ_agreements.c.id == key)).one()


def agreements(conn: Connection, alliance_key: int | None = None,
               kind: str | None = None) -> list[Row[Any]]:
    t = e.econ_agreements
    q = select(t).where(t.c.archived_at.is_(None)).order_by(t.c.name_folded, t.c.id)
    if alliance_key is not None:
        q = q.where(t.c.alliance_id == alliance_key)
    if kind is not None:
        q = q.where(t.c.kind == kind)
    return list(conn.execute(q))


def find_agreement_keys(conn: Connection, text: str, alliance_key: int | None = None
                        ) -> list[int]:
    """Exact id, exact folded name, then id prefix or name start (at most 10)."""
    t = e.econ_agreements
    base = select(t.c.id).where(t.c.archived_at.is_(None))
    if alliance_key is not None:
        base = base.where(t.c.alliance_id == alliance_key)
    folded = fold(text)
    for cond in (or_(t.c.public_id == text, t.c.name_folded == folded),
                 or_(t.c.public_id.startswith(text), t.c.name_folded.startswith(folded))):
        keys = list(conn.execute(base.where(cond).order_by(t.c.id).limit(10)).scalars())
        if keys:
            return keys
    return []


def describe(conn: Connection, keys: list[int]) -> list[tuple[str, str, str]]:
    t = e.econ_agreements
    return [(r.public_id, r.name, r.kind) for r in conn.execute(
        select(t).where(t.c.id.in_(keys)).order_by(t.c.id))]


# -- the ledger ----------------------------------------------------------------------------


def _entry(r: Row[Any]) -> Entry:
    return Entry(seq=r.seq, kind=r.kind, on=r.on_date, booked=r.booked, amount=r.amount,
                 units=r.units, party=r.party, ref=r.ref, product=r.product,
                 reverses=r.reverses, note=r.note)


def ledger(conn: Connection, agreement_key: int) -> Ledger:
    t = e.econ_entries
    return Ledger(_entry(r) for r in conn.execute(
        select(t).where(t.c.agreement_id == agreement_key).order_by(t.c.seq)))


def next_seq(conn: Connection, agreement_key: int) -> int:
    t = e.econ_entries
    top = conn.execute(select(func.max(t.c.seq)).where(t.c.agreement_id == agreement_key)
                       ).scalar()
    return int(top or 0) + 1


def insert_entries(j: Journal, agreement_key: int, entries: list[Entry]) -> None:
    for x in entries:
        j.insert(e.econ_entries, {
            "agreement_id": agreement_key, "seq": x.seq, "kind": x.kind, "on_date": x.on,
            "booked": x.booked, "amount": x.amount, "units": x.units, "party": x.party,
            "ref": x.ref, "product": x.product, "reverses": x.reverses, "note": x.note,
            "created_at": j.now})


# -- statements, answers, partners' reports -------------------------------------------------


def issued(conn: Connection, agreement_key: int) -> dict[int, Row[Any]]:
    t = e.econ_statements
    return {r.period: r for r in conn.execute(
        select(t).where(t.c.agreement_id == agreement_key).order_by(t.c.period))}


def statement_by_public_id(conn: Connection, public_id: str) -> Row[Any] | None:
    t = e.econ_statements
    return conn.execute(select(t).where(t.c.public_id == public_id)).first()


def statement_row(conn: Connection, key: int) -> Row[Any]:
    t = e.econ_statements
    return conn.execute(select(t).where(t.c.id == key)).one()


def insert_statement(j: Journal, values: dict[str, Any]) -> int:
    key = j.insert(e.econ_statements, {**values, "created_at": j.now})
    assert key is not None
    return key


def responses(conn: Connection, statement_keys: list[int]) -> list[Row[Any]]:
    t = e.econ_responses
    if not statement_keys:
        return []
    return list(conn.execute(select(t).where(t.c.statement_id.in_(statement_keys))
                             .order_by(t.c.created_at, t.c.id)))


def insert_response(j: Journal, values: dict[str, Any]) -> None:
    j.insert(e.econ_responses, {**values, "created_at": j.now})


def insert_report(j: Journal, values: dict[str, Any]) -> int:
    key = j.insert(e.econ_reports, {**values, "created_at": j.now})
    assert key is not None
    return key


def reports(conn: Connection, agreement_key: int, period: int | None = None) -> list[Row[Any]]:
    t = e.econ_reports
    q = select(t).where(t.c.agreement_id == agreement_key)
    if period is not None:
        q = q.where(t.c.period == period)
    return list(conn.execute(q.order_by(t.c.id)))


# -- the alliance and parties an agreement belongs to ----------------------------------------


def alliance_row(conn: Connection, alliance_key: int) -> Row[Any]:
    """The alliance row (public id, name, currency...) of an agreement."""
    return conn.execute(a.alliances.select().where(a.alliances.c.id == alliance_key)).one()


def alliance_names(conn: Connection) -> dict[int, tuple[str, str]]:
    """The public id and name of every alliance, by key."""
    return {r.id: (r.public_id, r.name) for r in conn.execute(
        select(a.alliances.c.id, a.alliances.c.public_id, a.alliances.c.name))}



# -- what an undo would take away ----------------------------------------------------------


def _inserted(conn: Connection, batch_id: str, table: str) -> list[int]:
    return inserted_keys(conn, batch_id, table)


def issued_entries_inserted_by(conn: Connection, batch_id: str
                               ) -> list[tuple[str, int, int]]:
    """(agreement name, entry seq, period) for each ledger entry that the batch added and
    that an issued statement lists among its period's entries."""
    keys = _inserted(conn, batch_id, "econ_entries")
    if not keys:
        return []
    t, ag = e.econ_entries, e.econ_agreements
    out = []
    for r in conn.execute(select(t.c.agreement_id, t.c.seq, ag.c.name)
                          .join(ag, ag.c.id == t.c.agreement_id)
                          .where(t.c.id.in_(keys)).order_by(t.c.id)):
        for period, row in issued(conn, r.agreement_id).items():
            if r.seq in period_entries(row.content):
                out.append((r.name, r.seq, period))
    return out


def agreements_with_records_inserted_by(conn: Connection, batch_id: str
                                        ) -> list[tuple[str, int, int]]:
    """(name, ledger entries, issued statements) for each agreement the batch created
    that now has entries or statements (undoing its creation would delete them)."""
    keys = _inserted(conn, batch_id, "econ_agreements")
    out = []
    for key in keys:
        row = conn.execute(select(e.econ_agreements.c.name)
                           .where(e.econ_agreements.c.id == key)).first()
        if row is None:
            continue
        n_entries = conn.execute(select(func.count()).select_from(e.econ_entries).where(
            e.econ_entries.c.agreement_id == key)).scalar_one()
        n_issued = conn.execute(select(func.count()).select_from(e.econ_statements).where(
            e.econ_statements.c.agreement_id == key)).scalar_one()
        if n_entries or n_issued:
            out.append((row.name, int(n_entries), int(n_issued)))
    return out


def period_entries(content: Any) -> list[int]:
    """The ledger seqs an issued statement's stored content lists as booked in its
    period (PeriodStatement.canonical: the tenth item; a buying group's settlement
    keeps them under "entries", services/economics_settlements.py)."""
    if isinstance(content, dict):
        return [int(x) for x in content["entries"]]
    return [int(x) for x in content[9]]
