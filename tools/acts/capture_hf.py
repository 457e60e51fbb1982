#!/usr/bin/env python3
"""Write the activation layout that `emergence run --acts DIR` reads (README "Bring your own activations").

Run it where the model runs fast (a GPU box with PyTorch and transformers), copy DIR to the machine
with emergence, then `./emergence run --acts DIR`. Two back ends:

  Hugging Face:      capture_hf.py --model MODEL_DIR_OR_ID --tokens tokens.npy --out DIR
  TransformerLens:   capture_hf.py --transformer-lens NAME --tokens tokens.npy --out DIR

tokens.npy holds the token ids [N, T] (int32/int64), e.g. the tokens.npy of an emergence run
directory, or your own tokenizer's output. What is written:

  h{l}.npy        [N, T, H]  the residual stream entering block l (l < L: hidden_states[l] of
                             output_hidden_states, = blocks.{l}.hook_resid_pre), and h{L}, the output
                             of the last block taken by a forward hook, because Hugging Face's last
                             hidden state is already final-normed for GPT-2, Llama, NeoX … (not for BERT)
  micro_items.npy [M, 2]     every lone item (token id, position id): each distinct token of the
                             dataset (at each position where it occurs with --micro-position original)
  micro_h{l}.npy  [M, H]     that token's state when fed alone (with --prefix/--suffix ids around it,
                             e.g. BERT's [CLS] … [SEP]), entering block l
  manifest.json              written last; emergence refuses a layout without it

Position ids of lone tokens follow emergence's rules: `original` keeps the position id the token has
in the dataset (prefix tokens just before it), `zero` puts it at position len(prefix).
"""
import argparse
import json
import os
import sys

import numpy as np


def parse():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--model", help="Hugging Face model directory or repo id (transformers AutoModel)")
    g.add_argument("--transformer-lens", help="TransformerLens model name (HookedTransformer.from_pretrained_no_processing)")
    p.add_argument("--tokens", required=True, help="token ids [N, T], .npy int32/int64")
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--micro-position", choices=["original", "zero"], default="original")
    p.add_argument("--prefix", default="", help="comma-separated ids fed before a lone token (e.g. 101 for [CLS])")
    p.add_argument("--suffix", default="", help="comma-separated ids fed after it (e.g. 102 for [SEP])")
    p.add_argument("--dtype", choices=["float32", "float16"], default="float32", help="storage of the states")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--device", default="cuda" if _cuda() else "cpu")
    p.add_argument("--name", help="model name recorded in the manifest (default: --model)")
    p.add_argument("--special-tokens", action="store_true", help="record that the sequences carry the tokenizer's special tokens")
    return p.parse_args()


def _cuda():
    try:
        import torch
        return torch.cuda.is_available()
    except ImportError:
        return False


def ids_list(s):
    return [int(x) for x in s.split(",") if x.strip()]


def lone_items(tokens, original, prefix_len):
    """Distinct (token, position id) items in first-seen order, as emergence's MicroStates orders them."""
    n, t = tokens.shape
    seen = {}
    for s in range(n):
        for i in range(t):
            tok = int(tokens[s, i])
            key = (tok, i) if original else tok
            if key not in seen:
                seen[key] = (tok, i if original else prefix_len)
    return np.array(list(seen.values()), dtype=np.int64).reshape(-1, 2)


def lone_batch(items, prefix, suffix, original):
    """Token ids and position ids [M, len] of the lone sequences."""
    length = len(prefix) + 1 + len(suffix)
    ids = np.zeros((len(items), length), dtype=np.int64)
    pos = np.zeros((len(items), length), dtype=np.int64)
    for k, (tok, p) in enumerate(items):
        for j, x in enumerate(prefix):
            ids[k, j] = x
            pos[k, j] = max(0, p - len(prefix) + j) if original else j
        ids[k, len(prefix)] = tok
        pos[k, len(prefix)] = p
        for j, x in enumerate(suffix):
            ids[k, len(prefix) + 1 + j] = x
            pos[k, len(prefix) + 1 + j] = p + 1 + j
    return ids, pos


class HfStates:
    """Block inputs from output_hidden_states and the last block's raw output from a forward hook."""

    def __init__(self, name, device):
        import torch
        from transformers import AutoModel
        self.torch = torch
        self.model = AutoModel.from_pretrained(name, torch_dtype=torch.float32, attn_implementation="eager").to(device).eval()
        self.device = device
        cfg = self.model.config
        self.layers = cfg.num_hidden_layers
        self.hidden = cfg.hidden_size
        self.model_type = cfg.model_type
        self.causal = not getattr(cfg, "is_encoder_decoder", False) and cfg.model_type not in ("bert", "roberta", "distilbert", "electra")
        self.blocks = self._blocks()
        self._last = None
        self.blocks[-1].register_forward_hook(self._hook)

    def _blocks(self):
        torch = self.torch
        for m in self.model.modules():
            if isinstance(m, torch.nn.ModuleList) and len(m) == self.layers:
                return m
        sys.exit("capture_hf.py: cannot find the model's list of %d blocks" % self.layers)

    def _hook(self, module, args, output):
        self._last = output[0] if isinstance(output, tuple) else output

    def states(self, ids, pos):
        """[L + 1] arrays [B, T, H]: the input of every block, then the last block's output."""
        torch = self.torch
        with torch.no_grad():
            x = torch.as_tensor(ids, device=self.device)
            kw = {"input_ids": x, "output_hidden_states": True}
            if pos is not None:
                kw["position_ids"] = torch.as_tensor(pos, device=self.device)
            if not self.causal:
                kw["attention_mask"] = torch.ones_like(x)
                kw["token_type_ids"] = torch.zeros_like(x)
            out = self.model(**kw)
            hs = list(out.hidden_states[: self.layers]) + [self._last]
            return [h.float().cpu().numpy() for h in hs]


class LensStates:
    """TransformerLens: blocks.{l}.hook_resid_pre and the last hook_resid_post from run_with_cache.

    from_pretrained_no_processing keeps the weights as trained: the default from_pretrained folds the
    LayerNorms and centres the weights, which changes the residual stream. TransformerLens takes no
    position ids, so only --micro-position zero without --prefix is supported here. (Not exercised by
    the project's tests: TransformerLens is not installable on the build machines.)
    """

    def __init__(self, name, device):
        from transformer_lens import HookedTransformer
        self.model = HookedTransformer.from_pretrained_no_processing(name, device=device)
        cfg = self.model.cfg
        self.layers, self.hidden, self.model_type, self.causal = cfg.n_layers, cfg.d_model, cfg.original_architecture, True
        self.device = device

    def states(self, ids, pos):
        import torch
        if pos is not None and np.any(pos != np.arange(ids.shape[1])[None, :]):
            sys.exit("capture_hf.py: TransformerLens takes no position ids: use --micro-position zero and no --prefix")
        names = ["blocks.%d.hook_resid_pre" % l for l in range(self.layers)] + ["blocks.%d.hook_resid_post" % (self.layers - 1)]
        with torch.no_grad():
            _, cache = self.model.run_with_cache(torch.as_tensor(ids, device=self.device), names_filter=lambda n: n in names)
        return [cache[n].float().cpu().numpy() for n in names]


def main():
    a = parse()
    from numpy.lib.format import open_memmap
    tokens = np.load(a.tokens)
    if tokens.ndim != 2 or tokens.dtype.kind not in "iu":
        sys.exit("capture_hf.py: %s must hold integer token ids [N, T], found %s %s" % (a.tokens, tokens.dtype, tokens.shape))
    n, t = tokens.shape
    src = LensStates(a.transformer_lens, a.device) if a.transformer_lens else HfStates(a.model, a.device)
    os.makedirs(a.out, exist_ok=True)
    L, H = src.layers, src.hidden
    dt = np.float16 if a.dtype == "float16" else np.float32
    macro = [open_memmap(os.path.join(a.out, "h%d.npy.part" % l), mode="w+", dtype=dt, shape=(n, t, H)) for l in range(L + 1)]
    for s0 in range(0, n, a.batch):
        s1 = min(n, s0 + a.batch)
        for l, h in enumerate(src.states(tokens[s0:s1], None)):
            macro[l][s0:s1] = h
    for l, m in enumerate(macro):
        m.flush()
        del m
        os.replace(os.path.join(a.out, "h%d.npy.part" % l), os.path.join(a.out, "h%d.npy" % l))
    prefix, suffix = ids_list(a.prefix), ids_list(a.suffix)
    original = a.micro_position == "original"
    items = lone_items(tokens, original, len(prefix))
    ids, pos = lone_batch(items, prefix, suffix, original)
    micro = [np.zeros((len(items), H), dtype=dt) for _ in range(L + 1)]
    for k0 in range(0, len(items), a.batch):
        k1 = min(len(items), k0 + a.batch)
        for l, h in enumerate(src.states(ids[k0:k1], pos[k0:k1])):
            micro[l][k0:k1] = h[:, len(prefix), :]
    np.save(os.path.join(a.out, "micro_items.npy"), items)
    for l in range(L + 1):
        np.save(os.path.join(a.out, "micro_h%d.npy" % l), micro[l])
    np.save(os.path.join(a.out, "tokens.npy"), tokens.astype(np.int64))
    manifest = {
        "format": "emergence-acts/1", "model": a.name or a.model or a.transformer_lens, "model_type": src.model_type,
        "causal": bool(src.causal), "hidden": int(H), "layers": list(range(L + 1)), "micro_position": a.micro_position,
        "micro_specials": bool(prefix or suffix), "special_tokens": bool(a.special_tokens),
        "dataset": os.path.abspath(a.tokens),
        "source": ("TransformerLens run_with_cache" if a.transformer_lens else "transformers output_hidden_states + last-block hook")
        + ", " + a.dtype + ", " + a.device,
    }
    with open(os.path.join(a.out, "manifest.json.part"), "w") as f:
        json.dump(manifest, f, indent=1)
    os.replace(os.path.join(a.out, "manifest.json.part"), os.path.join(a.out, "manifest.json"))
    print("wrote %s: %d sequences x %d tokens, %d blocks, hidden %d, %d lone items" % (a.out, n, t, L, H, len(items)))


if __name__ == "__main__":
    main()
