package org.emergence;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.emergence.cli.Main;

/** Runs the CLI in-process and keeps exit code, stdout and stderr. */
public record Cli(int code, String out, String err) {
    public static Cli run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Cli(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    /** stderr is exactly one line starting "emergence: error:" and mentioning every fragment; exit 2. */
    public Cli assertUserError(String... fragments) {
        if (code != 2) throw new AssertionError("expected exit 2, got " + code + "\nstdout: " + out + "\nstderr: " + err);
        String[] lines = err.strip().split("\n");
        if (lines.length != 1) throw new AssertionError("expected one line on stderr, got:\n" + err);
        if (!lines[0].startsWith("emergence: error: ")) throw new AssertionError("unexpected message: " + lines[0]);
        for (String f : fragments) {
            if (!lines[0].contains(f)) throw new AssertionError("message lacks '" + f + "': " + lines[0]);
        }
        return this;
    }

    public Cli assertOk() {
        if (code != 0) throw new AssertionError("expected exit 0, got " + code + "\nstdout: " + out + "\nstderr: " + err);
        return this;
    }
}
