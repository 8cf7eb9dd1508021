#!/usr/bin/env bash
# Training steps of several variants side by side: `speed --one METHOD bfloat16 --no-dropout` once per variant and
# method, the variants alternating within each round, first on the machine as it is ("as-is"), then with LOAD extra
# busy loops ("loaded"). Prints the load average with every result: on a shared machine a figure means nothing
# without it. Usage, after a Release build of tests/DP.Benchmarks:
#   VARIANTS="passive=OMP_WAIT_POLICY=PASSIVE spin@/tmp/other-build=GOMP_SPINCOUNT=10000" \
#     eng/benchmarks/speed/side-by-side.sh [ROUNDS=2] [STEPS=8] [LOAD=2]
# A variant is NAME[@BINDIR]=ENV: an empty ENV runs with nothing set (the runtime's own choice); BINDIR is another
# build's output folder (a change measured against the build before it), default this tree's Release build.
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROUNDS=${1:-2}; STEPS=${2:-8}; LOAD=${3:-2}
DEFAULT_BIN=$(dirname "$(ls tests/DP.Benchmarks/bin/Release/net*/DP.Benchmarks | head -1)")
VARIANTS=${VARIANTS:-"runtime= passive=OMP_WAIT_POLICY=PASSIVE active=OMP_WAIT_POLICY=ACTIVE"}
METHODS=${METHODS:-"prompt dp-ins-pos"}
LOADS=${LOADS:-"as-is loaded"}
busy=()
stop_load() { for p in "${busy[@]}"; do kill "$p" 2>/dev/null || true; done; busy=(); }
trap stop_load EXIT; trap 'exit 1' INT TERM
echo "# $(lscpu | sed -n 's/^Model name: *//p') (family $(lscpu | sed -n 's/^CPU family: *//p'), model $(lscpu | sed -n 's/^Model: *//p')), $(nproc) cpus; $(date -u +%FT%TZ)"
for round in $(seq "$ROUNDS"); do
  for load in $LOADS; do
    if [ "$load" = loaded ]; then for _ in $(seq "$LOAD"); do yes >/dev/null & busy+=($!); done; sleep 2; fi
    for variant in $VARIANTS; do
      head=${variant%%=*}; envs=${variant#*=}; name=${head%%@*}; bin=$DEFAULT_BIN
      [ "$head" != "$name" ] && bin=${head#*@}
      for method in $METHODS; do
        before=$(cut -d' ' -f1 /proc/loadavg)
        line=$(env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT ${envs//,/ } "$bin/DP.Benchmarks" speed --one "$method" bfloat16 \
          --steps "$STEPS" --threads 2 --no-dropout | grep '^RESULT ' | sed 's/^RESULT //')
        field() { echo "$line" | grep -oE "\"$1\":[0-9.eE+-]+" | cut -d: -f2 || echo 0; }
        printf "round %s %-6s %-10s %-11s %.3f s/step %.3f CPU s/step %6.1f GFLOP/s %5.1f%% of GEMM peak  load %s -> %s\n" \
          "$round" "$load" "$name" "$method" "$(field SecondsPerStep)" "$(field CpuSecondsPerStep)" "$(field AchievedGFlops)" \
          "$(echo "$(field AchievedGFlops) $(field PeakGFlops)" | awk '{ if ($2 > 0) print 100 * $1 / $2; else print 0 }')" \
          "$before" "$(cut -d' ' -f1 /proc/loadavg)"
      done
    done
    stop_load
  done
done
