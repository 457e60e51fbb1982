package org.emergence.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where native libraries and caches of third-party libraries go. JavaCPP, JNA and DJL default to
 * folders in the user's home (~/.javacpp, ~/.cache/JNA, ~/.djl.ai); we keep them under the
 * system temp directory unless the user chose a place (system property or environment variable),
 * so running the tool leaves nothing in the home directory.
 */
public final class LocalDirs {
    private LocalDirs() {}

    /** {@code ${java.io.tmpdir}/emergence-<user>}, created on first use. */
    public static Path root() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
        Path p = Path.of(System.getProperty("java.io.tmpdir"), "emergence-" + user);
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UserError("cannot create the cache directory " + p + ": " + e.getMessage(), e);
        }
        return p;
    }

    /** Sets system property {@code key} to root()/sub unless the property or env var {@code envKey} is set. */
    public static void defaultProperty(String key, String envKey, String sub) {
        if (System.getProperty(key) != null) return;
        if (envKey != null && System.getenv(envKey) != null) return;
        Path dir = root().resolve(sub);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError("cannot create the cache directory " + dir + ": " + e.getMessage(), e);
        }
        System.setProperty(key, dir.toString());
    }
}
