"""The words of each person's name, for people search by prefix in constant time per page.

`people.list(name_prefix=...)` asked the full-text index for every person with a name
word starting so, then counted them all and sorted them for one page: 0.26 s for "a" at
100,000 people, growing with the matches. A B-tree of (word, person) answers "is there a
match, and are there more than N" by an index range that stops early, on SQLite and
PostgreSQL alike (docs/scaling.md, "People search"). Filled from the name documents of
migration 0003, which hold exactly the folded words of each live person's name.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_WORD = sa.String(length=300).with_variant(sa.String(length=300, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "person_name_words",
        sa.Column("word", _WORD, nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE",
                                name=op.f("fk_person_name_words_person_id_people")),
        sa.PrimaryKeyConstraint("word", "person_id", name=op.f("pk_person_name_words")),
    )
    op.create_index("ix_person_name_words_person_id", "person_name_words", ["person_id"])
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT d.ref_id, d.body FROM search_docs d JOIN people p ON p.id = d.ref_id "
        "WHERE d.kind = 'name' AND p.deleted_at IS NULL")).all()
    words = [{"w": w, "p": r.ref_id}
             for r in rows for w in sorted({w[:300] for w in r.body.split()})]
    for start in range(0, len(words), 5000):
        bind.execute(sa.text("INSERT INTO person_name_words (word, person_id) VALUES (:w, :p)"),
                     words[start:start + 5000])


def downgrade() -> None:
    op.drop_index("ix_person_name_words_person_id", table_name="person_name_words")
    op.drop_table("person_name_words")
