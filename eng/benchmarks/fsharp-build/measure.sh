#!/usr/bin/env bash
# The F# build step's cost in a real `dotnet build` of an F# project on the packed DP.Sdk (docs/benchmarks.md,
# "F# projects"): per build, MSBuild's time for the DP targets and the F# compile, and the build's wall and CPU time.
#
#   eng/benchmarks/fsharp-build/measure.sh PROJECT_DIR [RUNS]
#
# PROJECT_DIR: a built project from `dotnet new dp-experiment -lang F#` (one *.dp.yaml in it). Three kinds of build,
# RUNS (default 3) each: nothing changed; the spec touched (the task runs, its output is unchanged); a spec value edited
# (the task and the F# compile run; the edit is undone afterwards).
set -euo pipefail
project="${1:?usage: measure.sh PROJECT_DIR [RUNS]}"
runs="${2:-3}"
cd "$project"
spec="$(ls ./*.dp.yaml | head -n 1)"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| build | DP targets ms | DpGenerateFSharp ms | CoreCompile ms | wall s | cpu s |"
echo "|---|---|---|---|---|---|"

build() {
  local kind="$1" log
  log="$(mktemp)"
  /usr/bin/time -f "%e %U %S" -o "$log.time" dotnet build --no-restore -nologo -nodeReuse:false -clp:PerformanceSummary > "$log" 2>&1
  # MSBuild's target summary: "<ms> ms  <target>  <n> calls".
  ms() { awk -v t="$1" '$3 == t && $2 == "ms" { s += $1 } END { print s + 0 }' "$log"; }
  local dp=$(( $(ms _DpCollectFSharpSpecs) + $(ms DpGenerateFSharpSources) + $(ms DpAddFSharpSources) ))
  read -r wall user sys < "$log.time"
  echo "| $kind | $dp | $(ms DpGenerateFSharp) | $(ms CoreCompile) | $wall | $(echo "$user + $sys" | bc) |"
  rm -f "$log" "$log.time"
}

dotnet build --no-restore -nologo -v:q > /dev/null
for _ in $(seq "$runs"); do build "no-op"; done
for _ in $(seq "$runs"); do touch "$spec"; build "spec touched"; done
cp "$spec" "$spec.bak"
trap 'mv "$spec.bak" "$spec"' EXIT
for i in $(seq "$runs"); do
  sed -i "0,/^  max_steps: [0-9]*/s//  max_steps: $((100 + i))/" "$spec"
  build "spec value edited"
done
