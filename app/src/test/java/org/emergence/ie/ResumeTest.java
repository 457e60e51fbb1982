package org.emergence.ie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.emergence.Cli;
import org.emergence.TestFiles;
import org.emergence.WordTokenizer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A run killed with SIGKILL and re-run with the same command ends with the uninterrupted run's results. */
@Tag("slow")
class ResumeTest {
    @Test
    void killNineThenResumeEqualsAnUninterruptedRun() throws Exception {
        Path model = WordTokenizer.goldenWithTokenizer("gpt2", List.of());
        Path whole = TestFiles.tempDir("resume-whole"), killed = TestFiles.tempDir("resume-killed");
        String[] args = {"run", "--model", model.toString(), "--dataset", "icl:animal", "--n", "2000", "--estimator",
            "gaussian", "--threads", "2", "--batch", "64", "--quiet",
            // the resume mechanics on the model's own estimates (twins are ordinary runs that resume the same way)
            "--null-twins", "0", "--noise-scales", "1"};
        // the interrupted run, in its own JVM so that it can really be killed
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.emergence.cli.Main"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--out", killed.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(killed.resolveSibling(
                killed.getFileName() + ".log").toFile()).start();
        Path est = killed.resolve("est");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (count(est) < 20 && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(p.isAlive(), "the run finished before it could be interrupted; make it longer");
        p.destroyForcibly(); // SIGKILL
        p.waitFor();
        int before = count(est);
        assertTrue(before >= 20 && before < 96, "killed mid-run with " + before + " estimates persisted");
        JsonNode partial = RunTest.summary(killed);
        assertEquals("partial", partial.get("status").asText());
        // a partial summary (cells, E, E(l) terms not yet estimated) reads into the typed summary and writes back byte for byte
        assertEquals(Files.readString(killed.resolve("summary.json")),
                RunDir.JSON.writeValueAsString(RunSummaryWriter.write(RunSummaryJson.read(killed.resolve("summary.json")))) + "\n");
        // a half-written file left by the killed process is never trusted, and is cleaned up on resume
        Files.writeString(killed.resolve("acts").resolve("h099.npy.tmp-1"), "garbage");

        // resume with the same command, then run the whole thing uninterrupted elsewhere
        List<String> resume = new ArrayList<>(List.of(args));
        resume.addAll(List.of("--out", killed.toString()));
        Cli resumed = Cli.run(resume.toArray(String[]::new)).assertOk();
        // the resumed run says how many estimates it reused and how many it computed
        assertTrue(resumed.out().contains("resumed: " + before + " estimates reused from " + est + ", " + (96 - before) + " computed now"),
                resumed.out());
        assertEquals(before, RunTest.summary(killed).path("timing").path("estimates_reused").asInt(), "all persisted estimates reused");
        List<String> fresh = new ArrayList<>(List.of(args));
        fresh.addAll(List.of("--out", whole.toString()));
        Cli.run(fresh.toArray(String[]::new)).assertOk();

        try (var files = Files.walk(killed)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().contains(".tmp-")), "no temp files remain");
        }
        JsonNode a = RunTest.summary(killed), b = RunTest.summary(whole);
        assertEquals("complete", a.get("status").asText());
        for (String key : new String[] {"macro", "micro", "E"}) {
            for (int l = 0; l < a.get(key).size(); l++) {
                for (int t = 0; t < a.get(key).get(l).size(); t++) {
                    assertEquals(b.get(key).get(l).get(t).get("bits").asDouble(), a.get(key).get(l).get(t).get("bits").asDouble(),
                            1e-9, key + " l" + l + " t" + t);
                }
            }
        }
        assertEquals(b.get("IE").get("bits").asDouble(), a.get("IE").get("bits").asDouble(), 1e-9);
        // identical rows but the timing column (the last); emergence.csv identical
        List<String> x = Files.readAllLines(whole.resolve("results.csv")), y = Files.readAllLines(killed.resolve("results.csv"));
        assertEquals(x.size(), y.size());
        assertTrue(x.get(0).endsWith(",seconds"), x.get(0));
        for (int i = 0; i < x.size(); i++) assertEquals(withoutLastColumn(x.get(i)), withoutLastColumn(y.get(i)), "results.csv row " + i);
        assertEquals(Files.readString(whole.resolve("emergence.csv")), Files.readString(killed.resolve("emergence.csv")));
    }

    @Test
    void aRunDirectoryWithOtherSettingsIsRefusedAndLeftAlone() throws Exception {
        Path model = WordTokenizer.goldenWithTokenizer("gpt2", List.of());
        Path run = TestFiles.tempDir("resume-other");
        Cli.run("run", "--model", model.toString(), "--dataset", "icl:animal:shots=2", "--n", "100", "--estimator", "gaussian",
                "--quiet", "--out", run.toString()).assertOk();
        String settings = Files.readString(run.resolve("settings.json"));
        String summary = Files.readString(run.resolve("summary.json"));
        Cli.run("run", "--model", model.toString(), "--dataset", "icl:animal:shots=2", "--n", "120", "--estimator", "gaussian",
                "--quiet", "--out", run.toString()).assertUserError("different settings", "n (this run: 120, directory: 100)");
        Cli.run("run", "--model", model.toString(), "--dataset", "icl:animal:shots=2", "--n", "100", "--estimator", "gaussian",
                "--noise", "0.3", "--quiet", "--out", run.toString()).assertUserError("noise");
        assertEquals(settings, Files.readString(run.resolve("settings.json")));
        assertEquals(summary, Files.readString(run.resolve("summary.json")));
    }

    private static String withoutLastColumn(String line) {
        return line.substring(0, line.lastIndexOf(','));
    }

    private static int count(Path dir) {
        File[] f = dir.toFile().listFiles((d, name) -> name.endsWith(".json"));
        return f == null ? 0 : f.length;
    }
}
