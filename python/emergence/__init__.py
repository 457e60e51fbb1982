"""emergence: load what the emergence tool writes (run, validate and study directories, activation layouts)
into pandas DataFrames and numpy arrays, and call its command line. Pure Python on numpy and pandas; no network.

    import emergence
    run = emergence.load_run("runs/minilm-icl_animal-1a2b3c4d")   # or emergence.latest_run()
    run.E                                                          # E(l, t) with se, ci_low, ci_high (bits)

docs/python.md describes every function and column.
"""
from .acts import Acts, read_acts, write_acts
from .campaign import Study, Validation, load_study, load_validate
from .cli import launcher, run, run_cli, study, validate
from .errors import EmergenceError
from .run import EMERGENCE_COLUMNS, RESULTS_COLUMNS, Run, latest_run, load_run, missing_estimates, table_from_summary

__all__ = ["Acts", "EmergenceError", "Run", "Study", "Validation", "EMERGENCE_COLUMNS", "RESULTS_COLUMNS", "latest_run", "launcher",
           "load_run", "load_study", "load_validate", "missing_estimates", "read_acts", "run", "run_cli", "study",
           "table_from_summary", "validate", "write_acts"]
__version__ = "0.1.0"
