#!/usr/bin/env bash
# Installs, from Debian's packages, whatever rectify needs to build and test
# and is not yet on this machine. Safe to run again: it only installs what is missing.
#   --bench  also what `make bench` needs (its load generator)
#   --fuzz   also what `make fuzz` needs (clang and its libFuzzer and sanitizer runtimes)
set -euo pipefail

fuzz=false
bench=false
for arg in "$@"; do
  case "$arg" in
    --fuzz) fuzz=true ;;
    --bench) bench=true ;;
    *) echo "install-deps: unknown option $arg (known: --fuzz, --bench)" >&2; exit 2 ;;
  esac
done

packages=(
  g++ cmake make pkg-config
  libboost-dev          # Boost.MSM (header-only)
  libsqlite3-dev sqlite3
  libpq-dev             # the PostgreSQL backend (storage/pg_db.h)
  postgresql-15         # the tests start a throwaway cluster (scripts/pg-test-cluster.sh)
  nginx                 # the tests run three instances behind deploy/nginx/rectify.conf
  systemd               # systemd-analyze verify checks deploy/systemd
  libcpp-httplib-dev
  nlohmann-json3-dev
  catch2                # v2, with CTest integration
  libcli11-dev
  libcurl4-openssl-dev  # the notifier's HTTP posts to robots and webhooks, and SMTP
  libssl-dev            # HMAC-SHA256 and base64 for DingTalk and Feishu signatures
  libsodium-dev         # argon2id password hashes, session tokens
  curl                  # used by the README's examples and smoke checks
  libxlsxwriter-dev     # the forms as XLSX (exports/)
  libminizip-dev        # reading XLSX problem lists (the zip archive)
  libexpat1-dev         # reading XLSX problem lists (the XML inside)
  zlib1g-dev            # the tests read the page's compressed files back
  prometheus-cpp-dev    # GET /metrics (ops/metrics.h): the core library's registry and text format
  python3-openpyxl      # the export tests read the XLSX back with a real reader
  prometheus            # promtool, with which the tests check GET /metrics (the package also
                        # brings a Prometheus server; on a machine with systemd it is enabled)
  chromium              # the browser tests (tests/browser), headless
  fonts-wqy-microhei    # Chinese glyphs in the browser tests' screenshots
)
# clang's -fsanitize=fuzzer links libclang_rt.fuzzer from libclang-rt-14-dev, beside the
# ASan and UBSan runtimes; libfuzzer-14-dev (a second, standalone libFuzzer.a) is not needed.
if $fuzz; then
  packages+=(clang-14 libclang-rt-14-dev)
fi
if $bench; then packages+=(wrk); fi  # make bench's keep-alive load generator
# Node.js drives the browser tests. A machine may have it from elsewhere (with its own npm):
# Debian's packages are added only when the commands are missing.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# playwright-core, exactly as tests/browser/package-lock.json pins it (npm is for the browser
# tests' tooling only; it uses the system's Chromium and downloads no browser). `npm ci` runs
# only when node_modules is missing or older than the lockfile.
browser_tests="$(dirname "$0")/../tests/browser"
installed="$browser_tests/node_modules/.package-lock.json"
if [ ! -f "$installed" ] || [ "$browser_tests/package-lock.json" -nt "$installed" ]; then
  echo "install-deps: npm ci in tests/browser"
  (cd "$browser_tests" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi
