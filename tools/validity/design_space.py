"""design_space.py CELLS_DIR NAME… — the criteria of docs/validity.md per model, dataset and σ, from cells.py output.

For each NAME it reads CELLS_DIR/NAME-{txt,icl}-{none,u1,u2[,u3]}.json and prints the raw IE of the trained model,
each twin's, IE relative to twins u1 and u2, its change from N/2 to N, the held-out twin u3 relative to u1 and u2
(as a share of the trained model's relative IE) and the varying-position micro MIs within 5% of their entropy bound.
"""
import collections
import json
import os
import sys

import numpy as np


def sigma(x):
    return x["c"] if "c" in x else float(x["rule"].split(":")[1])


def ie(cells, c, sub="N"):
    e = collections.defaultdict(list)
    for x in cells:
        if sigma(x) == c and x["sub"] == sub:
            e[x["l"]].append(x["macro"] - x["micro"])
    return float(np.mean([np.mean(v) for v in e.values()]))


def main():
    d = sys.argv[1]
    for name in sys.argv[2:]:
        for ds in ("txt", "icl"):
            f = lambda tag: os.path.join(d, f"{name}-{ds}-{tag}.json")
            twins = [u for u in ("u1", "u2", "u3") if os.path.exists(f(u))]
            if not os.path.exists(f("none")) or len(twins) < 2:
                continue
            tr = json.load(open(f("none")))["cells"]
            tw = [json.load(open(f(u)))["cells"] for u in twins]
            print(f"== {name} {ds}")
            for c in sorted({sigma(x) for x in tr}):
                a, a2 = ie(tr, c), ie(tr, c, "N/2")
                us, us2 = [ie(u, c) for u in tw], [ie(u, c, "N/2") for u in tw]
                rel, rel2 = a - np.mean(us[:2]), a2 - np.mean(us2[:2])
                held = f"{100 * abs(us[2] - np.mean(us[:2])) / abs(rel):4.0f}%" if len(us) > 2 else "   -"
                k = sum(1 for x in tr if sigma(x) == c and x["sub"] == "N" and not x["const"] and x["micro"] >= 0.95 * x["htok"])
                tot = sum(1 for x in tr if sigma(x) == c and x["sub"] == "N" and not x["const"])
                print(f"  σ = {c:5.2f}: raw {a:7.3f}, twins " + " ".join(f"{u:7.3f}" for u in us)
                      + f" | relative {rel:7.3f}, N/2 → N {100 * (rel - rel2) / abs(rel):+5.0f}%, held-out twin {held}"
                      + f" | micro at bound {k}/{tot}")


if __name__ == "__main__":
    main()
