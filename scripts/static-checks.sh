#!/usr/bin/env bash
# The static checks of `npm test` side by side (this machine has 2 cores): ESLint, Prettier and
# both type checks (`npm run lint` and `npm run typecheck` run the same ones one after another).
# Each one's output is printed when all have ended; any one failing fails the whole.
set -uo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
names=(eslint prettier tsc-server tsc-dashboard)
npx eslint . >"$dir/eslint" 2>&1 &
pids=($!)
npx prettier --check . >"$dir/prettier" 2>&1 &
pids+=($!)
npx tsc -p tsconfig.json --noEmit >"$dir/tsc-server" 2>&1 &
pids+=($!)
npx tsc -p apps/dashboard/tsconfig.json >"$dir/tsc-dashboard" 2>&1 &
pids+=($!)
failed=()
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then failed+=("${names[$i]}"); fi
  echo "--- ${names[$i]} ---"
  cat "$dir/${names[$i]}"
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "static checks failed: ${failed[*]} (npm run lint, npm run typecheck, npm run format to fix the style)" >&2
  exit 1
fi
