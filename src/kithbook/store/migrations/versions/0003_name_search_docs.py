"""A name-only search document per person.

Looking people up by name (search as you type, the people list's `q`) matched their
email, job title and company too: typing "mar" listed every "Marketing Lead" first.
Each live person now also has a `name` document; this fills it in for existing data.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> str:
    # frozen copy of kithbook.domain.text at this revision: migrations must not change
    # meaning when the application's folding evolves
    for _ in range(4):
        folded = unicodedata.normalize("NFKD", text.casefold())
        folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
        if folded == text:
            break
        text = folded
    return " ".join(_WORD.findall(text))


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, name FROM people WHERE deleted_at IS NULL")).all()
    docs = [{"kind": "name", "ref_id": r.id, "body": _words(r.name or "")} for r in rows]
    if docs:
        bind.execute(
            sa.text("INSERT INTO search_docs (kind, ref_id, body) VALUES (:kind, :ref_id, :body)"),
            docs,
        )
    if bind.dialect.name == "sqlite":
        op.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


def downgrade() -> None:
    op.execute("DELETE FROM search_docs WHERE kind = 'name'")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
