"""The cyclic garbage collector: quiet while a process starts, paused for one bulk
operation.

Start-up (`start_quietly`, called by the `kithbook` script before it imports anything
heavy) makes objects that live for the whole process: modules, SQLAlchemy's metadata,
the app. The collector walked them again and again while they were made, about 50 ms of
a `kithbook path`. It stays off until the services are open (`started`, called by
`Services.open`, so every command, the web server and the agent server pass it); then
what exists is frozen out of its way and it runs as usual.

An import, a restore or the undo of either makes hundreds of thousands of short-lived
rows (dicts, tuples) and no reference cycles; the collector's passes over them were
about a sixth of a 183,831-tie import (bench/RESULTS.md, "ties import"). Reference
counting still frees everything as usual; only the search for cycles waits until the
operation ends. Nested and concurrent uses (web workers run requests in threads) keep
it paused until the last one ends, and never turn it on if it was off."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_LOCK = threading.Lock()
_depth = 0
_was_enabled = True
_starting = False


def start_quietly() -> None:
    global _starting
    _starting = True
    gc.disable()


def started() -> None:
    """The long-lived objects exist: freeze them and let the collector run. A no-op
    unless `start_quietly` was called (and after the first call)."""
    global _starting
    if _starting:
        _starting = False
        gc.freeze()
        gc.enable()


def settle() -> None:
    """Once a server process has built its app: collect, then freeze what exists (the
    modules, SQLAlchemy's metadata, the app, the routes) out of the collector's way.
    They live as long as the process, and walking them at every full collection cost
    about 13% of the alliance portfolio (bench/RESULTS.md, "alliances")."""
    started()
    gc.collect()
    gc.freeze()


@contextmanager
def paused() -> Iterator[None]:
    global _depth, _was_enabled
    with _LOCK:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _LOCK:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
