#!/usr/bin/env bash
# Rebuilds the built-in tinylm models from nothing: corpus and tokenizer, training, metrics and
# goldens, installation into models/tinylm/src/main/resources/tinylm and core/src/test/resources/golden/tinylm.
#
#   tools/train-tiny-lm/build.sh [WORK_DIR]        (default ${TMPDIR:-/tmp}/tinylm)
#
# Needs (build time only): Debian packages python3-torch python3-numpy bible-kjv bible-kjv-text
# dict-devil wordnet-base fortunes fortunes-min, and the Hugging Face reference environment
# (../shared/hf-reference/README.md) at $HF_REF (default /tmp/hf). Deterministic for the seed (0).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/../.." && pwd)
work=${1:-${TMPDIR:-/tmp}/tinylm}
export HF_REF=${HF_REF:-/tmp/hf}
py=/usr/bin/python3
missing=""
for p in python3-torch python3-numpy bible-kjv bible-kjv-text dict-devil wordnet-base fortunes fortunes-min; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "installing:$missing" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi
[ -d "$HF_REF/transformers/src" ] || { echo "no Hugging Face reference environment at $HF_REF (see ../shared/hf-reference/README.md)" >&2; exit 2; }
mkdir -p "$work"
t0=$(date +%s)
$py "$here/corpus.py" --entities "$project/src/main/resources/org/emergence/data/entities.txt" --out "$work/corpus"
"$here/train-all.sh" "$work/corpus" "$work/models"
cat > "$work/models.json" <<EOF
[["tinylm-2l", "$work/models/2l/final"], ["tinylm-4l", "$work/models/4l/final"], ["tinylm-6l", "$work/models/6l/final"],
 ["tinylm-6l-step0", "$work/models/6l/step0"], ["tinylm-6l-step60", "$work/models/6l/step60"],
 ["tinylm-6l-step250", "$work/models/6l/step250"], ["tinylm-6l-step800", "$work/models/6l/step800"]]
EOF
MALLOC_ARENA_MAX=1 MALLOC_TRIM_THRESHOLD_=-1 MALLOC_MMAP_THRESHOLD_=1000000000 MALLOC_TOP_PAD_=1000000000 \
  $py "$here/evaluate.py" --corpus "$work/corpus" --models "$work/models.json" --out "$work/eval"
$py "$here/install.py" --corpus "$work/corpus" --eval "$work/eval" --models "$work/models.json" --project "$project" \
  --largest tinylm-6l
echo "tinylm: built in $(( $(date +%s) - t0 )) s (training: $(cat "$work/models/wall.json"))" >&2
