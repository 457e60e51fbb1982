"""The activation layout ``emergence run --acts DIR`` reads and ``capture --format acts`` / ``run --save-acts`` write
(docs/activations.md): read it as memory-mapped numpy arrays, or write it from activations computed anywhere."""
import json
import os

import numpy as np

from .errors import EmergenceError

FORMAT = "emergence-acts/1"


def _npy(path):
    if not os.path.isfile(path):
        raise EmergenceError("%s: missing" % path)
    try:
        return np.load(path, mmap_mode="r", allow_pickle=False)
    except (ValueError, OSError) as e:
        raise EmergenceError("%s: not a readable .npy file (%s)" % (path, e)) from None


class Acts:
    """One layout: ``manifest`` (dict), ``tokens`` [N, T], ``micro_items`` [M, 2] (token id, position id),
    ``hidden(l)`` [N, T, H] (the residual stream entering block l; l = L is the last block's output) and
    ``micro_hidden(l)`` [M, H] (each lone item's state entering block l), memory-mapped."""

    def __init__(self, path, manifest, tokens, micro_items, layers):
        self.path = path
        self.manifest = manifest
        self.tokens = tokens
        self.micro_items = micro_items
        self.layers = layers

    @property
    def n(self):
        return self.tokens.shape[0]

    @property
    def t(self):
        return self.tokens.shape[1]

    @property
    def hidden_size(self):
        return int(self.manifest["hidden"])

    @property
    def measurable_blocks(self):
        """Blocks whose input (l) and output (l + 1) are both in the layout."""
        return [l for l in self.layers if l + 1 in self.layers]

    def _layer(self, l):
        if l not in self.layers:
            raise EmergenceError("%s: layer %d is not in the layout (layers: %s)" % (self.path, l, self.layers))

    def hidden(self, l):
        self._layer(l)
        return _npy(os.path.join(self.path, "h%d.npy" % l))

    def micro_hidden(self, l):
        self._layer(l)
        return _npy(os.path.join(self.path, "micro_h%d.npy" % l))

    def __repr__(self):
        return "<emergence Acts %s: %s, N=%d, T=%d, H=%d, layers %s>" % (self.path, self.manifest.get("model"), self.n, self.t,
                                                                        self.hidden_size, self.layers)


def read_acts(path):
    """Opens and checks a layout like ``run --acts`` does: the manifest (written last, so its absence means the
    layout is incomplete), every file present with the shape and dtype it implies; EmergenceError naming the file."""
    path = os.fspath(path)
    if not os.path.isdir(path):
        raise EmergenceError("%s: no such directory" % path)
    mf = os.path.join(path, "manifest.json")
    if not os.path.isfile(mf):
        raise EmergenceError("%s: missing (an activation layout is complete only once its manifest is written)" % mf)
    try:
        with open(mf, encoding="utf-8") as f:
            m = json.load(f)
    except (OSError, ValueError) as e:
        raise EmergenceError("%s: not valid JSON (%s)" % (mf, e)) from None
    if not isinstance(m, dict) or m.get("format") != FORMAT:
        raise EmergenceError("%s: \"format\" must be \"%s\"" % (mf, FORMAT))
    for k in ("model", "model_type"):
        if not isinstance(m.get(k), str) or not m[k]:
            raise EmergenceError("%s: \"%s\" must be a non-empty string" % (mf, k))
    if not isinstance(m.get("causal"), bool):
        raise EmergenceError("%s: \"causal\" must be true or false" % mf)
    if not isinstance(m.get("hidden"), int) or isinstance(m.get("hidden"), bool) or m["hidden"] < 1:
        raise EmergenceError("%s: \"hidden\" must be a positive integer" % mf)
    if m.get("micro_position") not in ("original", "zero"):
        raise EmergenceError("%s: \"micro_position\" must be \"original\" or \"zero\"" % mf)
    layers = m.get("layers")
    if not isinstance(layers, list) or not layers or not all(isinstance(l, int) and l >= 0 for l in layers) or len(set(layers)) != len(layers):
        raise EmergenceError("%s: \"layers\" must be a non-empty list of distinct block indices >= 0" % mf)
    tokens = _npy(os.path.join(path, "tokens.npy"))
    if tokens.ndim != 2 or tokens.dtype.kind not in "iu" or 0 in tokens.shape:
        raise EmergenceError("%s: expected integer token ids [N, T], found %s %s" % (os.path.join(path, "tokens.npy"), tokens.dtype,
                                                                                   list(tokens.shape)))
    items = _npy(os.path.join(path, "micro_items.npy"))
    if items.ndim != 2 or items.shape[1] != 2 or items.dtype.kind not in "iu":
        raise EmergenceError("%s: expected integer [M, 2] (token id, position id), found %s %s"
                             % (os.path.join(path, "micro_items.npy"), items.dtype, list(items.shape)))
    n, t, h = tokens.shape[0], tokens.shape[1], m["hidden"]
    for l in sorted(layers):
        for name, shape in (("h%d.npy" % l, (n, t, h)), ("micro_h%d.npy" % l, (items.shape[0], h))):
            a = _npy(os.path.join(path, name))
            if a.dtype not in (np.float32, np.float16):
                raise EmergenceError("%s: activations must be float32 or float16, found %s" % (os.path.join(path, name), a.dtype))
            if tuple(a.shape) != shape:
                raise EmergenceError("%s: expected shape %s, found %s" % (os.path.join(path, name), list(shape), list(a.shape)))
    return Acts(path, m, tokens, items, sorted(layers))


def _save(path, array):
    tmp = path + ".part"
    with open(tmp, "wb") as f:
        np.save(f, array, allow_pickle=False)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def write_acts(path, tokens, hidden, micro_items, micro_hidden, model, model_type, causal, micro_position="original",
               micro_specials=False, special_tokens=False, dataset="", source="emergence python write_acts"):
    """Writes a layout ``run --acts`` can measure. ``hidden`` and ``micro_hidden`` map a layer l to [N, T, H] and
    [M, H] arrays (the residual stream entering block l; block l is measured when l and l + 1 are both given);
    ``micro_items`` [M, 2] holds each lone item's (token id, position id), ordered as micro_hidden's rows. Every
    array is written under a temporary name and renamed; the manifest is written last."""
    path = os.fspath(path)
    tokens = np.asarray(tokens)
    items = np.asarray(micro_items)
    if tokens.ndim != 2 or tokens.dtype.kind not in "iu":
        raise EmergenceError("tokens: expected integer token ids [N, T], found %s %s" % (tokens.dtype, list(tokens.shape)))
    if sorted(hidden) != sorted(micro_hidden):
        raise EmergenceError("hidden and micro_hidden must hold the same layers, got %s and %s" % (sorted(hidden), sorted(micro_hidden)))
    h = None
    for l in sorted(hidden):
        a = np.asarray(hidden[l])
        if a.ndim != 3 or a.shape[:2] != tokens.shape:
            raise EmergenceError("hidden[%d]: expected [N, T, H] with [N, T] = %s, found %s" % (l, list(tokens.shape), list(a.shape)))
        h = a.shape[2] if h is None else h
        if a.shape[2] != h or np.asarray(micro_hidden[l]).shape != (items.shape[0], h):
            raise EmergenceError("layer %d: hidden sizes disagree (micro_hidden[%d] must be [%d, %d])" % (l, l, items.shape[0], h))
    if h is None:
        raise EmergenceError("hidden: no layers given")
    os.makedirs(path, exist_ok=True)
    _save(os.path.join(path, "tokens.npy"), tokens.astype(np.int64))
    _save(os.path.join(path, "micro_items.npy"), items.astype(np.int64))
    for l in sorted(hidden):
        for name, a in (("h%d.npy" % l, hidden[l]), ("micro_h%d.npy" % l, micro_hidden[l])):
            a = np.asarray(a)
            _save(os.path.join(path, name), a if a.dtype in (np.float32, np.float16) else a.astype(np.float32))
    manifest = {"format": FORMAT, "model": model, "model_type": model_type, "causal": bool(causal), "hidden": int(h),
                "layers": sorted(int(l) for l in hidden), "micro_position": micro_position, "micro_specials": bool(micro_specials),
                "special_tokens": bool(special_tokens), "dataset": dataset, "source": source}
    tmp = os.path.join(path, "manifest.json.part")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, os.path.join(path, "manifest.json"))
    return read_acts(path)
