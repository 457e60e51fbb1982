package org.emergence.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.emergence.TestFiles;
import org.emergence.data.Npy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The mi and bench mi commands in-process: JSON contract and one-line errors with exit code 2. */
class MiCommandTest {
    static Path dir, x, y, y1d, yShort, ints, notNpy, empty, nan, cube, y64;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void files() throws Exception {
        dir = TestFiles.tempDir("mi-cli");
        Random r = new Random(1);
        int n = 2000;
        float[] xs = new float[n * 3], ys = new float[n * 2];
        double[] yd = new double[n * 2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) xs[i * 3 + j] = (float) r.nextGaussian();
            for (int j = 0; j < 2; j++) {
                ys[i * 2 + j] = (float) (0.8 * xs[i * 3 + j] + 0.6 * r.nextGaussian());
                yd[i * 2 + j] = ys[i * 2 + j];
            }
        }
        x = dir.resolve("x.npy");
        Npy.writeFloats(x, new long[] {n, 3}, xs);
        y = dir.resolve("y.npy");
        Npy.writeFloats(y, new long[] {n, 2}, ys);
        y64 = dir.resolve("y64.npy");
        Npy.writeDoubles(y64, new long[] {n, 2}, yd);
        y1d = dir.resolve("y1d.npy");
        Npy.writeFloats(y1d, new long[] {n}, java.util.Arrays.copyOf(ys, n));
        yShort = dir.resolve("short.npy");
        Npy.writeFloats(yShort, new long[] {n - 1, 2}, java.util.Arrays.copyOf(ys, (n - 1) * 2));
        ints = dir.resolve("ints.npy");
        Npy.writeInts(ints, new long[] {n, 1}, new int[n]);
        notNpy = dir.resolve("text.npy");
        Files.writeString(notNpy, "not an array at all");
        empty = dir.resolve("empty.npy");
        Npy.writeFloats(empty, new long[] {0, 2}, new float[0]);
        nan = dir.resolve("nan.npy");
        float[] bad = ys.clone();
        bad[17 * 2 + 1] = Float.NaN;
        Npy.writeFloats(nan, new long[] {n, 2}, bad);
        cube = dir.resolve("cube.npy");
        Npy.writeFloats(cube, new long[] {n / 2, 2, 2}, ys);
    }

    @Test
    void jsonIsOneObjectWithTheContractFields() throws Exception {
        Run r = run("mi", "--x", x.toString(), "--y", y64.toString(), "--estimator", "gaussian", "--json", "--threads", "1");
        assertEquals(0, r.code, r.err);
        List<String> lines = r.out.lines().toList();
        assertEquals(1, lines.size(), r.out);
        JsonNode j = new ObjectMapper().readTree(lines.get(0));
        for (String f : new String[] {"estimator", "n", "dx", "dy", "mi_nats", "mi_bits", "ci_low_bits", "ci_high_bits", "seconds", "warnings"}) {
            assertTrue(j.has(f), "missing " + f);
        }
        assertEquals("gaussian", j.get("estimator").asText());
        assertEquals(2000, j.get("n").asInt());
        assertTrue(j.get("warnings").isArray());
        double truth = -Math.log(1 - 0.64) * 1.4426950408889634; // 2 coordinates at ρ = 0.8
        assertEquals(truth, j.get("mi_bits").asDouble(), 0.1);
        assertEquals(j.get("mi_nats").asDouble() * 1.4426950408889634, j.get("mi_bits").asDouble(), 1e-12);
    }

    @Test
    void defaultAutoNoiseAndOneDimensionalInputs() throws Exception {
        Run r = run("mi", "--x", x.toString(), "--y", y1d.toString(), "--json", "--noise", "0.1");
        assertEquals(0, r.code, r.err);
        JsonNode j = new ObjectMapper().readTree(r.out);
        assertEquals(1, j.get("dy").asInt());
        assertEquals("gaussian-copula", j.get("estimator").asText());
        assertEquals(0.1, j.get("diagnostics").get("noise_sigma").asDouble(), 0);
        Run plain = run("mi", "--x", x.toString(), "--y", y.toString(), "--estimator", "ksg");
        assertEquals(0, plain.code, plain.err);
        assertTrue(plain.out.contains("bits"), plain.out);
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        String[][] cases = {
            {"different n", "--y", yShort.toString(), "has 1999"},
            {"empty", "--y", empty.toString(), "empty array"},
            {"integer dtype", "--y", ints.toString(), "unsupported dtype int32"},
            {"not npy", "--y", notNpy.toString(), "not a .npy file"},
            {"missing", "--y", dir.resolve("nope.npy").toString(), "no such file"},
            {"nan", "--y", nan.toString(), "row 17"},
            {"3-d", "--y", cube.toString(), "expected shape [n, d]"},
            {"unknown estimator", "--y", y.toString(), "--estimator", "nope", "unknown estimator 'nope'"},
            {"unknown option", "--y", y.toString(), "--estimator", "mine:stepz=3", "unknown option 'stepz'"},
            {"negative noise", "--y", y.toString(), "--noise", "-1", "--noise must be"},
        };
        for (String[] c : cases) {
            String expect = c[c.length - 1];
            String[] args = new String[c.length - 2 + 3];
            args[0] = "mi";
            args[1] = "--x";
            args[2] = x.toString();
            System.arraycopy(c, 1, args, 3, c.length - 2);
            Run r = run(args);
            assertEquals(2, r.code, c[0] + ": " + r.err);
            List<String> lines = r.err.lines().filter(l -> !l.startsWith("emergence mi:")).toList();
            assertEquals(1, lines.size(), c[0] + ": " + r.err);
            assertTrue(lines.get(0).startsWith("emergence: error: ") && lines.get(0).contains(expect), c[0] + ": " + lines.get(0));
            if (!c[0].startsWith("unknown") && !c[0].equals("negative noise")) {
                assertTrue(lines.get(0).contains(dir.toString()), c[0] + " names the file: " + lines.get(0));
            }
        }
    }

    @Test
    void benchMiWritesTableCsvAndJson() throws Exception {
        Path out = dir.resolve("bench");
        Run r = run("bench", "mi", "--n", "400", "--tasks", "normal-1x1,independent-5x5", "--estimators",
                "gaussian,discrete-exact,ksg:maxdim=2", "--out", out.toString(), "--quiet");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("normal-1x1") && r.out.contains("refused"), r.out);
        List<String> csv = Files.readAllLines(out.resolve("bench_mi.csv"));
        assertEquals(7, csv.size(), String.join("\n", csv));
        JsonNode j = new ObjectMapper().readTree(out.resolve("bench_mi.json").toFile());
        assertEquals(6, j.get("rows").size());
        Run badTask = run("bench", "mi", "--n", "400", "--tasks", "nope", "--out", out.toString());
        assertEquals(2, badTask.code);
        assertTrue(badTask.err.contains("unknown task 'nope'"), badTask.err);
        Run badEst = run("bench", "mi", "--n", "400", "--estimators", "gaussian,nope", "--tasks", "normal-1x1", "--out", out.toString());
        assertEquals(2, badEst.code);
        assertTrue(badEst.err.contains("unknown estimator 'nope'"), badEst.err);
    }
}
