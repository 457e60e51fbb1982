package org.emergence.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.emergence.common.UserError;

/**
 * Shared by the fuzz targets: a per-thread scratch file for parsers that read paths, and the rule
 * every target checks — a parser of outside input may refuse it only with a {@link UserError} (one
 * line, exit 2); any other exception or error is a finding.
 */
final class FuzzFiles {
    private FuzzFiles() {}

    private static final ThreadLocal<Path> DIR = ThreadLocal.withInitial(() -> {
        try {
            Path d = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "emergence-fuzz");
            // deleteOnExit cannot remove a directory that still holds files: delete the tree at exit instead
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(d)));
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    });

    private static void deleteTree(Path d) {
        try (var walk = Files.walk(d)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort at exit: a leftover scratch directory in java.io.tmpdir is harmless
        }
    }

    /** Writes {@code data} to a scratch file named {@code name} and returns it. */
    static Path file(String name, byte[] data) {
        try {
            Path f = DIR.get().resolve(name);
            Files.write(f, data);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A scratch directory holding one file. */
    static Path dirWith(String name, byte[] data) {
        try {
            Path d = DIR.get().resolve("dir");
            Files.createDirectories(d);
            Files.write(d.resolve(name), data);
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    interface Body {
        void run() throws Exception;
    }

    /** Runs a parser on outside input: a UserError is a proper refusal; anything else propagates as a finding. */
    static void expectOnlyUserErrors(Body b) {
        try {
            b.run();
        } catch (UserError ok) {
            if (ok.getMessage() == null || ok.getMessage().isBlank() || ok.getMessage().contains("\n")) {
                throw new AssertionError("a refusal must be one non-empty line: " + ok.getMessage());
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("checked exception escaped a parser: " + e, e);
        }
    }
}
