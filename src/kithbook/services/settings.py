"""Small stored settings (the `meta` table) and the tag list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kithbook.services.catalog import use_case
from kithbook.services.results import TagCount
from kithbook.store.db import set_meta
from kithbook.store.tags import all_tags

if TYPE_CHECKING:
    from kithbook.services.app import Services


class SettingsService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    def get(self, key: str) -> str | None:
        return self.svc.db.get_meta(key)

    def set(self, key: str, value: str, *, secret: bool = False) -> None:
        """Store a setting. Secrets (tokens) are kept out of the change journal."""
        with self.svc.db.write(f"set {key}", actor=self.svc.actor, record=not secret,
                               now=self.svc.now) as j:
            set_meta(j, key, value)

    @use_case()
    def tags(self) -> list[TagCount]:
        """Every tag with how many records carry it."""
        with self.svc.db.read() as conn:
            return [TagCount(id=name, name=name, count=n) for name, n in all_tags(conn)]
