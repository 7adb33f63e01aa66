"""Write files atomically: a temp file beside the target, fsync, then rename, so a
crash or a full disk never leaves a half-written file under the final name."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kithbook.errors import KithbookError


def write_bytes(path: str | Path, data: bytes) -> Path:
    target = Path(path).expanduser()
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise KithbookError(f"the folder {parent} does not exist.", hint="Create it first.")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise KithbookError(
            f"could not write {target}: {exc.strerror or exc}",
            hint="Check the free space and permissions.",
        ) from exc
    return target


def write_text(path: str | Path, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))
