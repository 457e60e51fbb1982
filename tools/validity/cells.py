"""cells.py ACTS OUT.json last|all SIGMAS — MI_macro and MI_micro per (layer, position) at several noise scales.

ACTS is an `emergence run --save-acts` directory. For each σ multiple c, block l's noise is c times the layer RMS of
its input and output (each position's own column means, squares pooled over positions — docs/measurement.md), the
same for macro and micro. Computed for all N sequences ("N") and for the first N/2 ("N/2").
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mixture import mixture_mi  # noqa: E402

LOG2E = 1 / np.log(2)


def load(d):
    man = json.load(open(os.path.join(d, "manifest.json")))
    tok = np.load(os.path.join(d, "tokens.npy"))
    items = np.load(os.path.join(d, "micro_items.npy"))
    L = max(man["layers"])
    h = [np.load(os.path.join(d, f"h{l}.npy"), mmap_mode="r") for l in range(L + 1)]
    m = [np.load(os.path.join(d, f"micro_h{l}.npy")) for l in range(L + 1)]
    key = {(int(a), int(b)): i for i, (a, b) in enumerate(items)}
    n, t = tok.shape
    orig = man["micro_position"] == "original"
    itemof = np.array([[key[(int(tok[s, p]), p if orig else 0)] for p in range(t)] for s in range(n)])
    return tok, h, m, itemof, L


def pooled_rms(h, rows):
    h = np.asarray(h, dtype=np.float64)[rows]
    return np.sqrt(np.mean([((h[:, t] - h[:, t].mean(0)) ** 2).mean() for t in range(h.shape[1])]))


def main():
    acts, out, which, sigmas = sys.argv[1], sys.argv[2], sys.argv[3], [float(s) for s in sys.argv[4].split(",")]
    tok, h, m, itemof, L = load(acts)
    n, t = tok.shape
    ts = [t - 1] if which == "last" else list(range(t))
    res = {"n": n, "t": t, "layers": L, "cells": []}
    for sub, rows in (("N", np.arange(n)), ("N/2", np.arange(n // 2))):
        rms = [pooled_rms(h[l], rows) for l in range(L + 1)]
        for l in range(L):
            hl, hn = np.asarray(h[l])[rows], np.asarray(h[l + 1])[rows]
            for p in ts:
                toks = tok[rows, p]
                const = len(np.unique(toks)) == 1
                _, cnt = np.unique(toks, return_counts=True)
                q = cnt / cnt.sum()
                htok = float(-(q * np.log2(q)).sum())
                it = itemof[rows, p]
                for c in sigmas:
                    sx, sy = c * rms[l], c * rms[l + 1]
                    mac, _ = mixture_mi(hl[:, p], hn[:, p], sx, sy, seed=l * 1000 + p)
                    mic = 0.0 if const else mixture_mi(m[l][it], m[l + 1][it], sx, sy, seed=l * 1000 + p + 500)[0]
                    res["cells"].append(dict(sub=sub, l=l, t=p, c=c, const=const, htok=htok, macro=mac * LOG2E, micro=mic * LOG2E))
    json.dump(res, open(out, "w"))


if __name__ == "__main__":
    main()
