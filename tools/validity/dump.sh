#!/usr/bin/env bash
# dump.sh NAME MODEL OUT [N] — activation dumps for the design-space search (see README.md)
set -euo pipefail
name=$1; model=$2; out=$3; n=${4:-1000}
here=$(cd "$(dirname "$0")/../.." && pwd)
jar="$here/app/target/emergence.jar"
mkdir -p "$out/acts" "$out/runs"
save() { # save TAG ABLATION DATASET [extra...]
  local tag=$1 abl=$2 ds=$3; shift 3
  [ -f "$out/acts/$tag/manifest.json" ] && return 0
  rm -rf "$out/acts/$tag" "$out/runs/$tag"
  java -jar "$jar" run --model "$model" --ablate "$abl" --dataset "$ds" --n "$n" --noise 0 --groups 0 --null-twins 0 \
    --estimator gaussian --save-acts "$out/acts/$tag" --out "$out/runs/$tag" --quiet "$@" > "$out/runs/$tag.log" 2>&1 \
    || { echo "$tag: $(tail -1 "$out/runs/$tag.log")"; return 0; }
  echo "$tag: saved"
}
save "$name-txt-none" none text:sampled --t 12
for s in 1 2 3; do save "$name-txt-u$s" "untrained:$s" "ids:$out/acts/$name-txt-none/tokens.npy" --micro-specials yes; done
save "$name-icl-none" none icl:animal
for s in 1 2; do save "$name-icl-u$s" "untrained:$s" icl:animal; done
