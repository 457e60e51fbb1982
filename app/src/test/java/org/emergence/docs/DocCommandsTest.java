package org.emergence.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.emergence.TestFiles;
import org.emergence.cli.Main;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code ./emergence …} command written in README.md and docs/*.md, inside a code block, parses: the command
 * exists and every option it names exists and takes the value shown. Synopsis lines (with {@code [optional]} or
 * {@code a|b} alternatives) are skipped. The commands are parsed, not executed (several run for minutes); the
 * project's end-to-end tests execute the main ones.
 */
class DocCommandsTest {
    @Test
    void everyDocumentedCommandParses() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(TestFiles.repo("README.md"));
        try (Stream<Path> s = Files.list(TestFiles.repo("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<String> failures = new ArrayList<>();
        int parsed = 0;
        for (Path f : files) {
            boolean code = false;
            int no = 0;
            for (String line : Files.readAllLines(f)) {
                no++;
                if (line.strip().startsWith("```")) {
                    code = !code;
                    continue;
                }
                String cmd = commandOf(line, code);
                if (cmd == null) continue;
                List<String> args = split(cmd);
                try {
                    new CommandLine(new Main()).parseArgs(args.toArray(String[]::new));
                    parsed++;
                } catch (CommandLine.ParameterException e) {
                    failures.add(f + ":" + no + ": " + cmd + "  ->  " + e.getMessage());
                }
            }
        }
        assertTrue(failures.isEmpty(), "documented commands that do not parse:\n" + String.join("\n", failures));
        assertTrue(parsed >= 10, "only " + parsed + " documented commands found: is the scan broken?");
    }

    /** The arguments of a documented command line (after {@code ./emergence}), or null when it is not one to check. */
    static String commandOf(String line, boolean inCode) {
        String s = line.strip();
        if (!inCode) {
            // inline code: `./emergence run --model tinylm`
            int i = s.indexOf("`./emergence ");
            if (i < 0) return null;
            int end = s.indexOf('`', i + 1);
            if (end < 0) return null;
            s = s.substring(i + 1, end);
        }
        if (!s.startsWith("./emergence ")) return null;
        int hash = s.indexOf(" #");
        if (hash >= 0) s = s.substring(0, hash);
        s = s.substring("./emergence ".length()).strip();
        if (s.contains("[") || s.contains("|") || s.contains("…") || s.endsWith("\\") || s.contains("$(")) return null; // synopsis or shell
        if (!inCode && !s.contains(" ")) return null; // a command named in prose (`./emergence capture`), not a command line
        return s;
    }

    /** Shell-like split: whitespace outside single or double quotes. */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (char c : s.toCharArray()) {
            if (quote != 0) {
                if (c == quote) quote = 0;
                else cur.append(c);
            } else if (c == '"' || c == '\'') {
                quote = c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (cur.length() > 0 || any) out.add(cur.toString());
                cur.setLength(0);
                any = false;
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0 || any) out.add(cur.toString());
        return out;
    }
}
