"""The FastAPI application: one Database per process, one Services per request, and
the one place where errors become HTTP responses."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from kithbook.config import Config
from kithbook.errors import Ambiguous, KithbookError, NotFound
from kithbook.services.app import Services
from kithbook.web import security

WEB_DIR = Path(__file__).parent
log = logging.getLogger("kithbook.web")


async def services(request: Request) -> Services:
    """FastAPI dependency: the services for this request. Team mode will set
    `request.state.actor` from the signed-in member before this runs. Async because
    it does no I/O: FastAPI runs a plain function dependency in a worker thread, a hop
    per request for nothing."""
    actor = getattr(request.state, "actor", None) or "me"
    return Services(request.app.state.db, request.app.state.config, actor=actor)


def error_body(
    code: str,
    message: str,
    *,
    hint: str | None = None,
    field: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    err: dict[str, Any] = {"code": code, "message": message, "hint": hint, "field": field}
    if extra:
        err.update(extra)
    return {"error": err}


def wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith(("/api/", "/feeds/")):
        return False
    return "text/html" in request.headers.get("accept", "")


def error_response(request: Request, status: int, body: dict[str, Any]) -> Response:
    if wants_html(request):
        templates = request.app.state.templates
        # a private response page shows nothing else, errors included
        page = "link_error.html" if request.url.path.startswith("/r/") else "error.html"
        page_response: Response = templates.TemplateResponse(
            request, page, {"error": body["error"], "status": status}, status_code=status
        )
        return page_response
    return JSONResponse(body, status_code=status)


def install_error_mapping(app: FastAPI) -> None:
    """Every error, from any route, leaves as {"error": {code, message, hint, field}}."""

    @app.exception_handler(KithbookError)
    async def kithbook_error(request: Request, exc: KithbookError) -> Response:
        extra: dict[str, Any] = {}
        if isinstance(exc, Ambiguous):
            extra["candidates"] = [
                {"id": c[0], "name": c[1], "detail": c[2]} for c in exc.candidates[:20]
            ]
        if isinstance(exc, NotFound) and exc.suggestions:
            extra["suggestions"] = [
                {"id": c[0], "name": c[1], "detail": c[2]} for c in exc.suggestions
            ]
        from kithbook.web.hints import remedy_hint

        hint = exc.hint or remedy_hint(exc.remedy)
        body = error_body(exc.code, exc.message, hint=hint, field=exc.field, extra=extra)
        resp = error_response(request, exc.http_status, body)
        retry = getattr(exc, "retry_after", None)
        if retry is not None:
            resp.headers["retry-after"] = str(retry)
        return resp

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        first = errors[0] if errors else {}
        loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")]
        field = ".".join(loc) or None
        msg = str(first.get("msg", "invalid request"))
        body = error_body("invalid_input", f"{field or 'request'}: {msg}", field=field)
        return error_response(request, 422, body)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        codes = {404: "not_found", 405: "method_not_allowed", 403: "forbidden",
                 413: "too_large"}
        status = exc.status_code
        code = codes.get(status, "http_error")
        message = str(exc.detail) if exc.detail else code
        if status == 404:
            message = "there is nothing at this address."
        if status == 400:  # FastAPI's "error parsing the body": undecodable bytes
            status, code = 422, "invalid_input"
            message = "the request body is not valid UTF-8 JSON."
        resp = error_response(request, status, error_body(code, message))
        for k, v in (exc.headers or {}).items():
            resp.headers[k] = v
        return resp

    @app.exception_handler(security.BodyTooLarge)
    async def too_large(request: Request, exc: security.BodyTooLarge) -> Response:
        body = error_body("too_large", f"the request is over the {exc.limit // 1024} KiB limit.")
        return error_response(request, 413, body)

    async def storage_error(request: Request, exc: Exception) -> Response:
        fault = _storage_fault(exc)
        if fault is None:
            return await unexpected(request, exc)
        # a full disk or a failing device: 503, nothing was half-written, retry later
        log.warning("storage fault on %s %s: %s", request.method, request.url.path, exc)
        return error_response(request, 503, error_body(fault.code, fault.message,
                                                       hint=fault.hint))

    import sqlite3

    from sqlalchemy.exc import DBAPIError

    for kind in (OSError, sqlite3.Error, DBAPIError):
        app.add_exception_handler(kind, storage_error)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        body = error_body(
            "internal_error",
            "something went wrong inside Kithbook; nothing was half-written.",
            hint="Retry; if it keeps happening, report it with the server log.",
        )
        return error_response(request, 500, body)


def _storage_fault(exc: BaseException) -> KithbookError | None:
    import sqlite3

    from kithbook.services.database import storage_fault

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError | sqlite3.Error):
            return storage_fault(str(seen), getattr(seen, "errno", None))
        seen = seen.__cause__ or seen.__context__
    return None


def create_app(
    config: Config,
    *,
    bound_host: str | None = None,
    allowed_hosts: Iterable[str] = (),
    secret: str | None = None,
    pending_dir: str | None = None,
    login: str = "auto",
    log_access: bool = False,
) -> FastAPI:
    """The web app. `login`: "auto" (required beyond loopback, optional on it),
    "required" or "optional" (docs/security.md). `log_access` writes the redacted
    access log (web/access_log.py) for a real server."""
    from fastapi.templating import Jinja2Templates

    from kithbook.services.app import open_store
    from kithbook.web import api, feeds, links, pages
    from kithbook.web.markdown import render_markdown
    from kithbook.web.pending import PendingImports

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.db.close()
        app.state.imports.prune()

    app = FastAPI(
        lifespan=lifespan,
        title="Kithbook API",
        version="1",
        description="Your rolodex over HTTP. Every error is "
        '`{"error": {"code", "message", "hint", "field"}}`.',
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.config = config
    app.state.db = open_store(config)
    app.state.secret = secret or security.new_secret()
    app.state.csrf_token = security.form_token(app.state.secret)
    # shared by every worker of one server: previews made on one confirm on another. The
    # folder sits beside the database (services/places.py), so a killed server leaves
    # nothing in the temporary folder and an erasure finds every preview.
    from kithbook.services.places import places

    pending_path = Path(pending_dir) if pending_dir else places(config).previews
    app.state.imports = PendingImports(pending_path, max_items=4)
    templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
    templates.env.autoescape = True
    templates.env.filters["markdown"] = render_markdown
    from kithbook.domain.text import count

    templates.env.filters["count"] = count  # {{ n|count("person") }}: "1 person", "2 people"
    templates.env.globals["csrf_token"] = app.state.csrf_token
    app.state.templates = templates

    install_error_mapping(app)
    from kithbook.web import auth
    from kithbook.web.access_log import AccessLog

    loopback = security.is_loopback(bound_host or "127.0.0.1")
    app.state.loopback = loopback
    required = login == "required" or (login == "auto" and not loopback)
    app.state.login_required = required
    app.mount("/static", StaticFiles(directory=str(WEB_DIR / "static")), name="static")
    app.include_router(auth.router)
    app.include_router(api.router)
    app.include_router(feeds.router)
    app.include_router(links.router)
    app.include_router(pages.router)
    from kithbook.web import pages_alliance_forms, pages_alliances

    app.include_router(pages_alliance_forms.router)  # first: /alliances/new
    app.include_router(pages_alliances.router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, bool]:
        return {"ok": True}

    # the last added runs first: access log, then host/CSRF checks, then sign-in
    app.add_middleware(auth.AuthGate, required=required)
    app.add_middleware(
        security.SecurityMiddleware,
        allowed_hosts=security.allowed_host_set(bound_host, allowed_hosts),
        max_upload=config.max_import_bytes,
    )
    if log_access:
        _log_to_stderr("kithbook.access")
        app.add_middleware(AccessLog)
    return app


def _log_to_stderr(name: str) -> None:
    logger = logging.getLogger(name)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def html(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    templates = request.app.state.templates
    response: Response = templates.TemplateResponse(
        request, template, context, status_code=status
    )
    return response


__all__ = ["create_app", "services", "html", "error_body", "HTMLResponse"]


def app_from_env() -> FastAPI:
    """Factory for multi-worker serving: each worker process builds the same app from
    what `kithbook serve --workers N` put in its environment."""
    import os

    from kithbook import collector
    from kithbook import config as kb_config

    app = create_app(
        kb_config.load(),
        bound_host=os.environ.get("KITHBOOK_WEB_HOST"),
        allowed_hosts=[h for h in os.environ.get("KITHBOOK_WEB_ALLOWED_HOSTS", "").split(",")
                       if h],
        secret=os.environ.get("KITHBOOK_WEB_SECRET"),
        pending_dir=os.environ.get("KITHBOOK_WEB_PENDING"),
        login=os.environ.get("KITHBOOK_WEB_LOGIN", "auto"),
        log_access=True,
    )
    collector.settle()  # a server process, its app built
    return app
