#!/usr/bin/env bash
# Restores a backup made by deploy/backup.sh:
#   restore.sh rectify-….dump    postgresql://…/EMPTY_DB   (pg_restore into an empty database)
#   restore.sh rectify-….tar.gz  /path/rectify.db          (refuses to overwrite an existing file)
# Then checks the audit chain with `rectify audit verify` (RECTIFY, default: rectify on PATH).
set -euo pipefail

backup="${1:?usage: restore.sh BACKUP TARGET}"
target="${2:?usage: restore.sh BACKUP TARGET}"
rectify="${RECTIFY:-rectify}"
# The check runs last: find the program before anything is restored, not after.
command -v "$rectify" >/dev/null ||
  { echo "restore.sh: no rectify program at \"$rectify\": put it on PATH or set RECTIFY=/path/to/rectify" >&2; exit 2; }

case "$backup" in
  *.dump)
    case "$target" in postgresql://*|postgres://*) ;; *) echo "restore.sh: a .dump restores into a postgresql:// URL" >&2; exit 2 ;; esac
    # --single-transaction: a failed restore leaves the database as it was.
    pg_restore --no-owner --single-transaction --exit-on-error --dbname="$target" "$backup"
    ;;
  *.tar.gz)
    [ -e "$target" ] && { echo "restore.sh: $target exists: restore into a new path" >&2; exit 1; }
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    tar -C "$work" -xzf "$backup"
    mkdir -p "$(dirname "$target")"
    if [ -d "$work/rectify.db.files" ]; then mv "$work/rectify.db.files" "$target.files"; fi
    mv "$work/rectify.db" "$target"
    ;;
  *)
    echo "restore.sh: unknown backup $backup (.dump or .tar.gz)" >&2
    exit 2
    ;;
esac
"$rectify" audit verify --db "$target"
