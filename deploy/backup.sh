#!/usr/bin/env bash
# Backs up a rectify database into DIR, as one file named for the moment it was taken:
#   backup.sh postgresql://...   DIR   ->  DIR/rectify-YYYYmmddTHHMMSS.dump   (pg_dump, custom format)
#   backup.sh /path/rectify.db   DIR   ->  DIR/rectify-YYYYmmddTHHMMSS.tar.gz (a copy of the file
#                                          by VACUUM INTO, consistent while rectify writes, and its
#                                          .files folder)
# Prints the backup's path. Restore with deploy/restore.sh. With RECTIFY_BACKUP_KEEP=N (N > 0),
# only the newest N backups in DIR are kept afterwards (by the time in their names); unset or 0
# keeps every one.
set -euo pipefail
# A backup holds households' ID numbers, phones and health notes: readable by its owner only.
umask 077

db="${1:?usage: backup.sh DB DIR}"
dir="${2:?usage: backup.sh DB DIR}"
mkdir -p "$dir"
stamp="$(date -u +%Y%m%dT%H%M%S)"

case "$db" in
  postgresql://*|postgres://*)
    out="$dir/rectify-$stamp.dump"
    # One consistent snapshot of every table, stored files (table blobs) included.
    pg_dump --format=custom --no-owner --dbname="$db" --file="$out.part"
    mv "$out.part" "$out"
    ;;
  *)
    [ -f "$db" ] || { echo "backup.sh: no database file $db" >&2; exit 1; }
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    # VACUUM INTO copies what one read transaction sees, WAL included, and writers go on
    # meanwhile. Not `.backup`: SQLite's backup API copies 100 pages at a time and starts over
    # whenever another connection writes, so under steady writes it never ends (a million
    # problems, a write every 50 ms: still copying after 120 s; VACUUM INTO took 11 s).
    sqlite3 "$db" "VACUUM INTO '$work/rectify.db'"
    # Stored files are immutable and named by their hash: copying after the snapshot can only
    # add files the snapshot does not name yet, never miss one it names.
    if [ -d "$db.files" ]; then cp -a "$db.files" "$work/rectify.db.files"; fi
    out="$dir/rectify-$stamp.tar.gz"
    tar -C "$work" -czf "$out.part" .
    mv "$out.part" "$out"
    ;;
esac
keep="${RECTIFY_BACKUP_KEEP:-0}"
case "$keep" in ''|*[!0-9]*) echo "backup.sh: RECTIFY_BACKUP_KEEP must be a number, not \"$keep\"" >&2; exit 2 ;; esac
if [ "$keep" -gt 0 ]; then
  # Names sort by their UTC time; only this script's own files are considered.
  find "$dir" -maxdepth 1 -type f \( -name 'rectify-*.dump' -o -name 'rectify-*.tar.gz' \) -printf '%f\n' |
    sort -r | tail -n +"$((keep + 1))" | while read -r old; do rm -f -- "$dir/$old"; done
fi
echo "$out"
