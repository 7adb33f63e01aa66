"""Atomic file writes: a temporary file beside the target, fsynced, then renamed."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any


@contextlib.contextmanager
def atomic_write(
    path: str | Path, *, binary: bool = False, encoding: str = "utf-8", newline: str | None = ""
) -> Iterator[IO[Any]]:
    """Yield a file handle; the target appears whole on success and untouched on failure."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=directory)
    try:
        fh: IO[Any]
        if binary:
            fh = os.fdopen(fd, "wb")
        else:
            fh = os.fdopen(fd, "w", encoding=encoding, newline=newline)
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dfd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write `data` atomically; a missing folder or a full disk is a one-line error."""
    return write_stream(path, lambda fh: fh.write(data))


def write_stream(path: str | Path, fill: Callable[[IO[bytes]], object]) -> Path:
    """Write what `fill` writes to the handle it is given, atomically (an export too big
    to hold in memory); a missing folder or a full disk is a one-line error."""
    from kithbook.errors import KithbookError

    target = Path(path).expanduser()
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise KithbookError(f"the folder {parent} does not exist.", hint="Create it first.")
    try:
        with atomic_write(target, binary=True) as fh:
            fill(fh)
    except OSError as exc:
        raise KithbookError(f"could not write {target}: {exc.strerror or exc}",
                            hint="Check the free space and permissions.") from exc
    return target
