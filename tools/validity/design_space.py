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


BANDS = [(1, 2, 4), (2, 4, 8), (4, 8, 16)]  # the default band (2, 4, 8) and its halving and doubling


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
            have = {sigma(x) for x in tr}
            for band in BANDS:
                if not all(any(abs(c - h) < 1e-9 for h in have) for c in band):
                    continue
                m = lambda cells, sub="N": float(np.mean([ie(cells, c, sub) for c in band]))
                a, a2 = m(tr), m(tr, "N/2")
                us, us2 = [m(u) for u in tw], [m(u, "N/2") for u in tw]
                rel, rel2 = a - np.mean(us[:2]), a2 - np.mean(us2[:2])
                held = f"{100 * abs(us[2] - np.mean(us[:2])) / abs(rel):4.0f}%" if len(us) > 2 else "   -"
                print(f"  band {band}: raw {a:7.3f}, twins " + " ".join(f"{u:7.3f}" for u in us)
                      + f" | relative {rel:7.3f}, N/2 → N {100 * (rel - rel2) / abs(rel):+5.0f}%, held-out twin {held}")




def markdown(d, names, ds="txt"):
    """The design-space summary table of docs/validity.md: one row per candidate, criteria over every model."""
    cands = [("raw, σ = 2 (the 0.1 default)", (2,), False), ("raw, band 2, 4, 8", (2, 4, 8), False),
             ("relative, σ = 1", (1,), True), ("relative, σ = 2", (2,), True), ("relative, σ = 4", (4,), True),
             ("relative, σ = 8", (8,), True), ("relative, band 1, 2, 4", (1, 2, 4), True),
             ("**relative, band 2, 4, 8 (default)**", (2, 4, 8), True)]
    data = {}
    for name in names:
        f = lambda tag: os.path.join(d, f"{name}-{ds}-{tag}.json")
        twins = [u for u in ("u1", "u2", "u3") if os.path.exists(f(u))]
        if os.path.exists(f("none")) and len(twins) == 3:
            data[name] = (json.load(open(f("none")))["cells"], [json.load(open(f(u)))["cells"] for u in twins])
    print(f"| candidate | trained above twins (of {len(data)}) | smallest trained − twins | largest \\|IE(N) − IE(N/2)\\| | "
          "largest held-out twin | models failing a criterion |")
    print("|---|---|---|---|---|---|")
    for label, band, rel in cands:
        vals, nch, held, bad = [], [], [], []
        for name, (tr, tw) in data.items():
            m = lambda cells, sub="N": float(np.mean([ie(cells, c, sub) for c in band]))
            a, a2 = m(tr), m(tr, "N/2")
            us, us2 = [m(u) for u in tw], [m(u, "N/2") for u in tw]
            if rel:
                v, v2 = a - np.mean(us[:2]), a2 - np.mean(us2[:2])
                h = abs(us[2] - np.mean(us[:2])) / abs(v)
            else:
                v, v2 = a, a2
                h = abs(us[2]) / abs(v)  # raw: an untrained twin's own IE against the trained model's
            n = abs(v - v2) / abs(v)
            diff = a - np.mean(us[:2])
            vals.append(diff)
            nch.append(n)
            held.append(h)
            if diff <= 0 or n > 0.05 or h > 0.10:
                bad.append(name)
        print(f"| {label} | {sum(1 for v in vals if v > 0)} | {min(vals):+.3f} | {100 * max(nch):.0f}% | {100 * max(held):.0f}% | "
              f"{', '.join(bad) if bad else 'none'} |")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--markdown":
        markdown(sys.argv[2], sys.argv[3:])
    else:
        main()
