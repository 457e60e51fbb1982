#!/usr/bin/env bash
# Are two run directories the same run, but for when it ran and how long it took? The check behind every
# "same numbers" claim of a refactor (docs/architecture.md): run the same command with the old and the new jar,
# then
#   tools/same-run.sh RUN_DIR_A RUN_DIR_B
# Compares
#   est/*.json      every estimate file, as JSON, without its "seconds" field (the same set of files on both sides)
#   results.csv     row by row, without the seconds column (parsed as CSV: quoted fields hold commas)
#   summary.json    as JSON, without "created", "updated", "timing" and any "seconds" field
#   settings.json, tokens.npy   byte for byte, when present
# Prints what it compared and every difference; exit 0 when identical, 1 when not, 2 on bad arguments.
set -euo pipefail
if [ $# -ne 2 ] || [ ! -d "$1" ] || [ ! -d "$2" ]; then
  echo "usage: tools/same-run.sh RUN_DIR_A RUN_DIR_B (two run directories)" >&2
  exit 2
fi
exec python3 - "$1" "$2" <<'PY'
import csv, filecmp, json, os, sys

a, b = sys.argv[1], sys.argv[2]
TIMING = {"seconds", "created", "updated", "timing"}
bad = []

def load(path, drop):
    with open(path, encoding="utf-8") as f:
        return strip(json.load(f), drop)

def strip(v, drop):
    if isinstance(v, dict):
        return {k: strip(x, drop) for k, x in v.items() if k not in drop}
    if isinstance(v, list):
        return [strip(x, drop) for x in v]
    return v

def first_diff(x, y, path="$"):
    """The first JSON path where x and y differ (for the message)."""
    if type(x) != type(y):
        return path
    if isinstance(x, dict):
        for k in sorted(set(x) | set(y)):
            if k not in x or k not in y:
                return path + "." + k
            d = first_diff(x[k], y[k], path + "." + k)
            if d:
                return d
        return None
    if isinstance(x, list):
        if len(x) != len(y):
            return path + " (length)"
        for i, (p, q) in enumerate(zip(x, y)):
            d = first_diff(p, q, "%s[%d]" % (path, i))
            if d:
                return d
        return None
    return None if x == y else path

# est/*.json
ea = sorted(os.listdir(os.path.join(a, "est"))) if os.path.isdir(os.path.join(a, "est")) else []
eb = sorted(os.listdir(os.path.join(b, "est"))) if os.path.isdir(os.path.join(b, "est")) else []
ea = [f for f in ea if f.endswith(".json")]
eb = [f for f in eb if f.endswith(".json")]
if ea != eb:
    only = sorted(set(ea) ^ set(eb))
    bad.append("est/: different file sets (%d on one side only, e.g. %s)" % (len(only), only[:3]))
n_est = 0
for f in sorted(set(ea) & set(eb)):
    x = load(os.path.join(a, "est", f), {"seconds"})
    y = load(os.path.join(b, "est", f), {"seconds"})
    n_est += 1
    if x != y:
        bad.append("est/%s differs at %s" % (f, first_diff(x, y)))

# results.csv
def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        r = list(csv.reader(f))
    if not r:
        return r
    keep = [i for i, h in enumerate(r[0]) if h != "seconds"]
    return [[row[i] if i < len(row) else None for i in keep] for row in r]

n_rows = 0
pa, pb = os.path.join(a, "results.csv"), os.path.join(b, "results.csv")
if os.path.exists(pa) or os.path.exists(pb):
    if not (os.path.exists(pa) and os.path.exists(pb)):
        bad.append("results.csv: only in one directory")
    else:
        ra, rb = rows(pa), rows(pb)
        n_rows = max(len(ra) - 1, 0)
        if len(ra) != len(rb):
            bad.append("results.csv: %d vs %d rows" % (len(ra), len(rb)))
        else:
            for i, (p, q) in enumerate(zip(ra, rb)):
                if p != q:
                    bad.append("results.csv line %d differs" % (i + 1))
                    break

# summary.json
sa, sb = os.path.join(a, "summary.json"), os.path.join(b, "summary.json")
have_summary = os.path.exists(sa) and os.path.exists(sb)
if os.path.exists(sa) != os.path.exists(sb):
    bad.append("summary.json: only in one directory")
elif have_summary:
    x, y = load(sa, TIMING), load(sb, TIMING)
    if x != y:
        bad.append("summary.json differs at %s" % first_diff(x, y))

# byte-identical files
same_bytes = []
for f in ("settings.json", "tokens.npy"):
    fa, fb = os.path.join(a, f), os.path.join(b, f)
    if os.path.exists(fa) != os.path.exists(fb):
        bad.append(f + ": only in one directory")
    elif os.path.exists(fa):
        if filecmp.cmp(fa, fb, shallow=False):
            same_bytes.append(f)
        else:
            bad.append(f + " differs")

print("compared %d est files, %d results.csv rows%s%s" % (
    n_est, n_rows, ", summary.json" if have_summary else "",
    (", " + ", ".join(same_bytes) + " (bytes)") if same_bytes else ""))
for m in bad[:20]:
    print("DIFFERS: " + m)
if len(bad) > 20:
    print("... and %d more" % (len(bad) - 20))
print("identical but timings" if not bad else "%d difference(s)" % len(bad))
sys.exit(1 if bad else 0)
PY
