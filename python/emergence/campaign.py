"""Validate and study directories (``emergence validate``, ``emergence study``) as pandas DataFrames."""
import os

import pandas as pd

from ._tables import convert, read_csv, read_json
from .errors import EmergenceError
from .run import load_run

_STUDY_FIRST = ["condition"]


def _directory(path, wanted, command):
    path = os.fspath(path)
    if not os.path.exists(path):
        raise EmergenceError("%s: no such directory" % path)
    if not os.path.isdir(path):
        raise EmergenceError("%s: not a directory (expected a %s directory)" % (path, command))
    if not os.path.isfile(os.path.join(path, wanted)):
        if os.path.isdir(os.path.join(path, "runs")):
            raise EmergenceError("%s: unfinished %s: %s missing (it is written when every condition under runs/ is done; run the "
                                 "same `emergence %s` command again to finish it)" % (path, command, wanted, command))
        if os.path.isfile(os.path.join(path, "summary.json")):
            raise EmergenceError("%s: not a %s directory but a run (use emergence.load_run)" % (path, command))
        raise EmergenceError("%s: not a %s directory (no %s)" % (path, command, wanted))
    return path


def _run_dir(root, name, recorded):
    """A condition's run: under root/runs/<name> (where the campaign puts it), else the path it recorded."""
    here = os.path.join(root, "runs", name)
    return here if os.path.isdir(here) or not recorded else recorded


class _Campaign:
    def __init__(self, path, data):
        self.path = path
        self.json = data

    def run(self, condition, allow_partial=False):
        """The Run of one condition (by name)."""
        for c in self.json.get("conditions") or []:
            if c.get("name") == condition:
                return load_run(_run_dir(self.path, condition, c.get("run_dir")), allow_partial=allow_partial)
        names = ", ".join(c.get("name", "?") for c in self.json.get("conditions") or [])
        raise EmergenceError("%s: no condition %r (conditions: %s)" % (self.path, condition, names))


class Validation(_Campaign):
    """validate.json: ``controls`` (one row per control: name, verdict, value, ci_low, ci_high, measured, rule,
    method, question), ``conditions`` (one row per run: name, what, dataset, ablation, noise, seed, IE with its
    interval, status, run_dir), ``settings``, and each condition's Run via ``run(name)``."""

    @property
    def model(self):
        return self.json.get("model")

    @property
    def settings(self):
        return dict(self.json.get("settings") or {})

    @property
    def controls(self):
        cols = ["name", "verdict", "value", "ci_low", "ci_high", "measured", "rule", "method", "question"]
        df = pd.DataFrame([[c.get(k) for k in cols] for c in self.json.get("controls") or []], columns=cols)
        for c in ("value", "ci_low", "ci_high"):
            df[c] = pd.to_numeric(df[c]).astype(float)
        return df

    @property
    def conditions(self):
        rows = []
        for c in self.json.get("conditions") or []:
            ie = c.get("IE") or {}
            rows.append([c.get("name"), c.get("what"), c.get("dataset"), c.get("ablation"), c.get("noise"), c.get("seed"),
                         ie.get("bits"), ie.get("ci_low"), ie.get("ci_high"), ie.get("se"), c.get("status"),
                         _run_dir(self.path, c.get("name"), c.get("run_dir"))])
        df = pd.DataFrame(rows, columns=["name", "what", "dataset", "ablation", "noise", "seed", "IE", "ci_low", "ci_high", "se",
                                         "status", "run_dir"])
        for c in ("IE", "ci_low", "ci_high", "se", "noise"):
            df[c] = pd.to_numeric(df[c]).astype(float)
        return df

    @property
    def passed(self):
        return (self.json.get("summary") or {}).get("passed")

    @property
    def total(self):
        return (self.json.get("summary") or {}).get("total")

    def __repr__(self):
        return "<emergence Validation %s: %s, %s of %s controls pass>" % (self.path, self.model, self.passed, self.total)


class Study(_Campaign):
    """study.json and study.csv: ``table`` (study.csv: one row per condition × layer × position with E, the MIs
    and the condition's IE), ``conditions`` (one row per condition: its labels as columns, n, IE with interval,
    run_dir), ``comparisons`` (every difference with its interval), ``verdicts`` and ``notes``."""

    def __init__(self, path, data, table):
        super().__init__(path, data)
        self.table = table

    @property
    def kind(self):
        return self.json.get("kind")

    @property
    def verdicts(self):
        return list(self.json.get("verdicts") or [])

    @property
    def notes(self):
        return list(self.json.get("notes") or [])

    @property
    def conditions(self):
        rows, labels = [], []
        for c in self.json.get("conditions") or []:
            for k in c.get("labels") or {}:
                if k not in labels:
                    labels.append(k)
        for c in self.json.get("conditions") or []:
            ie = c.get("IE") or {}
            rows.append([c.get("name")] + [(c.get("labels") or {}).get(k) for k in labels]
                        + [c.get("n"), ie.get("bits"), ie.get("ci_low"), ie.get("ci_high"), ie.get("se"), c.get("read_from"),
                           _run_dir(self.path, c.get("read_from") or c.get("name"), c.get("run_dir"))])
        df = pd.DataFrame(rows, columns=["name"] + labels + ["n", "IE", "ci_low", "ci_high", "se", "read_from", "run_dir"])
        for c in ("IE", "ci_low", "ci_high", "se"):
            df[c] = pd.to_numeric(df[c]).astype(float)
        df["n"] = pd.array(df["n"].tolist(), dtype="Int64")
        return df

    @property
    def comparisons(self):
        cols = ["label", "a", "b", "difference_bits", "ci_low", "ci_high", "se", "direction", "method", "n_a", "n_b"]
        df = pd.DataFrame([[c.get(k) for k in cols] for c in self.json.get("comparisons") or []], columns=cols)
        for c in ("difference_bits", "ci_low", "ci_high", "se"):
            df[c] = pd.to_numeric(df[c]).astype(float)
        return df

    def run(self, condition, allow_partial=False):
        """The Run a condition's numbers come from (for a causal model's shorter lists, the longest list's run)."""
        for c in self.json.get("conditions") or []:
            if c.get("name") == condition and c.get("read_from"):
                condition = c["read_from"]
        return super().run(condition, allow_partial)

    def __repr__(self):
        return "<emergence Study %s: %s, %d conditions>" % (self.path, self.kind, len(self.json.get("conditions") or []))


def load_validate(path):
    """Loads a finished validate directory (validate.json); EmergenceError naming what is missing otherwise."""
    path = _directory(path, "validate.json", "validate")
    data = read_json(os.path.join(path, "validate.json"))
    if not isinstance(data, dict) or not isinstance(data.get("controls"), list):
        raise EmergenceError("%s: no \"controls\" list (not written by emergence validate)" % os.path.join(path, "validate.json"))
    return Validation(path, data)


def load_study(path):
    """Loads a finished study directory (study.json, study.csv); EmergenceError naming what is missing otherwise."""
    path = _directory(path, "study.json", "study")
    data = read_json(os.path.join(path, "study.json"))
    if not isinstance(data, dict) or not isinstance(data.get("conditions"), list):
        raise EmergenceError("%s: no \"conditions\" list (not written by emergence study)" % os.path.join(path, "study.json"))
    table = read_csv(os.path.join(path, "study.csv"), expected=_STUDY_FIRST)
    numbers = ["E_bits", "E_ci_low", "E_ci_high", "macro_bits", "micro_bits", "IE_bits", "IE_ci_low", "IE_ci_high"]
    table = convert(table, os.path.join(path, "study.csv"), integer=[c for c in ("n", "layer", "position") if c in table.columns],
                    numeric=[c for c in numbers if c in table.columns])
    return Study(path, data, table)
