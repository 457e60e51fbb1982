"""paired.py RUN_A RUN_B — IE(B) − IE(A) with its paired jackknife interval, for two runs on the same sequences.

Both runs must use the same sequences and row groups (the same dataset, N and seed): each summary.json's
IE.leave_out holds the leave-one-group-out values, so the difference of the two arrays is the difference's own
jackknife replicates (for relative runs the twins' part is inside them). Prints the difference, its SE, and
the 95% interval value ± t(G−1)·SE.
"""
import json
import math
import sys

T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228,
        11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086}


def main():
    a, b = (json.load(open(f"{d}/summary.json")) for d in sys.argv[1:3])
    ia, ib = a["IE"], b["IE"]
    la, lb = ia["leave_out"], ib["leave_out"]
    if len(la) != len(lb):
        sys.exit("the runs have different row groups")
    g = len(la)
    d = [y - x for x, y in zip(la, lb)]
    m = sum(d) / g
    se = math.sqrt((g - 1) / g * sum((x - m) ** 2 for x in d))
    diff = ib["bits"] - ia["bits"]
    t = T975.get(g - 1, 1.96)
    print(f"IE(A) {ia['bits']:.4f}  IE(B) {ib['bits']:.4f}  B − A {diff:+.4f} [{diff - t * se:+.4f}, {diff + t * se:+.4f}] "
          f"(paired jackknife, {g} groups, SE {se:.4f})")


if __name__ == "__main__":
    main()
