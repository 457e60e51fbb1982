package org.emergence.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.emergence.TestFiles;
import org.emergence.model.BuiltinModels;
import org.junit.jupiter.api.Test;

/**
 * Finding 1 of issue 27: the cache under the shared temp directory is private, and what it holds is
 * checked against the build-time digests before use. Before the fix, a cache directory that another
 * user created first (or anyone could write) was used as it was, so a library planted there was loaded.
 */
class PrivateCacheTest {
    private static final String OWNER_ONLY = "rwx------";

    @Test
    void aCacheOthersCanWriteIsReplacedByAFreshPrivateDirectory() throws Exception {
        Path wanted = TestFiles.tempDir("cache-777").resolve("emergence-me");
        Files.createDirectories(wanted);
        Files.setPosixFilePermissions(wanted, PosixFilePermissions.fromString("rwxrwxrwx"));
        String[] err = new String[1];
        Path got = withErr(() -> LocalDirs.privateDir(wanted), err);
        assertNotEquals(wanted, got);
        assertEquals(OWNER_ONLY, PosixFilePermissions.toString(Files.getPosixFilePermissions(got)));
        assertTrue(err[0].contains(wanted + " can be written by other users"), err[0]);
    }

    @Test
    void aCacheOwnedByAnotherUserIsNotUsed() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root");
        Path wanted = TestFiles.tempDir("cache-nobody").resolve("emergence-me");
        Files.createDirectories(wanted);
        Files.setPosixFilePermissions(wanted, PosixFilePermissions.fromString(OWNER_ONLY));
        Files.setOwner(wanted, wanted.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        String[] err = new String[1];
        Path got = withErr(() -> LocalDirs.privateDir(wanted), err);
        assertNotEquals(wanted, got);
        assertTrue(err[0].contains("is owned by another user"), err[0]);
    }

    @Test
    void aSymbolicLinkIsNotFollowed() throws Exception {
        Path base = TestFiles.tempDir("cache-link");
        Path elsewhere = Files.createDirectories(base.resolve("elsewhere"));
        Path wanted = Files.createSymbolicLink(base.resolve("emergence-me"), elsewhere.toAbsolutePath());
        String[] err = new String[1];
        Path got = withErr(() -> LocalDirs.privateDir(wanted), err);
        assertNotEquals(wanted, got);
        assertTrue(err[0].contains("is a symbolic link"), err[0]);
    }

    @Test
    void anOwnReadableCacheIsKeptAndMadeOwnerOnly() throws Exception {
        Path wanted = TestFiles.tempDir("cache-755").resolve("emergence-me");
        Files.createDirectories(wanted);
        Files.setPosixFilePermissions(wanted, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(wanted, LocalDirs.privateDir(wanted));
        assertEquals(OWNER_ONLY, PosixFilePermissions.toString(Files.getPosixFilePermissions(wanted)));
        Path fresh = TestFiles.tempDir("cache-new").resolve("emergence-me");
        assertEquals(fresh, LocalDirs.privateDir(fresh));
        assertEquals(OWNER_ONLY, PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
    }

    @Test
    void aTamperedBuiltinModelCopyIsExtractedAgainWithANote() throws Exception {
        Path onnx = BuiltinModels.onnxFile("minilm");
        byte[] good = Files.readAllBytes(onnx);
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 0x5a; // same size, other weights
        Files.write(onnx, bad);
        String[] err = new String[1];
        Path again = withErr(() -> BuiltinModels.onnxFile("minilm"), err);
        assertEquals(onnx, again);
        assertArrayEquals(good, Files.readAllBytes(again));
        assertTrue(err[0].contains("did not match its recorded SHA-256"), err[0]);
    }

    @Test
    void everyNativeLibraryAndBuiltinWeightIsRecordedAtBuildTime() {
        assertTrue(CacheDigests.of("native/lib/linux-x86_64/cpu/libtokenizers.so") != null, "DJL's tokenizers library");
        assertTrue(CacheDigests.of("all-minilm-l6-v2.onnx") != null, "minilm");
        assertTrue(CacheDigests.of("tinylm/tinylm-6l/model.safetensors") != null, "tinylm");
        assertTrue(CacheDigests.all().stream().anyMatch(e -> e.resource().startsWith("org/bytedeco/openblas/")), "OpenBLAS");
    }

    /**
     * The attack itself, in a fresh JVM: a cache made by "someone else" (mode 777) holding a library
     * where DJL would look and a replaced built-in model. The run does not load the planted library
     * (it is not a library at all: loading it would fail) and leaves the planted files alone.
     */
    @Test
    void aPlantedTokenizerLibraryIsNeverLoaded() throws Exception {
        Path tmp = TestFiles.tempDir("planted").toAbsolutePath();
        Path cache = Files.createDirectories(tmp.resolve("emergence-" + System.getProperty("user.name")));
        Path lib = cache.resolve("djl/tokenizers/0.21.0-0.38.0-cpu-linux-x86_64/libtokenizers.so");
        Path onnx = cache.resolve("models/minilm-90387606-d89d07a7.onnx");
        for (Path p : new Path[] {lib, onnx}) {
            Files.createDirectories(p.getParent());
            Files.write(p, "planted by another user".getBytes(StandardCharsets.UTF_8));
        }
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path text = Files.writeString(tmp.resolve("text.txt"), "the cat sat on the mat\n");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "org.emergence.cli.Main", "capture", "--model", "minilm", "--text", text.toString(), "--layers", "0",
                "--out", tmp.resolve("acts").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("can be written by other users"), out);
        assertEquals("planted by another user", Files.readString(lib));
        assertEquals("planted by another user", Files.readString(onnx));
    }

    private interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T withErr(Call<T> c, String[] err) throws Exception {
        PrintStream old = System.err;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        System.setErr(new PrintStream(b, true, StandardCharsets.UTF_8));
        try {
            return c.call();
        } finally {
            System.setErr(old);
            err[0] = b.toString(StandardCharsets.UTF_8);
        }
    }
}
