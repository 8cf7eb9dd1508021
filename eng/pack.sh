#!/usr/bin/env bash
# Packs DP.Runtime, DP.Sdk (the spec generator inside) and DP.Templates with one version into a local feed.
#
#   eng/pack.sh [--version V] [--output DIR] [--configuration C] [-- extra dotnet pack arguments]
#
# Defaults: the version in Directory.Build.props (DpVersion), artifacts/packages, Release.
# NuGet caches packages by id and version, so the DP.* packages of this version are removed from the global
# packages folder: the next restore takes the freshly packed ones instead of a stale copy.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version=""
output="$root/artifacts/packages"
configuration="Release"
extra=()

while [[ $# -gt 0 ]]; do
  case "$1" in
    --version) version="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    --configuration|-c) configuration="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "pack.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

if [[ -z "$version" ]]; then
  version="$(sed -n 's:.*<DpVersion>\(.*\)</DpVersion>.*:\1:p' "$root/Directory.Build.props" | head -n 1)"
  [[ -n "$version" ]] || { echo "pack.sh: no <DpVersion> in $root/Directory.Build.props; pass --version" >&2; exit 2; }
fi
mkdir -p "$output"
output="$(cd "$output" && pwd)"

echo "==> Packing DP.Runtime, DP.Sdk and DP.Templates $version into $output"
dotnet pack "$root/eng/pack.slnf" -c "$configuration" -o "$output" -p:DpVersion="$version" -nologo -v:minimal ${extra[@]+"${extra[@]}"}

for id in DP.Runtime DP.Sdk DP.Templates; do
  [[ -f "$output/$id.$version.nupkg" ]] || { echo "pack.sh: $output/$id.$version.nupkg was not produced" >&2; exit 1; }
done

global_packages="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')"
global_packages="${global_packages:-$HOME/.nuget/packages/}"
for id in dp.runtime dp.sdk dp.templates; do
  if [[ -d "$global_packages/$id/$version" ]]; then
    rm -rf "${global_packages:?}/$id/$version"
    echo "    removed the cached $id $version from $global_packages"
  fi
done
echo "==> Packed: $(cd "$output" && ls DP.*."$version".nupkg | tr '\n' ' ')"
