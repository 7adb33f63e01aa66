"""Signing in before the network (docs/security.md).

`AuthGate` runs before every route. A request carries a user when it has a live
session cookie or a personal API token (`Authorization: Bearer kbt_...`); a token in
the query string is never looked at. When the server requires sign-in (always when it
listens beyond loopback; on loopback only when asked), a request without a user gets
401 on the API and a redirect to /login on pages. Public paths (static files, the
calendar feed, whose token is its own credential, private response links, the health
check and /login itself) pass through. The signed-in user becomes the actor of every
change, which is what a team needs later.
"""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import quote

from anyio import to_thread
from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from kithbook.errors import KithbookError, NotAuthenticated, TooManyAttempts
from kithbook.services.accounts import SESSION_ABSOLUTE, User
from kithbook.services.app import Services
from kithbook.web.app import html, services
from kithbook.web.security import ASGIApp, Receive, Scope, Send, token_ok

router = APIRouter(include_in_schema=False)
Svc = Annotated[Services, Depends(services)]
COOKIE = "kb_session"
SECURE_COOKIE = "__Host-kb_session"  # over HTTPS: Secure, Path=/, no Domain
# Paths that never need a session. Features with their own credential add theirs.
PUBLIC_PREFIXES: list[str] = ["/static/", "/feeds/", "/r/", "/healthz", "/login",
                              "/favicon.ico"]


def is_https(scope: Scope) -> bool:
    return scope.get("scheme") == "https"


def cookie_name(scope: Scope) -> str:
    return SECURE_COOKIE if is_https(scope) else COOKIE


def _cookies(scope: Scope) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in scope.get("headers", []):
        if k == b"cookie":
            for part in v.decode("latin-1").split(";"):
                name, _, value = part.strip().partition("=")
                if name:
                    out[name] = value
    return out


def _bearer(scope: Scope) -> str | None:
    for k, v in scope.get("headers", []):
        if k == b"authorization":
            text = bytes(v).decode("latin-1").strip()
            kind, _, value = text.partition(" ")
            if kind.lower() == "bearer" and value.strip():
                return str(value.strip())
    return None


class AuthGate:
    def __init__(self, app: ASGIApp, *, required: bool) -> None:
        self.app = app
        self.required = required

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = _bearer(scope)
        session = None if token is not None else _cookies(scope).get(cookie_name(scope))
        user = None
        if token is not None or session:  # only a credential is looked up (a thread hop)
            fastapi_app = scope["app"]
            svc = Services(fastapi_app.state.db, fastapi_app.state.config)
            user = await to_thread.run_sync(self._user, svc, token, session)
        if user is not None:
            scope.setdefault("state", {})["actor"] = user.name
            scope["state"]["user"] = user
        path: str = scope["path"]
        public = any(path == p.rstrip("/") or path.startswith(p) for p in PUBLIC_PREFIXES)
        if user is None and self.required and not public:
            await _deny(scope, send)
            return
        await self.app(scope, receive, send)

    @staticmethod
    def _user(svc: Services, token: str | None, session: str | None) -> User | None:
        if token is not None:
            return svc.accounts.token_user(token)
        return svc.accounts.session_user(session) if session else None


async def _deny(scope: Scope, send: Send) -> None:
    path = scope["path"]
    if path.startswith("/api/"):
        body = json.dumps({"error": {
            "code": "not_authenticated", "message": "signing in is needed.",
            "hint": "Send a personal API token: Authorization: Bearer kbt_...",
            "field": None}}).encode()
        headers = [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer"),
                   (b"cache-control", b"no-store")]
        status = 401
    else:
        body = b""
        headers = [(b"location", f"/login?next={quote(path, safe='/')}".encode()),
                   (b"cache-control", b"no-store")]
        status = 303
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _safe_next(value: Any) -> str:
    nxt = str(value or "/")
    # only paths on this server: no scheme, no //host, no backslash tricks
    if not nxt.startswith("/") or nxt.startswith("//") or "\\" in nxt:
        return "/"
    return nxt


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:  # noqa: A002
    return html(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login")
async def login(request: Request, svc: Svc) -> Response:
    form = await request.form()
    nxt = _safe_next(form.get("next"))
    if not token_ok(request.app.state.secret, str(form.get("csrf_token") or "")):
        return html(request, "login.html", {"next": nxt, "error":
                    "This form has expired. Reload the page and sign in again."}, 403)
    client = request.client.host if request.client else ""
    try:
        signed = await to_thread.run_sync(
            lambda: svc.accounts.sign_in(str(form.get("username") or ""),
                                         str(form.get("password") or ""), client=client))
    except TooManyAttempts as exc:
        resp = html(request, "login.html", {"next": nxt, "error": str(exc)}, 429)
        resp.headers["retry-after"] = str(exc.retry_after)
        return resp
    except NotAuthenticated as exc:
        return html(request, "login.html", {"next": nxt, "error": str(exc)}, 401)
    resp = RedirectResponse(nxt, status_code=303)
    resp.set_cookie(cookie_name(request.scope), signed.token,
                    max_age=int(SESSION_ABSOLUTE.total_seconds()), path="/", httponly=True,
                    samesite="strict", secure=is_https(request.scope)
                    or not request.app.state.loopback)
    return resp


@router.post("/logout")
async def logout(request: Request, svc: Svc) -> Response:
    form = await request.form()
    if not token_ok(request.app.state.secret, str(form.get("csrf_token") or "")):
        raise KithbookError("this form has expired.", hint="Reload the page.")
    token = request.cookies.get(cookie_name(request.scope))
    if token:
        await to_thread.run_sync(svc.accounts.sign_out, token)
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(cookie_name(request.scope), path="/")
    return resp
