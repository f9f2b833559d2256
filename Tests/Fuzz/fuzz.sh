#!/usr/bin/env bash
# Builds and runs the fuzz targets (Tests/Fuzz/README.md). Called by the Makefile:
#
#   fuzz.sh build     build every target (libFuzzer + AddressSanitizer) into $FUZZ_SCRATCH
#   fuzz.sh run       fuzz each target for $FUZZ_SECONDS s from its committed corpus and
#                     dictionary; new inputs go to $FUZZ_OUT/corpus/<target>, crashes to
#                     $FUZZ_OUT/artifacts/<target>; prints executions and coverage per target
#   fuzz.sh smoke     replay every committed corpus and regression file, then each target for
#                     a fixed number of executions with -seed=1; fails on any crash
#   fuzz.sh seeds     regenerate the committed seed corpora (Tests/Fuzz/corpus/<target>)
#
# Environment (the Makefile sets these): SWIFT, FUZZ_SCRATCH, FUZZ_CONFIG (debug|release),
# FUZZ_OUT, FUZZ_SECONDS, FUZZ_TARGETS, FUZZ_ARGS (extra libFuzzer flags), FUZZ_SMOKE_RUNS
# ("cabi=N config=N ..." overrides).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
SWIFT="${SWIFT:-swift}"
FUZZ_SCRATCH="${FUZZ_SCRATCH:-$repo/.build-fuzz}"
FUZZ_CONFIG="${FUZZ_CONFIG:-debug}"
FUZZ_OUT="${FUZZ_OUT:-$FUZZ_SCRATCH/out}"
FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
FUZZ_TARGETS="${FUZZ_TARGETS:-cabi config airbyte footer arrow}"
FUZZ_ARGS="${FUZZ_ARGS:-}"
FUZZ_SMOKE_RUNS="${FUZZ_SMOKE_RUNS:-}"

# Executions per target in the smoke run, about 2 minutes in all on 2 cores (debug build,
# measured with other builds running; see README.md). FUZZ_SMOKE_RUNS overrides, e.g. "cabi=500".
declare -A smoke_runs=([cabi]=4000 [config]=120000 [airbyte]=80000 [footer]=50000 [arrow]=3000)
for pair in $FUZZ_SMOKE_RUNS; do smoke_runs[${pair%%=*}]=${pair#*=}; done

# The Swift runtime's crash backtracer would take over a crash before libFuzzer saves the
# input (and can hang with ASan); libFuzzer and ASan report crashes themselves.
export SWIFT_BACKTRACE=enable=no

case "$FUZZ_CONFIG" in
  debug)   config_flags=(-c debug) ;;
  # -O for 2-4x the executions, with what a debug build checks kept on: assert() and
  # unsafelyUnwrapped (-assert-config Debug), #if DEBUG checks (-DDEBUG), @testable (-enable-testing).
  release) config_flags=(-c release -Xswiftc -enable-testing -Xswiftc -assert-config -Xswiftc Debug -Xswiftc -DDEBUG) ;;
  *) echo "FUZZ_CONFIG must be debug or release, not '$FUZZ_CONFIG'" >&2; exit 2 ;;
esac
bin="$FUZZ_SCRATCH/$FUZZ_CONFIG"
# Per-input timeout (a hang is a finding), and libFuzzer's memory limit (a malloc over it is one).
common=(-timeout=25 -rss_limit_mb=3072 -print_final_stats=1)

build() {
  # Swift code: -Xswiftc -sanitize=fuzzer,address (coverage + ASan). `--sanitize=fuzzer
  # --sanitize=address` would keep only the last one and silently drop the coverage.
  # C code (the compression shims, CParquetABISupport): --sanitize=address, ASan only.
  # Linked with the toolchain's lld: gold prints a warning per ASan helper symbol (hundreds).
  "$SWIFT" build --package-path "$here" --scratch-path "$FUZZ_SCRATCH" "${config_flags[@]}" \
    --sanitize=address -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
}

binary() {
  local path="$bin/fuzz-$1"
  [[ -x "$path" ]] || { echo "missing $path: run 'make fuzz' or '$0 build' first" >&2; exit 2; }
  echo "$path"
}

# "execs exec/s cov ft corpus" from a libFuzzer log (its last status line and final stats).
stats() {
  local log="$1" execs rate cov ft corp
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  corp=$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1 | cut -d' ' -f2)
  echo "${execs:--} ${rate:--} ${cov:--} ${ft:--} ${corp:--}"
}

# The crash artifact a log names, if any.
artifact() { sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$1" | tail -1; }

summary_header() { printf '\n%-8s %-6s %10s %8s %7s %8s %12s  %s\n' target status executions exec/s cov ft corpus artifact; }
summary_line() {
  local target="$1" status="$2" log="$3"
  read -r execs rate cov ft corp <<<"$(stats "$log")"
  printf '%-8s %-6s %10s %8s %7s %8s %12s  %s\n' "$target" "$status" "$execs" "$rate" "$cov" "$ft" "$corp" "$(artifact "$log")"
}

run() {
  local failed=0 lines=() target log status
  mkdir -p "$FUZZ_OUT/logs"
  for target in $FUZZ_TARGETS; do binary "$target" >/dev/null || exit 2; done
  for target in $FUZZ_TARGETS; do
    mkdir -p "$FUZZ_OUT/corpus/$target" "$FUZZ_OUT/artifacts/$target"
    log="$FUZZ_OUT/logs/$target.log"
    echo "== fuzz-$target for ${FUZZ_SECONDS}s (log: $log)"
    status=ok
    # The first directory gets the new inputs; the committed corpus is only read.
    # shellcheck disable=SC2086
    "$(binary "$target")" "$FUZZ_OUT/corpus/$target" "$here/corpus/$target" \
      -dict="$here/dicts/$target.dict" -max_total_time="$FUZZ_SECONDS" \
      -artifact_prefix="$FUZZ_OUT/artifacts/$target/" "${common[@]}" $FUZZ_ARGS >"$log" 2>&1 || status=CRASH
    [[ $status == ok ]] || failed=1
    grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)' "$log" | sed 's/^/   /' || true
    lines+=("$target $status $log")
  done
  summary_header
  for line in "${lines[@]}"; do summary_line $line; done
  if ((failed)); then
    echo
    echo "A target crashed: its log ends with the report; replay with '$bin/fuzz-<target> <artifact>'."
    echo "Add the minimised input (-minimize_crash=1 -runs=10000 <artifact>) under Tests/Fuzz/regressions/<target>/."
  fi
  return $failed
}

smoke() {
  local failed=0 lines=() target log status work files
  mkdir -p "$FUZZ_OUT/logs"
  for target in $FUZZ_TARGETS; do binary "$target" >/dev/null || exit 2; done
  for target in $FUZZ_TARGETS; do
    # 1. Every committed input, once each (files as arguments: replayed, never written to).
    mapfile -t files < <(find "$here/corpus/$target" "$here/regressions/$target" -type f 2>/dev/null | sort)
    log="$FUZZ_OUT/logs/$target-replay.log"
    echo "== fuzz-$target: replaying ${#files[@]} corpus and regression inputs"
    if ((${#files[@]})) && ! "$(binary "$target")" "${common[@]}" "${files[@]}" >"$log" 2>&1; then
      echo "   FAILED: $(grep -m1 -E 'Running: ' "$log" | tail -1) ... see $log"
      tail -40 "$log"
      failed=1
      continue
    fi
    # 2. A short deterministic fuzzing run from the corpus, into a throwaway directory.
    work="$FUZZ_OUT/smoke/$target"
    rm -rf "$work" && mkdir -p "$work/corpus" "$work/artifacts"
    log="$FUZZ_OUT/logs/$target-smoke.log"
    echo "== fuzz-$target: ${smoke_runs[$target]} executions, -seed=1"
    status=ok
    "$(binary "$target")" "$work/corpus" "$here/corpus/$target" -dict="$here/dicts/$target.dict" \
      -runs="${smoke_runs[$target]}" -seed=1 -artifact_prefix="$work/artifacts/" "${common[@]}" >"$log" 2>&1 || status=CRASH
    if [[ $status != ok ]]; then
      failed=1
      grep -v '^    #' "$log" | tail -40
    fi
    lines+=("$target $status $log")
  done
  if ((${#lines[@]})); then
    summary_header
    for line in "${lines[@]}"; do summary_line $line; done
  fi
  return $failed
}

seeds() {
  local target
  for target in $FUZZ_TARGETS; do
    echo "== seeds of fuzz-$target -> Tests/Fuzz/corpus/$target"
    PARQUET_FUZZ_WRITE_SEEDS="$here/corpus/$target" "$(binary "$target")"
  done
}

case "${1:-}" in
  build) build ;;
  run) run ;;
  smoke) smoke ;;
  seeds) seeds ;;
  *) echo "usage: $0 build|run|smoke|seeds" >&2; exit 2 ;;
esac
