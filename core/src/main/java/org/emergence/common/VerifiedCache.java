package org.emergence.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Files copied out of jars into the private cache ({@link LocalDirs}) and checked against their
 * build-time size and SHA-256 ({@link CacheDigests}) before anything loads or maps them: a copy that
 * does not match — damaged, or replaced by someone — is extracted again, with a note.
 */
public final class VerifiedCache {
    private VerifiedCache() {}

    /**
     * {@code target} holding the class-path resource {@code resource} as recorded at build time:
     * used when it matches, else (re-)extracted and checked. Null when the build recorded no digest
     * for the resource (the caller then keeps its own way of finding it).
     */
    public static synchronized Path extract(String resource, Path target, ClassLoader cl) {
        CacheDigests.Entry e = CacheDigests.of(resource);
        if (e == null) return null;
        if (CacheDigests.matches(target, e)) return target;
        boolean existed = Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        try (InputStream in = cl.getResourceAsStream(resource)) {
            if (in == null) return null;
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(target);
            AtomicFiles.write(target, out -> in.transferTo(out));
        } catch (IOException x) {
            throw new UserError("cannot extract " + resource + " to " + target + " (" + x.getMessage() + ")", x);
        }
        if (!CacheDigests.matches(target, e)) {
            throw new UserError("the class-path resource " + resource + " (in " + e.jar() + ") does not match the size and SHA-256 "
                    + "recorded when this tool was built: the jar is damaged or was replaced; rebuild or reinstall");
        }
        if (existed) note(target + " did not match its recorded SHA-256 (damaged or replaced): extracted again from " + e.jar());
        return target;
    }

    /**
     * DJL's native tokenizers library for this platform, extracted to the cache and verified; DJL is
     * pointed at it (RUST_LIBRARY_PATH) unless the user set that themselves. Without a recorded digest
     * (an unknown platform) DJL keeps its own lookup, inside the private cache.
     */
    public static synchronized void tokenizersLibrary(ClassLoader cl) {
        if (System.getenv("RUST_LIBRARY_PATH") != null || System.getProperty("RUST_LIBRARY_PATH") != null) return;
        String platform = djlPlatform();
        if (platform == null) return;
        String lib = System.mapLibraryName("tokenizers");
        String resource = "native/lib/" + platform + "/cpu/" + lib;
        CacheDigests.Entry e = CacheDigests.of(resource);
        if (e == null) return;
        Path target = LocalDirs.root().resolve("native").resolve("tokenizers-" + e.sha256().substring(0, 16)).resolve(lib);
        Path p = extract(resource, target, cl);
        if (p != null) System.setProperty("RUST_LIBRARY_PATH", p.toString());
    }

    /**
     * JavaCPP reuses a cached library when its size and time match the jar entry's; before it loads
     * anything, every cached copy of a recorded JavaCPP library is checked, and one that does not
     * match is deleted (JavaCPP then extracts it again), with a note.
     */
    public static synchronized void checkJavaCpp(Path cacheDir) {
        for (CacheDigests.Entry e : CacheDigests.all()) {
            if (!e.resource().startsWith("org/bytedeco/")) continue;
            Path f = cacheDir.resolve(e.jar()).resolve(e.resource());
            if (!Files.exists(f, java.nio.file.LinkOption.NOFOLLOW_LINKS) || CacheDigests.matches(f, e)) continue;
            try {
                Files.delete(f);
            } catch (IOException x) {
                throw new UserError(f + ": does not match its recorded SHA-256 and cannot be removed (" + x.getMessage() + ")", x);
            }
            note(f + " did not match its recorded SHA-256 (damaged or replaced): removed, JavaCPP extracts it again");
        }
    }

    /** DJL's name of this platform's native folder (linux-x86_64, linux-aarch64, osx-aarch64, win-x86_64), or null. */
    static String djlPlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : null;
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "osx" : os.startsWith("windows") ? "win" : null;
        return a == null || o == null ? null : o + "-" + a;
    }

    private static void note(String what) {
        System.err.println("emergence: note: " + what);
    }
}
