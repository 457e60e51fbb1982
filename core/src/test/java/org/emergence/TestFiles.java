package org.emergence;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import org.emergence.data.Npy;
import org.emergence.data.NpyHeader;

/** Locations of test resources and small helpers shared by tests. */
public final class TestFiles {
    private TestFiles() {}

    /** src/test/resources/golden/&lt;model&gt; (copied from ../shared/golden). */
    public static Path golden(String model) {
        return resource("golden/" + model);
    }

    public static Path resource(String name) {
        URL u = TestFiles.class.getClassLoader().getResource(name);
        if (u == null) throw new IllegalStateException("missing test resource " + name);
        try {
            return Path.of(u.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static float[] floats(Path npy) {
        NpyHeader h = Npy.header(npy);
        return Npy.readFloats(npy, h);
    }

    public static long[] shape(Path npy) {
        return Npy.header(npy).shape();
    }

    /** Max over elements of |x − g| − (atol + rtol·|g|); ≤ 0 means within tolerance. */
    public static double worstExcess(float[] x, float[] g, double atol, double rtol) {
        if (x.length != g.length) throw new AssertionError("length " + x.length + " != " + g.length);
        double worst = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < x.length; i++) {
            double e = Math.abs(x[i] - g[i]) - (atol + rtol * Math.abs(g[i]));
            if (!(e <= worst)) worst = Double.isNaN(e) ? Double.POSITIVE_INFINITY : Math.max(worst, e);
        }
        return worst;
    }

    public static double maxAbsDiff(float[] x, float[] g) {
        double m = 0;
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - g[i]));
        return m;
    }

    /**
     * A path in the repository (README.md, docs/, tools/, python/, spark/): the tests run in their module's directory
     * (core/, app/), so this walks up to the first directory holding README.md and docs/.
     */
    public static Path repo(String first, String... more) {
        Path here = Path.of("").toAbsolutePath();
        for (Path d = here; d != null; d = d.getParent()) {
            if (java.nio.file.Files.isRegularFile(d.resolve("README.md")) && java.nio.file.Files.isDirectory(d.resolve("docs"))) {
                return d.resolve(Path.of(first, more));
            }
        }
        throw new IllegalStateException("no repository root (README.md and docs/) above " + here);
    }

    /** A fresh temp directory under target/ (kept for inspection after failures). */
    public static Path tempDir(String name) throws IOException {
        Path p = Path.of("target", "test-tmp", name + "-" + System.nanoTime());
        java.nio.file.Files.createDirectories(p);
        return p;
    }
}
