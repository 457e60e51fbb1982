package org.emergence.ie;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.emergence.Cli;
import org.emergence.TestFiles;
import org.emergence.WordTokenizer;
import org.junit.jupiter.api.Test;

/** Bad datasets and settings: one line, exit 2, and no run directory a later run would trust. */
class RunBadInputTest {
    private static Cli run(Path model, Path out, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("run", "--model", model.toString(), "--quiet", "--out", out.toString()));
        a.addAll(List.of(more));
        return Cli.run(a.toArray(String[]::new));
    }

    @Test
    void badDatasetsLeaveNothingBehind() throws Exception {
        Path model = WordTokenizer.goldenWithTokenizer("gpt2", List.of("the", "cat", "sat", "on", "mat", "a", "dog", "ran"));
        Path base = TestFiles.tempDir("runbad");
        Path out = base.resolve("out");
        run(model, out, "--dataset", "icl:planets").assertUserError("unknown category 'planets'", "animal", "country", "color");
        Path empty = base.resolve("empty.txt");
        Files.writeString(empty, "");
        run(model, out, "--dataset", "text:" + empty, "--t", "4").assertUserError("empty.txt", "empty");
        Path small = base.resolve("small.txt");
        Files.writeString(small, "The cat sat on a mat. A dog ran on the mat. The cat sat.\n");
        run(model, out, "--dataset", "text:" + small, "--t", "4", "--n", "50").assertUserError("only 2 windows of 4 tokens", "--n 50");
        run(model, out, "--dataset", "icl:animal:shots=4", "--t", "9").assertUserError("--t 9", "8 tokens");
        run(model, out, "--dataset", "icl:animal", "--t", "7").assertUserError("--t 7", "not reachable");
        run(model, out, "--dataset", "icl:animal:shots=4:color=red").assertUserError("unknown option 'color'");
        run(model, out, "--dataset", "nonsense:x").assertUserError("unknown kind 'nonsense'");
        run(model, out, "--dataset", "icl:animal", "--estimator", "magic").assertUserError("unknown estimator 'magic'");
        run(model, out, "--dataset", "random", "--t", "100").assertUserError("--t 100", "64 positions");
        run(model, out, "--dataset", "icl:animal", "--layers", "7").assertUserError("--layers", "7");
        assertFalse(Files.exists(out), "a refused run creates no directory");
    }

    @Test
    void textWindowsFollowThePapersRules() throws Exception {
        Path model = WordTokenizer.goldenWithTokenizer("gpt2", List.of("the", "cat", "sat", "on", "mat", "a", "dog", "ran", "big"));
        Path base = TestFiles.tempDir("runtext");
        Path text = base.resolve("t.txt");
        // windows start after a period and may not contain : ? ; - or a newline
        Files.writeString(text, "The cat sat. A big dog ran on the mat. The dog: a cat? The cat sat on a mat.\n\n"
                + "A dog ran. The cat sat on\nthe mat. The big dog ran on a mat.\n\nA cat ran. The dog sat on a mat. A cat sat.\n");
        Path out = base.resolve("run");
        Cli.run("run", "--model", model.toString(), "--dataset", "text:" + text + ":pick=first", "--t", "5", "--n", "3", "--estimator",
                "discrete-exact", "--noise", "0", "--quiet", "--out", out.toString()).assertOk();
        long[] ids = org.emergence.data.Npy.readLongs(out.resolve("tokens.npy"), org.emergence.data.Npy.header(out.resolve("tokens.npy")));
        org.junit.jupiter.api.Assertions.assertEquals(15, ids.length);
        // the only clean windows: after "sat." (doc 1), after "mat." (doc 2, the first candidate spans a newline),
        // after "ran." (doc 3); "the dog: a cat" (colon) and windows after "?" are never taken
        try (org.emergence.tokenize.Tokenizer tok = org.emergence.tokenize.Tokenizer.fromModelDir(model)) {
            String[] expect = {"a big dog ran on", "the big dog ran on", "the dog sat on a"};
            for (int w = 0; w < 3; w++) {
                int[] e = tok.encode(expect[w], false);
                for (int i = 0; i < 5; i++) org.junit.jupiter.api.Assertions.assertEquals(e[i], ids[w * 5 + i], "window " + w);
            }
        }
        String summary = Files.readString(out.resolve("summary.json"));
        org.junit.jupiter.api.Assertions.assertTrue(summary.contains("\"windows_kept\" : 3"), summary);
    }
}
