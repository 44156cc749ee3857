#!/usr/bin/env bash
# Exercises deploy/: the PostgreSQL set-up, backup and restore on both databases, moving the demo
# database to PostgreSQL, and the systemd units (systemd-analyze verify). Run by CTest with the
# PostgreSQL test cluster's admin URL in RECTIFY_TEST_PG_URL and the binary in RECTIFY.
set -euo pipefail

src="$(cd "$(dirname "$0")/../.." && pwd)"
rectify="${RECTIFY:?the rectify binary}"
admin="${RECTIFY_TEST_PG_URL:?the test cluster admin URL}"
work="$(mktemp -d)"
suffix="$$"
cleanup() {
  for db in "rectify_deploy_$suffix" "rectify_restore_$suffix"; do
    psql "$admin" -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAILED: $*" >&2; exit 1; }
url_of() { printf '%s' "$admin" | sed -E "s#^(postgres(ql)?://[^/]*/)[^?]*#\1$1#"; }
head_of() { "$rectify" audit verify --db "$1" | sed -n 's/^head hash: \([0-9a-f]*\).*/\1/p'; }

# 1. The demo database, as `make demo` builds it, with its head hash to compare everything with.
(cd "$src" && "$rectify" demo --db "$work/demo.db" --no-serve >/dev/null)
head="$(head_of "$work/demo.db")"
[ ${#head} = 64 ] || fail "no head hash from the demo database"

# 2. SQLite backup and restore: the restored file holds the same chain.
sqlite_backup="$("$src/deploy/backup.sh" "$work/demo.db" "$work/backups")"
[ -f "$sqlite_backup" ] || fail "backup.sh made no file"
RECTIFY="$rectify" "$src/deploy/restore.sh" "$sqlite_backup" "$work/restored/rectify.db" >/dev/null
[ "$(head_of "$work/restored/rectify.db")" = "$head" ] || fail "the restored SQLite chain differs"
if RECTIFY="$rectify" "$src/deploy/restore.sh" "$sqlite_backup" "$work/restored/rectify.db" >/dev/null 2>&1; then
  fail "restore.sh overwrote an existing database"
fi

# A backup holds personal data: its owner's alone, whatever the umask.
[ "$(umask 022; stat -c %a "$sqlite_backup")" = 600 ] || fail "the backup is not mode 600: $(stat -c %a "$sqlite_backup")"
# restore.sh finds rectify before it restores anything.
if RECTIFY="$work/no-such-rectify" "$src/deploy/restore.sh" "$sqlite_backup" "$work/restored-2/rectify.db" >/dev/null 2>&1 ||
   [ -e "$work/restored-2/rectify.db" ]; then
  fail "restore.sh restored without a rectify to check the chain"
fi
# RECTIFY_BACKUP_KEEP keeps the newest backups only.
for stamp in 20211001T010000 20211002T010000 20211003T010000; do
  : >"$work/backups/rectify-$stamp.tar.gz"
done
: >"$work/backups/notes.txt"
kept="$(RECTIFY_BACKUP_KEEP=2 "$src/deploy/backup.sh" "$work/demo.db" "$work/backups")"
left="$(ls "$work/backups" | tr '\n' ' ')"
[ "$(ls "$work/backups" | grep -c '^rectify-')" = 2 ] || fail "RECTIFY_BACKUP_KEEP=2 left: $left"
[ -f "$kept" ] || fail "the newest backup was removed: $left"
[ ! -e "$work/backups/rectify-20211001T010000.tar.gz" ] || fail "the oldest backup was kept: $left"
[ -f "$work/backups/notes.txt" ] || fail "a file not made by backup.sh was removed"

# 2b. A backup ends while another connection writes all the time, and holds a whole snapshot.
# (SQLite's backup API, which backup.sh used first, starts over after every write of another
# connection: on a 40 MB file and a write every 2 ms it never ended.)
cp "$work/demo.db" "$work/busy.db"
sqlite3 "$work/busy.db" "CREATE TABLE filler (id INTEGER PRIMARY KEY, bytes BLOB);
  WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 10000)
  INSERT INTO filler SELECT x, randomblob(4000) FROM n;
  CREATE TABLE writes (n INTEGER); INSERT INTO writes VALUES (0);"
python3 - "$work/busy.db" <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
for _ in range(100000):  # killed once the backup is done; a bound in case it is not
    db.execute("UPDATE writes SET n = n + 1")
    time.sleep(0.002)
PY
writer=$!
until [ "$(sqlite3 "$work/busy.db" "SELECT n > 0 FROM writes")" = 1 ]; do
  kill -0 "$writer" 2>/dev/null || fail "the writer did not start"
  sleep 0.05
done
busy_backup="$(timeout 60 "$src/deploy/backup.sh" "$work/busy.db" "$work/busy-backups")" ||
  { kill "$writer"; fail "backup.sh did not end within 60 s while another connection wrote"; }
kill -0 "$writer" 2>/dev/null || fail "the writer stopped before the backup ended: nothing was tested"
kill "$writer"; wait "$writer" 2>/dev/null || true
RECTIFY="$rectify" "$src/deploy/restore.sh" "$busy_backup" "$work/busy-restored/rectify.db" >/dev/null
[ "$(head_of "$work/busy-restored/rectify.db")" = "$head" ] || fail "the chain restored from a busy backup differs"
[ "$(sqlite3 "$work/busy-restored/rectify.db" "SELECT count(*), min(n) > 0 FROM filler, writes")" = "10000|1" ] ||
  fail "the busy backup is not the whole snapshot"

# 3. The PostgreSQL set-up: a role and its database, twice (it must be safe to run again).
RECTIFY_ROLE="rectify_deploy" RECTIFY_DATABASE="rectify_deploy_$suffix" "$src/deploy/postgresql/setup.sh" "$admin" >/dev/null
RECTIFY_ROLE="rectify_deploy" RECTIFY_DATABASE="rectify_deploy_$suffix" "$src/deploy/postgresql/setup.sh" "$admin" >/dev/null
owner="$(psql "$admin" -At -c "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'rectify_deploy_$suffix'")"
[ "$owner" = rectify_deploy ] || fail "setup.sh: the database is owned by '$owner'"

# 4. Moving the demo to PostgreSQL, connected as the deployment's own role (not the superuser).
as_role="$(url_of "rectify_deploy_$suffix" | sed -E 's/user=[^&]*/user=rectify_deploy/')"
"$rectify" migrate-db --from "$work/demo.db" --to "$as_role" >/dev/null
[ "$(head_of "$as_role")" = "$head" ] || fail "the migrated chain differs"

# 5. PostgreSQL backup and restore into an empty database.
pg_backup="$("$src/deploy/backup.sh" "$as_role" "$work/backups")"
psql "$admin" -q -c "CREATE DATABASE rectify_restore_$suffix" >/dev/null
RECTIFY="$rectify" "$src/deploy/restore.sh" "$pg_backup" "$(url_of "rectify_restore_$suffix")" >/dev/null
[ "$(head_of "$(url_of "rectify_restore_$suffix")")" = "$head" ] || fail "the restored PostgreSQL chain differs"
items="$(psql "$(url_of "rectify_restore_$suffix")" -At -c "SELECT count(*) FROM items")"
[ "$items" = 27 ] || fail "the restored database holds $items items, not 27"

# 6. The systemd units, with the paths of this checkout.
mkdir -p "$work/units"
sed "s#/usr/local/bin/rectify#$rectify#" "$src/deploy/systemd/rectify@.service" >"$work/units/rectify@.service"
sed "s#/usr/local/lib/rectify/backup.sh#$src/deploy/backup.sh#" "$src/deploy/systemd/rectify-backup.service" \
  >"$work/units/rectify-backup.service"
cp "$src/deploy/systemd/rectify-backup.timer" "$work/units/"
systemd-analyze verify "$work/units/rectify@8081.service" "$work/units/rectify-backup.service" \
  "$work/units/rectify-backup.timer" || fail "systemd-analyze verify"

echo "deploy: set-up, backup and restore (SQLite and PostgreSQL), migrate-db and the units: all checked"
