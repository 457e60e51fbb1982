#!/usr/bin/env bash
# Trains the tinylm series: two single-threaded processes side by side on the two cores.
#   train-all.sh CORPUS_DIR OUT_DIR
# Process 1: the largest model (6 layers) with its training checkpoints; process 2: 2 then 4 layers.
# All three see the same chunks in the same order (seed 0) for the same number of steps.
set -euo pipefail
corpus=$1; out=$2
here=$(cd "$(dirname "$0")" && pwd)
steps=${TINYLM_STEPS:-2500}
# glibc returns large freed blocks to the kernel by default; on this VM the page faults that follow
# cost ~7x the arithmetic, so keep freed memory in the process; one BLAS thread per process (two processes share
# the two cores, and a fixed thread count keeps every update reproducible)
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
export MALLOC_ARENA_MAX=1 MALLOC_TRIM_THRESHOLD_=-1 MALLOC_MMAP_THRESHOLD_=1000000000 MALLOC_TOP_PAD_=1000000000
py=/usr/bin/python3
mkdir -p "$out"
start=$(date +%s)
$py "$here/train.py" --corpus "$corpus" --out "$out/6l" --layers 6 --width 192 --heads 3 --steps "$steps" \
    --save 0,60,250,800 > "$out/6l.out" 2>&1 &
p1=$!
( $py "$here/train.py" --corpus "$corpus" --out "$out/2l" --layers 2 --width 128 --heads 2 --steps "$steps" > "$out/2l.out" 2>&1 &&
  $py "$here/train.py" --corpus "$corpus" --out "$out/4l" --layers 4 --width 160 --heads 2 --steps "$steps" > "$out/4l.out" 2>&1 ) &
p2=$!
wait $p1; wait $p2
echo "{\"wall_seconds\": $(( $(date +%s) - start ))}" > "$out/wall.json"
