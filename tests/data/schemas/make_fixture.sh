#!/usr/bin/env bash
# Makes tests/data/schemas/kithbook-<revision>.db with the Kithbook of the current
# checkout. Run it once per released schema version, at the commit that released it,
# and commit the file: the fixture must be written by that version, not by a newer one.
#   PYTHONPATH=src bash tests/data/schemas/make_fixture.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
kb() { python3 -m kithbook --db "$work/f.db" --as-of 2026-11-27 "$@"; }
kb demo --size 40 --seed 3 >/dev/null
kb add person "Fixture Dupe" --email fixture.dupe@example.com >/dev/null
kb add person "Fixture Dupe Two" --email fixture.dupe2@example.com >/dev/null
kb merge "Fixture Dupe" "Fixture Dupe Two" >/dev/null
kb add person "Fixture Trashed" --email trashed@example.com >/dev/null
kb delete "Fixture Trashed" >/dev/null
kb log --with "Fixture Dupe" --channel call --summary "fixture call" >/dev/null
kb promise "send the fixture deck" --to "Fixture Dupe" --due 2026-12-01 >/dev/null
kb note "Fixture Dupe" "a fixture note" >/dev/null
kb import "$here/../vcards/rfc6350-example.vcf" >/dev/null
rev="$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select version_num from alembic_version').fetchone()[0])" "$work/f.db")"
python3 - "$work/f.db" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
con.execute("VACUUM")
con.execute("PRAGMA journal_mode=DELETE")
con.close()
PY
cp "$work/f.db" "$here/kithbook-$rev.db"
echo "wrote $here/kithbook-$rev.db"
