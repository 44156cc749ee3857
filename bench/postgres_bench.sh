#!/usr/bin/env bash
# make bench, PostgreSQL part: transitions (POST /api/problems/{id}/events with a progress note,
# bench/post_events.lua, as in the SQLite figures) at 8 and 32 clients, against one and three
# `rectify serve` instances behind nginx (deploy/nginx/rectify.conf) on one PostgreSQL 15 cluster
# on this machine (scripts/pg-test-cluster.sh: fsync and synchronous_commit on, as deployed).
# The data: bench's generated problems (rectify_bench --generate), moved with rectify migrate-db.
#   bench/postgres_bench.sh BUILD_DIR RESULTS_DIR [SECONDS]
set -euo pipefail

build="${1:?usage: postgres_bench.sh BUILD_DIR RESULTS_DIR [SECONDS]}"
results="${2:?usage: postgres_bench.sh BUILD_DIR RESULTS_DIR [SECONDS]}"
seconds="${3:-8}"
src="$(cd "$(dirname "$0")/.." && pwd)"
rectify="$build/app/rectify"
campaign="$src/workflows/gaoqiao-2021-autumn.json"
work="$(mktemp -d /tmp/rectify-bench-pg.XXXXXX)"
chmod 755 "$work"
cluster="$work/cluster"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$src/scripts/pg-test-cluster.sh" stop "$cluster" >/dev/null 2>&1 || true
  if [ -n "${KEEP_BENCH_WORK:-}" ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

admin="$("$src/scripts/pg-test-cluster.sh" start "$cluster")"
psql "$admin" -q -c "CREATE DATABASE bench"
url="$(printf '%s' "$admin" | sed -E 's#^(postgresql://[^/]*/)[^?]*#\1bench#')"
# Enough problems that one unit has 512 being rectified: each wrk thread cycles through its half,
# so two requests in flight never note progress on the same item (that would be a 409, rightly).
"$build/bench/rectify_bench" --generate "$work/bench.sqlite" --items 24000 >/dev/null
"$rectify" migrate-db --from "$work/bench.sqlite" --to "$url" >/dev/null
unit="$(psql "$url" -At -c "SELECT unit FROM items WHERE state = 'rectifying' GROUP BY unit ORDER BY count(*) DESC LIMIT 1")"
ids="$(psql "$url" -At -c "SELECT string_agg(id::text, ',') FROM (SELECT id FROM items WHERE state = 'rectifying' AND unit = '$unit' ORDER BY id LIMIT 512) AS chosen")"
echo "bench items: $(printf '%s' "$ids" | tr ',' '\n' | wc -l) problems of $unit, being rectified"
password="bench-password-$$-long"
printf '%s\n' "$password" | "$rectify" user add --db "$url" --username bench.member --town gaoqiao --unit "$unit" \
  --role unit_member --password-stdin >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 200); do curl -fs "http://127.0.0.1:$1/api/health" >/dev/null && return 0; sleep 0.05; done; return 1; }
# Until the instance's first notifier pass is done: it records the warning tiers of thousands of
# overdue items in pages of writes, which the measured writes would otherwise queue behind (and
# conflict with: 409). The figures are of the steady state.
wait_for_pass() {
  for _ in $(seq 1200); do
    curl -fs "http://127.0.0.1:$1/api/health" |
      python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["notifier"]["last_pass"] else 1)' && return 0
    sleep 0.1
  done
  echo "postgres_bench: no notifier pass on port $1 in 120 s" >&2
  return 1
}

start_instances() {  # N: starts N instances and nginx in front; sets nginx_port
  local n="$1" ports=() i
  for i in $(seq "$n"); do
    local port; port="$(free_port)"
    "$rectify" serve --db "$url" --campaign "$campaign" --port "$port" --now 2021-10-25T09:00 \
      --trusted-proxy 127.0.0.1 --max-connections-per-address 0 >"$work/instance-$n-$i.log" 2>&1 &
    pids+=($!)
    ports+=("$port")
  done
  for port in "${ports[@]}"; do wait_for "$port"; done
  for port in "${ports[@]}"; do wait_for_pass "$port"; done
  nginx_port="$(free_port)"
  local prefix="$work/nginx-$n"
  mkdir -p "$prefix"
  {
    echo "upstream rectify {"
    for port in "${ports[@]}"; do echo "    server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"; done
    echo "    keepalive 64;"
    echo "}"
    # Plain HTTP on loopback: the redirecting server and the certificate lines go.
    sed -n '/^# -- plain HTTP: redirect only --/,$p' "$src/deploy/nginx/rectify.conf" |
      sed '/^# -- plain HTTP: redirect only --/,/^# -- end of plain HTTP --/d; /ssl_certificate/d' |
      sed "s/listen 443 ssl;/listen 127.0.0.1:$nginx_port;/"
  } >"$prefix/site.conf"
  cat >"$prefix/nginx.conf" <<CONF
worker_processes 1;
pid $prefix/nginx.pid;
error_log $prefix/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $prefix/body;
  proxy_temp_path $prefix/proxy;
  fastcgi_temp_path $prefix/fastcgi;
  uwsgi_temp_path $prefix/uwsgi;
  scgi_temp_path $prefix/scgi;
  include $prefix/site.conf;
}
CONF
  /usr/sbin/nginx -p "$prefix" -c "$prefix/nginx.conf"
  wait_for "$nginx_port"
}

stop_instances() {
  /usr/sbin/nginx -p "$work/nginx-$1" -c "$work/nginx-$1/nginx.conf" -s stop 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
}

rows=()
echo "| PostgreSQL 15, transitions through nginx | result | detail |"
echo "|---|---|---|"
for instances in 1 3; do
  start_instances "$instances"
  token="$(curl -fs -X POST "http://127.0.0.1:$nginx_port/api/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"bench.member\",\"password\":\"$password\",\"session\":\"bearer\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
  for clients in 8 32; do
    threads=2
    line="$(wrk --timeout 5s -t "$threads" -c "$clients" -d "${seconds}s" -s "$src/bench/post_events.lua" \
      "http://127.0.0.1:$nginx_port" -- "$token" "$ids" "$threads" 2>&1 | grep '^{"requests"')"
    row="$(python3 - "$instances" "$clients" "$line" <<'PY'
import json, sys
instances, clients, figures = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
per_second = figures["requests"] / (figures["duration_us"] / 1e6)
errors = figures["socket_errors"] + figures["non_2xx"]
print(json.dumps({"instances": instances, "clients": clients, "per_second": round(per_second, 1),
                  "p50_ms": figures["p50_us"] / 1000, "p99_ms": figures["p99_us"] / 1000,
                  "max_ms": figures["max_us"] / 1000, "requests": figures["requests"], "errors": errors}))
PY
)"
    rows+=("$row")
    python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print("| transitions, %d instance%s, %d clients | %7.0f /s | p50 %.2f ms, p99 %.2f ms, max %.1f ms, %d requests, %d errors |" % (r["instances"], "" if r["instances"]==1 else "s", r["clients"], r["per_second"], r["p50_ms"], r["p99_ms"], r["max_ms"], r["requests"], r["errors"]))' "$row"
  done
  stop_instances "$instances"
  # What the instances answered other than 200 (wrk counts them as errors), from their JSON logs.
  other="$(grep -ho '"status":[0-9]*' "$work"/instance-"$instances"-*.log | grep -v ':200$' | sort | uniq -c | tr -s ' ' | paste -sd, - || true)"
  [ -z "$other" ] || echo "  ($instances instance(s): answers other than 200 in the logs:$other)"
done

mkdir -p "$results"
out="$results/postgres-$(date -u +%Y%m%dT%H%M%S).json"
{
  echo "{\"machine\": \"$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r)\","
  echo " \"postgresql\": \"$(psql "$admin" -At -c 'SHOW server_version')\", \"seconds\": $seconds,"
  echo " \"load_generator\": \"wrk (Debian), bench/post_events.lua, 2 threads\","
  echo " \"transitions\": [$(IFS=,; echo "${rows[*]}")]}"
} >"$out"
echo "rectify bench (PostgreSQL): figures written to $out"
