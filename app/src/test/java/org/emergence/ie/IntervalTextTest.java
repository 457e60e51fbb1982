package org.emergence.ie;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.emergence.Cli;
import org.emergence.TestFiles;
import org.junit.jupiter.api.Test;

/**
 * Issue 25, bug 4: the interval text names the groups and the t quantile the run actually used (a small N has
 * fewer groups than --groups asks for), and a run whose intervals lose the sampling error says so on stdout.
 */
class IntervalTextTest {
    @Test
    void fewSequencesNameTheGroupsActuallyUsed() throws Exception {
        Path run = TestFiles.tempDir("interval-n19");
        Cli r = Cli.run("run", "--model", "tinylm", "--n", "19", "--layers", "1", "--quiet", "--out", run.toString()).assertOk();
        JsonNode s = RunTest.summary(run);
        String method = s.path("interval_method").asText();
        // 19 sequences: groups of at least two, a multiple of 4 → 8 groups, t(7)
        assertTrue(method.contains("over 8 random groups of the 19 sequences"), method);
        assertTrue(method.contains("t(7)"), method);
        assertFalse(method.contains("t(19)") || method.contains("20 random groups"), method);
        String page = Files.readString(run.resolve("report.html"));
        assertTrue(page.contains("over 8 random groups") && page.contains("t(7)"), "the report quotes the groups used");
        assertFalse(r.out().contains("sampling error"), r.out());
    }

    @Test
    void droppedSamplingErrorIsSaidOnStdout() throws Exception {
        Path run = TestFiles.tempDir("interval-n5");
        Cli r = Cli.run("run", "--model", "tinylm", "--n", "5", "--layers", "1", "--quiet", "--out", run.toString()).assertOk();
        assertTrue(r.out().contains("warning: intervals omit the sampling error of the dataset draw"), r.out());
        assertTrue(r.out().contains("5 sequences are too few for the jackknife"), r.out());
        String method = RunTest.summary(run).path("interval_method").asText();
        assertTrue(method.contains("5 sequences are too few"), method);
        assertFalse(method.contains("run with --groups > 0"), "the hint fits --groups 0, not a small N: " + method);
    }

    @Test
    void typedGroupsThatNCannotHoldAreRefusedEvenAtTheDefaultCount() throws Exception {
        // the default count shrinks silently (above); the same count typed on the command line is a request N cannot meet
        Path run = TestFiles.tempDir("interval-typed");
        Cli.run("run", "--model", "tinylm", "--n", "19", "--groups", "20", "--layers", "1", "--out", run.resolve("a").toString())
                .assertUserError("--groups 20", "allows at most 9 groups");
        Cli.run("run", "--model", "tinylm", "--n", "19", "--groups", "-4", "--layers", "1", "--out", run.resolve("b").toString())
                .assertUserError("--groups must be 0 or more, got -4");
    }
}
