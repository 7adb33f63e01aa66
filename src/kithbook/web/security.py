"""Safety for a server on loopback: Host allow-list (DNS rebinding), CSRF checks on
every state-changing request, security headers and request size limits.

One pure ASGI middleware does all of it, so the checks run before any route and cost
almost nothing per request. The per-form CSRF token is checked in `require_form_token`.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Content types a cross-site page may send without a CORS preflight.
SIMPLE_CONTENT_TYPES = frozenset(
    {"application/x-www-form-urlencoded", "multipart/form-data", "text/plain", ""}
)
DEFAULT_MAX_BODY = 1024 * 1024  # 1 MiB for ordinary forms and JSON

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
NO_STORE = (b"cache-control", b"no-store")
STATIC_CACHE = (b"cache-control", b"public, max-age=3600")


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and localhost: only this machine can connect."""
    import ipaddress

    host = host.strip().strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_name(host_header: str) -> str:
    """`example.com:8765` -> `example.com`; `[::1]:8765` -> `[::1]`."""
    host = host_header.strip().lower()
    if host.startswith("["):
        end = host.find("]")
        return host[: end + 1] if end != -1 else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def allowed_host_set(bound_host: str | None, extra: Iterable[str] = ()) -> frozenset[str]:
    names = set(LOOPBACK_HOSTS)
    for h in [bound_host or "", *extra]:
        h = h.strip().lower()
        if not h or h in ("0.0.0.0", "::"):
            continue
        names.add(f"[{h}]" if ":" in h and not h.startswith("[") else h)
    return frozenset(names)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def form_token(secret: str) -> str:
    """The CSRF token embedded in every page; derived from the per-process secret."""
    return hmac.new(secret.encode(), b"kithbook-form", "sha256").hexdigest()


def token_ok(secret: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(form_token(secret), str(given))


def _error_body(code: str, message: str, hint: str | None = None) -> bytes:
    return json.dumps(
        {"error": {"code": code, "message": message, "hint": hint, "field": None}}
    ).encode()


class SecurityMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        allowed_hosts: frozenset[str],
        max_body: int = DEFAULT_MAX_BODY,
        max_upload: int = 50 * 1024 * 1024,
        upload_paths: tuple[str, ...] = ("/import", "/api/v1/import"),
    ) -> None:
        self.app = app
        self.allowed_hosts = allowed_hosts
        self.max_body = max_body
        self.max_upload = max_upload
        self.upload_paths = upload_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        method = scope["method"].upper()
        path: str = scope["path"]
        host = headers.get("host", "")
        if host_name(host) not in self.allowed_hosts:
            await _reject(send, 421, "bad_host", "this server only answers on its own address.",
                          "Open it at http://127.0.0.1 with the port it printed.")
            return
        if method == "TRACE":
            await _reject(send, 405, "method_not_allowed", "TRACE is not supported.",
                          allow=b"GET, HEAD, POST, PUT, PATCH, DELETE")
            return
        if method not in SAFE_METHODS:
            problem = csrf_problem(method, path, headers)
            if problem:
                await _reject(send, 403, "cross_site_request", problem,
                              "Use the page served by Kithbook itself; reload it and retry.")
                return
        limit = self.max_upload if path.startswith(self.upload_paths) else self.max_body
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await _reject(send, 413, "too_large",
                          f"the request is over the {limit // 1024} KiB limit.")
            return
        static = path.startswith("/static/")
        wrapped_send = _with_headers(send, static)
        if method == "HEAD":  # answer HEAD like GET, without the body
            scope = {**scope, "method": "GET"}
            wrapped_send = _without_body(wrapped_send)
        await self.app(scope, _bounded(receive, limit), wrapped_send)


def csrf_problem(method: str, path: str, headers: dict[str, str]) -> str | None:
    """Why a state-changing request looks cross-site, or None when it is acceptable.

    Browsers send Sec-Fetch-Site (modern) or Origin (all current ones on POST), so a
    request from another site, or another port on this machine (`same-site`), is
    refused. A request with neither header does not come from a current browser: we
    accept it only on the JSON API, and only when a cross-site page could not have
    sent it without a CORS preflight (which this server never grants), that is with a
    non-simple method or content type."""
    site = headers.get("sec-fetch-site")
    if site is not None:
        if site in ("same-origin", "none"):
            return None
        return f"a {site} request may not change data here."
    origin = headers.get("origin")
    if origin is not None:
        parts = urlsplit(origin)
        if origin != "null" and parts.netloc.lower() == headers.get("host", "").lower():
            return None
        return "the request comes from another origin."
    if path.startswith("/api/"):
        ctype = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if method in ("PUT", "PATCH", "DELETE") or ctype not in SIMPLE_CONTENT_TYPES:
            return None
    return "the request carries no Origin; send it from Kithbook's own pages."


def _with_headers(send: Send, static: bool) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            extra = list(SECURITY_HEADERS)
            extra.append(STATIC_CACHE if static else NO_STORE)
            existing = {k.lower() for k, _ in message.get("headers", [])}
            message["headers"] = [
                *message.get("headers", []),
                *[(k, v) for k, v in extra if k not in existing],
            ]
        await send(message)

    return wrapped


def _without_body(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return wrapped


def _bounded(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
        return message

    return wrapped


class BodyTooLarge(HTTPException):
    """An HTTPException so that FastAPI's body parsing lets it through as a 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request is over the {limit // 1024} KiB limit.")
        self.limit = limit


async def _reject(
    send: Send,
    status: int,
    code: str,
    message: str,
    hint: str | None = None,
    *,
    allow: bytes | None = None,
) -> None:
    body = _error_body(code, message, hint)
    extra = [(b"allow", allow)] if allow else []
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *SECURITY_HEADERS,
                NO_STORE,
                *extra,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
