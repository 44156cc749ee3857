#!/usr/bin/env bash
# `make fuzz`: runs every libFuzzer harness built in BUILD_DIR (tests/fuzz, RECTIFY_FUZZ=ON) for
# FUZZ_SECONDS each (default 60), or only those named in FUZZ_TARGETS. Each run starts from the
# committed seeds and regressions (tests/fuzz/corpus/<target>, tests/fuzz/regressions/<target>)
# and grows a working corpus in BUILD_DIR/fuzz/corpus/<target>, kept between runs and never
# committed; tests/fuzz/dict/<target>.dict, when there is one, gives libFuzzer the tokens the
# decoder looks for. A finding (crash, sanitizer report, broken contract, leak, timeout, out of memory)
# is copied into tests/fuzz/regressions/<target>/, which `make test` replays, and the run fails
# at the end naming each one.
#   usage: scripts/fuzz.sh BUILD_DIR
set -uo pipefail

build=${1:?usage: scripts/fuzz.sh BUILD_DIR}
seconds=${FUZZ_SECONDS:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
out="$build/fuzz"

# The largest input each target is given: room for its seeds and for what the decoder really
# reads (the server takes bodies up to 1 MiB, but bugs show in kilobytes and short inputs run fast).
max_len() {
  case "$1" in
    campaign) echo 32768 ;;     # the Gaoqiao campaign file is 14 KB
    xlsx_import) echo 65536 ;;  # a small workbook is 5 KB, the packed XML grows inside
    query) echo 2048 ;;
    *) echo 16384 ;;
  esac
}

targets=()
if [ -n "${FUZZ_TARGETS:-}" ]; then
  read -r -a targets <<<"$FUZZ_TARGETS"
else
  for binary in "$build"/tests/fuzz/*_fuzz; do
    name=$(basename "$binary")
    targets+=("${name%_fuzz}")
  done
fi
[ ${#targets[@]} -gt 0 ] || { echo "fuzz: no harness built in $build/tests/fuzz" >&2; exit 1; }

summary=()
failures=()
for target in "${targets[@]}"; do
  binary="$build/tests/fuzz/${target}_fuzz"
  [ -x "$binary" ] || { echo "fuzz: no harness $binary" >&2; exit 1; }
  work="$out/corpus/$target"
  findings="$out/findings/$target"
  log="$out/$target.log"
  rm -rf "$findings"
  mkdir -p "$work" "$findings"
  options=()
  [ -f "$root/tests/fuzz/dict/$target.dict" ] && options+=(-dict="$root/tests/fuzz/dict/$target.dict")
  inputs=("$work" "$root/tests/fuzz/corpus/$target")
  [ -d "$root/tests/fuzz/regressions/$target" ] && inputs+=("$root/tests/fuzz/regressions/$target")

  echo "fuzz: $target for ${seconds}s (log: $log)"
  "$binary" -max_total_time="$seconds" -max_len="$(max_len "$target")" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$findings/" "${options[@]}" "${inputs[@]}" >"$log" 2>&1
  status=$?

  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  corpus=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<<"$last")
  coverage=$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' <<<"$last")
  found=0
  for artifact in "$findings"/crash-* "$findings"/leak-* "$findings"/timeout-* "$findings"/oom-*; do
    [ -f "$artifact" ] || continue
    found=$((found + 1))
    mkdir -p "$root/tests/fuzz/regressions/$target"
    kept="$root/tests/fuzz/regressions/$target/$(basename "$artifact")"
    cp "$artifact" "$kept"
    cause=$(grep -m1 -E 'contract broken|ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error|terminate called|SUMMARY' "$log")
    failures+=("$target: ${kept#"$root"/}: ${cause:-see $log}")
  done
  if [ "$found" -eq 0 ] && [ "$status" -ne 0 ]; then
    failures+=("$target: the harness exited with status $status and left no input (see $log)")
  fi
  summary+=("$(printf '%-16s %12s %8s %8s %9s' "$target" "${executions:-?}" "${corpus:-?}" "${coverage:-?}" "$found")")
done

echo
printf '%-16s %12s %8s %8s %9s\n' target executions corpus coverage findings
printf '%s\n' "${summary[@]}"
if [ ${#failures[@]} -gt 0 ]; then
  echo
  echo "fuzz: ${#failures[@]} failure(s); each input found is kept in tests/fuzz/regressions, which make test replays:"
  printf '  %s\n' "${failures[@]}"
  echo "reproduce one: $build/tests/fuzz/<target>_fuzz <file>   (or build/tests/fuzz/<target>_replay <file>)"
  exit 1
fi
echo "fuzz: no findings"
