#!/usr/bin/env bash
# Builds everything and runs the whole test suite (lit: IR tests, GoogleTest
# unit tests, end-to-end tests natively and under qemu-user).
# Ends with one line: "check-edge: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${EDGE_BUILD_DIR:-$root/build}"
bash "$root/scripts/build.sh" all EdgeUnitTests edge-e2e-models || exit 1
if [ ! -f "$root/../shared/models/manifest.json" ]; then
  echo "note: ../shared/models not found; the reference-model tests are skipped (UNSUPPORTED)"
fi
log="$build/test-log.txt"
/usr/lib/llvm-22/bin/lit -sv "$build/test" "$build/test/unit" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# lit's summary lines look like "  Passed: 21 (95.45%)".
count() {
  local n
  n=$(grep -E "^ *$1 *: *[0-9]+" "$log" | head -1 | sed -E 's/^[^:]*: *([0-9]+).*/\1/')
  echo "${n:-0}"
}
passed=$(count Passed)
failed=$(( $(count Failed) + $(count Unresolved) + $(count 'Timed Out') + $(count 'Unexpectedly Passed') ))
skipped=$(count Unsupported)
echo "check-edge: $passed passed, $failed failed, $skipped skipped"
exit "$status"
