"""IMAP, read-only, over TLS: folders selected read-only, headers fetched with
BODY.PEEK (nothing is marked read), incremental by (UIDVALIDITY, UID) per folder
(RFC 9051). A folder whose UIDVALIDITY changed is read again from the start; message
keys keep that from counting anything twice."""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from kithbook.domain.capture import Batch
from kithbook.errors import ImportFailed
from kithbook.io import mail
from kithbook.io.capture_readers import ReadContext, mail_touch

FETCH = 200  # messages per FETCH command
TIMEOUT = 30.0  # seconds a silent server is given before the run stops cleanly


class ConnectionLost(ImportFailed):
    """The server went away or stopped answering; what was written is kept."""


@dataclass
class ImapSettings:
    host: str
    user: str
    port: int = 993
    starttls: bool = False
    folders: list[str] = field(default_factory=lambda: ["INBOX"])
    ca_file: str | None = None
    timeout: float = TIMEOUT


def _tls(settings: ImapSettings) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=settings.ca_file)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def connect(settings: ImapSettings, password: str) -> Any:
    """A logged-in client. TLS always: implicit (port 993) or STARTTLS, never plain."""
    from imapclient import IMAPClient  # type: ignore[import-untyped]
    from imapclient.exceptions import IMAPClientError, LoginError  # type: ignore[import-untyped]

    try:
        client = IMAPClient(settings.host, port=settings.port, ssl=not settings.starttls,
                            ssl_context=_tls(settings), timeout=settings.timeout)
        if settings.starttls:
            client.starttls(_tls(settings))
        client.login(settings.user, password)
    except LoginError as exc:
        raise ImportFailed(f"the mail server {settings.host} refused the login for "
                           f"{settings.user}.",
                           hint="Check the user name, and store the password again.") from exc
    except (OSError, ssl.SSLError, IMAPClientError) as exc:
        raise ConnectionLost(f"cannot reach the mail server {settings.host}:{settings.port} "
                             f"over TLS ({exc}).",
                             hint="Check the host, the port and the network; nothing was "
                                  "changed.") from exc
    return client


def read_imap(settings: ImapSettings, password: str, cursor: dict[str, Any] | None,
              ctx: ReadContext) -> Iterator[Batch]:
    """Batches of new messages, folder by folder; each batch carries the whole cursor
    (every folder's UIDVALIDITY and last UID) as it stands after that batch."""
    from imapclient.exceptions import IMAPClientError

    state: dict[str, Any] = {k: dict(v) for k, v in (cursor or {}).get("folders", {}).items()}
    client = connect(settings, password)
    try:
        for folder in settings.folders:
            try:
                info = client.select_folder(folder, readonly=True)
            except IMAPClientError as exc:
                raise ImportFailed(f"the mail server has no folder '{folder}' ({exc}).",
                                   hint="List the folder names your mail program shows.") \
                    from exc
            validity = int(info.get(b"UIDVALIDITY", 0))
            seen = state.get(folder, {})
            last = int(seen.get("uid", 0)) if seen.get("uidvalidity") == validity else 0
            uids = sorted(u for u in client.search(["UID", f"{last + 1}:*"]) if u > last)
            # at most one byte past the header cap: a message whose header is longer is
            # skipped for it, and the server never sends the rest (bounded memory)
            parts = [f"BODY.PEEK[HEADER]<0.{mail.HEAD_CAP + 1}>", "RFC822.SIZE"]
            if ctx.snippet:
                parts.append(f"BODY.PEEK[TEXT]<0.{mail.BODY_CAP}>")
            batch = Batch()
            for start in range(0, len(uids), FETCH):
                chunk = uids[start : start + FETCH]
                fetched = client.fetch(chunk, parts)
                for uid in chunk:
                    data = fetched.get(uid)
                    if data is None:  # expunged meanwhile
                        continue
                    head = body = b""
                    for k, v in data.items():
                        if k.startswith(b"BODY[HEADER]") and isinstance(v, bytes):
                            head = v
                        elif k.startswith(b"BODY[TEXT]") and isinstance(v, bytes):
                            body = v
                    raw = mail.RawMail(locator=f"{folder};UIDVALIDITY={validity};UID={uid}",
                                       head=head[: mail.HEAD_CAP], body=body,
                                       size=int(data.get(b"RFC822.SIZE", len(head))),
                                       head_truncated=len(head) > mail.HEAD_CAP)
                    mail_touch(raw, ctx, batch)
                    state[folder] = {"uidvalidity": validity, "uid": uid}
                    if batch.seen >= ctx.batch_size:
                        batch.cursor = {"folders": {k: dict(v) for k, v in state.items()}}
                        yield batch
                        batch = Batch()
            state.setdefault(folder, {"uidvalidity": validity, "uid": last})
            batch.cursor = {"folders": {k: dict(v) for k, v in state.items()}}
            yield batch
    except (TimeoutError, OSError, ssl.SSLError, IMAPClientError) as exc:
        raise ConnectionLost(
            f"the mail server {settings.host} stopped answering ({type(exc).__name__}).",
            hint="What was read before is kept; the next run continues from there.",
        ) from exc
    finally:
        # the connection may already be gone; there is nothing left to save
        with contextlib.suppress(Exception):
            client.logout()
