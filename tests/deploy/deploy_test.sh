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
