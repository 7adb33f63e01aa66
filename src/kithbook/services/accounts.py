"""Accounts of the people who use Kithbook: the owner now, a team later (docs/security.md).

Passwords are hashed with argon2id (argon2-cffi's defaults: 64 MiB, 3 passes, 4 lanes,
above OWASP's minimum) and rehashed on sign-in when those parameters change. A sign-in
for an unknown name still runs one verification, so the answer takes as long and
reads the same. Failed sign-ins are throttled per name and per client address.
Sessions and personal API tokens are 256-bit random values; only their SHA-256 is
stored, so a copy of the database opens nothing. Nothing here is journaled: accounts
are not contact data, and undo must not bring back a revoked token.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from kithbook import ids
from kithbook.domain.models import Record
from kithbook.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, TooManyAttempts
from kithbook.services.catalog import use_case
from kithbook.store import accounts as st

if TYPE_CHECKING:
    from argon2 import PasswordHasher
    from sqlalchemy import Connection

    from kithbook.services.app import Services

MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # long passphrases are welcome; nothing is truncated
SESSION_IDLE = timedelta(hours=2)
SESSION_ABSOLUTE = timedelta(hours=24)
THROTTLE_AFTER = 5  # failures within THROTTLE_WINDOW before waits start
THROTTLE_WINDOW = timedelta(minutes=15)
THROTTLE_MAX = timedelta(minutes=15)
TOKEN_PREFIX = "kbt_"


@lru_cache(maxsize=1)
def hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hasher().hash(secrets.token_urlsafe(16))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class User(Record):
    id: str
    name: str  # the user name
    role: str


@dataclass
class SignedIn(Record):
    id: str  # the user's public id
    name: str  # the user name
    token: str  # the session secret: goes into the cookie, shown nowhere else
    expires_at: datetime


@dataclass
class NewToken(Record):
    id: str  # the token's public id (for revoking)
    name: str  # what it is for
    token: str  # the secret, shown once


@dataclass
class TokenInfo(Record):
    id: str
    name: str
    user: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"the password needs at least {MIN_PASSWORD} characters.",
                           field="password", hint="A few words make a good passphrase.")
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(f"the password is longer than {MAX_PASSWORD} characters.",
                           field="password")
    if len(set(password)) < 4:
        raise InvalidInput("the password repeats too few characters.", field="password")


class AccountService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    def _now(self) -> datetime:
        return datetime.now(UTC)  # security clocks are real, even under --as-of

    # -- users -------------------------------------------------------------------------

    @use_case(writes=True, agent=False)
    def add_user(self, username: str, password: str, *, role: str = "owner") -> User:
        """Create an account (the first is the owner)."""
        username = (username or "").strip()
        if not username or len(username) > 100 or any(c.isspace() for c in username):
            raise InvalidInput("a user name is one word of up to 100 characters.",
                               field="username")
        check_password_rules(password)
        digest = hasher().hash(password)
        with self.svc.db.write("add user", record=False) as j:
            if st.user_by_name(j.conn, username) is not None:
                raise Conflict(f"there is already a user named {username}.")
            public_id = ids.new_id("user")
            st.insert_user(j.conn, public_id, username, digest, role, self._now())
        return User(id=public_id, name=username, role=role)

    @use_case(writes=True, agent=False)
    def set_password(self, username: str, password: str) -> User:
        """Change a password; every session of that user ends."""
        check_password_rules(password)
        digest = hasher().hash(password)
        with self.svc.db.write("set password", record=False) as j:
            user = st.user_by_name(j.conn, username)
            if user is None:
                raise NotFound(f"there is no user named {username}.")
            st.set_password_hash(j.conn, user.key, digest)
            st.delete_sessions_of(j.conn, user.key)
        return User(id=user.id, name=user.username, role=user.role)

    def has_users(self) -> bool:
        with self.svc.db.read() as conn:
            return st.count_users(conn) > 0

    # -- signing in ----------------------------------------------------------------------

    def _check_throttle(self, conn: Connection, keys: list[str], now: datetime) -> None:
        for key in keys:
            row = st.failures(conn, key)
            if row is not None and row[2] is not None and row[2] > now:
                wait = int((row[2] - now).total_seconds()) + 1
                raise TooManyAttempts("too many failed sign-ins.", retry_after=wait,
                                      hint=f"Wait {wait} seconds and try again.")

    def _fail(self, conn: Connection, keys: list[str], now: datetime) -> None:
        for key in keys:
            row = st.failures(conn, key)
            count, first = (row[0], row[1]) if row and now - row[1] < THROTTLE_WINDOW else (
                0, now)
            count += 1
            locked = None
            if count >= THROTTLE_AFTER:
                wait = min(timedelta(seconds=30 * 2 ** (count - THROTTLE_AFTER)), THROTTLE_MAX)
                locked = now + wait
            st.set_failures(conn, key, count, first, locked)

    def sign_in(self, username: str, password: str, *, client: str = "") -> SignedIn:
        """Check a user name and password; a new session (never a reused one)."""
        from argon2.exceptions import InvalidHashError, VerificationError

        now = self._now()
        keys = [f"user:{(username or '').strip().lower()[:100]}"]
        if client:
            keys.append(f"client:{client[:100]}")
        with self.svc.db.read() as conn:
            self._check_throttle(conn, keys, now)
            user = st.user_by_name(conn, (username or "").strip())
        ok = False
        try:
            if user is None or user.disabled:
                hasher().verify(_dummy_hash(), password or "x")
            else:
                ok = hasher().verify(user.password_hash, password or "")
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok or user is None:
            with self.svc.db.write("sign-in failed", record=False) as j:
                self._fail(j.conn, keys, now)
            raise NotAuthenticated("the user name or the password is wrong.")
        token = secrets.token_urlsafe(32)
        expires = now + SESSION_ABSOLUTE
        with self.svc.db.write("sign in", record=False) as j:
            for key in keys:
                st.clear_failures(j.conn, key)
            st.delete_expired_sessions(j.conn, now)
            if hasher().check_needs_rehash(user.password_hash):
                st.set_password_hash(j.conn, user.key, hasher().hash(password))
            st.insert_session(j.conn, user.key, token_hash(token), now, expires)
        return SignedIn(id=user.id, name=user.username, token=token, expires_at=expires)

    def sign_out(self, token: str) -> None:
        """End a session on the server: its cookie opens nothing afterwards."""
        with self.svc.db.write("sign out", record=False) as j:
            st.delete_session(j.conn, token_hash(token))

    def session_user(self, token: str) -> User | None:
        """The user of a live session, or None (unknown, expired, idle too long)."""
        if not token or len(token) > 200:
            return None
        now = self._now()
        digest = token_hash(token)
        with self.svc.db.read() as conn:
            found = st.session_by_hash(conn, digest)
            if found is None:
                return None
            key, user_key, last_seen, expires = found
            user = st.user_by_key(conn, user_key)
        if user is None or user.disabled or now >= expires or now - last_seen > SESSION_IDLE:
            with self.svc.db.write("session ended", record=False) as j:
                st.delete_session(j.conn, digest)
            return None
        if now - last_seen > timedelta(minutes=5):  # one write per five minutes, not per hit
            with self.svc.db.write("session seen", record=False) as j:
                st.touch_session(j.conn, key, now)
        return User(id=user.id, name=user.username, role=user.role)

    # -- personal API tokens ----------------------------------------------------------------

    @use_case(writes=True, agent=False)
    def create_token(self, name: str, *, username: str | None = None) -> NewToken:
        """A personal API token for scripts (`Authorization: Bearer ...`), shown once."""
        name = (name or "").strip()
        if not name or len(name) > 100:
            raise InvalidInput("a token needs a name of up to 100 characters (what it is for).",
                               field="name")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.svc.db.write("create token", record=False) as j:
            user = st.user_by_name(j.conn, username) if username else st.owner(j.conn)
            if user is None:
                raise NotFound("there is no account to give a token to.",
                               remedy="accounts.add_user")
            public_id = ids.new_id("token")
            st.insert_token(j.conn, public_id, user.key, name, token_hash(token), self._now())
        return NewToken(id=public_id, name=name, token=token)

    @use_case(agent=False)
    def tokens(self) -> list[TokenInfo]:
        """Every personal API token (never the secrets)."""
        with self.svc.db.read() as conn:
            rows = st.list_tokens(conn)
        return [TokenInfo(id=r.id, name=r.name, user=r.username, created_at=r.created_at,
                          last_used_at=r.last_used_at, revoked_at=r.revoked_at) for r in rows]

    @use_case(writes=True, agent=False)
    def revoke_token(self, token_id: str) -> TokenInfo:
        """Revoke a token: it opens nothing from now on."""
        with self.svc.db.write("revoke token", record=False) as j:
            if not st.revoke_token(j.conn, token_id.strip().lower(), self._now()):
                raise NotFound(f"no live token has the id '{token_id}'.")
        return next(t for t in self.tokens() if t.id == token_id.strip().lower())

    def token_user(self, token: str) -> User | None:
        """The user a bearer token belongs to, or None."""
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        with self.svc.db.read() as conn:
            found = st.token_by_hash(conn, token_hash(token))
            user = st.user_by_key(conn, found[1]) if found else None
        if found is None or user is None or user.disabled:
            return None
        with self.svc.db.write("token used", record=False) as j:
            st.mark_token_used(j.conn, found[0], self._now())
        return User(id=user.id, name=user.username, role=user.role)
