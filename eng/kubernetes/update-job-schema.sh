#!/usr/bin/env bash
# Regenerates the Kubernetes Job schema the manifest test validates against
# (tests/DP.Runtime.Tests/Sweeps/Cluster/assets/kubernetes-job.schema.json) from the npm package kubernetes-models
# (MIT; its 4.3 line is the last that ships its schemas as JSON Schema objects rather than compiled validators).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../../tests/DP.Runtime.Tests/Sweeps/Cluster/assets/kubernetes-job.schema.json"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm install --silent --no-audit --no-fund --ignore-scripts kubernetes-models@4.3.1 >/dev/null)
mkdir -p "$(dirname "$out")"
(cd "$work" && node "$here/extract-job-schema.cjs" "$out")
