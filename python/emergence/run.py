"""A run directory (``emergence run``) as pandas DataFrames: the tidy E/IE table, the MIs, the settings."""
import glob
import json
import os

import numpy as np
import pandas as pd

from ._tables import convert, read_csv, read_json
from .errors import EmergenceError

#: emergence.csv's columns, in order (docs/outputs.md describes each)
EMERGENCE_COLUMNS = ["quantity", "layer", "position", "token", "value", "se", "ci_low", "ci_high", "n", "interval", "groups", "unit",
                     "twin"]
#: the first columns of results.csv (the sample diagnostics, warnings and seconds follow)
RESULTS_COLUMNS = ["layer", "position", "level", "token", "mi_bits", "ci_low", "ci_high", "interval", "groups", "estimator"]
_VALUE_COLUMNS = ["value", "se", "ci_low", "ci_high"]


def _read_emergence(path):
    return read_csv(path, integer=("layer", "position", "n", "groups"), numeric=_VALUE_COLUMNS, expected=EMERGENCE_COLUMNS)


def _read_results(path):
    df = read_csv(path, expected=RESULTS_COLUMNS)
    text = ("layer", "position", "groups", "level", "token", "interval", "estimator", "warnings")
    return convert(df, path, integer=("layer", "position", "groups"), numeric=[c for c in df.columns if c not in text])


def missing_estimates(summary):
    """The (level, layer, position) estimates a summary lacks, as "macro l3 t5" strings."""
    out = []
    layers, positions = summary.get("layers") or [], summary.get("positions") or []
    for level in ("macro", "micro"):
        grid = summary.get(level) or []
        for li, layer in enumerate(layers):
            row = grid[li] if li < len(grid) and grid[li] is not None else []
            for pi, pos in enumerate(positions):
                cell = row[pi] if pi < len(row) else None
                if cell is None or cell.get("bits") is None:
                    out.append("%s l%d t%d" % (level, layer, pos))
    return out


def table_from_summary(summary):
    """The tidy E/IE table of a summary.json dict — what emergence.csv holds, for a run that has not finished
    (values not yet estimated are NaN). For a finished run it equals emergence.csv, which the tests check."""
    rows = []
    n = (summary.get("dataset") or {}).get("n")
    tokens = summary.get("position_tokens") or []
    layers, positions = summary.get("layers") or [], summary.get("positions") or []

    def tok(p):
        return tokens[p] if p is not None and p < len(tokens) and tokens[p] is not None else ""

    def add(quantity, layer, position, v, prefix=None, key="bits", twin=""):
        v = v or {}
        get = (lambda k: v.get(k)) if prefix is None else (lambda k: v.get("%s_%s" % (prefix, k)))
        value = v.get(key)
        interval = v.get("interval", "") if value is not None and get("ci_low") is not None else ""
        groups = len(v.get("leave_out") or []) if interval == "jackknife" else 0
        rows.append([quantity, layer, position, tok(position), value, get("se"), get("ci_low"), get("ci_high"), n, interval,
                     groups, "bits", twin])

    def value(quantity, layer, v, twin=""):
        rows.append([quantity, layer, None, "", v, None, None, None, n, "", 0, "bits", twin])

    def grid(name, quantity):
        g = summary.get(name) or []
        for li, layer in enumerate(layers):
            row = g[li] if li < len(g) and g[li] is not None else []
            for pi, pos in enumerate(positions):
                add(quantity, layer, pos, row[pi] if pi < len(row) else None)

    grid("E", "E")
    for el in summary.get("E_layer") or []:
        if el is None:
            continue
        add("E_layer", el.get("layer"), None, el)
        add("E_layer_macro", el.get("layer"), None, el, prefix="macro", key="macro_bits")
        add("E_layer_micro", el.get("layer"), None, el, prefix="micro", key="micro_mean_bits")
    for x in summary.get("IE_t") or []:
        if x is not None:
            add("IE_t", None, x.get("position"), x)
    add("IE", None, None, summary.get("IE"))
    nul = summary.get("null")
    if isinstance(nul, dict):
        if "E_raw" in summary:
            grid("E_raw", "E_raw")
        for el in summary.get("E_layer") or []:
            if el is not None:
                add("E_layer_raw", el.get("layer"), None, el, prefix="raw", key="raw_bits")
        add("IE_raw", None, None, nul.get("IE_raw"))
        for tw in nul.get("IE_twins") or []:
            seed = "" if tw.get("seed") is None else str(tw.get("seed"))
            add("IE_twin", None, None, tw, twin=seed)
            bits = tw.get("E_layer_bits") or []
            for li, layer in enumerate(layers):
                value("E_layer_twin", layer, bits[li] if li < len(bits) else None, twin=seed)
        value("IE_twins_mean", None, nul.get("IE_twins_mean_bits"))
    if "E_context" in summary:
        grid("E_context", "E_context")
        add("IE_context", None, None, summary.get("IE_context"))
    df = pd.DataFrame(rows, columns=EMERGENCE_COLUMNS)
    for c in ("layer", "position", "n", "groups"):
        df[c] = pd.array(df[c].tolist(), dtype="Int64")
    for c in _VALUE_COLUMNS:
        df[c] = pd.to_numeric(df[c]).astype(float)
    return df


class Run:
    """One run directory. ``table`` is emergence.csv (every E, E(l), IE(t), IE with its interval), ``mis`` is
    results.csv (every macro and micro MI with its diagnostics), ``summary`` and ``settings`` the JSON files as
    dicts. ``E``, ``E_layer``, ``IE_t`` are the table's rows of one quantity; ``IE`` the headline as a Series."""

    def __init__(self, path, summary, settings, table, mis, complete):
        self.path = path
        self.summary = summary
        self.settings = settings
        self.table = table
        self.mis = mis
        self.complete = complete

    # ------------------------------------------------------------------ the quantities
    def quantity(self, name):
        """Rows of one quantity (E, E_layer, E_layer_macro, E_layer_micro, IE_t, IE, E_context, IE_context …),
        without the columns that are empty for it."""
        rows = self.table[self.table["quantity"] == name].drop(columns=["quantity"]).reset_index(drop=True)
        if rows.empty:
            known = ", ".join(sorted(self.table["quantity"].unique()))
            raise EmergenceError("%s: no quantity %r in this run (it has: %s)" % (self.path, name, known))
        return rows.loc[:, [c for c in rows.columns if not (c in ("layer", "position") and rows[c].isna().all())]]

    @property
    def E(self):
        """E(l, t): one row per layer and position, with token, value, se, ci_low, ci_high (bits) and n."""
        return self.quantity("E")

    @property
    def E_layer(self):
        return self.quantity("E_layer")

    @property
    def IE_t(self):
        return self.quantity("IE_t")

    @property
    def IE(self):
        """The headline IE as a Series: value, se, ci_low, ci_high, n, interval, groups, unit."""
        return self.quantity("IE").iloc[0]

    def E_grid(self, column="value"):
        """E(l, t) as a layers × positions DataFrame of one column (value, ci_low, ci_high, se)."""
        return self.E.pivot(index="layer", columns="position", values=column)

    # ------------------------------------------------------------------ what was measured
    @property
    def model(self):
        return (self.summary.get("model") or {}).get("name")

    @property
    def dataset(self):
        return (self.summary.get("dataset") or {}).get("spec")

    @property
    def n(self):
        return (self.summary.get("dataset") or {}).get("n")

    @property
    def t(self):
        return (self.summary.get("dataset") or {}).get("t")

    @property
    def position_labels(self):
        """Per position: the token every sequence holds there, "entity" for a list's varying entity, else ""."""
        return list(self.summary.get("position_labels") or [""] * len(self.summary.get("positions") or []))

    @property
    def warnings(self):
        return list(self.summary.get("warnings") or [])

    def __repr__(self):
        ie = self.table[self.table["quantity"] == "IE"]
        head = "" if ie.empty or pd.isna(ie["value"].iloc[0]) else ", IE %.3f [%.3f, %.3f] bits" % tuple(
            ie[["value", "ci_low", "ci_high"]].iloc[0])
        return "<emergence Run %s: %s on %s, N=%s%s%s>" % (self.path, self.model, self.dataset, self.n, head,
                                                          "" if self.complete else " (partial)")


def _not_a_run(path):
    for other, loader in (("validate.json", "load_validate"), ("study.json", "load_study"), ("manifest.json", "read_acts")):
        if os.path.isfile(os.path.join(path, other)):
            return "%s: not a run directory but holds %s (use emergence.%s)" % (path, other, loader)
    if os.path.isfile(os.path.join(path, "settings.json")) or os.path.isdir(os.path.join(path, "est")):
        return ("%s: unfinished run: summary.json missing (the run stopped before its first estimate; run the same "
                "`emergence run` command again to finish it)" % path)
    return "%s: not a run directory (no summary.json; a run directory holds summary.json, emergence.csv, results.csv, settings.json)" % path


def _mis_from_estimates(path):
    rows = []
    for f in sorted(glob.glob(os.path.join(path, "est", "*.json"))):
        try:
            with open(f, encoding="utf-8") as fh:
                e = json.load(fh)
        except (OSError, ValueError):
            continue  # a damaged estimate is recomputed by the run; it is not data
        rows.append([e.get("layer"), e.get("position"), e.get("level"), e.get("mi_bits"), e.get("ci_low_bits"), e.get("ci_high_bits"),
                     e.get("estimator")])
    df = pd.DataFrame(rows, columns=["layer", "position", "level", "mi_bits", "ci_low", "ci_high", "estimator"])
    return df.sort_values(["layer", "level", "position"]).reset_index(drop=True)


def load_run(path, allow_partial=False):
    """Loads a run directory. A directory that is not a finished run raises EmergenceError naming what is
    missing; with ``allow_partial=True`` an unfinished run loads what exists (the table from summary.json with
    NaN where nothing is estimated yet, the MIs from est/*.json)."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise EmergenceError("%s: no such directory" % path)
    if not os.path.isdir(path):
        raise EmergenceError("%s: not a directory (expected a run directory)" % path)
    if not os.path.isfile(os.path.join(path, "summary.json")):
        raise EmergenceError(_not_a_run(path))
    summary = read_json(os.path.join(path, "summary.json"))
    if not isinstance(summary, dict) or summary.get("status") not in ("complete", "partial"):
        raise EmergenceError("%s: not a run summary (no status \"complete\" or \"partial\")" % os.path.join(path, "summary.json"))
    settings = read_json(os.path.join(path, "settings.json"))
    complete = summary["status"] == "complete"
    if not complete:
        missing = missing_estimates(summary)
        if not allow_partial:
            total = 2 * len(summary.get("layers") or []) * len(summary.get("positions") or [])
            raise EmergenceError("%s: unfinished run (summary.json status \"partial\"): %d of %d estimates missing (%s%s); run the "
                                 "same `emergence run` command again to finish it, or load_run(path, allow_partial=True) for what "
                                 "exists" % (path, len(missing), total, ", ".join(missing[:5]), ", …" if len(missing) > 5 else ""))
        return Run(path, summary, settings, table_from_summary(summary), _mis_from_estimates(path), False)
    for f, why in (("emergence.csv", "a run made before the tidy table existed: `emergence report %s` writes it from summary.json"),
                   ("results.csv", "the run writes it when it ends: run the same command again")):
        if not os.path.isfile(os.path.join(path, f)):
            raise EmergenceError("%s: missing (%s)" % (os.path.join(path, f), why % path if "%s" in why else why))
    return Run(path, summary, settings, _read_emergence(os.path.join(path, "emergence.csv")),
               _read_results(os.path.join(path, "results.csv")), True)


def latest_run(root="runs"):
    """The most recently finished run directory under ``root`` (the default ``runs/`` of ``emergence run``)."""
    best, when = None, None
    for s in glob.glob(os.path.join(os.fspath(root), "*", "summary.json")):
        try:
            with open(s, encoding="utf-8") as f:
                if json.load(f).get("status") != "complete":
                    continue
        except (OSError, ValueError):
            continue
        m = os.path.getmtime(s)
        if when is None or m > when:
            best, when = os.path.dirname(s), m
    if best is None:
        raise EmergenceError("%s: no finished run in it (run `./emergence run` first)" % root)
    return best


def as_array(series):
    """A column of nullable integers or floats as a numpy float array (NaN for missing)."""
    return np.asarray(pd.to_numeric(series).astype(float))
