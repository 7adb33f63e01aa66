"""`kithbook serve`: the web UI, the REST API and the calendar feed on loopback."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Annotated

import typer

from kithbook.cli.common import services, state

if TYPE_CHECKING:
    from kithbook.config import Config

def is_loopback(host: str) -> bool:
    from kithbook.web.security import is_loopback as loopback

    return loopback(host)


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", min=1, max=65535)] = 8765,
    open_browser: Annotated[bool, typer.Option("--open", help="Open it in the browser.")] = False,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, max=16, help="Server processes (one per core serves most).")] = 1,
    allow_remote: Annotated[bool, typer.Option(
        "--allow-remote", help="Needed to listen on a non-loopback address: sign-in is then "
        "required (create the owner with `kithbook user add`) and TLS too.")] = False,
    allowed_host: Annotated[list[str] | None, typer.Option(
        "--allowed-host", help="A name this server may be reached by (repeatable), e.g. "
        "kithbook.example.org; other Host headers are refused.")] = None,
    login: Annotated[bool, typer.Option(
        "--login", help="Require sign-in on loopback too (always required beyond it).")
    ] = False,
    tls_cert: Annotated[str | None, typer.Option("--tls-cert", help="TLS certificate (PEM).")
                        ] = None,
    tls_key: Annotated[str | None, typer.Option("--tls-key", help="TLS private key (PEM).")
                       ] = None,
    behind_proxy: Annotated[bool, typer.Option(
        "--behind-proxy", help="A reverse proxy on this machine terminates TLS and sends "
        "X-Forwarded-Proto (trusted from 127.0.0.1 only).")] = False,
    rotate_feed_token: Annotated[
        bool, typer.Option("--rotate-feed-token", help="New calendar feed address, then exit.")
    ] = False,
) -> None:
    """Start the web app (pages, /api/v1, calendar feed) on 127.0.0.1.

    Example: kithbook serve --open
    Example: kithbook serve --host 0.0.0.0 --allow-remote --allowed-host crm.example.org
    --tls-cert cert.pem --tls-key key.pem
    """
    from kithbook.errors import InvalidInput
    from kithbook.services import feeds

    if rotate_feed_token:
        with services(ctx) as svc:
            token = feeds.rotate_feed_token(svc)
        typer.echo(f"New calendar feed: http://127.0.0.1:{port}/feeds/{token}.ics")
        typer.echo("The previous feed address no longer works.")
        return
    remote = not is_loopback(host)
    if remote and not allow_remote:
        raise InvalidInput(
            f"{host} is not a loopback address: anyone on the network could reach Kithbook.",
            field="host",
            hint="Use the default 127.0.0.1, or add --allow-remote (sign-in and TLS are then "
            "required).")
    if bool(tls_cert) != bool(tls_key):
        raise InvalidInput("TLS needs both --tls-cert and --tls-key.", field="tls_cert")
    tls = bool(tls_cert) or behind_proxy
    if remote and not tls:
        raise InvalidInput(
            "beyond loopback, passwords and session cookies need TLS.", field="tls_cert",
            hint="Give --tls-cert and --tls-key, or put a TLS proxy in front and add "
            "--behind-proxy.")
    with services(ctx) as svc:
        if (remote or login) and not svc.accounts.has_users():
            raise InvalidInput(
                "sign-in is required but there is no account yet.", field="login",
                hint="Create the owner first: kithbook user add NAME")
        feed = feeds.feed_token(svc)
    import uvicorn

    from kithbook import collector
    from kithbook.web.app import create_app

    config = state(ctx).config()
    hosts = list(allowed_host or [])
    mode = "required" if (remote or login) else "optional"
    scheme = "https" if tls else "http"
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    url = f"{scheme}://{hosts[0] if hosts else shown}:{port}/"
    typer.echo(f"Kithbook is running at {url}  (Ctrl+C to stop)")
    typer.echo("Sign-in: " + ("required" if mode == "required" else "not required on "
                              "loopback (add --login to require it)"))
    typer.echo(f"API docs: {url}api/v1/docs")
    typer.echo(f"Calendar feed (keep it private): {url}feeds/{feed}.ics")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    _start_auto_backups(config)
    extra: dict[str, object] = (
        {"ssl_certfile": tls_cert, "ssl_keyfile": tls_key} if tls_cert else {})
    if behind_proxy:
        extra.update({"proxy_headers": True, "forwarded_allow_ips": "127.0.0.1"})
    if workers == 1:
        app = create_app(config, bound_host=host, allowed_hosts=hosts, login=mode,
                         log_access=True)
        collector.settle()
        uvicorn.run(app, host=host.strip("[]"), port=port, log_level="info",
                    server_header=False, access_log=False, **extra)  # type: ignore[arg-type]
        return
    _serve_workers(config, host, port, workers, hosts=hosts, login=mode, extra=extra)


def _start_auto_backups(config: Config) -> None:
    """While the server runs, take the automatic backup when it is due (checked hourly;
    RELIABILITY.md). A failure is logged and retried at the next check."""
    import threading

    if not config.is_sqlite or config.backup_every_hours <= 0:
        return
    log = logging.getLogger("kithbook.backup")

    def loop() -> None:
        from kithbook.services.app import Services

        stop = threading.Event()
        wait = 60.0  # the first check a minute after start, then hourly
        while not stop.wait(wait):
            wait = 3600.0
            try:
                svc = Services.open(config)
                try:
                    done = svc.database.auto_backup()
                finally:
                    svc.close()
                if done is not None:
                    log.warning("automatic backup written to %s", done.path)
            except Exception as exc:  # keep serving; say why, retry later
                log.warning("automatic backup failed: %s", exc)

    threading.Thread(target=loop, name="kithbook-auto-backup", daemon=True).start()


def _serve_workers(config: Config, host: str, port: int, workers: int, *,
                   hosts: list[str], login: str, extra: dict[str, object]) -> None:
    """Several processes share one database; they share the form secret and the folder
    of pending import previews through their environment."""
    import copy
    import os
    import socket

    import uvicorn
    from uvicorn.config import LOGGING_CONFIG
    from uvicorn.supervisors import Multiprocess

    from kithbook.errors import InvalidInput
    from kithbook.services.places import places
    from kithbook.web import security

    pending = str(places(config).previews)
    os.environ.update({
        "KITHBOOK_DB": config.db,
        "KITHBOOK_WEB_HOST": host,
        "KITHBOOK_WEB_SECRET": security.new_secret(),
        "KITHBOOK_WEB_PENDING": pending,
        "KITHBOOK_WEB_ALLOWED_HOSTS": ",".join(hosts),
        "KITHBOOK_WEB_LOGIN": login,
    })
    if config.as_of:
        os.environ["KITHBOOK_AS_OF"] = config.as_of.isoformat()
    log_config = copy.deepcopy(LOGGING_CONFIG)
    uconfig = uvicorn.Config("kithbook.web.app:app_from_env", factory=True, workers=workers,
                             host=host.strip("[]"), port=port, log_level="info",
                             server_header=False, log_config=log_config, access_log=False,
                             **extra)  # type: ignore[arg-type]
    # Bind the shared socket ourselves with proto=IPPROTO_TCP: uvicorn's own multi-worker
    # socket has proto 0, so asyncio never sets TCP_NODELAY on accepted connections and
    # every response waits ~40 ms for a delayed ACK (Nagle).
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        raise InvalidInput(f"cannot listen on {host}:{port}: {exc.strerror}", field="port",
                           hint="Is another server using that port? Try --port.") from exc
    sock.set_inheritable(True)
    try:
        try:
            supervisor = Multiprocess(uconfig, sockets=[sock])
        except TypeError:  # another uvicorn release: its own socket, Nagle delays and all
            sock.close()
            uvicorn.run("kithbook.web.app:app_from_env", factory=True, workers=workers,
                        host=host.strip("[]"), port=port, log_level="info",
                        server_header=False, log_config=log_config, access_log=False,
                        **extra)  # type: ignore[arg-type]
        else:
            supervisor.run()
    finally:
        sock.close()


def feed_token(
    ctx: typer.Context,
    rotate: Annotated[bool, typer.Option("--rotate", help="Replace the token.")] = False,
    port: Annotated[int, typer.Option("--port", "-p", min=1, max=65535)] = 8765,
) -> None:
    """Show (or rotate) the private calendar feed address.

    Example: kithbook feed-token --rotate
    """
    from kithbook.services import feeds

    with services(ctx) as svc:
        token = feeds.rotate_feed_token(svc) if rotate else feeds.feed_token(svc)
    typer.echo(f"http://127.0.0.1:{port}/feeds/{token}.ics")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("feed-token")(feed_token)
