package org.emergence.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.emergence.Cli;
import org.emergence.TestFiles;
import org.junit.jupiter.api.Test;

/**
 * The report as a browser shows it (headless Chromium, {@link Browser}): no horizontal overflow at 900 and 1400 px
 * (issue 25, bug 5: the dataset's entities row ran off the page), for a synthetic run with long list values and for
 * a real MiniLM run; full-page screenshots go to target/screenshots/ for a human to look at
 * ({@code mvn test -Dtest=ReportPageTest}, or tools/screenshots for any run directory).
 */
class ReportPageTest {
    static final Path SHOTS = Path.of("target", "screenshots");
    static final String[] ANIMALS = ("lion tiger wolf bear fox horse cow pig sheep goat dog cat mouse rabbit deer monkey elephant "
            + "giraffe zebra camel kangaroo koala panda otter seal whale dolphin shark eagle owl parrot duck goose swan frog snake "
            + "turtle lizard spider").split(" ");

    /** Loads {@code page} at each width, saves a screenshot, and fails naming what sticks out to the right. */
    static void assertNoHorizontalOverflow(Path page, String name) throws Exception {
        Files.createDirectories(SHOTS);
        try (Browser b = Browser.start()) {
            for (int width : new int[] {900, 1400}) {
                b.open(page, width);
                JsonNode o = b.overflow();
                Files.write(SHOTS.resolve(name + "-" + width + ".png"), b.screenshot());
                assertTrue(o.path("scrollWidth").asInt() <= o.path("clientWidth").asInt() && o.path("offenders").isEmpty(),
                        name + " overflows at " + width + " px: " + o);
            }
        }
    }

    @Test
    void aSyntheticReportWithLongListsFitsTheWindow() throws Exception {
        ObjectNode s = Runs.complete(6, 18, false);
        ObjectNode details = (ObjectNode) s.path("dataset").path("details");
        ArrayNode ents = details.putArray("entities");
        for (String a : ANIMALS) ents.add(a);
        details.put("long_token", "x".repeat(300));
        Path run = Runs.dir("page-synthetic", s);
        assertNoHorizontalOverflow(Report.build(run), "report-synthetic");
    }

    @Test
    void aRealMinilmReportFitsTheWindow() throws Exception {
        Path run = TestFiles.tempDir("page-minilm");
        // the 0.1 measurement (raw, one σ), which minilm's validity entry was measured with
        Cli.run("run", "--model", "minilm", "--null-twins", "0", "--noise-scales", "1", "--n", "40", "--layers", "1,2", "--quiet", "--out",
                run.toString()).assertOk();
        assertNoHorizontalOverflow(run.resolve("report.html"), "report-minilm");
        String page = Files.readString(run.resolve("report.html"));
        assertTrue(page.contains("bits") && !page.contains(" nats"), "a report in bits quotes no nats");
        // the shipped verdicts are per model and measurement: a MiniLM report never lists tinylm's
        assertTrue(page.contains("id=\"validity\"") && !page.contains("tinylm (causal"), "the validity box shows this model's controls only");
    }
}
