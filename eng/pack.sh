#!/usr/bin/env bash
# Packs DP.Runtime, DP.Sdk (the spec generator inside) and DP.Templates with one version into a local feed.
#
#   eng/pack.sh [--version V] [--output DIR] [--configuration C] [-- extra dotnet pack arguments]
#   eng/pack.sh --print-version      prints a new default version and packs nothing
#
# Defaults: a version of this pack alone, <DpVersion of Directory.Build.props>-local.<UTC time>.<process id>,
# artifacts/packages, Release. NuGet caches packages by id and version in one global folder shared by every clone:
# a fresh version per pack means a restore can never take a stale copy and no clone's pack touches another's build.
# The global packages folder is never modified; an explicit --version that is already cached gets a warning.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version=""
output="$root/artifacts/packages"
configuration="Release"
extra=()
print_version=""

while [[ $# -gt 0 ]]; do
  case "$1" in
    --version) version="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    --configuration|-c) configuration="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    --print-version) print_version=1; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "pack.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

if [[ -z "$version" ]]; then
  base="$(sed -n 's:.*<DpVersion>\(.*\)</DpVersion>.*:\1:p' "$root/Directory.Build.props" | head -n 1)"
  [[ -n "$base" ]] || { echo "pack.sh: no <DpVersion> in $root/Directory.Build.props; pass --version" >&2; exit 2; }
  version="$base-local.$(date -u +%Y%m%d%H%M%S).$$"
fi
if [[ -n "$print_version" ]]; then echo "$version"; exit 0; fi
mkdir -p "$output"
output="$(cd "$output" && pwd)"

echo "==> Packing DP.Runtime, DP.Sdk and DP.Templates $version into $output"
dotnet pack "$root/eng/pack.slnf" -c "$configuration" -o "$output" -p:DpVersion="$version" -nologo -v:minimal ${extra[@]+"${extra[@]}"}

for id in DP.Runtime DP.Sdk DP.Templates; do
  [[ -f "$output/$id.$version.nupkg" ]] || { echo "pack.sh: $output/$id.$version.nupkg was not produced" >&2; exit 1; }
done

global_packages="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')"
global_packages="${global_packages:-$HOME/.nuget/packages/}"
lower="$(echo "$version" | tr '[:upper:]' '[:lower:]')"
for id in dp.runtime dp.sdk dp.templates; do
  if [[ -d "$global_packages/$id/$lower" ]]; then
    echo "pack.sh: warning: $global_packages$id/$lower is already cached; restores of $version use that copy, not this pack." >&2
    echo "         Pack without --version (a version of its own), or remove that folder once no build uses it." >&2
  fi
done
echo "==> Packed: $(cd "$output" && ls DP.*."$version".nupkg | tr '\n' ' ')"
