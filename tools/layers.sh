#!/usr/bin/env bash
# The package map as the compiled code has it, and its cycles (docs/architecture.md).
#   tools/layers.sh [CLASSES_DIR ...]    (default core/target/classes app/target/classes, one graph across both
#                                         modules; build first: mvn -B -q -DskipTests package,
#                                         with -Pspark to include org.emergence.spark)
# Prints every package with the project packages it uses (jdeps, bytecode: imports that are never used do not
# count), then the packages in layer order (each above all it uses). A stage is a top-level package with its
# sub-packages (model, model.io and model.family are the model stage). Exit 1 when two stages depend on each other,
# or when a cycle inside a stage is not one of the known ones listed in KNOWN below; 2 on bad arguments.
set -euo pipefail
cd "$(dirname "$0")/.."
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(core/target/classes app/target/classes)
for dir in "${dirs[@]}"; do
  if [ ! -d "$dir/org/emergence" ]; then
    echo "tools/layers.sh: no compiled classes in $dir (build first: mvn -B -q -DskipTests package)" >&2
    exit 2
  fi
done
jdeps --multi-release 17 -verbose:package -filter:none "${dirs[@]}" 2>/dev/null \
  | awk '$1 ~ /^org\.emergence/ && $3 ~ /^org\.emergence/ && $1 != $3 {print $1, $3}' | sort -u \
  | python3 -c '
import sys
# Cycles inside one stage that are known and documented in docs/architecture.md ("Known cycles").
KNOWN = {frozenset({"model", "model.family"}), frozenset({"mi", "mi.neural"})}
edges = {}
for line in sys.stdin:
    a, b = (p.replace("org.emergence.", "") for p in line.split())
    edges.setdefault(a, set()).add(b)
    edges.setdefault(b, set())
def sccs(g):
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]
    def visit(v):
        index[v] = low[v] = n[0]; n[0] += 1; stack.append(v); on.add(v)
        for w in sorted(g[v]):
            if w not in index:
                visit(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            c = set()
            while True:
                w = stack.pop(); on.discard(w); c.add(w)
                if w == v: break
            out.append(c)
    for v in sorted(g):
        if v not in index: visit(v)
    return out
for p in sorted(edges):
    print("%-14s -> %s" % (p, " ".join(sorted(edges[p])) or "(nothing in the project)"))
stage = lambda p: p.split(".")[0]
sg = {}
for a, bs in edges.items():
    sg.setdefault(stage(a), set())
    for b in bs:
        sg.setdefault(stage(b), set())
        if stage(a) != stage(b): sg[stage(a)].add(stage(b))
bad = 0
for c in sccs(sg):
    if len(c) > 1:
        print("CYCLE between stages: " + " <-> ".join(sorted(c))); bad += 1
for c in sccs(edges):
    if len(c) > 1:
        if frozenset(c) in KNOWN:
            print("known cycle inside a stage: " + " <-> ".join(sorted(c)))
        else:
            print("NEW CYCLE: " + " <-> ".join(sorted(c))); bad += 1
# layer order: a package after everything it uses (packages of one known cycle share a layer)
# Tarjan yields the components in reverse topological order: dependencies first
order = [" + ".join(sorted(c)) for c in sccs(edges)]
print("layers, bottom first: " + " < ".join(order))
print("no cycles between stages" if bad == 0 else "%d unexpected cycle(s)" % bad)
sys.exit(1 if bad else 0)
'
