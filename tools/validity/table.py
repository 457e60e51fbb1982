"""table.py NAME=VALIDATE_DIR … — the validity results table of docs/validity.md (a column per model).

Reads each VALIDATE_DIR/validate.json written by `emergence validate` and prints one Markdown row per control:
the verdict in bold when it passes, then the measured value as validate printed it.
"""
import json
import os
import sys


def main():
    cols = []
    for arg in sys.argv[1:]:
        name, d = arg.split("=", 1)
        f = os.path.join(d, "validate.json")
        if os.path.exists(f):
            cols.append((name, json.load(open(f))))
        else:
            print(f"({name}: no validate.json yet)", file=sys.stderr)
    names = []
    for _, v in cols:
        for c in v["controls"]:
            if c["name"] not in names:
                names.append(c["name"])
    print("| control | " + " | ".join(n for n, _ in cols) + " |")
    print("|---" * (len(cols) + 1) + "|")
    for n in names:
        row = []
        for _, v in cols:
            c = next((x for x in v["controls"] if x["name"] == n), None)
            if c is None:
                row.append("—")
                continue
            verdict = "**PASS**" if c["verdict"] == "PASS" else c["verdict"]
            extra = ""
            if c.get("ci_low") is not None and "paired" in c.get("method", ""):
                extra = f"; difference {c['value']:+.3f} [{c['ci_low']:+.3f}, {c['ci_high']:+.3f}]"
            row.append(f"{verdict} {c['measured']}{extra}".replace("|", "\\|"))
        print(f"| `{n}` | " + " | ".join(row) + " |")
    s = [f"{v['summary']['passed']} of {v['summary']['total']}" for _, v in cols]
    print("| passed | " + " | ".join(s) + " |")
    t = [f"{v['timing']['seconds'] / 60:.1f} min" for _, v in cols]
    print("| wall time | " + " | ".join(t) + " |")


if __name__ == "__main__":
    main()
