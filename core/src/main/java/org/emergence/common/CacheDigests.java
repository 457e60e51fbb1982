package org.emergence.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The size and SHA-256 of every resource this tool copies out of a jar into its cache before loading
 * or mapping it (native libraries, built-in model weights), as recorded at build time by
 * {@link BuildDigests}. A cached copy is used only when it matches; one that does not (tampered with,
 * damaged, planted) is replaced by a fresh copy, with a note.
 */
public final class CacheDigests {
    private CacheDigests() {}

    /** The build-time record of core's dependency jars (native libraries, MiniLM), a class-path resource. */
    public static final String RESOURCE = "org/emergence/cache-digests.tsv";

    /**
     * Every record read: core's, and the one each built-in weights artifact carries beside its files (the tinylm
     * module, {@code tinylm/cache-digests.tsv}); one that is not on the class path is simply absent.
     */
    static final java.util.List<String> RECORDS = java.util.List.of(RESOURCE, "tinylm/cache-digests.tsv");

    /** A recorded resource: the jar it is in (file name), its size and lower-case hex SHA-256. */
    public record Entry(String resource, String jar, long bytes, String sha256) {}

    private static Map<String, Entry> table;

    /** The recorded entry of a resource, or null when the build recorded none (e.g. run from an IDE without the build step). */
    public static synchronized Entry of(String resource) {
        if (table == null) table = load();
        return table.get(resource);
    }

    /** Every recorded entry. */
    public static synchronized java.util.Collection<Entry> all() {
        if (table == null) table = load();
        return java.util.List.copyOf(table.values());
    }

    private static Map<String, Entry> load() {
        Map<String, Entry> m = new HashMap<>();
        ClassLoader cl = CacheDigests.class.getClassLoader();
        for (String record : RECORDS) {
            try (InputStream in = cl.getResourceAsStream(record)) {
                if (in == null) continue;
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (line.isBlank() || line.startsWith("#")) continue;
                    String[] f = line.split("\t");
                    if (f.length != 4) continue;
                    m.putIfAbsent(f[0], new Entry(f[0], f[1], Long.parseLong(f[2]), f[3]));
                }
            } catch (IOException | NumberFormatException e) {
                throw new IllegalStateException(record + " on the class path is unreadable", e);
            }
        }
        return m;
    }

    /** Whether {@code file} is a regular file (not a link) with the recorded size and SHA-256. */
    public static boolean matches(Path file, Entry e) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) != e.bytes()) return false;
            return sha256(file).equals(e.sha256());
        } catch (IOException x) {
            return false;
        }
    }

    /** Lower-case hex SHA-256 of a file's bytes. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int r; (r = in.read(buf)) > 0; ) md.update(buf, 0, r);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
