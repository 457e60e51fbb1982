package org.emergence.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.emergence.Cli;
import org.emergence.TestFiles;
import org.junit.jupiter.api.Test;

/** `emergence report RUN_DIR`: prints report.html's path; every bad input is one line and exit 2. */
class ReportCommandTest {
    private static Cli report(Path run) {
        return Cli.run("report", run.toString());
    }

    @Test
    void buildsAndPrintsThePath() throws IOException {
        Path run = Runs.dir("cli-ok", Runs.complete(4, 6, true));
        Cli r = report(run).assertOk();
        assertEquals(run.resolve("report.html").toString(), r.out().strip());
        assertTrue(Files.isRegularFile(run.resolve("report.html")));
        assertTrue(Files.isRegularFile(run.resolve("charts/e_heatmap.png")));
        assertEquals("", r.err());
    }

    @Test
    void partialRun() throws IOException {
        ObjectNode s = Runs.complete(4, 6, true);
        s.put("status", "partial");
        s.putNull("IE");
        s.remove("E");
        report(Runs.dir("cli-partial", s)).assertOk();
    }

    @Test
    void missingRunDir() {
        report(Path.of("target/no-such-run")).assertUserError("run directory not found", "no-such-run");
    }

    @Test
    void runDirIsAFile() throws IOException {
        Path f = TestFiles.tempDir("cli-file").resolve("x.txt");
        Files.writeString(f, "x");
        report(f).assertUserError("not a directory", "x.txt");
    }

    @Test
    void noSummary() throws IOException {
        Path d = TestFiles.tempDir("cli-nosummary");
        report(d).assertUserError("no summary.json in", d.toString());
    }

    @Test
    void invalidJson() throws IOException {
        Path d = Runs.dir("cli-badjson", "{\"status\": \"complete\",\n \"model\": {\"name\": \"x\"\n");
        report(d).assertUserError("summary.json: not valid JSON", "line");
    }

    @Test
    void trailingGarbage() throws IOException {
        report(Runs.dir("cli-trailing", "{\"status\": \"complete\"} xyz")).assertUserError("summary.json: not valid JSON");
    }

    @Test
    void emptyFile() throws IOException {
        report(Runs.dir("cli-empty", "")).assertUserError("summary.json: empty file");
        report(Runs.dir("cli-blank", "  \n")).assertUserError("summary.json: empty file");
    }

    @Test
    void notAnObject() throws IOException {
        report(Runs.dir("cli-array", "[1, 2]")).assertUserError("summary.json", "expected a JSON object");
    }

    @Test
    void missingRequiredFields() throws IOException {
        for (String field : new String[] {"status", "model", "dataset", "layers", "positions"}) {
            ObjectNode s = Runs.complete(2, 3, true);
            s.remove(field);
            report(Runs.dir("cli-missing-" + field, s)).assertUserError("summary.json", "missing required field \"" + field + "\"");
        }
    }

    @Test
    void wrongTypes() throws IOException {
        ObjectNode s = Runs.complete(2, 3, true);
        s.put("layers", "0-5");
        report(Runs.dir("cli-layers-type", s)).assertUserError("summary.json", "\"layers\" must be an array of integers");

        s = Runs.complete(2, 3, true);
        s.put("status", "running");
        report(Runs.dir("cli-status", s)).assertUserError("\"status\" must be \"complete\" or \"partial\"", "running");

        s = Runs.complete(2, 3, true);
        ((ObjectNode) s.get("E").get(1).get(2)).put("bits", "lots");
        report(Runs.dir("cli-bits", s)).assertUserError("summary.json", "E[1][2].bits", "must be a number or null");

        s = Runs.complete(2, 3, true);
        s.put("E", 3);
        report(Runs.dir("cli-e-type", s)).assertUserError("\"E\" must be an array of rows");
    }

    @Test
    void inconsistentShapes() throws IOException {
        ObjectNode s = Runs.complete(2, 3, true);
        ((com.fasterxml.jackson.databind.node.ArrayNode) s.get("macro")).addArray();
        report(Runs.dir("cli-rows", s)).assertUserError("\"macro\" has 3 rows but \"layers\" lists 2");

        s = Runs.complete(2, 3, true);
        ((com.fasterxml.jackson.databind.node.ArrayNode) s.get("E").get(0)).addNull();
        report(Runs.dir("cli-cols", s)).assertUserError("\"E[0]\" has 4 entries but \"positions\" lists 3");

        s = Runs.complete(2, 3, true);
        ((ObjectNode) s.get("E_layer").get(1)).put("layer", 9);
        report(Runs.dir("cli-elayer", s)).assertUserError("E_layer[1]", "layer 9");

        s = Runs.complete(2, 3, true);
        ((com.fasterxml.jackson.databind.node.ArrayNode) s.get("positions")).add(1);
        report(Runs.dir("cli-dup", s)).assertUserError("\"positions\" lists 1 twice");
    }

    @Test
    void missingArgument() {
        Cli r = Cli.run("report");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("RUN_DIR"), r.err());
    }
}
