#!/usr/bin/env bash
# bench capture against Hugging Face + PyTorch on the same machine, interleaved round by round:
# emergence fp32, HF fp32, emergence bf16, HF bf16 (each a median of its own repeats), with lscpu and the load.
#   [N=2048] bash tools/perf/capture-vs-hf.sh MODEL_DIR [ROUNDS] [extra bench capture options]
set -euo pipefail
model=$1; rounds=${2:-3}; shift 2 || true
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
hf=${HF_REF:-/work/hf}
run=${EMERGENCE:-$here/emergence}  # another build of the tool, e.g. "java -jar /path/emergence.jar"
lscpu | grep -E "Model name|CPU family|^Model:"
echo "matrix/vector flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|fma|avx512.*|amx.*)$' | tr '\n' ' ')"
for r in $(seq 1 "$rounds"); do
  for p in fp32 bf16; do
    echo "== round $r emergence $p, load $(cut -d' ' -f1-3 /proc/loadavg)"
    $run bench capture --model "$model" --n "${N:-2048}" --t 8 --batch 256 --threads 2 --precision "$p" "$@" 2>&1 | grep -E "median|precision|emergence:"
    echo "== round $r HF $p, load $(cut -d' ' -f1-3 /proc/loadavg)"
    # PyTorch's bf16 on a CPU without bf16 units is a slow fallback: one timed pass there
    extra=""; [ "$p" = bf16 ] && ! grep -qE "avx512_bf16|amx_bf16" /proc/cpuinfo && extra="--repeats 1 --warmup 0"
    HF_REF=$hf /usr/bin/python3 "$here/tools/perf/bench_hf_capture.py" "$model" --dtype "$p" --n "${N:-2048}" $extra 2>&1 | grep -E "median"
  done
done
