"""SQL for accounts, sessions, API tokens and login throttling (docs/security.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select, update

from kithbook.store import schema as s
from kithbook.store.rows import utc


@dataclass(frozen=True)
class UserRow:
    key: int
    id: str
    username: str
    password_hash: str
    role: str
    disabled: bool


@dataclass(frozen=True)
class TokenRow:
    key: int
    id: str
    name: str
    username: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def _user(r: object) -> UserRow:
    m = r._mapping  # type: ignore[attr-defined]
    return UserRow(m["id"], m["public_id"], m["username"], m["password_hash"], m["role"],
                   m["disabled_at"] is not None)


def count_users(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(s.users)).scalar() or 0)


def user_by_name(conn: Connection, username: str) -> UserRow | None:
    r = conn.execute(select(s.users).where(func.lower(s.users.c.username) == username.lower())
                     ).first()
    return _user(r) if r is not None else None


def owner(conn: Connection) -> UserRow | None:
    r = conn.execute(select(s.users).where(s.users.c.role == "owner").order_by(s.users.c.id)
                     ).first()
    return _user(r) if r is not None else None


def user_by_key(conn: Connection, key: int) -> UserRow | None:
    r = conn.execute(select(s.users).where(s.users.c.id == key)).first()
    return _user(r) if r is not None else None


def insert_user(conn: Connection, public_id: str, username: str, password_hash: str,
                role: str, now: datetime) -> int:
    result = conn.execute(insert(s.users).values(
        public_id=public_id, username=username, password_hash=password_hash, role=role,
        created_at=now))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def set_password_hash(conn: Connection, key: int, password_hash: str) -> None:
    conn.execute(update(s.users).where(s.users.c.id == key).values(password_hash=password_hash))


def insert_session(conn: Connection, user_key: int, token_hash: str, now: datetime,
                   expires_at: datetime) -> None:
    conn.execute(insert(s.sessions).values(user_id=user_key, token_hash=token_hash,
                                           created_at=now, last_seen_at=now,
                                           expires_at=expires_at))


def session_by_hash(conn: Connection, token_hash: str) -> tuple[int, int, datetime, datetime
                                                                ] | None:
    """(session key, user key, last seen, expires at)."""
    r = conn.execute(select(s.sessions.c.id, s.sessions.c.user_id, s.sessions.c.last_seen_at,
                            s.sessions.c.expires_at)
                     .where(s.sessions.c.token_hash == token_hash)).first()
    if r is None:
        return None
    return r.id, r.user_id, utc(r.last_seen_at), utc(r.expires_at)  # type: ignore[return-value]


def touch_session(conn: Connection, key: int, now: datetime) -> None:
    conn.execute(update(s.sessions).where(s.sessions.c.id == key).values(last_seen_at=now))


def delete_session(conn: Connection, token_hash: str) -> None:
    conn.execute(delete(s.sessions).where(s.sessions.c.token_hash == token_hash))


def delete_sessions_of(conn: Connection, user_key: int) -> None:
    conn.execute(delete(s.sessions).where(s.sessions.c.user_id == user_key))


def delete_expired_sessions(conn: Connection, now: datetime) -> None:
    conn.execute(delete(s.sessions).where(s.sessions.c.expires_at < now))


def insert_token(conn: Connection, public_id: str, user_key: int, name: str, token_hash: str,
                 now: datetime) -> None:
    conn.execute(insert(s.api_tokens).values(public_id=public_id, user_id=user_key, name=name,
                                             token_hash=token_hash, created_at=now))


def token_by_hash(conn: Connection, token_hash: str) -> tuple[int, int] | None:
    """(token key, user key) of a live (not revoked) token."""
    r = conn.execute(select(s.api_tokens.c.id, s.api_tokens.c.user_id).where(
        s.api_tokens.c.token_hash == token_hash, s.api_tokens.c.revoked_at.is_(None))).first()
    return (r.id, r.user_id) if r is not None else None


def mark_token_used(conn: Connection, key: int, now: datetime) -> None:
    conn.execute(update(s.api_tokens).where(s.api_tokens.c.id == key).values(last_used_at=now))


def list_tokens(conn: Connection) -> list[TokenRow]:
    t, u = s.api_tokens, s.users
    rows = conn.execute(select(t.c.id, t.c.public_id, t.c.name, u.c.username, t.c.created_at,
                               t.c.last_used_at, t.c.revoked_at)
                        .join(u, u.c.id == t.c.user_id).order_by(t.c.id)).all()
    return [TokenRow(r.id, r.public_id, r.name, r.username, utc(r.created_at),  # type: ignore[arg-type]
                     utc(r.last_used_at), utc(r.revoked_at)) for r in rows]


def revoke_token(conn: Connection, public_id: str, now: datetime) -> bool:
    result = conn.execute(update(s.api_tokens).where(
        s.api_tokens.c.public_id == public_id, s.api_tokens.c.revoked_at.is_(None)
    ).values(revoked_at=now))
    return bool(result.rowcount)


def failures(conn: Connection, key: str) -> tuple[int, datetime, datetime | None] | None:
    r = conn.execute(select(s.login_failures).where(s.login_failures.c.key == key)).first()
    if r is None:
        return None
    return r.failures, utc(r.first_at), utc(r.locked_until)  # type: ignore[return-value]


def set_failures(conn: Connection, key: str, count: int, first_at: datetime,
                 locked_until: datetime | None) -> None:
    conn.execute(delete(s.login_failures).where(s.login_failures.c.key == key))
    conn.execute(insert(s.login_failures).values(key=key, failures=count, first_at=first_at,
                                                 locked_until=locked_until))


def clear_failures(conn: Connection, key: str) -> None:
    conn.execute(delete(s.login_failures).where(s.login_failures.c.key == key))
