#!/usr/bin/env bash
# emergence as a library, seen from a separate Maven project (docs/library.md).
#   tools/consumer-check.sh [--no-install]
# Installs org.emergence:emergence into the local Maven repository (mvn install, tests skipped; --no-install uses what
# is there), then builds tools/consumer/ — a project that names only that artifact — offline against it, and checks:
#   1. the sources and javadoc jars were installed beside the jar;
#   2. the consumer's runtime classpath holds no SLF4J provider (the tool's slf4j-nop would silence the consumer's own
#      logging), no picocli, no JFreeChart and no MiniLM jar (the CLI's, the charts' and a built-in model's: optional);
#   3. it compiles against the public API, and its program runs (MI of two correlated Gaussians against the truth).
# Prints what the consumer's classpath holds (jars, MB). Exit 0 when all hold, 1 when one does not.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != --no-install ]; then
  mvn -B -q -DskipTests install 2>&1 | sed 's/\x1b\[[0-9;]*m//g'
fi
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
repo=${MAVEN_REPO:-$HOME/.m2/repository}/org/emergence/emergence/$version
fail=0
for j in "emergence-$version.jar" "emergence-$version-sources.jar" "emergence-$version-javadoc.jar"; do
  if [ -s "$repo/$j" ]; then echo "installed: $j ($(du -h "$repo/$j" | cut -f1))"; else echo "MISSING: $repo/$j"; fail=1; fi
done
work=target/consumer
rm -rf "$work" && cp -r tools/consumer "$work"
(cd "$work" && mvn -B -q -o -Demergence.version="$version" dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile=classpath.txt && mvn -B -q -o -Demergence.version="$version" compile) 2>&1 | sed 's/\x1b\[[0-9;]*m//g'
cp=$(cat "$work/classpath.txt")
jars=$(tr ':' '\n' <<<"$cp" | grep -c '\.jar$' || true)
mb=$(tr ':' '\n' <<<"$cp" | xargs du -cm 2>/dev/null | tail -1 | cut -f1)
echo "consumer runtime classpath: $jars jars, $mb MB"
tr ':' '\n' <<<"$cp" | sed 's:.*/::' | sort | sed 's/^/  /'
for bad in slf4j-nop slf4j-simple logback-classic picocli jfreechart langchain4j; do
  if tr ':' '\n' <<<"$cp" | grep -q "/$bad[^/]*\.jar$"; then echo "FORBIDDEN on the consumer's classpath: $bad"; fail=1; fi
done
if java -Djava.awt.headless=true --enable-native-access=ALL-UNNAMED -cp "$work/target/classes:$cp" org.example.UseEmergence "$work/run"; then
  echo "consumer program: ok"
else
  echo "consumer program: FAILED"; fail=1
fi
[ $fail -eq 0 ] && echo "consumer check: passed" || echo "consumer check: FAILED"
exit $fail
