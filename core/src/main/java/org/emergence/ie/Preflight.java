package org.emergence.ie;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.emergence.common.UserError;
import org.emergence.mi.NoisyMixture;

/**
 * Before a run touches the disk: the disk space its spilled activations and estimate files will take,
 * and the memory one position's samples and the estimator's working set need, against what the
 * machine has. A run that cannot fit is refused with one line giving both numbers (unless
 * {@code --force}), rather than failing hours later with a full disk.
 */
final class Preflight {
    private Preflight() {}

    /** Bytes of one spilled activation file [T, N, H] float32. */
    static long activationFile(int n, int t, int h) {
        return (long) n * t * h * 4;
    }

    /** Disk the run still needs in runDir: two activation files at a time (every one with --keep-activations) and est files. */
    static long disk(RunSettings s, int n, int t, int h, int layersToRun, boolean keep, Path runDir) throws IOException {
        long files = keep ? layersToRun + 1L : 2L;
        long est = 2L * s.layers().length * t * (6_000L + 40L * Math.max(0, s.measurement().groups()));
        long present = 0;
        Path acts = runDir.resolve("acts");
        if (Files.isDirectory(acts)) {
            try (Stream<Path> list = Files.list(acts)) {
                for (Path p : (Iterable<Path>) list::iterator) present += Files.size(p);
            }
        }
        return Math.max(0, files * activationFile(n, t, h) - present) + est;
    }

    /** Heap for one (layer, position) estimate: the samples, their copies and the estimator's working set. */
    static long heap(RunSettings s, int n, int t, int h) {
        long samples = 2L * n * h * 4;                       // X and Y of one position, float32
        long copies = 2 * samples;                           // micro pairs / noise copies / selections
        long k = Math.min(n, NoisyMixture.DEFAULT_COMPONENTS), m = NoisyMixture.DEFAULT_SAMPLES;
        long mixture = s.measurement().estimator().startsWith("mixture")
                ? (k + m) * 2L * h * 8 + 2L * (1 << 22) * 8 + 3L * m * Math.max(1, s.measurement().groups()) * 8
                : 4L * h * h * 8;                            // covariances of the Gaussian estimators
        long diagnostics = (long) n * 16 + 2L * h * h * 8;
        long dataset = 3L * n * t * 4;
        return samples + copies + mixture + diagnostics + dataset;
    }

    static void check(RunSettings s, int n, int t, int h, int layersToRun, boolean keep, Path runDir, boolean force)
            throws IOException {
        if (force) return;
        long needDisk = disk(s, n, t, h, layersToRun, keep, runDir);
        Path probe = runDir.toAbsolutePath();
        while (probe != null && !Files.exists(probe)) probe = probe.getParent();
        if (probe != null) {
            long free = Files.getFileStore(probe).getUsableSpace();
            if (needDisk > free) {
                throw new UserError(String.format(Locale.ROOT, "%s: the run needs about %s of disk (activations %s each, %d at a time; "
                        + "estimates), but only %s is free there; use another --out, a smaller --n, or --force",
                        runDir, size(needDisk), size(activationFile(n, t, h)), keep ? layersToRun + 1 : 2, size(free)));
            }
        }
        long needHeap = heap(s, n, t, h), max = Runtime.getRuntime().maxMemory();
        if (needHeap > max) {
            throw new UserError(String.format(Locale.ROOT, "--n %d: one position's samples and the estimator need about %s of memory, "
                    + "but the JVM may use at most %s; give it more (JAVA_OPTS=-Xmx<size>), lower --n, or --force", n, size(needHeap),
                    size(max)));
        }
    }

    /**
     * --save-acts writes every residual layer h^0 … h^(last+1) as float32 [T, N, H]: checked on the file
     * system it goes to (another disk than --out's is not covered by the run's own check), plus the run's
     * own needs when both are on the same one.
     */
    static void checkSaveActs(Path saveActs, int n, int t, int h, int files, Path runDir, RunSettings s, boolean keep) throws IOException {
        long need = files * activationFile(n, t, h);
        Path probe = saveActs.toAbsolutePath(), runProbe = runDir.toAbsolutePath();
        while (probe != null && !Files.exists(probe)) probe = probe.getParent();
        while (runProbe != null && !Files.exists(runProbe)) runProbe = runProbe.getParent();
        if (probe == null) return;
        java.nio.file.FileStore store = Files.getFileStore(probe);
        if (runProbe != null && Files.getFileStore(runProbe).equals(store)) need += disk(s, n, t, h, files - 1, keep, runDir);
        long free = store.getUsableSpace();
        if (need > free) {
            throw new UserError(String.format(Locale.ROOT, "--save-acts %s: the activations need about %s of disk (%d layers of %s), "
                    + "but only %s is free there; use another directory, a smaller --n, or --force", saveActs, size(need), files,
                    size(activationFile(n, t, h)), size(free)));
        }
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        if (bytes >= 1L << 20) return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
        return String.format(Locale.ROOT, "%.1f kB", bytes / 1024.0);
    }
}
