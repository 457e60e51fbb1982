#!/usr/bin/env bash
# Are two run directories' est files and results.csv identical but for timings? (est/*.json without "seconds";
# results.csv without its seconds column.) Prints the count compared and every file that differs.
set -euo pipefail
a=$1; b=$2; n=0; bad=0
for f in "$a"/est/*.json; do
  g="$b/est/$(basename "$f")"; n=$((n + 1))
  if ! diff -q <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("seconds",None); print(json.dumps(d,sort_keys=True))' "$f") \
               <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("seconds",None); print(json.dumps(d,sort_keys=True))' "$g") >/dev/null; then
    echo "differs: $(basename "$f")"; bad=$((bad + 1))
  fi
done
col=$(head -1 "$a/results.csv" | tr ',' '\n' | grep -n '^seconds$' | cut -d: -f1)
if diff -q <(cut -d, -f"$col" --complement "$a/results.csv") <(cut -d, -f"$col" --complement "$b/results.csv") >/dev/null; then
  echo "results.csv identical but seconds"; else echo "results.csv differs"; bad=$((bad + 1)); fi
echo "$n est files compared, $bad differ"
[ "$bad" -eq 0 ]
