#!/usr/bin/env bash
# Every jest suite, in two jest runs side by side (this machine has 2 cores):
# - a pool of two workers: the fuzz suite's four files (test/fuzz-*.e2e-spec.ts) and the other
#   CPU-bound suites that use no shared service (each its own temporary SQLite files, no
#   PostgreSQL, broker or browser): POOLED below;
# - all the others in band (those that share PostgreSQL, the Kafka broker or Chromium take turns
#   there); they wait on those services often enough for three processes to keep two cores busy.
# The pool's report is printed when it ends; either run failing fails the whole. `npx jest <path>`
# still runs any one suite alone.
set -uo pipefail
cd "$(dirname "$0")/.."
# one dashboard build from these sources for every suite (see test/support/dashboard-build.ts)
npm run --silent build:dashboard || exit 1
export DASHBOARD_BUILT_FOR_TESTS=1
POOLED='test/fuzz-.*\.e2e-spec\.ts|test/(readiness|projector-crash|import|export|segment|identity|customer-search|ingestion|definitions)\.e2e-spec\.ts|libs/projections/src/(sqlite/parallel-rebuild|as-of/as-of-snapshots)\.spec\.ts|libs/platform/src/followers/projector-thread\.spec\.ts'
pool_log=$(mktemp)
trap 'rm -f "$pool_log"' EXIT
npx jest --maxWorkers=2 --testSequencer ./test/support/pool-sequencer.js "$POOLED" >"$pool_log" 2>&1 &
pool=$!
trap 'kill "$pool" 2>/dev/null; rm -f "$pool_log"' EXIT
npx jest --runInBand --testPathIgnorePatterns "$POOLED"
rest=$?
wait "$pool"
pool_status=$?
echo "--- the fuzz suite and the pooled suites (run beside the others) ---"
cat "$pool_log"
if [ "$rest" -ne 0 ] || [ "$pool_status" -ne 0 ]; then
  echo "tests failed: the suites in band exited $rest, the pool (fuzz suite and pooled suites) $pool_status" >&2
  exit 1
fi
