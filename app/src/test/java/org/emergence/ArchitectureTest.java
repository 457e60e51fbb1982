package org.emergence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.emergence.common.UserError;
import org.junit.jupiter.api.Test;

/**
 * The package map of docs/architecture.md, enforced on the compiled classes: every dependency between the project's
 * packages (as jdeps reads them from the bytecode, so an unused import does not count) must be one the map allows,
 * and no two stages (a top-level package with its sub-packages) may depend on each other. A new dependency is a
 * decision: add it to {@link #ALLOWED} and to the map in docs/architecture.md, or move the code. tools/layers.sh
 * prints the same graph from the command line.
 */
class ArchitectureTest {
    /** Each package and the project packages it may use (docs/architecture.md, "The package map"). */
    static final Map<String, Set<String>> ALLOWED = new LinkedHashMap<>();

    static {
        ALLOWED.put("common", Set.of());
        ALLOWED.put("tensor", Set.of("common"));
        ALLOWED.put("tokenize", Set.of("common"));
        ALLOWED.put("data", Set.of("common", "tokenize"));
        ALLOWED.put("mi", Set.of("common", "tensor", "mi.neural"));
        ALLOWED.put("mi.neural", Set.of("common", "tensor", "mi"));
        ALLOWED.put("mi.bench", Set.of("common", "tensor", "mi", "mi.neural"));
        ALLOWED.put("model.io", Set.of("common", "tensor"));
        ALLOWED.put("model", Set.of("common", "tensor", "tokenize", "data", "model.io", "model.family"));
        ALLOWED.put("model.family", Set.of("common", "tensor", "model", "model.io"));
        ALLOWED.put("generate", Set.of("common", "tensor", "tokenize", "data", "model"));
        ALLOWED.put("ie", Set.of("common", "tensor", "tokenize", "data", "mi", "mi.neural", "model.io", "model", "model.family",
                "generate"));
        // the campaign engine of validate and study: plans of conditions, each an ordinary ie run, and their typed summaries
        ALLOWED.put("campaign", Set.of("common", "data", "ie"));
        ALLOWED.put("study", Set.of("common", "tensor", "tokenize", "data", "mi", "model.io", "model", "generate", "ie", "campaign"));
        ALLOWED.put("validate", Set.of("common", "tensor", "tokenize", "data", "mi", "model.io", "model", "generate", "ie",
                "campaign"));
        // report draws what the stages below produced: a run (the typed summary ie.RunSummary and E's terms, ie.Terms,
        // never re-derived from JSON strings), a validation (validate.ValidationResult) and a study (study.StudyResult
        // and the charts its kind asks for, study.StudyChart)
        ALLOWED.put("report", Set.of("common", "ie", "validate", "study"));
        Set<String> belowCli = new TreeSet<>(ALLOWED.keySet());
        ALLOWED.put("cli", Set.copyOf(belowCli));
        belowCli.add("cli");
        ALLOWED.put("spark", Set.copyOf(belowCli));
    }

    @Test
    void everyDependencyIsOneTheMapAllows() throws Exception {
        Map<String, Set<String>> edges = dependencies(classesDirs());
        assertTrue(edges.keySet().containsAll(List.of("common", "model", "model.io", "ie", "cli")),
                "jdeps found the project's packages: " + edges.keySet());
        List<String> problems = violations(edges);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** The check itself can fail: a forbidden edge, an unknown package and a cycle between stages are each reported. */
    @Test
    void theCheckReportsForbiddenEdgesUnknownPackagesAndCycles() {
        Map<String, Set<String>> g = new HashMap<>();
        g.put("common", Set.of());
        g.put("mi", Set.of("common", "model"));      // mi must never see a model
        g.put("model", Set.of("common", "ie"));      // and model must not reach up to ie ...
        g.put("ie", Set.of("model", "mi"));          // ... which uses it: a cycle between stages
        g.put("gadgets", Set.of("common"));          // a package the map does not know
        List<String> v = violations(g);
        assertTrue(v.contains("mi -> model: not allowed by the package map"), v.toString());
        assertTrue(v.contains("model -> ie: not allowed by the package map"), v.toString());
        assertTrue(v.contains("gadgets: a package the map does not list"), v.toString());
        assertTrue(v.stream().anyMatch(s -> s.startsWith("cycle between stages: ") && s.contains("ie") && s.contains("model")
                && s.contains("mi")), v.toString());
        assertEquals(List.of(), violations(Map.of("common", Set.of(), "tensor", Set.of("common"))));
    }

    /**
     * No two top-level classes of the main code refer to each other (a nested class counts as its top-level class, so
     * a class and its own records do not count): two classes that need each other are one purpose split badly, or
     * share a type that belongs to neither. Break such a pair by moving the shared type out or by passing a small
     * record one way.
     */
    @Test
    void noTwoClassesReferToEachOther() throws Exception {
        Map<String, Set<String>> edges = classDependencies(classesDirs());
        assertTrue(edges.containsKey("ie.EmergenceRun") && edges.containsKey("model.Transformer"),
                "jdeps found the project's classes: " + edges.size());
        List<String> pairs = mutualPairs(edges);
        List<String> unexpected = pairs.stream().filter(p -> !PENDING_PAIRS.containsKey(p)).toList();
        assertTrue(unexpected.isEmpty(), "classes that refer to each other:\n" + String.join("\n", unexpected));
        List<String> gone = PENDING_PAIRS.keySet().stream().filter(p -> !pairs.contains(p)).sorted().toList();
        assertTrue(gone.isEmpty(), "no longer mutual, remove from PENDING_PAIRS: " + gone);
    }

    /** Mutual pairs left for a later step, each with the step that removes it; the check fails once one is gone. */
    static final Map<String, String> PENDING_PAIRS = Map.of();

    /** The check can fail: a mutual pair is reported once; nested classes fold into their top-level class. */
    @Test
    void theMutualCheckReportsPairsButNotNestedClasses() {
        Map<String, Set<String>> g = new HashMap<>();
        g.put("ie.A", Set.of("ie.B", "common.C"));
        g.put("ie.B", Set.of("ie.A"));
        g.put("common.C", Set.of());
        assertEquals(List.of("ie.A <-> ie.B"), mutualPairs(g));
        assertEquals(List.of(), mutualPairs(Map.of("ie.A", Set.of("common.C"), "common.C", Set.of())));
        assertEquals("ie.A", topLevel("ie.A$Inner$1"));
    }

    /** Each pair of classes that refer to each other, "a <-> b" with a before b, sorted. */
    static List<String> mutualPairs(Map<String, Set<String>> edges) {
        List<String> out = new ArrayList<>();
        for (var e : new TreeMap<>(edges).entrySet()) {
            for (String to : new TreeSet<>(e.getValue())) {
                if (e.getKey().compareTo(to) < 0 && edges.getOrDefault(to, Set.of()).contains(e.getKey())) {
                    out.add(e.getKey() + " <-> " + to);
                }
            }
        }
        return out;
    }

    static String topLevel(String cls) {
        int d = cls.indexOf('$');
        return d < 0 ? cls : cls.substring(0, d);
    }

    /**
     * Class-level dependencies between the project's top-level classes (nested classes folded into theirs, a class's
     * references to itself dropped), names without the {@code org.emergence.} prefix.
     */
    static Map<String, Set<String>> classDependencies(List<Path> classes) {
        Map<String, Set<String>> edges = new TreeMap<>();
        String prefix = "org.emergence.";
        for (String line : jdeps("-verbose:class", classes).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3 || !f[1].equals("->") || !f[0].startsWith(prefix)) continue;
            String from = topLevel(f[0].substring(prefix.length()));
            edges.computeIfAbsent(from, k -> new TreeSet<>());
            if (!f[2].startsWith(prefix)) continue;
            String to = topLevel(f[2].substring(prefix.length()));
            if (!to.equals(from)) edges.get(from).add(to);
        }
        return edges;
    }

    /** Forbidden edges, packages missing from the map, and cycles between stages, one line each. */
    static List<String> violations(Map<String, Set<String>> edges) {
        List<String> out = new ArrayList<>();
        Map<String, Set<String>> stages = new TreeMap<>();
        for (var e : new TreeMap<>(edges).entrySet()) {
            String from = e.getKey();
            Set<String> allowed = ALLOWED.get(from);
            if (allowed == null) out.add(from + ": a package the map does not list");
            stages.computeIfAbsent(stage(from), k -> new TreeSet<>());
            for (String to : new TreeSet<>(e.getValue())) {
                if (allowed != null && !allowed.contains(to)) out.add(from + " -> " + to + ": not allowed by the package map");
                if (!stage(to).equals(stage(from))) stages.get(stage(from)).add(stage(to));
                stages.computeIfAbsent(stage(to), k -> new TreeSet<>());
            }
        }
        for (Set<String> c : components(stages)) {
            if (c.size() > 1) out.add("cycle between stages: " + String.join(" <-> ", c));
        }
        return out;
    }

    static String stage(String pkg) {
        int dot = pkg.indexOf('.');
        return dot < 0 ? pkg : pkg.substring(0, dot);
    }

    /** Strongly connected components (Tarjan), each sorted. */
    static List<Set<String>> components(Map<String, Set<String>> g) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        List<String> stack = new ArrayList<>();
        Set<String> on = new java.util.HashSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] n = {0};
        for (String v : new TreeSet<>(g.keySet())) {
            if (!index.containsKey(v)) visit(v, g, index, low, stack, on, out, n);
        }
        return out;
    }

    private static void visit(String v, Map<String, Set<String>> g, Map<String, Integer> index, Map<String, Integer> low,
            List<String> stack, Set<String> on, List<Set<String>> out, int[] n) {
        index.put(v, n[0]);
        low.put(v, n[0]++);
        stack.add(v);
        on.add(v);
        for (String w : new TreeSet<>(g.getOrDefault(v, Set.of()))) {
            if (!index.containsKey(w)) {
                visit(w, g, index, low, stack, on, out, n);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (on.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> c = new TreeSet<>();
            String w;
            do {
                w = stack.remove(stack.size() - 1);
                on.remove(w);
                c.add(w);
            } while (!w.equals(v));
            out.add(c);
        }
    }

    /**
     * The compiled main classes of both modules: core's (core/target/classes) and the app's (app/target/classes; with
     * -Pspark it holds org.emergence.spark too), one package map across them (jdeps reads folders and jars alike).
     */
    static List<Path> classesDirs() throws URISyntaxException {
        List<Path> out = new ArrayList<>();
        for (Class<?> c : List.of(UserError.class, org.emergence.cli.Main.class)) {
            Path p = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
            // a classes folder in the reactor build; a jar when core comes from the local repository (mvn -pl app)
            assertTrue(Files.isDirectory(p.resolve("org/emergence")) || p.toString().endsWith(".jar"), "compiled classes at " + p);
            out.add(p);
        }
        return out;
    }

    /** Package-level dependencies between the project's packages, names without the {@code org.emergence.} prefix. */
    static Map<String, Set<String>> dependencies(List<Path> classes) {
        Map<String, Set<String>> edges = new TreeMap<>();
        String prefix = "org.emergence.";
        for (String line : jdeps("-verbose:package", classes).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3 || !f[1].equals("->") || !f[0].startsWith(prefix)) continue;
            String from = f[0].substring(prefix.length());
            edges.computeIfAbsent(from, k -> new TreeSet<>());
            if (f[2].startsWith(prefix) && !f[2].equals(f[0])) edges.get(from).add(f[2].substring(prefix.length()));
        }
        return edges;
    }

    /** jdeps' dependency listing of the compiled classes at the given level ({@code -verbose:package|class}), unfiltered. */
    static String jdeps(String level, List<Path> classes) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of(level, "-filter:none"));
        for (Path p : classes) args.add(p.toString());
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        assertEquals(0, rc, "jdeps: " + err);
        return out.toString();
    }
}
