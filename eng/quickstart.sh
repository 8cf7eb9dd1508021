#!/usr/bin/env bash
# Quick start: from a fresh clone to a trained, evaluated experiment in one command.
#
#   eng/quickstart.sh [--method dynamic|prompt|prefix|finetune] [--name NAME] [--dir DIR] [-- run arguments]
#
# 1. packs DP.Runtime, DP.Sdk and DP.Templates into artifacts/packages (eng/pack.sh);
# 2. (re)installs the DP templates (dotnet new dp-experiment / dp-spec);
# 3. scaffolds an experiment in a fresh scratch folder (default artifacts/quickstart) whose nuget.config points at
#    the local feed and nuget.org;
# 4. builds it, trains it on the packaged MiniLM with its self-written sample data (progress bar on a terminal)
#    and evaluates it, ending with the results table. Arguments after -- go to the experiment program, e.g.
#    eng/quickstart.sh -- --max-steps 20
# Safe to rerun, and beside builds of other clones: each run packs a version of its own (eng/pack.sh's default, or
# DP_VERSION), so no cached package of another build is used or touched; the scratch folder is recreated, the
# templates reinstalled, and the previous quick start's own cached DP.* packages removed from the global packages folder.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
method="dynamic"
name="Sentiment"
scratch="$root/artifacts/quickstart"
run_args=()

while [[ $# -gt 0 ]]; do
  case "$1" in
    --method) method="$2"; shift 2 ;;
    --name) name="$2"; shift 2 ;;
    --dir) scratch="$2"; shift 2 ;;
    --) shift; run_args=("$@"); break ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "quickstart.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

version="${DP_VERSION:-$("$root/eng/pack.sh" --print-version)}"
feed="$root/artifacts/packages"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# OpenMP waiting (OMP_WAIT_POLICY / GOMP_SPINCOUNT) is left to DP.Runtime, which chooses it from the machine's load
# when it loads (README, "Threads on small CPUs"); set either yourself to choose otherwise.
command -v dotnet >/dev/null || { echo "quickstart.sh: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }

"$root/eng/pack.sh" --version "$version" --output "$feed"
# Only this clone's quick start used its previous version: drop its copies from the global packages folder.
previous_file="$feed/.quickstart-version"
if [[ -f "$previous_file" ]] && previous="$(cat "$previous_file")" && [[ "$previous" == *-local.* && "$previous" != "$version" ]]; then
  global_packages="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')"
  for id in dp.runtime dp.sdk dp.templates; do
    rm -rf "${global_packages:-$HOME/.nuget/packages}/$id/$(echo "$previous" | tr '[:upper:]' '[:lower:]')"
  done
fi
echo "$version" > "$previous_file"

echo "==> Installing the DP templates $version"
dotnet new uninstall DP.Templates >/dev/null 2>&1 || true
dotnet new install "$feed/DP.Templates.$version.nupkg"

echo "==> Scaffolding '$name' (method $method, sample task) in $scratch"
rm -rf "$scratch"
mkdir -p "$scratch"
scratch="$(cd "$scratch" && pwd)"
cat > "$scratch/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="dp-local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
</configuration>
XML
# The scratch folder may sit inside this repository: stop MSBuild and NuGet from applying the repository's own
# Directory.Build.* and central package versions to the user's project.
for f in Directory.Build.props Directory.Build.targets Directory.Packages.props; do
  echo "<Project />" > "$scratch/$f"
done

cd "$scratch"
dotnet new dp-experiment -n "$name" --method "$method" --no-restore
cd "$name"

echo "==> Building"
dotnet build -c Release -nologo -v:quiet

echo "==> Training and evaluating (runs/ holds every artefact)"
dotnet run -c Release --no-build -- train ${run_args[@]+"${run_args[@]}"}

echo
echo "==> Done. The experiment project is $scratch/$name; its run folder is under $scratch/$name/runs."
echo "    Edit $(ls ./*.dp.yaml | head -n 1 | sed 's:^\./::') and run 'dotnet run -- train' there, or create more with:"
echo "    dotnet new dp-experiment -n MyExperiment --method prompt --task rte"
