package org.emergence.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import org.emergence.ie.RunRequest;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** RunRequest's builder: the command line's defaults, and every value carried through toBuilder and the with* methods. */
class RunRequestBuilderTest {
    private static RunRequest parsed(String... args) {
        RunCommand cmd = new RunCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.request();
    }

    @Test
    void theBuildersDefaultsAreTheCommandLines() {
        RunRequest cli = parsed();
        // quiet is process-wide state of the command line (CommonOptions), not a default of the request
        assertEquals(cli, RunRequest.builder().quiet(cli.quiet()).build());
        RunRequest paper = parsed("--preset", "paper", "--model", "tinylm", "--n", "60", "--layers", "0-1");
        assertEquals(paper, RunRequest.builder().model("tinylm").n(60).layers("0-1").noise(0).pairing("prefix").microPosition("zero")
                .microSpecials("no").specialTokens("no").positions("last").nullTwins(0).noiseScales(1).quiet(paper.quiet()).build());
    }

    @Test
    void everyValueSurvivesToBuilderAndTheWithMethodsChangeOnlyTheirs() {
        RunRequest r = RunRequest.builder().model("m").dataset("text:builtin").n(77).t(9).layers("1,3").seed(5).ablate("untrained:1")
                .estimator("gaussian").noise(0.5).noiseScale("absolute").microPosition("zero").microSpecials("yes").pairing("prefix")
                .positions("all").groups(7).discreteThreshold(0.2).specialTokens("no").batch(3).out(Path.of("o")).keepActivations(true)
                .quiet(true).force(true).noiseReference(Path.of("ref")).nullTwins(4).twinRoot(Path.of("tw")).noiseScales(2).build();
        assertEquals(r, r.toBuilder().build());
        assertNotEquals(RunRequest.builder().build(), r);
        assertEquals(r.toBuilder().dataset("icl:animal").build(), r.withDataset("icl:animal"));
        assertEquals(r.toBuilder().n(10).t(4).build(), r.withN(10, 4));
        assertEquals(r.toBuilder().twinRoot(Path.of("x")).build(), r.withTwinRoot(Path.of("x")));
        assertEquals(r.toBuilder().noiseReference(null).build(), r.withNoiseReference(null));
        assertEquals(r.toBuilder().model("q").dataset("d").seed(9).ablate("none").noise(3).out(Path.of("z")).build(),
                r.with("q", "d", 9, "none", 3, Path.of("z")));
    }
}
