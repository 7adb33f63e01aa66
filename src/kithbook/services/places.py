"""Where Kithbook keeps files beside its database: upload previews, automatic backups,
the erasure register's copy, the graph cache. One place decides, so that erasure can
find everything that may hold a person, and a killed server's leftovers are found by
the next start instead of piling up in the temporary folder."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from kithbook.config import Config


@dataclass(frozen=True)
class Places:
    db_path: Path | None  # the SQLite file; None on PostgreSQL
    base: Path  # files beside the database are named from this
    backup_dir: Path | None = None  # the config's choice for automatic backups

    @property
    def previews(self) -> Path:
        """Web import previews waiting for confirmation (personal data; mode 0700)."""
        return self.base.with_name(self.base.name + ".previews")

    @property
    def backups(self) -> Path:
        """Automatic backups, unless the config names another folder."""
        if self.backup_dir is not None:
            return self.backup_dir
        return self.base.with_name(self.base.name + ".backups")

    @property
    def register_copy(self) -> Path:
        """A copy of the erasure register outside the database: a restored or copied-back
        older file gets its erasures re-applied even when it was not restored by us."""
        return self.base.with_name(self.base.name + ".erasures.json")

    @property
    def graph_cache(self) -> Path:
        return self.base.with_name(self.base.name + ".graph")


def places(config: Config) -> Places:
    url = config.db_url
    chosen = Path(config.backup_dir) if config.backup_dir else None
    if url.startswith("sqlite") and url not in ("sqlite://", "sqlite:///:memory:"):
        path = Path(url.split(":///", 1)[1])
        return Places(db_path=path, base=path, backup_dir=chosen)
    from platformdirs import user_data_dir

    tag = hashlib.sha256(url.encode()).hexdigest()[:12]
    base = Path(user_data_dir("kithbook", appauthor=False)) / f"db-{tag}"
    return Places(db_path=None, base=base, backup_dir=chosen)
