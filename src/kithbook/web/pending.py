"""Import previews waiting for confirmation, kept as files in a folder so that every
server worker sees them (a preview made by one worker can be confirmed on another)."""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from pathlib import Path
from typing import Any

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class PendingImports:
    def __init__(self, folder: Path, *, ttl_seconds: int = 1800, max_items: int = 20) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        os.chmod(self.folder, 0o700)  # uploads are personal data
        self.ttl = ttl_seconds
        self.max_items = max_items
        self.prune()  # what a killed server left behind expires here

    def prune(self) -> None:
        """Remove expired previews and half-written files of killed servers."""
        self._prune()
        now = time.time()
        for p in [*self.folder.glob(".*"), *self.folder.glob("*.bin")]:
            orphan = p.name.startswith(".") or not p.with_suffix(".json").exists()
            try:
                if orphan and now - p.stat().st_mtime > 60:
                    p.unlink()
            except OSError:
                pass

    def _prune(self) -> None:
        now = time.time()
        metas = sorted(self.folder.glob("*.json"), key=lambda p: p.stat().st_mtime)
        for i, meta in enumerate(metas):
            expired = now - meta.stat().st_mtime > self.ttl
            if expired or len(metas) - i >= self.max_items:
                self._remove(meta.stem)

    def _remove(self, token: str) -> None:
        for suffix in (".json", ".bin"):
            (self.folder / f"{token}{suffix}").unlink(missing_ok=True)

    def put(self, data: bytes, *, filename: str, fmt: str | None,
            options: dict[str, Any] | None = None) -> str:
        self._prune()
        token = secrets.token_urlsafe(16)
        (self.folder / f"{token}.bin").write_bytes(data)
        tmp = self.folder / f".{token}.json"
        tmp.write_text(json.dumps({"filename": filename, "format": fmt,
                                   "options": options or {}}))
        tmp.replace(self.folder / f"{token}.json")  # the preview exists once this is there
        return token

    def pop(self, token: str) -> dict[str, Any] | None:
        if not _TOKEN.match(token or ""):
            return None
        meta_path = self.folder / f"{token}.json"
        try:
            meta = json.loads(meta_path.read_text())
            if time.time() - meta_path.stat().st_mtime > self.ttl:
                return None
            data = (self.folder / f"{token}.bin").read_bytes()
        except (OSError, ValueError):
            return None
        finally:
            self._remove(token)
        return {"data": data, **meta}
