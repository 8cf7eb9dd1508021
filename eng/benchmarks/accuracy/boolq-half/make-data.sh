#!/usr/bin/env bash
# The data of the boolq-half regime: BoolQ's val.jsonl sorted by idx and split in two halves, plus dev32.jsonl.
#
#   make-data.sh [FEWGLUE_DIR] [OUT_DIR]      defaults: ../shared/data/fewglue, ${TMPDIR:-/tmp}/dp-boolq-half
#
# Writes OUT_DIR/train.jsonl (the lower half: 1,635 examples), OUT_DIR/upper-half.jsonl (the upper half, scored) and
# OUT_DIR/dev32.jsonl (selection), then links OUT_DIR as `data` beside the spec. The halves are derived from the
# benchmark's data: keep them outside the repository (the `data` link is git-ignored).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
fewglue="${1:-../shared/data/fewglue}"
out="${2:-${TMPDIR:-/tmp}/dp-boolq-half}"
source="$fewglue/BoolQ/val.jsonl"
[[ -f "$source" ]] || { echo "make-data.sh: $source not found" >&2; exit 1; }
command -v jq >/dev/null || { echo "make-data.sh: needs jq" >&2; exit 1; }
# Every non-empty line must be an object with a numeric idx: the split is by idx, not by line order.
if ! jq -e -s 'all(.[]; (.idx | type) == "number")' "$source" >/dev/null; then
  echo "make-data.sh: $source: a line without a numeric 'idx'" >&2; exit 1
fi
mkdir -p "$out"
tmp="$(mktemp -d "$out/.make-data.XXXXXX")"
jq -s -c 'sort_by(.idx) | .[: (length / 2 | floor)][]' "$source" > "$tmp/train.jsonl"
jq -s -c 'sort_by(.idx) | .[(length / 2 | floor):][]' "$source" > "$tmp/upper-half.jsonl"
cp "$fewglue/BoolQ/dev32.jsonl" "$tmp/dev32.jsonl"
for f in train.jsonl upper-half.jsonl dev32.jsonl; do mv -f "$tmp/$f" "$out/$f"; done
rmdir "$tmp"
ln -sfn "$(cd "$out" && pwd)" "$here/data"
echo "wrote $out: $(wc -l < "$out/train.jsonl") training, $(wc -l < "$out/upper-half.jsonl") scored examples; linked as $here/data"
