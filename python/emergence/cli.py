"""Calling the emergence command line from Python (no network: the CLI runs offline)."""
import os
import shlex
import shutil
import subprocess

from .errors import EmergenceError


def launcher():
    """The command that runs the CLI: $EMERGENCE (a command line, e.g. "java -jar /opt/emergence.jar"), else the
    repository's ./emergence next to this package, else ``emergence`` on PATH."""
    env = os.environ.get("EMERGENCE")
    if env:
        return shlex.split(env)
    here = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "emergence"))
    if os.path.isfile(here) and os.access(here, os.X_OK):
        return [here]
    on_path = shutil.which("emergence")
    if on_path:
        return [on_path]
    raise EmergenceError("the emergence command line was not found: set EMERGENCE (e.g. EMERGENCE=/path/to/emergence) or put "
                         "emergence on PATH")


def _args(options):
    """Keyword options as command-line arguments: n=200 → --n 200, keep_activations=True → --keep-activations,
    a list repeats the option (model=["a", "b"] → --model a --model b); None and False are left out."""
    out = []
    for k, v in options.items():
        name = "--" + k.replace("_", "-")
        if v is None or v is False:
            continue
        if v is True:
            out.append(name)
        elif isinstance(v, (list, tuple)):
            for x in v:
                out += [name, str(x)]
        else:
            out += [name, str(v)]
    return out


def run_cli(*args, check=True, cwd=None, quiet=True):
    """Runs ``emergence ARGS…`` and returns the CompletedProcess (stdout and stderr as text). With ``check`` a
    non-zero exit raises EmergenceError carrying the CLI's one-line message. ``quiet`` adds --quiet (no
    progress on stderr) to commands that take it."""
    args = [str(a) for a in args]
    if quiet and args and args[0] in ("run", "validate", "study", "capture", "mi") and "--quiet" not in args:
        args.append("--quiet")
    p = subprocess.run(launcher() + args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if check and p.returncode != 0:
        lines = [l for l in p.stderr.strip().splitlines() if l.startswith("emergence:")] or p.stderr.strip().splitlines()[-1:]
        raise EmergenceError("emergence %s exited with %d: %s" % (" ".join(args), p.returncode, lines[0] if lines else "(no message)"))
    return p


def _printed(stdout, label):
    for line in stdout.splitlines():
        if line.startswith(label):
            return line[len(label):].strip()
    return None


def run(out=None, cwd=None, **options):
    """``emergence run`` with keyword options (``run(model="tinylm", n=200)``); returns the loaded Run."""
    from .run import load_run
    p = run_cli("run", *(_args(options) + (["--out", os.fspath(out)] if out is not None else [])), cwd=cwd)
    results = _printed(p.stdout, "results:")
    if results is None:
        raise EmergenceError("emergence run printed no results path:\n" + p.stdout)
    path = os.path.dirname(results)
    return load_run(path if os.path.isabs(path) or cwd is None else os.path.join(cwd, path))


def validate(out=None, cwd=None, **options):
    """``emergence validate`` with keyword options; returns the loaded Validation."""
    from .campaign import load_validate
    p = run_cli("validate", *(_args(options) + (["--out", os.fspath(out)] if out is not None else [])), cwd=cwd)
    path = os.path.dirname(_printed(p.stdout, "validate:") or "")
    return load_validate(path if os.path.isabs(path) or cwd is None else os.path.join(cwd, path))


def study(kind, out=None, cwd=None, **options):
    """``emergence study KIND`` with keyword options; returns the loaded Study."""
    from .campaign import load_study
    p = run_cli("study", kind, *(_args(options) + (["--out", os.fspath(out)] if out is not None else [])), cwd=cwd)
    path = os.path.dirname(_printed(p.stdout, "study:") or "")
    return load_study(path if os.path.isabs(path) or cwd is None else os.path.join(cwd, path))
