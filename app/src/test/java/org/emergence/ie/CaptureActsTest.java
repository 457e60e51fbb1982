package org.emergence.ie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.emergence.Cli;
import org.emergence.TestFiles;
import org.junit.jupiter.api.Test;

/**
 * One activation layout: {@code capture --format acts} writes the layout {@code run --acts} reads, so a capture can be
 * measured — and measuring it gives the numbers {@code run} gives on the same sequences (causal and encoder, lone
 * tokens with and without special tokens).
 */
class CaptureActsTest {
    /** Every MI of a run's results.csv, in row order (layer, position, level). */
    static List<List<String>> mis(Path run) throws Exception {
        List<List<String>> rows = EmergenceTableTest.readCsv(run.resolve("results.csv"));
        return rows.subList(1, rows.size()).stream().map(r -> List.of(r.get(0), r.get(1), r.get(2), r.get(4), r.get(5), r.get(6))).toList();
    }

    private static void captureThenMeasure(String name, String... runArgs) throws Exception {
        Path base = TestFiles.tempDir("capture-acts-" + name);
        Path acts = base.resolve("acts"), direct = base.resolve("direct"), measured = base.resolve("measured");
        List<String> capture = new java.util.ArrayList<>(List.of("capture", "--format", "acts", "--quiet", "--out", acts.toString()));
        capture.addAll(List.of(runArgs));
        Cli c = Cli.run(capture.toArray(String[]::new)).assertOk();
        assertTrue(c.out().contains("measure it: emergence run --acts " + acts), c.out());
        // run --acts measures raw (untrained twins need the model): the direct run too
        List<String> run = new java.util.ArrayList<>(List.of("run", "--null-twins", "0", "--quiet", "--out", direct.toString()));
        run.addAll(List.of(runArgs));
        Cli.run(run.toArray(String[]::new)).assertOk();
        // the layout holds every block between the captured ones (--layers 1,3 writes h1 … h4): measure the same blocks
        List<String> fromActs = new java.util.ArrayList<>(List.of("run", "--null-twins", "0", "--acts", acts.toString(), "--quiet", "--out", measured.toString()));
        int li = List.of(runArgs).indexOf("--layers");
        if (li >= 0) fromActs.addAll(List.of("--layers", runArgs[li + 1]));
        Cli.run(fromActs.toArray(String[]::new)).assertOk();
        assertEquals(mis(direct), mis(measured), name + ": the captured layout measures like the run");
        JsonNode a = RunTest.summary(direct), b = RunTest.summary(measured);
        assertEquals(a.path("IE").path("bits").asDouble(), b.path("IE").path("bits").asDouble(), 0, name);
        assertEquals(a.path("settings").path("micro_specials").asBoolean(), b.path("settings").path("micro_specials").asBoolean(), name);
        JsonNode manifest = RunTest.JSON.readTree(acts.resolve("manifest.json").toFile());
        assertTrue(manifest.path("source").asText().contains("capture --format acts"), manifest.toString());
    }

    @Test
    void aCausalCaptureMeasuresLikeTheRun() throws Exception {
        captureThenMeasure("tinylm", "--model", "tinylm", "--dataset", "icl:animal:shots=2", "--n", "24", "--layers", "1,3");
    }

    @Test
    void anEncoderCaptureWithLoneTokensBetweenSpecialsMeasuresLikeTheRun() throws Exception {
        captureThenMeasure("minilm", "--model", "minilm", "--n", "24", "--layers", "2", "--dataset", "icl:color:shots=2");
    }

    @Test
    void linesOfTextMakeAMeasurableLayoutAndWrongCombinationsAreRefused() throws Exception {
        Path base = TestFiles.tempDir("capture-acts-lines");
        Path lines = Files.writeString(base.resolve("s.txt"), "the cat sat on the mat\nthe dog ran to the park\n".repeat(6));
        Cli.run("capture", "--model", "tinylm", "--lines", lines.toString(), "--format", "acts", "--layers", "0", "--quiet", "--out",
                base.resolve("a").toString()).assertOk();
        Cli.run("run", "--null-twins", "0", "--acts", base.resolve("a").toString(), "--quiet", "--out", base.resolve("r").toString()).assertOk();
        assertEquals(12, RunTest.summary(base.resolve("r")).path("dataset").path("n").asInt());
        Cli.run("capture", "--model", "tinylm", "--lines", lines.toString(), "--format", "acts", "--keep-positions", "0", "--out",
                base.resolve("b").toString()).assertUserError("--keep-positions does not apply to --format acts");
        Cli.run("capture", "--model", "tinylm", "--lines", lines.toString(), "--n", "5", "--out", base.resolve("c").toString())
                .assertUserError("--n applies to --dataset");
        // the old spelling --text still reads a file of lines, with a note
        Cli old = Cli.run("capture", "--model", "tinylm", "--text", lines.toString(), "--layers", "0", "--quiet", "--out",
                base.resolve("d").toString()).assertOk();
        assertTrue(old.err().contains("note: capture --text FILE is the old spelling of --lines FILE"), old.err());
        assertTrue(Files.isRegularFile(base.resolve("d").resolve("block_inputs.npy")), "stacked is still the default");
    }
}
