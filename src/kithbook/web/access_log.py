"""The access log, written by Kithbook rather than by uvicorn, so that no secret reaches
it: the path is decoded and normalised the way a server could route it (percent
escapes, `//`, `/./`, `/../`, backslashes), the segment after `feeds` or `r` (a calendar
feed or a private link token) is replaced, and query strings are never logged."""

from __future__ import annotations

import logging
import posixpath
import re
from urllib.parse import unquote

from kithbook.web.security import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("kithbook.access")
SECRET_SEGMENTS = frozenset({"feeds", "r"})
_TOKENISH = re.compile(r"[A-Za-z0-9_\-]{30,}(\.\w{1,8})?")


def redact_path(raw: str) -> str:
    """A loggable form of a request path: no tokens, however it is spelled."""
    path = raw.split("?", 1)[0]
    for _ in range(3):  # %252F and friends
        decoded = unquote(path)
        if decoded == path:
            break
        path = decoded
    path = path.replace("\\", "/")
    path = posixpath.normpath("/" + path.lstrip("/")) if path else "/"
    parts = path.split("/")
    out = []
    hide = False
    for part in parts:
        if hide and part:
            out.append("<redacted>")
            hide = False
            continue
        if part.lower() in SECRET_SEGMENTS:
            hide = True
        # anything long and random-looking is a credential until proven otherwise
        out.append("<redacted>" if _TOKENISH.fullmatch(part) else part)
    return "/".join(out) or "/"


class AccessLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500

        async def wrapped(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, wrapped)
        finally:
            client = scope.get("client") or ("-", 0)
            raw = scope.get("raw_path")
            path = raw.decode("latin-1") if isinstance(raw, bytes) else scope.get("path", "/")
            log.info('%s - "%s %s HTTP/%s" %d', client[0], scope.get("method", "-"),
                     redact_path(path), scope.get("http_version", "1.1"), status)
