"""Small real run, validate, study and activation directories made once per test session with the CLI
(``emergence.run_cli``: $EMERGENCE, or the repository's ./emergence), under $EMERGENCE_TEST_FIXTURES or a
temporary directory. The JUnit test PythonPackageTest runs these tests with EMERGENCE pointing at the freshly
compiled classes, so ``mvn test`` needs no jar."""
import os
import shutil
import tempfile

import emergence

_ROOT = None

# name → the CLI arguments that make it (each a few seconds on two cores)
RECIPES = {
    "run-minilm": ["run", "--model", "minilm", "--null-twins", "0", "--n", "40", "--layers", "1,2"],
    "run-tinylm": ["run", "--model", "tinylm", "--n", "48", "--layers", "3"],
    "run-saved": ["run", "--model", "tinylm", "--null-twins", "0", "--dataset", "icl:animal:shots=2", "--n", "24", "--layers", "1"],
    "study": ["study", "ablations", "--model", "tinylm", "--dataset", "icl:animal:shots=2", "--n", "24", "--ablations", "none,ln-zero", "--null-twins", "0"],
    "validate": ["validate", "--model", "tinylm", "--dataset", "icl:animal:shots=2", "--n", "24", "--init-seeds", "1",
                 "--sigma-factors", "2", "--replicates", "2", "--t", "4", "--skip", "sigma_robustness"],
}


def root():
    global _ROOT
    if _ROOT is None:
        _ROOT = os.environ.get("EMERGENCE_TEST_FIXTURES") or tempfile.mkdtemp(prefix="emergence-py-")
        os.makedirs(_ROOT, exist_ok=True)
    return _ROOT


def get(name):
    """The fixture directory ``name`` (made on first use; the acts layout comes with run-saved)."""
    path = os.path.join(root(), name)
    done = os.path.join(root(), name + ".done")
    if os.path.isfile(done):
        return path
    if name == "acts":
        get("run-saved")
        return path
    args = list(RECIPES[name]) + ["--out", path]
    if name == "run-saved":
        args += ["--save-acts", os.path.join(root(), "acts")]
    if os.path.exists(path):
        shutil.rmtree(path)
    emergence.run_cli(*args)
    open(done, "w").close()
    return path


def scratch(prefix):
    """A fresh temporary directory for a test to damage copies in."""
    return tempfile.mkdtemp(prefix=prefix, dir=root())
