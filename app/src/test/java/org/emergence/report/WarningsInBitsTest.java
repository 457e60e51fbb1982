package org.emergence.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.emergence.Cli;
import org.emergence.TestFiles;
import org.junit.jupiter.api.Test;

/**
 * Issue 25, item 5: a report in bits quotes no nats. The MI library words its warnings in nats (est files keep them
 * so); the run restates them in bits in summary.json, results.csv and hence report.html. A real run rarely warns, so
 * the warning is planted in one estimate file and the finished run is resumed, which rebuilds its outputs from them.
 */
class WarningsInBitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anEstimatorsWarningInNatsReachesTheReportInBits() throws Exception {
        Path run = TestFiles.tempDir("warnings-bits");
        String[] cmd = {"run", "--model", "tinylm", "--n", "48", "--layers", "2", "--null-twins", "0", "--quiet", "--out", run.toString()};
        Cli.run(cmd).assertOk();
        Path est;
        try (var files = Files.list(run.resolve("est"))) {
            est = files.filter(p -> p.getFileName().toString().startsWith("macro_")).sorted().findFirst().orElseThrow();
        }
        ObjectNode j = (ObjectNode) JSON.readTree(est.toFile());
        ((ArrayNode) j.get("warnings")).add("noise small next to the spacing of the samples: the estimate 2.000 nats is within 5% of "
                + "the entropy of the 48 distinct sample pairs (2.079 nats), a property of the dataset");
        Files.writeString(est, JSON.writeValueAsString(j));
        Cli.run(cmd).assertOk();

        JsonNode s = JSON.readTree(run.resolve("summary.json").toFile());
        String planted = null;
        for (JsonNode w : s.path("warnings")) if (w.asText().contains("noise small")) planted = w.asText();
        assertTrue(planted != null, "the planted warning is in summary.json: " + s.path("warnings"));
        assertTrue(planted.contains("the estimate 2.885 bits") && planted.contains("(2.999 bits)"), planted);
        assertFalse(planted.contains("nats"), planted);
        String csv = Files.readString(run.resolve("results.csv"));
        assertTrue(csv.contains("2.885 bits") && !csv.contains("nats"), "results.csv in bits");
        String page = Files.readString(run.resolve("report.html"));
        assertTrue(page.contains("the estimate 2.885 bits"), "the report quotes the warning in bits");
        assertFalse(page.contains("nats"), "a report in bits quotes no nats");
    }
}
