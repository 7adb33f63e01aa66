"""PostgreSQL: the graph change log can be turned off for one bulk transaction.

Past BULK_PEOPLE changed people the warm graph is rebuilt, not patched
(store/graph_log.py), so the log rows of a bulk write are never read. SQLite drops its
row triggers for such a write; PostgreSQL's statement triggers stayed on, and logging
the 367,662 ends of a 183,831-tie import cost its COPY about 1.0 s of 6.2 s on the
server (EXPLAIN ANALYZE, 36,714 people). Each trigger function now returns at once when
the transaction has set `kithbook.graph_log` to `off` (`set_config(..., true)`: for
that transaction only, so a failed or finished bulk write leaves nothing behind);
`graph_log.suspended` sets it and gives the database a new epoch, as on SQLite.

The update triggers of people and interactions also stop joining their transition
tables by key (below).

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import importlib

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_0010 = importlib.import_module("kithbook.store.migrations.versions.0010_graph_log")
_0014 = importlib.import_module("kithbook.store.migrations.versions.0014_graph_rev_per_transaction")

_GUARD = "    IF current_setting('kithbook.graph_log', true) = 'off' THEN RETURN NULL; END IF;\n"


def _pg_function(name: str, select_rows: str) -> str:
    """0014's function (one revision per transaction), returning first when the
    transaction has turned the log off. 0014's text is frozen with its migration."""
    body: str = _0014._pg_function(name, select_rows)
    if body.count("BEGIN\n") != 1:  # pragma: no cover - 0014's text is fixed
        raise RuntimeError("migration 0014's trigger function changed shape")
    return body.replace("BEGIN\n", "BEGIN\n" + _GUARD)


# The two update triggers that compare old and new rows matched them with `nt JOIN ot
# USING (id)`. A transition table has no index and no statistics, and the planner's
# nested loop made the join quadratic: one UPDATE of 10,000 people (a bulk edit's new
# tier) spent 4.4 s in the trigger. A set difference hashes or sorts instead, and keeps
# the meaning: a row is logged when any compared column is distinct from before (EXCEPT
# takes NULLs as equal, as IS DISTINCT FROM does).
_ROWS = {
    "kb_graph_int_upd":
        "SELECT NULL::int AS person_id, d.id AS interaction_id FROM ("
        "SELECT id, occurred_at, channel, initiated_by_id, deleted_at FROM nt EXCEPT "
        "SELECT id, occurred_at, channel, initiated_by_id, deleted_at FROM ot) AS d",
    "kb_graph_people_upd":
        "SELECT d.id AS person_id, NULL::int AS interaction_id FROM ("
        "SELECT id, deleted_at FROM nt EXCEPT SELECT id, deleted_at FROM ot) AS d",
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for trig, _event, _referencing, rows in _0010._PG:
            op.execute(_pg_function(f"{trig}_fn", _ROWS.get(trig, rows)))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for trig, _event, _referencing, rows in _0010._PG:
            op.execute(_0014._pg_function(f"{trig}_fn", rows))
