"""CSV and JSON reading shared by the loaders: strict about what must be there, exact about what is read."""
import json
import os

import pandas as pd

from .errors import EmergenceError


def read_json(path):
    """A JSON file as a dict; one clear error naming the file otherwise."""
    if not os.path.isfile(path):
        raise EmergenceError("%s: missing" % path)
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except json.JSONDecodeError as e:
        raise EmergenceError("%s: not valid JSON (%s)" % (path, e)) from None
    except (OSError, UnicodeDecodeError) as e:
        raise EmergenceError("%s: cannot read (%s)" % (path, e)) from None


def read_csv(path, integer=(), numeric=(), expected=None):
    """A CSV written by emergence: every cell read as text first (a token such as "NaN" or "null" stays text),
    then the named columns converted — integers to pandas' nullable Int64 (empty = <NA>), numbers to float
    (empty = NaN). ``expected``: columns that must be present, in that order, at the start."""
    if not os.path.isfile(path):
        raise EmergenceError("%s: missing" % path)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as e:
        raise EmergenceError("%s: not a readable CSV file (%s)" % (path, e)) from None
    if expected is not None and list(df.columns[: len(expected)]) != list(expected):
        raise EmergenceError("%s: expected the columns %s, found %s" % (path, ", ".join(expected), ", ".join(df.columns)))
    return convert(df, path, integer, numeric)


def convert(df, path, integer=(), numeric=()):
    """Converts text columns in place: integers to nullable Int64, numbers to float; empty cells are missing."""
    for c in list(integer) + list(numeric):
        if c not in df.columns:
            continue
        try:
            values = pd.to_numeric(df[c].mask(df[c] == ""), errors="raise")
        except (ValueError, TypeError) as e:
            raise EmergenceError("%s: column %s holds something that is not a number (%s)" % (path, c, e)) from None
        df[c] = values.astype("Int64") if c in integer else values.astype(float)
    return df
