"""The private calendar feed's token: a use case the CLI (`kithbook feed-token`,
`serve`) and the web (`/feeds/<token>.ics`) share. The token is 256 bits from
`secrets`, kept in the settings as a secret (never copied into the journal), compared
in constant time, and rotatable; the old address stops working at once."""

from __future__ import annotations

import hmac
import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kithbook.services.app import Services

META_KEY = "feed_token"


def _write_token(svc: Services, token: str) -> None:
    svc.settings.set(META_KEY, token, secret=True)


def feed_token(svc: Services, *, create: bool = True) -> str | None:
    """The feed's token (made on first use unless `create` is False)."""
    token = svc.settings.get(META_KEY)
    if token is None and create:
        token = secrets.token_urlsafe(32)
        _write_token(svc, token)
    return token


def rotate_feed_token(svc: Services) -> str:
    """Replace the token: the old feed address stops working."""
    token = secrets.token_urlsafe(32)
    _write_token(svc, token)
    return token


def token_matches(svc: Services, token: str) -> bool:
    """Whether `token` is the feed's current token (constant-time comparison)."""
    stored = svc.settings.get(META_KEY)
    return bool(stored) and hmac.compare_digest(str(stored), token)
