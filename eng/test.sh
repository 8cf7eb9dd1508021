#!/usr/bin/env bash
# Runs the whole test suite (restore, build, test) and ends with one line "N passed, N failed, N skipped"
# summed from the real TRX results of every test project.
set -uo pipefail
cd "$(dirname "$0")/.."
# libtorch's OpenMP threads busy-wait by default; with several test hosts on 2 cores that slows tiny models
# 30-40x. The variable must be in the environment before libtorch loads, so it is set here for the test hosts.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
results="artifacts/test-results"
rm -rf "$results"
dotnet test DP.Sdk.sln -c Release --logger "trx" --results-directory "$results" "$@"
rc=$?
passed=0; failed=0; skipped=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or the test host failed before any test could report: count that as a failure.
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$rc"
