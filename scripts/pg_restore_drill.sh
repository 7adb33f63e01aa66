#!/usr/bin/env bash
# The PostgreSQL restore drill (RELIABILITY.md): dump the live database with pg_dump's
# custom format, restore it into a scratch database in one transaction that stops at
# the first error, and prove the copy equal: the same tables, the same row count and
# the same content hash for each. The scratch database is dropped afterwards.
#
#   scripts/pg_restore_drill.sh postgresql://user@host:5432/kithbook [DUMP_FILE]
#
# Keep DUMP_FILE (default: a temporary file, removed) as the nightly backup; restore it
# for real with:  pg_restore --single-transaction --exit-on-error -d TARGET DUMP_FILE
# then run `kithbook --db TARGET check`. People erased after the dump was taken are
# erased again when Kithbook next opens that database URL (the copy of the erasure
# register kept outside the database, docs/personal-data.md).
set -euo pipefail

src="${1:?usage: pg_restore_drill.sh POSTGRES_URL [DUMP_FILE]}"
src="${src/postgresql+psycopg:/postgresql:}"
dump="${2:-}"
keep_dump=1
if [[ -z "$dump" ]]; then
    dump="$(mktemp --suffix=.pgdump)"
    keep_dump=0
fi
scratch="kb_drill_$(date +%s)_$$"
base="${src%/*}"
admin="$base/postgres"
target="$base/$scratch"
cleanup() {
    psql -q -X -d "$admin" -c "DROP DATABASE IF EXISTS \"$scratch\"" >/dev/null 2>&1 || true
    if [[ "$keep_dump" == 0 ]]; then rm -f "$dump"; fi
}
trap cleanup EXIT

started=$(date +%s.%N)
pg_dump --format=custom --no-owner --file="$dump" "$src"
dumped=$(date +%s.%N)
psql -q -X -v ON_ERROR_STOP=1 -d "$admin" -c "CREATE DATABASE \"$scratch\"" >/dev/null
pg_restore --single-transaction --exit-on-error --no-owner -d "$target" "$dump"
restored=$(date +%s.%N)

fingerprint() {
    psql -X -A -t -v ON_ERROR_STOP=1 -d "$1" <<'SQL'
SELECT string_agg(format('%s %s', table_name, row_count), E'\n' ORDER BY table_name)
FROM (
  SELECT c.relname AS table_name,
         (xpath('/row/c/text()', query_to_xml(
            format('SELECT count(*) AS c FROM %I.%I', n.nspname, c.relname), false, true,
            '')))[1]::text::bigint AS row_count
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'r' AND n.nspname = 'public'
) t;
SQL
    psql -X -A -t -v ON_ERROR_STOP=1 -d "$1" <<'SQL'
SELECT string_agg(format('%s %s', relname, digest), E'\n' ORDER BY relname)
FROM (
  SELECT c.relname,
         (xpath('/row/h/text()', query_to_xml(
            format('SELECT md5(coalesce(string_agg(t::text, %L ORDER BY t::text), %L)) AS h '
                   'FROM %I.%I t', E'\n', '', n.nspname, c.relname), false, true, '')))[1]::text
           AS digest
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'r' AND n.nspname = 'public'
) t;
SQL
}

live="$(fingerprint "$src")"
copy="$(fingerprint "$target")"
checksums="$(psql -X -A -t -d "$src" -c 'SHOW data_checksums')"
tables=$(printf '%s\n' "$live" | awk 'NF==2 && $2 ~ /^[0-9]+$/' | wc -l)
if [[ "$live" != "$copy" ]]; then
    echo "DRILL FAILED: the restored copy differs from the live database" >&2
    diff <(printf '%s\n' "$live") <(printf '%s\n' "$copy") >&2 || true
    exit 1
fi
size=$(stat -c %s "$dump")
printf 'drill ok: %s tables, row counts and content hashes equal; dump %s bytes in %.1f s, restore %.1f s; data_checksums=%s\n' \
    "$tables" "$size" "$(awk "BEGIN{print $dumped - $started}")" \
    "$(awk "BEGIN{print $restored - $dumped}")" \
    "$checksums"
