#!/usr/bin/env bash
# Creates rectify's role and database on a PostgreSQL 15 server, run as its superuser:
#   sudo -u postgres deploy/postgresql/setup.sh                  (the local server, via its socket)
#   deploy/postgresql/setup.sh 'postgresql:///postgres?host=…'   (any server, by an admin URL)
# ROLE and DATABASE default to "rectify" (RECTIFY_ROLE, RECTIFY_DATABASE to change them). The
# role logs in over the Unix socket (peer authentication for a system user of the same name) or
# with a password you set afterwards (ALTER ROLE … PASSWORD). rectify creates its tables on first
# start; the trigram extension its search needs is created here, where a superuser runs.
set -euo pipefail

admin="${1:-postgresql:///postgres}"
role="${RECTIFY_ROLE:-rectify}"
database="${RECTIFY_DATABASE:-rectify}"

psql "$admin" -v ON_ERROR_STOP=1 -q <<SQL
SELECT 'CREATE ROLE "$role" LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role')\gexec
SELECT 'CREATE DATABASE "$database" OWNER "$role" ENCODING ''UTF8'' TEMPLATE template0'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$database')\gexec
SQL
db_url="$(printf '%s' "$admin" | sed -E "s#^(postgres(ql)?://[^/]*/)[^?]*#\1$database#")"
psql "$db_url" -v ON_ERROR_STOP=1 -q -c "SET client_min_messages = warning" -c "CREATE EXTENSION IF NOT EXISTS pg_trgm"
echo "rectify database $database owned by $role: $db_url"
