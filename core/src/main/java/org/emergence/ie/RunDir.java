package org.emergence.ie;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.emergence.common.UserError;

/**
 * A run directory: settings.json (what determines the numbers), tokens.npy (the dataset), acts/
 * (spilled activations, deleted as the run moves on), est/ (one JSON per finished estimate), and the
 * outputs results.csv, summary.json, report.html, charts/. Only one process may use it at a time.
 */
final class RunDir implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private RunDir(Path root, FileChannel ch, FileLock lock) {
        this.root = root;
        this.lockChannel = ch;
        this.lock = lock;
    }

    /**
     * Opens (creating if needed) a run directory for these settings. A directory created with different
     * settings is refused before anything is written to it.
     */
    static RunDir open(Path root, RunSettings s) throws IOException {
        Path settings = root.resolve(SettingsJson.FILE);
        if (Files.exists(root) && !Files.isDirectory(root)) throw new UserError(root + ": exists and is not a directory");
        if (Files.isRegularFile(settings)) {
            JsonNode stored;
            try {
                stored = SettingsJson.readTree(settings);
            } catch (UserError e) {
                throw new UserError(e.getMessage() + "; use another --out", e);
            }
            String diff = s.firstDifference(stored);
            if (diff != null) {
                throw new UserError(root + " was created with different settings: " + diff + "; use another --out");
            }
        } else if (Files.isDirectory(root)) {
            try (var list = Files.list(root)) {
                // the untrained twins of a relative measurement run first, into RUN_DIR/null
                if (list.anyMatch(p -> !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().equals("null"))) {
                    throw new UserError(root + ": exists, is not empty and is not an emergence run directory (no settings.json)");
                }
            }
        }
        Files.createDirectories(root);
        FileChannel ch = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            ch.close();
            throw new UserError(root + ": in use by another emergence process");
        }
        RunDir d = new RunDir(root, ch, l);
        d.removeStaleTemporaries();
        if (!Files.isRegularFile(settings)) SettingsJson.write(root, s);
        Files.createDirectories(d.acts());
        Files.createDirectories(d.est());
        return d;
    }

    /** Temp files of an interrupted earlier process (never trusted); safe to delete once we hold the lock. */
    private void removeStaleTemporaries() throws IOException {
        for (Path dir : new Path[] {root, acts(), est(), root.resolve("charts")}) {
            if (!Files.isDirectory(dir)) continue;
            try (var list = Files.list(dir)) {
                for (Path p : (Iterable<Path>) list::iterator) {
                    if (p.getFileName().toString().contains(".tmp-")) Files.deleteIfExists(p);
                }
            }
        }
    }

    Path acts() {
        return root.resolve("acts");
    }

    Path est() {
        return root.resolve("est");
    }

    /** Block input h^l of all sequences, [T, N, H] (position-major so each position's samples are contiguous). */
    Path hidden(int layer) {
        return acts().resolve(String.format("h%03d.npy", layer));
    }

    /** Random baseline: output of block l on random inputs, [T, N, H]. */
    Path randomOutput(int layer) {
        return acts().resolve(String.format("y%03d.npy", layer));
    }

    Path estimate(Level level, int layer, int position) {
        return est().resolve(EstimateCells.fileName(level, layer, position));
    }

    @Override
    public void close() throws IOException {
        if (lock.isValid()) lock.release();
        lockChannel.close();
    }
}
