"""Trains one GPT-2-architecture model of the tinylm series on the corpus built by corpus.py.

Build-time only (Debian PyTorch + the Hugging Face reference environment). Reproducible from the
seed: data order, initialisation and every update are seeded, and torch runs single-threaded
(two models train side by side on the two cores instead).

Chunks of --block tokens start at a document start (so position 0 is the first token of a text or a
list, as in the tool's datasets); documents are separated by <|endoftext|> (see chunks()).

Checkpoints are written at the steps given by --save (and at the end) as Hugging Face directories:
config.json + model.safetensors in float16 (the tool's loader widens to fp32); every metric and golden
is computed from these stored weights, never from the fp32 training copy.
"""
import argparse
import json
import math
import os
import random
import struct
import sys
import time

import numpy as np
import torch

EOS = 0


def hf():
    root = os.environ.get("HF_REF", "/tmp/hf")
    sys.path[:0] = [os.path.join(root, "transformers/src"), os.path.join(root, "site")]
    import transformers  # noqa: F401
    return transformers


def load_docs(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l)["ids"] for l in f]


def chunks(docs, block, rng):
    """Yields [block] id lists forever, epoch after epoch, each epoch in a seeded document order.

    Every chunk starts at a document start. A document that does not fit fills the rest of the
    current chunk with its first tokens and then starts the next chunk from its beginning, so no
    chunk is padded; documents longer than a chunk are cut into consecutive pieces."""
    while True:
        order = list(range(len(docs)))
        rng.shuffle(order)
        cur = []
        for i in order:
            d = docs[i] + [EOS]
            for j in range(0, len(d), block):
                p = d[j:j + block]
                if len(cur) + len(p) > block:
                    yield cur + p[:block - len(cur)]
                    cur = []
                cur = cur + p
                if len(cur) == block:
                    yield cur
                    cur = []


def write_safetensors(path, tensors, metadata):
    """Minimal safetensors writer (the format: u64 header length, JSON header, raw little-endian data)."""
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().to(torch.float16).contiguous().numpy()
        b = t.astype("<f2").tobytes()
        header[name] = {"dtype": "F16", "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def save(model, cfg, out, step, tokens_seen, args):
    os.makedirs(out, exist_ok=True)
    state = {k: v for k, v in model.state_dict().items() if k != "lm_head.weight"}  # tied to wte
    write_safetensors(os.path.join(out, "model.safetensors"), state, {"format": "pt"})
    c = cfg.to_dict()
    c["torch_dtype"] = "float16"
    c["architectures"] = ["GPT2LMHeadModel"]
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(c, f, indent=2, sort_keys=True)
    with open(os.path.join(out, "training.json"), "w") as f:
        json.dump({"step": step, "tokens_seen": tokens_seen, "args": vars(args)}, f, indent=1)


def lr_at(step, steps, peak, warmup):
    if step < warmup:
        return peak * (step + 1) / warmup
    p = (step - warmup) / max(1, steps - warmup)
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * p)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", required=True, help="directory; checkpoints go to OUT/step<k> and OUT/final")
    ap.add_argument("--layers", type=int, required=True)
    ap.add_argument("--width", type=int, required=True)
    ap.add_argument("--heads", type=int, required=True)
    ap.add_argument("--block", type=int, default=64)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--steps", type=int, required=True)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--warmup", type=int, default=60)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--save", default="", help="comma-separated steps to save besides the final one (0 = untrained)")
    a = ap.parse_args()
    transformers = hf()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    vocab = len(json.load(open(os.path.join(a.corpus, "tokenizer.json")))["model"]["vocab"])
    cfg = transformers.GPT2Config(vocab_size=vocab, n_positions=a.block, n_embd=a.width, n_layer=a.layers,
                                  n_head=a.heads, resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,
                                  bos_token_id=EOS, eos_token_id=EOS, attn_implementation="eager")
    model = transformers.GPT2LMHeadModel(cfg)
    model.train()
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=a.lr, betas=(0.9, 0.95), eps=1e-8)
    docs = load_docs(os.path.join(a.corpus, "train.jsonl"))
    stream = chunks(docs, a.block, random.Random(a.seed))
    saves = {int(s) for s in a.save.split(",") if s.strip()}
    os.makedirs(a.out, exist_ok=True)
    log = open(os.path.join(a.out, "train.log"), "w")
    t0, tokens = time.time(), 0
    for step in range(a.steps + 1):
        if step in saves:
            model.eval()
            save(model, cfg, os.path.join(a.out, f"step{step}"), step, tokens, a)
            model.train()
        if step == a.steps:
            break
        batch = np.array([next(stream) for _ in range(a.batch)], dtype=np.int64)
        x = torch.from_numpy(np.where(batch < 0, EOS, batch))
        labels = torch.from_numpy(np.where(batch < 0, -100, batch))
        for g in opt.param_groups:
            g["lr"] = lr_at(step, a.steps, a.lr, a.warmup)
        loss = model(input_ids=x, labels=labels).loss
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        tokens += int((batch >= 0).sum())
        if step % 20 == 0 or step == a.steps - 1:
            el = time.time() - t0
            msg = f"step {step} loss {loss.item():.4f} lr {opt.param_groups[0]['lr']:.2e} tokens {tokens} {el:.0f}s {tokens / max(el, 1e-9):.0f} tok/s"
            print(msg, flush=True)
            log.write(msg + "\n")
            log.flush()
    model.eval()
    save(model, cfg, os.path.join(a.out, "final"), a.steps, tokens, a)
    with open(os.path.join(a.out, "train_time.json"), "w") as f:
        json.dump({"seconds": time.time() - t0, "tokens": tokens, "steps": a.steps}, f)


if __name__ == "__main__":
    main()
