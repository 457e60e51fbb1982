package org.emergence.ie;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.emergence.common.UserError;
import org.emergence.data.DType;
import org.emergence.data.Dataset;
import org.emergence.data.Npy;
import org.emergence.data.NpyHeader;

/**
 * What a resumed run finds in its directory, checked before it is trusted: the token ids must be the
 * dataset's, every estimate file must hold the cell its name says, every activation file must be
 * whole. Damage the run itself could have caused (a crash of the machine, a file copied in by hand) is
 * deleted, noted in the summary's warnings and recomputed; only a readable, different dataset is refused.
 */
final class RunResume {
    private final RunSettings s;
    private final Dataset data;
    private final int n, t, h;
    private final boolean resampled, quiet;
    private final Map<String, EstimateFile> done = new HashMap<>();
    private final List<String> recoveries = new ArrayList<>();

    RunResume(RunSettings s, Dataset data, int n, int t, int h, boolean resampled, boolean quiet) {
        this.s = s;
        this.data = data;
        this.n = n;
        this.t = t;
        this.h = h;
        this.resampled = resampled;
        this.quiet = quiet;
    }

    /** Finished estimates by file name (mutable: the run adds to it). */
    Map<String, EstimateFile> done() {
        return done;
    }

    List<String> recoveries() {
        return recoveries;
    }

    /** tokens.npy records the dataset; a resumed run must see exactly the same sequences. */
    void checkTokens(RunDir dir) throws IOException {
        if (data.isRandom()) return;
        Path f = dir.root.resolve("tokens.npy");
        if (Files.isRegularFile(f)) {
            long[] stored = null;
            NpyHeader hd = null;
            try {
                hd = Npy.header(f);
                if (hd.dtype().isFloat() || Files.size(f) != hd.dataOffset() + hd.count() * hd.dtype().size) {
                    throw new UserError("truncated or not integer");
                }
                stored = Npy.readLongs(f, hd);
            } catch (UserError e) {
                // the token ids are recomputed from the same settings; only a readable, different dataset is refused
                recovered(f + " is damaged (" + e.getMessage() + "): rewritten from the dataset");
                Files.delete(f);
            }
            if (stored != null) {
                boolean same = hd.rank() == 2 && hd.dim(0) == n && hd.dim(1) == t;
                for (int i = 0; same && i < stored.length; i++) same = stored[i] == data.ids()[i];
                if (!same) throw new UserError(f + ": the dataset differs from the one this run started with; use another --out");
                return;
            }
        }
        Npy.writeInts(f, new long[] {n, t}, data.ids());
    }

    void loadFinished(RunDir dir) throws IOException {
        try (var list = Files.list(dir.est())) {
            for (Path p : (Iterable<Path>) list::iterator) {
                String name = p.getFileName().toString();
                if (!name.endsWith(".json")) {
                    Files.deleteIfExists(p); // a temp file from an interrupted write: never trusted
                    continue;
                }
                String why;
                try {
                    why = cellOf(name);
                    if (why == null) {
                        EstimateFile e = EstimateFile.of(RunDir.JSON.readTree(p.toFile()));
                        why = holdsItsCell(e, name);
                        if (why == null) {
                            done.put(name, e);
                            continue;
                        }
                    }
                } catch (IOException e) {
                    why = "not valid JSON";
                } catch (EstimateFile.Malformed e) {
                    why = e.getMessage();
                }
                // atomic writes make this rare (a disk fault, a file copied in by hand): never trusted, recomputed
                recovered(p + ": " + why + "; recomputed");
                Files.deleteIfExists(p);
            }
        }
    }

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("(macro|micro)_l(\\d+)_t(\\d+)\\.json");

    /** Null when {@code name} is an estimate file's name. */
    private static String cellOf(String name) {
        return NAME.matcher(name).matches() ? null : "not an estimate file of this tool";
    }

    /**
     * Null when an est file holds the estimate its name says (level, layer, position), with replicates when the run
     * asks for them ({@link EstimateFile#of} has checked that the numbers are there and finite).
     */
    private String holdsItsCell(EstimateFile e, String name) {
        if (!name.equals(e.fileName())) {
            java.util.regex.Matcher m = NAME.matcher(name);
            m.matches();
            if (!m.group(1).equals(e.level().key()) || e.layer() != Integer.parseInt(m.group(2))
                    || e.position() != Integer.parseInt(m.group(3))) {
                return "holds the estimate of " + e.level().key() + " layer " + e.layer() + " position " + e.position()
                        + ", not of its own cell";
            }
        }
        if (resampled && e.estimate().replicates() == null) {
            return "has no replicates (the run asks for --groups " + s.measurement().groups() + ")";
        }
        return null;
    }

    /**
     * Whether an activation file is there and whole: written under a temp name and renamed only when
     * complete, but a crash of the machine (or a user's copy) can still leave a short or damaged file.
     * Such a file is never trusted: it is deleted, noted, and recomputed.
     */
    boolean complete(Path f) throws IOException {
        if (!Files.isRegularFile(f)) return false;
        String why = null;
        try {
            NpyHeader hd = Npy.header(f);
            long want = hd.dataOffset() + (long) t * n * h * 4;
            if (hd.dtype() != DType.F4 || hd.rank() != 3 || hd.dim(0) != t || hd.dim(1) != n || hd.dim(2) != h) {
                why = "has shape " + hd.shapeString() + " " + hd.dtype().numpyName + ", expected [" + t + ", " + n + ", " + h + "] float32";
            } else if (Files.size(f) != want) {
                why = "has " + Files.size(f) + " bytes, expected " + want;
            }
        } catch (UserError e) {
            why = "is unreadable (" + e.getMessage() + ")";
        }
        if (why == null) return true;
        recovered(f + " " + why + ": recomputed");
        Files.delete(f);
        return false;
    }

    /** Damage found and repaired on resume, reported in the summary's warnings and on stderr. */
    void recovered(String what) {
        recoveries.add(what);
        if (!quiet) System.err.println("emergence: " + what);
    }
}
