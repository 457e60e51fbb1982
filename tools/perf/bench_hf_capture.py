"""The peer of `emergence bench capture`: Hugging Face transformers + PyTorch capturing every block's input and
output (output_hidden_states) of random token ids, same n, t, batch and threads, median tokens/s of timed repeats
after a warm-up; each batch's hidden states are copied, as the emergence sink copies its activations.

  HF_REF=/work/hf /usr/bin/python3 tools/perf/bench_hf_capture.py MODEL_DIR [--dtype fp32|bf16] [--n 2048] [--t 8]
      [--batch 256] [--threads 2] [--repeats 3] [--warmup 1]
"""
import argparse
import os
import sys
import time

root = os.environ.get("HF_REF", "/work/hf")
sys.path[:0] = [os.path.join(root, "transformers/src"), os.path.join(root, "site")]
import numpy as np  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("model")
p.add_argument("--dtype", default="fp32", choices=["fp32", "bf16"])
p.add_argument("--n", type=int, default=2048)
p.add_argument("--t", type=int, default=8)
p.add_argument("--batch", type=int, default=256)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--repeats", type=int, default=3)
p.add_argument("--warmup", type=int, default=1)
a = p.parse_args()

torch.set_num_threads(a.threads)
dtype = torch.bfloat16 if a.dtype == "bf16" else torch.float32
cfg = transformers.AutoConfig.from_pretrained(a.model)
model = transformers.AutoModel.from_pretrained(a.model, torch_dtype=dtype, attn_implementation="eager").eval()
ids = torch.tensor(np.random.default_rng(0).integers(0, cfg.vocab_size, size=(a.n, a.t)))
times = []
for rep in range(-a.warmup, a.repeats):
    t0 = time.perf_counter()
    with torch.no_grad():
        for s in range(0, a.n, a.batch):
            out = model(input_ids=ids[s:s + a.batch], output_hidden_states=True)
            kept = [h.float().clone() for h in out.hidden_states]  # noqa: F841 (the copy a capture makes)
    dt = time.perf_counter() - t0
    if rep >= 0:
        times.append(dt)
    print("%s %d: %.3f s  %.0f tokens/s" % ("warm-up" if rep < 0 else "repeat", rep + 1, dt, a.n * a.t / dt), flush=True)
med = float(np.median(times))
print("HF transformers %s + torch %s, %s, threads %d, %s: median %.0f tokens/s (%.3f s per %d tokens)"
      % (transformers.__version__, torch.__version__, a.dtype, torch.get_num_threads(), type(model).__name__,
         a.n * a.t / med, med, a.n * a.t))
