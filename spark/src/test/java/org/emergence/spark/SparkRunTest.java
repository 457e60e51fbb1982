package org.emergence.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.emergence.cli.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark backend on {@code local[2]} against the single-machine run, on the main job's data (the
 * built-in MiniLM, the default in-context lists and N): the same estimates bit for bit, for a store
 * given as a plain path and as a Hadoop URI, and a job killed with SIGKILL resumes to the same numbers
 * without recomputing what it had finished.
 */
class SparkRunTest {
    /** two non-adjacent blocks: capture must run the blocks between them, micro must skip them */
    private static final String[] RUN = {"--layers", "0,3", "--batch", "128", "--quiet"};
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path reference;

    @BeforeAll
    static void singleMachine() throws Exception {
        reference = tmp.resolve("local");
        assertEquals(0, Main.run(concat(new String[] {"run", "--out", reference.toString()}, RUN), quietStream(), quietStream()));
    }

    @Test
    void sameEstimatesAsOneMachinePlainPathStore() throws Exception {
        Path out = tmp.resolve("spark-plain");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new SparkMain(), concat(new String[] {"--master", "local[2]", "--partitions", "5", "--out", out.toString(),
            "--store", tmp.resolve("store-plain").toString()}, RUN), quietStream(), new PrintStream(err));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertSameNumbers(reference, out);
        assertFalse(Files.exists(tmp.resolve("store-plain/acts")), "activations are removed from the store after a complete run");
    }

    @Test
    void killedJobResumesToTheSameNumbers() throws Exception {
        Path out = tmp.resolve("spark-killed");
        Path store = tmp.resolve("store-uri");
        String[] args = concat(new String[] {"--master", "local[2]", "--partitions", "4", "--out", out.toString(),
            "--store", store.toUri().toString()}, RUN);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> !a.startsWith("-agentlib")).toList());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(SparkMain.class.getName());
        cmd.addAll(List.of(args));
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile()).start();
        Path est = store.resolve("est");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (count(est) < 5 && proc.isAlive() && System.nanoTime() < deadline) Thread.sleep(100);
        assertTrue(proc.isAlive(), "the job ended before it could be killed: " + Files.readString(tmp.resolve("killed.log")));
        proc.destroyForcibly().waitFor();
        int finished = count(est);
        assertTrue(finished >= 5 && finished < estimates(), "killed with " + finished + " of " + estimates() + " estimates");
        java.util.Map<Path, java.nio.file.attribute.FileTime> before = new java.util.HashMap<>();
        try (var s = Files.list(est)) {
            for (Path f : (Iterable<Path>) s::iterator) if (!f.getFileName().toString().contains(".tmp-")) before.put(f, Files.getLastModifiedTime(f));
        }

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new SparkMain(), args, quietStream(), new PrintStream(err));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertSameNumbers(reference, out);
        for (var e : before.entrySet()) {
            assertEquals(e.getValue(), Files.getLastModifiedTime(e.getKey()), e.getKey() + " was finished before the kill and is not recomputed");
        }
    }

    @Test
    void damagedActivationsInTheStoreAreCapturedAgain() throws Exception {
        Path out = tmp.resolve("spark-damaged");
        Path store = tmp.resolve("store-damaged");
        String[] args = concat(new String[] {"--master", "local[2]", "--partitions", "3", "--out", out.toString(),
            "--store", store.toString(), "--keep-activations"}, RUN);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new SparkMain(), args, quietStream(), new PrintStream(err)), err.toString(StandardCharsets.UTF_8));
        // a partition file cut short after the run, and two estimates to redo (so the job needs that layer again)
        Path acts = store.resolve("acts").resolve("h001-p00001.npy");
        long size = Files.size(acts);
        try (var ch = java.nio.channels.FileChannel.open(acts, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size / 2);
        }
        for (String e : new String[] {"macro_l000_t0005.json", "micro_l003_t0002.json"}) {
            Files.delete(store.resolve("est").resolve(e));
            Files.delete(out.resolve("est").resolve(e));
        }
        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new SparkMain(), args, quietStream(), new PrintStream(err2)), err2.toString(StandardCharsets.UTF_8));
        assertEquals(size, Files.size(acts), "the damaged partition was captured again");
        assertSameNumbers(reference, out);
    }

    @Test
    void storeOfAnotherRunIsRefusedWithOneLine() throws Exception {
        Path store = tmp.resolve("store-other");
        Files.createDirectories(store);
        Files.writeString(store.resolve("settings.json"), "{\"model\": \"tinylm\"}\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new SparkMain(), concat(new String[] {"--master", "local[1]", "--out", tmp.resolve("other").toString(),
            "--store", store.toString()}, RUN), quietStream(), new PrintStream(err));
        String e = err.toString(StandardCharsets.UTF_8).trim();
        assertEquals(2, code, e);
        assertTrue(e.contains("holds a run with different settings") && e.lines().count() == 1, e);
    }

    @Test
    void randomInputsAndActsAreRefused() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new SparkMain(), new String[] {"--master", "local[1]", "--dataset", "random", "--n", "16", "--layers", "0",
            "--out", tmp.resolve("random").toString(), "--quiet"}, quietStream(), new PrintStream(err));
        assertEquals(2, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("not distributed"), err.toString(StandardCharsets.UTF_8));
        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        assertEquals(2, Main.run(new SparkMain(), new String[] {"--acts", tmp.toString()}, quietStream(), new PrintStream(err2)));
        assertTrue(err2.toString(StandardCharsets.UTF_8).contains("--acts does not apply"), err2.toString(StandardCharsets.UTF_8));
    }

    /** Every estimate file equal, and the assembled E(l), IE(t) and IE with their intervals. */
    private static void assertSameNumbers(Path expected, Path actual) throws Exception {
        List<String> names;
        try (var s = Files.list(expected.resolve("est"))) {
            names = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(estimates(), names.size());
        for (String n : names) {
            JsonNode a = JSON.readTree(expected.resolve("est").resolve(n).toFile());
            JsonNode b = JSON.readTree(actual.resolve("est").resolve(n).toFile());
            ((com.fasterxml.jackson.databind.node.ObjectNode) a).remove("seconds");
            ((com.fasterxml.jackson.databind.node.ObjectNode) b).remove("seconds");
            assertEquals(a, b, n);
        }
        JsonNode sa = JSON.readTree(expected.resolve("summary.json").toFile());
        JsonNode sb = JSON.readTree(actual.resolve("summary.json").toFile());
        for (String k : new String[] {"IE", "E_layer", "IE_position", "status"}) assertEquals(sa.get(k), sb.get(k), k);
        assertEquals(withoutSeconds(expected.resolve("results.csv")), withoutSeconds(actual.resolve("results.csv")));
        assertTrue(Files.isRegularFile(actual.resolve("report.html")));
    }

    /** 2 levels × 2 blocks × T positions of the main job's data */
    private static int estimates() throws Exception {
        return 2 * 2 * JSON.readTree(reference.resolve("summary.json").toFile()).path("dataset").path("t").asInt();
    }

    /** results.csv without its "seconds" column (wall time, the only thing allowed to differ). */
    static List<List<String>> withoutSeconds(Path csv) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            List<String> cells = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            boolean quoted = false;
            for (char c : line.toCharArray()) {
                if (c == '"') quoted = !quoted;
                else if (c == ',' && !quoted) {
                    cells.add(cur.toString());
                    cur.setLength(0);
                } else cur.append(c);
            }
            cells.add(cur.toString());
            rows.add(cells);
        }
        int col = rows.get(0).indexOf("seconds");
        assertTrue(col >= 0, "results.csv has a seconds column");
        for (List<String> r : rows) r.remove(col);
        return rows;
    }

    private static int count(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return 0;
        try (var s = Files.list(dir)) {
            return (int) s.filter(p -> !p.getFileName().toString().contains(".tmp-")).count();
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static PrintStream quietStream() {
        return new PrintStream(new ByteArrayOutputStream());
    }
}
