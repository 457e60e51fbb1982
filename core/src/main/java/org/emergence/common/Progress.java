package org.emergence.common;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress on stderr: a redrawn bar (done/total, rate, ETA) when stderr is a terminal, plain lines
 * at most every few seconds otherwise (logs, CI), nothing when quiet.
 */
public final class Progress {
    private final String label;
    private final String unit;
    private final long total;
    private final PrintStream err;
    private final boolean tty;
    private final boolean quiet;
    private final long start = System.nanoTime();
    private long done;
    private long lastPrint;
    private boolean finished;

    private Progress(String label, long total, String unit, PrintStream err, boolean quiet) {
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.err = err;
        this.quiet = quiet;
        this.tty = System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    }

    public static Progress start(String label, long total, String unit, boolean quiet) {
        return new Progress(label, total, unit, System.err, quiet);
    }

    public synchronized void step(long n) {
        done += n;
        long now = System.nanoTime();
        long every = tty ? 200_000_000L : 5_000_000_000L;
        if (done >= total) {
            finish();
        } else if (now - lastPrint > every) {
            lastPrint = now;
            print(false);
        }
    }

    public synchronized void finish() {
        if (finished) return;
        finished = true;
        print(true);
    }

    public long done() {
        return done;
    }

    private void print(boolean end) {
        if (quiet) return;
        double secs = (System.nanoTime() - start) / 1e9;
        double rate = secs > 0 ? done / secs : 0;
        String eta = rate > 0 && total > done ? fmtTime((total - done) / rate) : "0s";
        String line;
        if (tty) {
            int width = 24;
            int fill = total > 0 ? (int) Math.min(width, width * done / total) : width;
            line = String.format(Locale.ROOT, "\r%s [%s%s] %d/%d %s  %.1f %s/s  ETA %s   ", label, "#".repeat(fill),
                    " ".repeat(width - fill), done, total, unit, rate, unit, eta);
            err.print(line);
            if (end) err.println();
        } else {
            if (end && done == 0 && total == 0) return;
            line = String.format(Locale.ROOT, "%s: %d/%d %s  %.1f %s/s  %s", label, done, total, unit, rate, unit,
                    end || done >= total ? "done in " + fmtTime(secs) : "ETA " + eta);
            err.println(line);
        }
        err.flush();
    }

    static String fmtTime(double s) {
        if (s < 60) return String.format(Locale.ROOT, "%.0fs", s);
        if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", (long) s / 60, (long) s % 60);
        return String.format(Locale.ROOT, "%dh%02dm", (long) s / 3600, ((long) s % 3600) / 60);
    }
}
