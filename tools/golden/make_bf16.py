"""bf16 references: Hugging Face transformers run in bfloat16 (torch_dtype=torch.bfloat16, eager attention, eval, CPU)
on the project's golden checkpoints, for the accuracy of `--precision bf16` (docs/performance.md, Bf16GoldenTest).

For every case (a model directory and its 3 x 8 token ids) it writes <out>/<case>/:
    input_ids.npy            int64   [B, T]
    block_outputs_bf16.npy   float32 [L, B, T, H]  output of each block, model in bf16 (values are bf16 numbers)
    block_outputs_fp32.npy   float32 [L, B, T, H]  the same model in fp32 (so HF's own bf16 error is on file)
Block outputs are taken by wrapping each block's forward (torch 1.13 has no kwargs hooks). In bf16, Hugging Face
rounds every weight, every activation and the residual stream to bf16 (norms and softmax upcast where the model
code says so); `emergence --precision bf16` rounds only the linear layers' operands, so the two differ by HF's own
rounding of the stream: the test's tolerance is stated against that.

Run with the Hugging Face reference environment (../shared/hf-reference/README.md):
  HF_REF=/work/hf /usr/bin/python3 tools/golden/make_bf16.py core/src/test/resources/golden-bf16 [case ...]
Cases are the golden folders of core/src/test/resources/golden (their batch_3x8/input_ids.npy), the built-in tinylm-6l
(on its golden's ids), and
stories260K from ../shared/real-models (an externally trained Llama; ids drawn with numpy's default_rng(7)).
"""
import json
import os
import sys

root = os.environ.get("HF_REF", "/work/hf")
sys.path[:0] = [os.path.join(root, "transformers/src"), os.path.join(root, "site")]
import numpy as np  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(os.path.dirname(HERE))
GOLDEN = os.path.join(PROJECT, "core/src/test/resources/golden")
SHARED = os.path.join(os.path.dirname(PROJECT), "shared") if os.path.isdir(os.path.join(os.path.dirname(PROJECT), "shared")) \
    else "/work/shared"


def cases():
    out = {}
    for name in sorted(os.listdir(GOLDEN)):
        d = os.path.join(GOLDEN, name)
        ids = os.path.join(d, "batch_3x8", "input_ids.npy")
        if os.path.isfile(os.path.join(d, "config.json")) and os.path.isfile(ids):
            tt = os.path.join(d, "batch_3x8", "token_type_ids.npy")
            out[name] = (d, np.load(ids), np.load(tt) if os.path.isfile(tt) else None)
    tl = os.path.join(PROJECT, "models/tinylm/src/main/resources/tinylm/tinylm-6l")  # the built-in model (F16 weights)
    out["tinylm-6l"] = (tl, np.load(os.path.join(GOLDEN, "tinylm", "tinylm-6l", "input_ids.npy")), None)
    s = os.path.join(SHARED, "real-models", "stories260K")
    vocab = json.load(open(os.path.join(s, "config.json")))["vocab_size"]
    out["stories260K"] = (s, np.random.default_rng(7).integers(0, vocab, size=(3, 8), dtype=np.int64), None)
    return out


def blocks_of(model, n_layers):
    """The ModuleList of the model's blocks (the first one holding num_hidden_layers modules)."""
    for _, m in model.base_model.named_modules():
        if isinstance(m, torch.nn.ModuleList) and len(m) == n_layers:
            return m
    raise SystemExit("no block list of length %d" % n_layers)


def block_outputs(model, ids, types):
    outs = []
    originals = []
    for layer in blocks_of(model, model.config.num_hidden_layers):
        fwd = layer.forward

        def wrapped(*args, _fwd=fwd, **kwargs):
            out = _fwd(*args, **kwargs)
            outs.append((out[0] if isinstance(out, (tuple, list)) else out).detach().float().clone())
            return out
        layer.forward = wrapped
        originals.append((layer, fwd))
    kw = {"input_ids": torch.tensor(ids)}
    if types is not None:
        kw["token_type_ids"] = torch.tensor(types)
    with torch.no_grad():
        model(**kw)
    for layer, fwd in originals:
        layer.forward = fwd
    return torch.stack(outs).numpy().astype(np.float32)


def load(d, dtype):
    cfg = transformers.AutoConfig.from_pretrained(d)
    cls = transformers.AutoModel if cfg.model_type == "bert" else transformers.AutoModelForCausalLM
    return cls.from_pretrained(d, torch_dtype=dtype, attn_implementation="eager").eval()


def make(out_root, name, d, ids, types):
    if ids is None:
        ids = np.random.default_rng(7).integers(0, transformers.AutoConfig.from_pretrained(d).vocab_size, size=(3, 8))
    ids = np.asarray(ids, dtype=np.int64)
    bf = block_outputs(load(d, torch.bfloat16), ids, types)
    fp = block_outputs(load(d, torch.float32), ids, types)
    o = os.path.join(out_root, name)
    os.makedirs(o, exist_ok=True)
    np.save(os.path.join(o, "input_ids.npy"), ids)
    if types is not None:
        np.save(os.path.join(o, "token_type_ids.npy"), np.asarray(types, dtype=np.int64))
    np.save(os.path.join(o, "block_outputs_bf16.npy"), bf)
    np.save(os.path.join(o, "block_outputs_fp32.npy"), fp)
    rms = float(np.sqrt(np.mean(fp.astype(np.float64) ** 2)))
    print("%-12s HF bf16 vs HF fp32: max |d| %.4g, max |d| / rms %.4g (rms %.3g)"
          % (name, float(np.abs(bf - fp).max()), float(np.abs(bf - fp).max()) / rms, rms))


if __name__ == "__main__":
    print("transformers", transformers.__version__, "torch", torch.__version__)
    all_cases = cases()
    for c in sys.argv[2:] or all_cases:
        make(sys.argv[1], c, *all_cases[c])
