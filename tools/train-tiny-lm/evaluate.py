"""Metrics, baselines and goldens for the trained tinylm checkpoints.

For every checkpoint (loaded from the stored float16 safetensors, widened to float32 — exactly what the
tool runs) on the held-out test split of corpus.py:
  - perplexity and next-token accuracy on held-out text documents and on held-out list documents
    (each document read from position 0, at most --block tokens, every next token predicted);
  - list continuation: "a, b, c," prompts of K = 1..8 entities of one category; the top-1 next
    token is correct (an entity of the category not in the list), a repetition (an entity in the
    list), wrong category (an entity of another category only) or other (anything else); once with
    lists of training entities and once with lists containing held-out entities;
against a unigram and an interpolated bigram model estimated on the training split (the bigram's
weight chosen on the validation split).

Also writes, for the tool's tests: heldout.npy (int32 [D, block], -1 = padding) with the exact
documents of the text metrics, each model's correct-prediction count on it and its near ties (top-2
logit margin below 1e-3, where float rounding may flip an argmax), and goldens (block inputs and
outputs, last-position logits) for fixed inputs.
"""
import argparse
import collections
import json
import math
import os
import random
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus as C  # noqa: E402
from train import hf  # noqa: E402

EOS = 0
NEAR_TIE = 1e-3


def read_safetensors(path):
    b = open(path, "rb").read()
    n = struct.unpack("<Q", b[:8])[0]
    header = json.loads(b[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        s, e = info["data_offsets"]
        dt = {"F16": np.float16, "F32": np.float32, "BF16": None}[info["dtype"]]
        arr = np.frombuffer(b[8 + n + s:8 + n + e], dtype=dt).reshape(info["shape"])
        out[name] = torch.from_numpy(arr.astype(np.float32))
    return out


def load_model(d):
    transformers = hf()
    cfg = transformers.GPT2Config.from_pretrained(d)
    cfg._attn_implementation = "eager"
    model = transformers.GPT2LMHeadModel(cfg)
    missing, unexpected = model.load_state_dict(read_safetensors(os.path.join(d, "model.safetensors")), strict=False)
    assert set(missing) <= {"lm_head.weight"} and not unexpected, (missing, unexpected)
    model.tie_weights()
    model.eval()
    return model, cfg


def docs_of(path, source=None, exclude=None):
    out = []
    for l in open(path, encoding="utf-8"):
        d = json.loads(l)
        if (source is None or d["source"] == source) and (exclude is None or d["source"] != exclude):
            out.append(d["ids"])
    return out


def padded(docs, block):
    a = np.full((len(docs), block), -1, dtype=np.int64)
    for i, d in enumerate(docs):
        d = d[:block]
        a[i, :len(d)] = d
    return a


@torch.no_grad()
def lm_scores(model, ids, batch=64):
    """Sum of -log p, correct top-1 count, predictions and near ties over every next token."""
    nll, correct, total, ties = 0.0, 0, 0, 0
    for s in range(0, len(ids), batch):
        x = torch.from_numpy(ids[s:s + batch])
        mask = x >= 0
        logits = model(input_ids=torch.where(mask, x, torch.zeros_like(x))).logits.double()
        lp = torch.log_softmax(logits[:, :-1], -1)
        tgt = x[:, 1:]
        valid = mask[:, 1:]
        t = torch.where(valid, tgt, torch.zeros_like(tgt))
        nll -= lp.gather(-1, t.unsqueeze(-1)).squeeze(-1)[valid].sum().item()
        top2 = logits[:, :-1].topk(2, -1)
        correct += (top2.indices[..., 0] == t)[valid].sum().item()
        ties += ((top2.values[..., 0] - top2.values[..., 1]) < NEAR_TIE)[valid].sum().item()
        total += valid.sum().item()
    return nll, correct, total, ties


class NGram:
    def __init__(self, docs, vocab):
        self.v = vocab
        self.uni = np.ones(vocab)
        self.bi = collections.defaultdict(collections.Counter)
        for d in docs:
            d = d + [EOS]
            for a, b in zip(d, d[1:]):
                self.bi[a][b] += 1
            for t in d:
                self.uni[t] += 1
        self.puni = self.uni / self.uni.sum()
        self.lam = 0.0
        self.argmax_bi = {a: c.most_common(1)[0][0] for a, c in self.bi.items()}
        self.argmax_uni = int(np.argmax(self.puni))

    def p(self, a, b, lam):
        c = self.bi.get(a)
        ml = c[b] / sum(c.values()) if c else 0.0
        return lam * ml + (1 - lam) * self.puni[b]

    def scores(self, ids, kind):
        nll, correct, total = 0.0, 0, 0
        for row in ids:
            row = [t for t in row if t >= 0]
            for a, b in zip(row, row[1:]):
                if kind == "unigram":
                    p, pred = self.puni[b], self.argmax_uni
                else:
                    p = self.p(a, b, self.lam)
                    pred = self.argmax_bi.get(a, self.argmax_uni)
                nll -= math.log(p)
                correct += pred == b
                total += 1
        return nll, correct, total

    def tune(self, ids):
        best = None
        for lam in [i / 20 for i in range(1, 20)]:
            self.lam = lam
            nll = self.scores(ids, "bigram")[0]
            if best is None or nll < best[0]:
                best = (nll, lam)
        self.lam = best[1]

    def next_token(self, prompt, kind):
        return self.argmax_uni if kind == "unigram" else self.argmax_bi.get(prompt[-1], self.argmax_uni)


def continuation_prompts(cats, held, index, rng, with_held, per=40, kmax=8):
    """(category, prompt ids, items in the list) for K = 1..kmax, `per` lists each."""
    out = []
    for name, items in cats.items():
        pool = items if with_held else [e for e in items if e not in held[name]]
        for k in range(1, kmax + 1):
            for _ in range(per):
                if with_held:
                    h = rng.choice(held[name])
                    rest = rng.sample([e for e in pool if e != h], k - 1)
                    lst = rest + [h]
                    rng.shuffle(lst)
                else:
                    lst = rng.sample(pool, k)
                # the prompt is a list as the tool's icl datasets write it: every item followed by ","
                out.append((name, C.encode(", ".join(lst) + ",", index), lst))
    return out


def classify(pred, name, lst, cats, inv):
    w = inv[pred]
    if w in lst:
        return "repetition"
    if w in cats[name]:
        return "correct"
    if any(w in v for v in cats.values()):
        return "wrong_category"
    return "other"


@torch.no_grad()
def model_continuations(model, prompts):
    preds = []
    by_len = collections.defaultdict(list)
    for i, (_, p, _) in enumerate(prompts):
        by_len[len(p)].append(i)
    res = [None] * len(prompts)
    for n, idx in by_len.items():
        x = torch.tensor([prompts[i][1] for i in idx])
        logits = model(input_ids=x).logits[:, -1]
        for i, p in zip(idx, logits.argmax(-1).tolist()):
            res[i] = p
    return res


def rates(preds, prompts, cats, inv, held):
    c = collections.Counter()
    held_hits = 0
    for p, (name, _, lst) in zip(preds, prompts):
        k = classify(p, name, lst, cats, inv)
        c[k] += 1
        held_hits += k == "correct" and inv[p] in held[name]
    n = len(prompts)
    out = {k: c[k] / n for k in ("correct", "repetition", "wrong_category", "other")}
    out["correct_held_out_entity"] = held_hits / n
    return out


@torch.no_grad()
def golden(model, cfg, ids, out):
    os.makedirs(out, exist_ok=True)
    x = torch.tensor(ids)
    o = model(input_ids=x, output_hidden_states=True)
    hs = torch.stack(o.hidden_states).numpy().astype(np.float32)  # [L+1, B, T, H]
    L = cfg.n_layer
    # hidden_states[L] is after ln_f: the last block's output is taken with a hook
    outs = []
    hooks = [blk.register_forward_hook(lambda m, i, r: outs.append(r[0].numpy().astype(np.float32))) for blk in model.transformer.h]
    model(input_ids=x)
    for h in hooks:
        h.remove()
    np.save(os.path.join(out, "input_ids.npy"), np.array(ids, dtype=np.int64))
    np.save(os.path.join(out, "block_inputs.npy"), hs[:L])
    np.save(os.path.join(out, "block_outputs.npy"), np.stack(outs))
    np.save(os.path.join(out, "last_logits.npy"), o.logits[:, -1].numpy().astype(np.float32))
    assert np.allclose(np.stack(outs)[:L - 1], hs[1:L], atol=0, rtol=0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--models", required=True, help="JSON list of [name, checkpoint dir]")
    ap.add_argument("--out", required=True)
    ap.add_argument("--block", type=int, default=64)
    ap.add_argument("--text-docs", type=int, default=2048)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(2)
    os.makedirs(a.out, exist_ok=True)
    meta = json.load(open(os.path.join(a.corpus, "corpus.json")))
    tok = json.load(open(os.path.join(a.corpus, "tokenizer.json")))
    index = tok["model"]["vocab"]
    inv = {i: t for t, i in index.items()}
    cats, held = meta["categories"], meta["held_out_entities"]
    test_text = padded(docs_of(os.path.join(a.corpus, "test.jsonl"), exclude="lists")[:a.text_docs], a.block)
    test_lists = padded(docs_of(os.path.join(a.corpus, "test.jsonl"), source="lists")[:512], a.block)
    np.save(os.path.join(a.out, "heldout.npy"), test_text.astype(np.int32))
    rng = random.Random(a.seed)
    prompts_seen = continuation_prompts(cats, held, index, rng, False)
    prompts_held = continuation_prompts(cats, held, index, rng, True)
    results = collections.OrderedDict()

    def summarize(nll, correct, total):
        return {"perplexity": math.exp(nll / total), "accuracy": correct / total, "predictions": total}

    ng = NGram(docs_of(os.path.join(a.corpus, "train.jsonl")), len(index))
    ng.tune(padded(docs_of(os.path.join(a.corpus, "valid.jsonl")), a.block))
    for kind in ("unigram", "bigram"):
        r = {"text": summarize(*ng.scores(test_text, kind)), "lists": summarize(*ng.scores(test_lists, kind))}
        r["continuation_seen"] = rates([ng.next_token(p, kind) for _, p, _ in prompts_seen], prompts_seen, cats, inv, held)
        r["continuation_held_out"] = rates([ng.next_token(p, kind) for _, p, _ in prompts_held], prompts_held, cats, inv, held)
        if kind == "bigram":
            r["interpolation_weight"] = ng.lam
        results[kind] = r
        print(kind, json.dumps(r), flush=True)
    fixed = [C.encode("lion, tiger, wolf, bear, fox, horse,", index), C.encode("in the beginning god created the heaven and the earth.", index)]
    n = min(len(x) for x in fixed)
    fixed = [x[:n] for x in fixed]
    for name, d in json.load(open(a.models)):
        model, cfg = load_model(d)
        nll, correct, total, ties = lm_scores(model, test_text)
        r = {"text": summarize(nll, correct, total)}
        r["text"].update({"correct": correct, "near_ties": ties})
        r["lists"] = summarize(*lm_scores(model, test_lists)[:3])
        r["continuation_seen"] = rates(model_continuations(model, prompts_seen), prompts_seen, cats, inv, held)
        r["continuation_held_out"] = rates(model_continuations(model, prompts_held), prompts_held, cats, inv, held)
        tr = json.load(open(os.path.join(d, "training.json")))
        r["step"], r["tokens_seen"] = tr["step"], tr["tokens_seen"]
        r["layers"], r["hidden"], r["heads"] = cfg.n_layer, cfg.n_embd, cfg.n_head
        r["parameters"] = sum(p.numel() for n_, p in model.named_parameters() if n_ != "lm_head.weight")
        results[name] = r
        golden(model, cfg, fixed, os.path.join(a.out, "golden", name))
        print(name, json.dumps(r), flush=True)
    info = {"heldout": {"file": "heldout.npy", "documents": int(len(test_text)), "block": a.block,
                        "near_tie_margin": NEAR_TIE},
            "continuation": {"lists_per_category_and_k": 40, "k": [1, 8], "categories": list(cats)},
            "results": results}
    with open(os.path.join(a.out, "metrics.json"), "w") as f:
        json.dump(info, f, indent=1)


if __name__ == "__main__":
    main()
