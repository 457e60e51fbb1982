#!/usr/bin/env bash
# emergence as a library, seen from a separate Maven project (docs/library.md).
#   tools/consumer-check.sh [--no-install]
# Installs the project's artifacts into the local Maven repository (mvn install, tests skipped; --no-install uses what
# is there), then builds tools/consumer/ — a project that names only org.emergence:emergence-core, the library —
# offline against it, and checks:
#   1. the core's sources and javadoc jars were installed beside its jar, and the tinylm weights' jar beside them;
#   2. the consumer's runtime classpath holds no SLF4J provider (the tool's slf4j-nop would silence the consumer's own
#      logging), no picocli, no JFreeChart (the CLI's and the charts': the app's, org.emergence:emergence), no MiniLM
#      jar and no weights jar (built-in models: their own artifacts), and no emergence app jar;
#   3. it compiles against the public API, and its program runs: MI of two correlated Gaussians against the truth,
#      then a small tinylm IE run with the weights artifact (emergence-tinylm) added to the classpath, as a consumer
#      who wants that model adds the dependency.
# Prints what the consumer's classpath holds (jars, MB). Exit 0 when all hold, 1 when one does not.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != --no-install ]; then
  mvn -B -q -DskipTests install 2>&1 | sed 's/\x1b\[[0-9;]*m//g'
fi
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
m2=${MAVEN_REPO:-$HOME/.m2/repository}/org/emergence
fail=0
for j in "emergence-core/$version/emergence-core-$version.jar" "emergence-core/$version/emergence-core-$version-sources.jar" \
         "emergence-core/$version/emergence-core-$version-javadoc.jar" "emergence-tinylm/$version/emergence-tinylm-$version.jar"; do
  if [ -s "$m2/$j" ]; then echo "installed: ${j##*/} ($(du -h "$m2/$j" | cut -f1))"; else echo "MISSING: $m2/$j"; fail=1; fi
done
weights="$m2/emergence-tinylm/$version/emergence-tinylm-$version.jar"
work=target/consumer
mkdir -p target && rm -rf "$work" && cp -r tools/consumer "$work"
(cd "$work" && mvn -B -q -o -Demergence.version="$version" dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile=classpath.txt && mvn -B -q -o -Demergence.version="$version" compile) 2>&1 | sed 's/\x1b\[[0-9;]*m//g'
cp=$(cat "$work/classpath.txt")
jars=$(tr ':' '\n' <<<"$cp" | grep -c '\.jar$' || true)
mb=$(tr ':' '\n' <<<"$cp" | xargs du -cm 2>/dev/null | tail -1 | cut -f1)
echo "consumer runtime classpath: $jars jars, $mb MB"
tr ':' '\n' <<<"$cp" | sed 's:.*/::' | sort | sed 's/^/  /'
for bad in slf4j-nop slf4j-simple logback-classic picocli jfreechart langchain4j emergence-tinylm "emergence-[0-9]"; do
  if tr ':' '\n' <<<"$cp" | grep -q "/$bad[^/]*\.jar$"; then echo "FORBIDDEN on the consumer's classpath: $bad"; fail=1; fi
done
# no built-in weights inside any jar of it either (the core carries none)
for j in $(tr ':' '\n' <<<"$cp" | grep '\.jar$'); do
  if unzip -Z1 "$j" 2>/dev/null | grep -q '^tinylm/.*model\.safetensors$'; then echo "FORBIDDEN: tinylm weights inside ${j##*/}"; fail=1; fi
done
if java -Djava.awt.headless=true --enable-native-access=ALL-UNNAMED -cp "$work/target/classes:$cp:$weights" org.example.UseEmergence "$work/run"; then
  echo "consumer program: ok"
else
  echo "consumer program: FAILED"; fail=1
fi
[ $fail -eq 0 ] && echo "consumer check: passed" || echo "consumer check: FAILED"
exit $fail
