"""Bulk edit (docs/bulk-edit.md): tag, untag, set tier, stage or cadence, or archive
many people at once, chosen by a filter, a search or a list of ids; previewed first,
then written as one change that one `undo` reverses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from kithbook.domain.models import PersonRef, Record
from kithbook.domain.parsing import parse_days, parse_stage, parse_tier
from kithbook.errors import InvalidInput
from kithbook.services.catalog import use_case
from kithbook.store import bulk_edit as st
from kithbook.store import search as st_search

if TYPE_CHECKING:
    from kithbook.services.app import Services

ACTIONS = ("tag", "untag", "tier", "stage", "cadence", "archive")


@dataclass
class PeopleSelection:
    """Which people: every criterion given must hold (none given: refused)."""

    search: str | None = None  # the full-text index, as `find` and the people list
    tag: str | None = None
    tier: str | None = None
    stage: str | None = None
    org: str | None = None
    untouched_days: int | None = None
    ids: list[str] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.search or self.tag or self.tier or self.stage or self.org
                    or self.untouched_days or self.ids)


@dataclass
class BulkEdit(Record):
    """A bulk edit, previewed or done. `id` is the change id `undo` takes (None in a
    preview); `name` says what it does."""

    id: str | None
    name: str
    action: str
    value: str | None
    matched: int
    changed: int
    preview: bool
    sample: list[PersonRef] = field(default_factory=list)


class BulkEditService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    @use_case(writes=True)
    def edit(self, selection: PeopleSelection, action: str, value: str | None = None, *,
             preview: bool = True) -> BulkEdit:
        """Change many people at once (preview unless told to apply)."""
        if selection.empty():
            raise InvalidInput("say which people: a search, a tag, tier, stage, organization "
                               "or ids.", field="selection")
        values, label = self._change(action, value)
        tier = parse_tier(selection.tier) if selection.tier else None
        stage = parse_stage(selection.stage) if selection.stage else None
        before = (self.svc.now - timedelta(days=selection.untouched_days)
                  if selection.untouched_days else None)
        with self.svc.db.write(f"bulk {action}", actor=self.svc.actor, now=self.svc.now) as j:
            org_key = (self.svc.resolve.org_key(j.conn, selection.org, field="org")
                       if selection.org else None)
            keys = st.select_keys(j.conn, search=selection.search, tag=selection.tag,
                                  tier=tier, stage=stage, org_key=org_key,
                                  touched_before=before, public_ids=selection.ids)
            sample = [PersonRef(id=i, name=n) for i, n in st.sample_names(j.conn, keys)]
            changed = 0
            if not preview:
                if action == "tag":
                    changed = st.tag_people(j, keys, str(value))
                elif action == "untag":
                    changed = st.untag_people(j, keys, str(value))
                else:
                    changed = st.set_people(j, keys, values)
                if action in ("tag", "untag") and changed:
                    # tags are part of a person's search text (docs/bulk-edit.md: the
                    # reindex is most of the cost of a bulk tag)
                    st_search.reindex_many(j.conn, [("person", k) for k in keys])
            batch = j.batch_id if not preview and changed else None
        n = len(keys)
        who = f"{n} {'person' if n == 1 else 'people'}"
        name = f"{label} for {who}" if preview else (
            f"{label}: {changed} of {who} changed" if changed else f"{label}: nothing to change")
        return BulkEdit(id=batch, name=name, action=action, value=value, matched=n,
                        changed=changed, preview=preview, sample=sample)

    def _change(self, action: str, value: str | None) -> tuple[dict[str, object], str]:
        text = (value or "").strip()
        if action not in ACTIONS:
            raise InvalidInput(f"'{action}' is not a bulk action.", field="action",
                               hint=f"One of: {', '.join(ACTIONS)}.")
        if action in ("tag", "untag"):
            if not text:
                raise InvalidInput("which tag?", field="value")
            return {}, f"{action} '{text}'"
        if action == "tier":
            tier = parse_tier(text) if text.lower() not in ("", "none") else None
            return {"tier": tier}, f"set tier {tier or 'none'}"
        if action == "stage":
            stage = parse_stage(text) if text.lower() not in ("", "none") else None
            return {"stage": stage}, f"set stage {stage or 'none'}"
        if action == "cadence":
            days = None if text.lower() in ("", "default", "none") else parse_days(
                text, field="cadence")
            return {"cadence_days": days}, f"set cadence {days or 'default'}"
        if not text:
            raise InvalidInput("say why you archive them.", field="value",
                               hint='e.g. "no contact in 3 years"')
        return ({"archived_at": self.svc.now, "archive_reason": text},
                f"archive ({text})")
