"""The graph change log: a revision counter kept by the database itself.

Triggers on people, ties, interactions and their participants append the people whose
ties may have changed to `graph_log`, under a revision number that only grows. A process
holding the graph in memory compares its revision with `max(rev)` (an index lookup) and
applies the logged changes as a delta instead of rebuilding: docs/graph-cache.md.

SQLite: row triggers, the revision is `max(rev) + 1` (writers are serialized by the
database). PostgreSQL: statement triggers over transition tables; the revision is a
counter row updated under its row lock, so revisions commit in order.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

from kithbook.store.graph_log import SQLITE_TRIGGERS

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# PostgreSQL: one function per (table, event); each takes the counter's row lock once per
# statement that changed something, then logs every affected person.
def _pg_function(name: str, select_rows: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r bigint;
BEGIN
    IF NOT EXISTS ({select_rows}) THEN RETURN NULL; END IF;
    UPDATE graph_rev SET rev = rev + 1 WHERE id = 1 RETURNING rev INTO r;
    INSERT INTO graph_log (rev, person_id, interaction_id)
        SELECT r, x.person_id, x.interaction_id FROM ({select_rows}) AS x;
    RETURN NULL;
END $$;
"""


_PG = [
    # (trigger, event, referencing, rows)
    ("kb_graph_ties_ins", "INSERT ON ties", "NEW TABLE AS nt",
     "SELECT a_id AS person_id, NULL::int AS interaction_id FROM nt "
     "UNION ALL SELECT b_id, NULL FROM nt"),
    ("kb_graph_ties_upd", "UPDATE ON ties", "OLD TABLE AS ot NEW TABLE AS nt",
     "SELECT a_id AS person_id, NULL::int AS interaction_id FROM ot "
     "UNION ALL SELECT b_id, NULL FROM ot UNION ALL SELECT a_id, NULL FROM nt "
     "UNION ALL SELECT b_id, NULL FROM nt"),
    ("kb_graph_ties_del", "DELETE ON ties", "OLD TABLE AS ot",
     "SELECT a_id AS person_id, NULL::int AS interaction_id FROM ot "
     "UNION ALL SELECT b_id, NULL FROM ot"),
    ("kb_graph_part_ins", "INSERT ON interaction_participants", "NEW TABLE AS nt",
     "SELECT person_id, interaction_id FROM nt"),
    ("kb_graph_part_upd", "UPDATE ON interaction_participants",
     "OLD TABLE AS ot NEW TABLE AS nt",
     "SELECT person_id, interaction_id FROM ot UNION ALL "
     "SELECT person_id, interaction_id FROM nt"),
    ("kb_graph_part_del", "DELETE ON interaction_participants", "OLD TABLE AS ot",
     "SELECT person_id, interaction_id FROM ot"),
    ("kb_graph_int_upd", "UPDATE ON interactions", "OLD TABLE AS ot NEW TABLE AS nt",
     "SELECT NULL::int AS person_id, nt.id AS interaction_id FROM nt JOIN ot USING (id) "
     "WHERE (nt.occurred_at, nt.channel, nt.initiated_by_id, nt.deleted_at) IS DISTINCT "
     "FROM (ot.occurred_at, ot.channel, ot.initiated_by_id, ot.deleted_at)"),
    ("kb_graph_people_ins", "INSERT ON people", "NEW TABLE AS nt",
     "SELECT id AS person_id, NULL::int AS interaction_id FROM nt"),
    ("kb_graph_people_upd", "UPDATE ON people", "OLD TABLE AS ot NEW TABLE AS nt",
     "SELECT nt.id AS person_id, NULL::int AS interaction_id FROM nt JOIN ot USING (id) "
     "WHERE nt.deleted_at IS DISTINCT FROM ot.deleted_at"),
    ("kb_graph_people_del", "DELETE ON people", "OLD TABLE AS ot",
     "SELECT id AS person_id, NULL::int AS interaction_id FROM ot"),
]

# Deleting an interaction cascades to its participants, whose delete trigger logs them.


def upgrade() -> None:
    op.create_table(
        "graph_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rev", sa.BigInteger(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_graph_log")),
    )
    op.create_index("ix_graph_log_rev", "graph_log", ["rev"])
    op.create_table(
        "graph_rev",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rev", sa.BigInteger(), nullable=False),
        sa.Column("epoch", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_graph_rev")),
    )
    op.execute(sa.text("INSERT INTO graph_rev (id, rev, epoch) VALUES (1, 0, :v)").bindparams(
        v=secrets.token_hex(8)))
    if op.get_bind().dialect.name == "postgresql":
        for trig, event, referencing, rows in _PG:
            op.execute(_pg_function(f"{trig}_fn", rows))
            op.execute(
                f"CREATE TRIGGER {trig} AFTER {event} REFERENCING {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {trig}_fn()"
            )
    else:
        for sql in SQLITE_TRIGGERS.values():
            op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for trig, event, _ref, _rows in _PG:
            table = event.split(" ON ", 1)[1]
            op.execute(f"DROP TRIGGER IF EXISTS {trig} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {trig}_fn()")
    else:
        for trig in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trig}")
    op.drop_table("graph_rev")
    op.drop_index("ix_graph_log_rev", table_name="graph_log")
    op.drop_table("graph_log")
