"""The cyclic garbage collector, paused for one bulk operation.

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
