package org.emergence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Python package (python/emergence) is tested by its own unittest suite (python/tests), run here so that the
 * README's test command runs it: {@code python3 -m unittest discover -s python/tests -t python}, with the CLI the
 * tests call being this build's classes ({@code EMERGENCE="java -cp … org.emergence.cli.Main"}). Needs a Python 3
 * with numpy and pandas (Debian: python3-numpy, python3-pandas; .ci/run installs them); without one the test is
 * skipped with a message, unless {@code EMERGENCE_REQUIRE_PYTHON=1} (set by .ci/run), where it fails. Tagged slow: the
 * Python tests run whole commands in child JVMs (96 s of the 4-minute fast loop when it was not).
 */
@Tag("slow")
class PythonPackageTest {
    /** A Python interpreter that imports numpy and pandas, or null. */
    static String python() throws InterruptedException {
        List<String> candidates = new ArrayList<>();
        String env = System.getenv("EMERGENCE_PYTHON");
        if (env != null && !env.isBlank()) candidates.add(env);
        candidates.add("/usr/bin/python3");
        candidates.add("python3");
        for (String c : candidates) {
            try {
                Process p = new ProcessBuilder(c, "-c", "import numpy, pandas").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) return c;
            } catch (IOException notThere) {
                // try the next one
            }
        }
        return null;
    }

    /** The CLI of this build as one shell-quoted command line. */
    static String cliCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        List<String> parts = List.of(java, "--enable-native-access=ALL-UNNAMED", "-Djava.awt.headless=true", "-cp", cp,
                "org.emergence.cli.Main");
        List<String> quoted = new ArrayList<>();
        for (String p : parts) quoted.add("'" + p.replace("'", "'\"'\"'") + "'");
        return String.join(" ", quoted);
    }

    @Test
    void thePythonPackagesTestsPass() throws Exception {
        String python = python();
        if (python == null) {
            String why = "no Python 3 with numpy and pandas (apt-get install python3-numpy python3-pandas; .ci/run installs them)";
            if ("1".equals(System.getenv("EMERGENCE_REQUIRE_PYTHON"))) throw new AssertionError(why);
            Assumptions.abort(why);
        }
        Path fixtures = TestFiles.tempDir("python-fixtures");
        ProcessBuilder pb = new ProcessBuilder(python, "-m", "unittest", "discover", "-s", TestFiles.repo("python", "tests").toString(), "-t",
                TestFiles.repo("python").toString(), "-v").redirectErrorStream(true);
        pb.environment().put("PYTHONPATH", TestFiles.repo("python").toString());
        pb.environment().put("EMERGENCE", cliCommand());
        pb.environment().put("EMERGENCE_TEST_FIXTURES", fixtures.toAbsolutePath().toString());
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Path log = fixtures.resolve("unittest.log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        boolean done = p.waitFor(30, TimeUnit.MINUTES);
        if (!done) p.destroyForcibly();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(out);
        assertTrue(done, "python unittest did not finish in 30 minutes:\n" + out);
        assertEquals(0, p.exitValue(), "python unittest failed:\n" + out);
        Matcher m = Pattern.compile("Ran (\\d+) tests?").matcher(out);
        assertTrue(m.find() && Integer.parseInt(m.group(1)) >= 10, "the Python suite ran its tests:\n" + out);
        assertTrue(TestFiles.repo("python", "emergence", "__init__.py").toFile().isFile());
    }
}
