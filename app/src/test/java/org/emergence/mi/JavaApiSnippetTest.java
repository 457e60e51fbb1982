package org.emergence.mi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.emergence.Cli;
import org.emergence.TestFiles;
import org.junit.jupiter.api.Test;

/**
 * Issue 25, bug 3: the documented Java snippet compiles and its estimator lines run (the mixture line threw a
 * command-line message, "give --noise SIGMA"); a library call without noise gets a library message naming the
 * API, and the CLI keeps its one-line error.
 */
class JavaApiSnippetTest {
    /** The names the snippets use for their inputs: samples as matrices, or as row-major arrays with their sizes. */
    private static final String PARAMS = "Matrix x, Matrix y, long seed, float[] xs, float[] ys, int n, int dx, int dy";
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    /** The documented snippet(s) that use the estimators: README and every docs page. */
    static List<String> snippets() throws IOException {
        List<Path> files = new ArrayList<>(List.of(TestFiles.repo("README.md")));
        if (Files.isDirectory(TestFiles.repo("docs"))) {
            try (Stream<Path> s = Files.walk(TestFiles.repo("docs"))) {
                s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
            }
        }
        List<String> out = new ArrayList<>();
        for (Path f : files) {
            Matcher m = JAVA_BLOCK.matcher(Files.readString(f));
            while (m.find()) if (m.group(1).contains("Estimators.")) out.add(m.group(1));
        }
        return out;
    }

    @Test
    void theDocumentedSnippetCompilesAndItsEstimatorLinesRun() throws Exception {
        List<String> snippets = snippets();
        assertFalse(snippets.isEmpty(), "a documented Java snippet uses Estimators");
        Random r = new Random(1);
        int n = 200;
        float[] x = new float[n * 2], y = new float[n * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
            y[i] = (float) (x[i] + 0.5 * r.nextGaussian());
        }
        for (String snippet : snippets) {
            // the whole snippet must compile; the statements from the first estimate on run on real samples
            List<String> estimatorLines = new ArrayList<>();
            boolean on = false;
            for (String line : snippet.split("\n")) {
                on |= line.contains("Estimators.");
                if (on) estimatorLines.add(line);
            }
            String src = "import java.nio.file.*;\nimport org.emergence.model.*;\nimport org.emergence.mi.*;\n"
                    + "public class Snippet {\n"
                    + "  public static void all(" + PARAMS + ") throws Exception {\n" + snippet + "\n  }\n"
                    + "  public static void estimators(" + PARAMS + ") throws Exception {\n"
                    + String.join("\n", estimatorLines) + "\n  }\n}\n";
            Path dir = TestFiles.tempDir("snippet");
            Files.writeString(dir.resolve("Snippet.java"), src);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            assertNotNull(javac, "the tests run on a JDK");
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            int code = javac.run(null, null, err, "-proc:none", "-cp", classpath(), "-d", dir.toString(),
                    dir.resolve("Snippet.java").toString());
            assertEquals(0, code, "the documented snippet compiles:\n" + err + "\n" + src);
            try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
                Method m = cl.loadClass("Snippet").getMethod("estimators", Matrix.class, Matrix.class, long.class, float[].class,
                        float[].class, int.class, int.class, int.class);
                try {
                    m.invoke(null, new Matrix(x, n, 2), new Matrix(y, n, 2), 7L, x, y, n, 2, 2);
                } catch (InvocationTargetException e) {
                    throw new AssertionError("the documented estimator lines throw: " + e.getCause(), e.getCause());
                }
            }
        }
    }

    private static String classpath() {
        List<String> parts = new ArrayList<>();
        ClassLoader cl = JavaApiSnippetTest.class.getClassLoader();
        if (cl instanceof URLClassLoader u) for (URL url : u.getURLs()) parts.add(url.getPath());
        parts.add(System.getProperty("java.class.path"));
        // the project's own classes wherever they are loaded from
        parts.add(new File(Estimators.class.getProtectionDomain().getCodeSource().getLocation().getPath()).getPath());
        parts.add(new File(org.emergence.model.Transformer.class.getProtectionDomain().getCodeSource().getLocation().getPath()).getPath());
        return String.join(File.pathSeparator, parts);
    }

    @Test
    void aMixtureWithoutNoiseIsALibraryErrorNamingTheApi() {
        Matrix x = new Matrix(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 8, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Estimators.get("mixture").estimate(x, x, 0));
        assertTrue(e.getMessage().contains("Estimators.withRelativeNoise"), e.getMessage());
        assertFalse(e.getMessage().contains("--noise"), "no command-line wording from a library call: " + e.getMessage());
        assertTrue(Estimators.withRelativeNoise(Estimators.get("mixture"), 2.0).estimate(x, x, 0).bits() > 0);
        assertTrue(Estimators.needsNoise(Estimators.get("mixture")) && Estimators.needsNoise(Estimators.get("auto:base=mixture")));
        assertFalse(Estimators.needsNoise(Estimators.get("gaussian")));
    }

    @Test
    void theCliKeepsItsOneLineErrorAndListsMixture() throws IOException {
        Path d = TestFiles.tempDir("mi-mixture");
        Path f = d.resolve("x.npy");
        org.emergence.data.Npy.writeFloats(f, new long[] {8, 1}, new float[] {0, 1, 2, 3, 4, 5, 6, 7});
        Cli.run("mi", "--x", f.toString(), "--y", f.toString(), "--estimator", "mixture", "--quiet")
                .assertUserError("--estimator mixture computes noise-regularised MI", "--noise");
        String help = Cli.run("mi", "--help").out().replaceAll("\\s+", " ");
        for (String name : Estimators.descriptions().keySet()) assertTrue(help.contains(name), "mi --help lists " + name + ": " + help);
    }
}
