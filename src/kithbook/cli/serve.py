"""`kithbook serve`: the web UI, the REST API and the calendar feed on loopback."""

from __future__ import annotations

import ipaddress
import logging
from typing import TYPE_CHECKING, Annotated

import typer

from kithbook.cli.common import services, state

if TYPE_CHECKING:
    from kithbook.config import Config

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class RedactFeedTokens(logging.Filter):
    """Keeps calendar feed tokens out of the access log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                "/feeds/<token>.ics" if isinstance(a, str) and a.startswith("/feeds/") else a
                for a in record.args
            )
        return True


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", min=1, max=65535)] = 8765,
    open_browser: Annotated[bool, typer.Option("--open", help="Open it in the browser.")] = False,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, max=16, help="Server processes (one per core serves most).")] = 1,
    allow_remote: Annotated[
        bool,
        typer.Option(
            "--allow-remote",
            help="Needed to listen on a non-loopback address. There is no login yet: anyone "
            "who can reach the port can read and change everything.",
        ),
    ] = False,
    rotate_feed_token: Annotated[
        bool, typer.Option("--rotate-feed-token", help="New calendar feed address, then exit.")
    ] = False,
) -> None:
    """Start the web app (pages, /api/v1, calendar feed) on 127.0.0.1.

    Example: kithbook serve --open
    """
    from kithbook.errors import InvalidInput
    from kithbook.web import feeds

    if rotate_feed_token:
        with services(ctx) as svc:
            token = feeds.rotate_feed_token(svc)
        typer.echo(f"New calendar feed: http://127.0.0.1:{port}/feeds/{token}.ics")
        typer.echo("The previous feed address no longer works.")
        return
    if not is_loopback(host) and not allow_remote:
        raise InvalidInput(
            f"{host} is not a loopback address and Kithbook has no login yet.",
            field="host",
            hint="Use the default 127.0.0.1, or add --allow-remote if you accept the risk.",
        )
    import uvicorn

    from kithbook.web.app import create_app

    config = state(ctx).config()
    if not is_loopback(host):
        typer.echo(
            f"WARNING: listening on {host}. Kithbook has no authentication yet: anyone who can "
            "reach this port can read and change your whole network. Put it behind a proxy "
            "with authentication and TLS.",
            err=True,
        )
    app = create_app(config, bound_host=host) if workers == 1 else None
    with services(ctx) as svc:
        token = feeds.feed_token(svc)
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    url = f"http://{shown}:{port}/"
    typer.echo(f"Kithbook is running at {url}  (Ctrl+C to stop)")
    typer.echo(f"API docs: {url}api/v1/docs")
    typer.echo(f"Calendar feed (keep it private): {url}feeds/{token}.ics")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    if app is not None:
        logging.getLogger("uvicorn.access").addFilter(RedactFeedTokens())
        uvicorn.run(app, host=host.strip("[]"), port=port, log_level="info",
                    server_header=False)
        return
    _serve_workers(config, host, port, workers)


def _serve_workers(config: Config, host: str, port: int, workers: int) -> None:
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
    })
    if config.as_of:
        os.environ["KITHBOOK_AS_OF"] = config.as_of.isoformat()
    log_config = copy.deepcopy(LOGGING_CONFIG)
    log_config.setdefault("filters", {})["redact"] = {"()": "kithbook.cli.serve.RedactFeedTokens"}
    log_config["handlers"]["access"]["filters"] = ["redact"]
    uconfig = uvicorn.Config("kithbook.web.app:app_from_env", factory=True, workers=workers,
                             host=host.strip("[]"), port=port, log_level="info",
                             server_header=False, log_config=log_config)
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
                        server_header=False, log_config=log_config)
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
    from kithbook.web import feeds

    with services(ctx) as svc:
        token = feeds.rotate_feed_token(svc) if rotate else feeds.feed_token(svc)
    typer.echo(f"http://127.0.0.1:{port}/feeds/{token}.ics")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("feed-token")(feed_token)
