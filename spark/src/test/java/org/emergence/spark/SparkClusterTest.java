package org.emergence.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.emergence.cli.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Spark backend on a real standalone cluster (a master and two one-core workers on 127.0.0.1,
 * each its own JVM; {@link StandaloneCluster}), submitted to {@code spark://…} as users do: the same
 * numbers as {@code run}; bad input met on an executor ends the job with its one line; a worker killed
 * with SIGKILL mid-job and the job still completing (or, re-submitted, resuming) to the same numbers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("slow")
class SparkClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> RUN = List.of("--model", "tinylm-2l", "--dataset", "icl:animal", "--n", "300", "--layers", "0,1",
            "--batch", "64", "--partitions", "4", "--quiet");
    static Path tmp, reference;
    static StandaloneCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        tmp = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "spark-cluster-");
        reference = tmp.resolve("local");
        List<String> args = new ArrayList<>(List.of("run", "--out", reference.toString()));
        args.addAll(RUN.subList(0, RUN.indexOf("--partitions")));
        args.add("--quiet");
        assertEquals(0, Main.run(args.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream())));
        cluster = new StandaloneCluster(tmp);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
    }

    private static List<String> args(String out, String store) {
        List<String> a = new ArrayList<>(RUN);
        a.addAll(List.of("--out", tmp.resolve(out).toString(), "--store", tmp.resolve(store).toString()));
        return a;
    }

    private static int await(Process p, Path log) throws Exception {
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the job did not end in 20 minutes:\n" + tail(log));
        }
        return p.exitValue();
    }

    @Test
    @Order(1)
    void aClusterJobGivesTheNumbersOfRun() throws Exception {
        Path log = tmp.resolve("same.log");
        int code = await(cluster.submit(tmp, log, args("same", "store-same")), log);
        assertEquals(0, code, tail(log));
        assertSameNumbers(tmp.resolve("same"));
        assertTrue(cluster.masterLog().contains("Registering app"), "the job ran on the standalone master");
    }

    @Test
    @Order(2)
    void badInputOnAnExecutorEndsTheJobWithItsOneLine() throws Exception {
        // a model directory the driver finds (relative to its working directory) and the executors do not (theirs differs)
        Path cwd = Files.createDirectories(tmp.resolve("driver-cwd"));
        Path model = Files.createDirectories(cwd.resolve("rel-model"));
        // the built-in tinylm-2l's files, from the weights module on the class path (a folder or a jar)
        ClassLoader cl = SparkClusterTest.class.getClassLoader();
        for (String[] f : new String[][] {{"tinylm/tinylm-2l/config.json", "config.json"},
                {"tinylm/tinylm-2l/model.safetensors", "model.safetensors"}, {"tinylm/tokenizer.json", "tokenizer.json"}}) {
            try (var in = cl.getResourceAsStream(f[0])) {
                assertTrue(in != null, f[0] + " on the test class path");
                Files.copy(in, model.resolve(f[1]));
            }
        }
        List<String> a = args("bad", "store-bad");
        a.set(a.indexOf("tinylm-2l"), "rel-model");
        Path log = tmp.resolve("bad.log");
        int code = await(cluster.submit(cwd, log, a), log);
        String out = Files.readString(log);
        assertEquals(2, code, out);
        List<String> errors = out.lines().filter(l -> l.startsWith("emergence: ")).toList();
        assertEquals(1, errors.size(), out);
        assertTrue(errors.get(0).startsWith("emergence: error: rel-model: "), errors.get(0));
        assertTrue(out.strip().endsWith(errors.get(0)), "the error is the job's last word:\n" + tail(log));
        assertEquals(List.of(), JobLogs.ourStackTraces(out), "no stack trace of ours:\n" + out);
    }

    @Test
    @Order(3)
    void aWorkerKilledMidJobAndTheJobStillCompletes() throws Exception {
        Path store = tmp.resolve("store-kill");
        Path log = tmp.resolve("kill.log");
        Process job = cluster.submit(tmp, log, args("kill", "store-kill"));
        Path est = store.resolve("est");
        StandaloneCluster.waitFor(() -> count(est) >= 4 || !job.isAlive(), 1200, "estimates in the store");
        assertTrue(job.isAlive(), "the job ended before a worker could be killed:\n" + tail(log));
        int at = count(est);
        cluster.killWorker(0);
        int code = await(job, log);
        if (code != 0) {
            // a job Spark gave up on is re-submitted, and resumes from what the store holds
            Path log2 = tmp.resolve("kill-resubmitted.log");
            code = await(cluster.submit(tmp, log2, args("kill", "store-kill")), log2);
            assertEquals(0, code, tail(log2));
        }
        assertTrue(at < 2 * 2 * positions(), "killed with " + at + " estimates done");
        assertSameNumbers(tmp.resolve("kill"));
    }

    private static int positions() throws Exception {
        return JSON.readTree(reference.resolve("summary.json").toFile()).path("dataset").path("t").asInt();
    }

    private static void assertSameNumbers(Path actual) throws Exception {
        List<String> names;
        try (var s = Files.list(reference.resolve("est"))) {
            names = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(2 * 2 * positions(), names.size());
        for (String n : names) {
            ObjectNode a = (ObjectNode) JSON.readTree(reference.resolve("est").resolve(n).toFile());
            ObjectNode b = (ObjectNode) JSON.readTree(actual.resolve("est").resolve(n).toFile());
            a.remove("seconds");
            b.remove("seconds");
            assertEquals(a, b, n);
        }
        JsonNode sa = JSON.readTree(reference.resolve("summary.json").toFile()), sb = JSON.readTree(actual.resolve("summary.json").toFile());
        for (String k : new String[] {"IE", "E_layer", "IE_position", "status"}) assertEquals(sa.get(k), sb.get(k), k);
        assertEquals(SparkRunTest.withoutSeconds(reference.resolve("results.csv")), SparkRunTest.withoutSeconds(actual.resolve("results.csv")));
    }

    private static int count(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return 0;
        try (var s = Files.list(dir)) {
            return (int) s.filter(p -> p.getFileName().toString().endsWith(".json") && !p.getFileName().toString().contains(".tmp")).count();
        }
    }

    private static String tail(Path log) throws Exception {
        if (!Files.exists(log)) return "(no log)";
        List<String> l = Files.readAllLines(log);
        return String.join("\n", l.subList(Math.max(0, l.size() - 60), l.size()));
    }
}
