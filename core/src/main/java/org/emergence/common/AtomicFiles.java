package org.emergence.common;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Atomic file writes: write to a temp file in the same directory, fsync, rename over the target.
 * A reader therefore sees either the old complete file or the new complete file, never a
 * half-written one, even after kill -9 or power loss.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes a body through a stream. */
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    /** The temp path used while writing {@code target}; files with this suffix are never trusted. */
    public static Path tempFor(Path target) {
        return target.resolveSibling(target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    }

    public static void write(Path target, Body body) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Path tmp = tempFor(target);
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                body.write(out);
            }
            commit(tmp, target);
        } catch (java.nio.file.FileSystemException e) {
            throw e;
        } catch (IOException e) {
            throw named(target, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a temp file that cannot be removed is never read (the suffix marks it) and is removed next time
            }
        }
    }

    /** An I/O error while writing {@code file} (e.g. the disk is full), as an exception that names the file. */
    public static java.nio.file.FileSystemException named(Path file, IOException e) {
        java.nio.file.FileSystemException f = new java.nio.file.FileSystemException(file.toString(), null, e.getMessage());
        f.initCause(e);
        return f;
    }

    public static void writeString(Path target, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    /** fsyncs {@code tmp}, renames it to {@code target} (atomically where the file system can), fsyncs the directory. */
    public static void commit(Path tmp, Path target) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        Path dir = target.toAbsolutePath().getParent();
        if (dir != null) {
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException | UnsupportedOperationException ignored) {
                // some platforms (Windows) cannot open a directory; the rename is still atomic there
            }
        }
    }
}
