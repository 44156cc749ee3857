#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests and the benchmark: initdb in DIR, listening
# only on a Unix socket in DIR (no TCP port to collide with), trust authentication for the
# cluster's own user. PostgreSQL refuses to run as root, so as root the cluster belongs to the
# `postgres` user that Debian's package creates; otherwise to whoever runs this.
#
#   pg-test-cluster.sh start DIR   initdb (first time) and start; prints the admin URL
#   pg-test-cluster.sh stop DIR    stop it (immediate) and remove DIR
#   pg-test-cluster.sh url DIR     the admin URL of a running cluster
#
# The URL is postgresql:///postgres?host=DIR&user=OWNER; a test creates its own databases.
# fsync stays on: the kill tests measure what an acknowledged write survives.
set -euo pipefail

action="${1:?usage: pg-test-cluster.sh start|stop|url DIR}"
dir="${2:?usage: pg-test-cluster.sh start|stop|url DIR}"
bin=/usr/lib/postgresql/15/bin

if [ "$(id -u)" = 0 ]; then
  owner=postgres
  as_owner() { runuser -u postgres -- "$@"; }
else
  owner="$(id -un)"
  as_owner() { "$@"; }
fi
url="postgresql:///postgres?host=${dir}&user=${owner}"

case "$action" in
  start)
    if [ ! -x "$bin/initdb" ]; then
      echo "pg-test-cluster: $bin/initdb missing: run scripts/install-deps.sh (postgresql-15)" >&2
      exit 1
    fi
    mkdir -p "$dir"
    [ "$owner" = postgres ] && chown postgres: "$dir"
    chmod 700 "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U "$owner" --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
        -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c max_connections=300" >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    fi
    # The tests' clients may run as root: let them reach the socket.
    chmod 711 "$dir"
    echo "$url"
    ;;
  stop)
    if [ -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  url)
    echo "$url"
    ;;
  *)
    echo "pg-test-cluster: unknown action $action (start, stop, url)" >&2
    exit 2
    ;;
esac
