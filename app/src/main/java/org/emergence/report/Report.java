package org.emergence.report;

import org.emergence.ie.RunSummary;
import org.emergence.ie.RunSummaryJson;
import java.awt.AWTError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.emergence.common.AtomicFiles;
import org.emergence.common.UserError;

/**
 * Builds a run's report from {@code RUN_DIR/summary.json}:
 * {@code RUN_DIR/charts/{e_layer,e_heatmap,macro_micro,ie_position}.png} and a self-contained
 * {@code RUN_DIR/report.html} (charts embedded as data URIs, no external resources). Works on
 * complete and partial runs; every file is written atomically, so a reader never sees a
 * half-written chart or page.
 *
 * <pre>{@code
 * Path html = Report.build(runDir);   // UserError (one line, names the file) on bad input
 * }</pre>
 */
public final class Report {
    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    public static final String SUMMARY = "summary.json";
    public static final String RESULTS = "results.csv";
    public static final String HTML = "report.html";
    public static final String CHARTS_DIR = "charts";
    /** The chart files written under {@code RUN_DIR/charts/}, in page order. */
    public static final List<String> CHART_FILES = List.of("e_layer.png", "e_heatmap.png", "macro_micro.png", "ie_position.png");

    private static final Object LOCK = new Object();

    private Report() {}

    /**
     * Reads {@code runDir/summary.json}, writes the four charts and {@code report.html}, and returns
     * the path of {@code report.html} ({@code runDir.resolve("report.html")}).
     *
     * @throws UserError when runDir or summary.json is missing, unreadable or malformed, or an
     *                   output file cannot be written; the message is one line naming the file
     */
    public static Path build(Path runDir) {
        RunSummary summary = readSummary(runDir);
        Fonts.init();
        synchronized (LOCK) {
            return write(runDir, summary);
        }
    }

    /** The values a run's summary lacks ("macro l1 t5", …), as the report lists them. */
    public static List<String> missing(Path runDir) {
        return Html.missing(readSummary(runDir));
    }

    /** Reads and validates {@code runDir/summary.json} (the same checks {@link #build} makes). */
    public static RunSummary readSummary(Path runDir) {
        if (!Files.exists(runDir)) throw new UserError("run directory not found: " + runDir);
        if (!Files.isDirectory(runDir)) throw new UserError("not a directory: " + runDir + " (expected a run directory)");
        Path file = runDir.resolve(SUMMARY);
        if (!Files.exists(file)) {
            throw new UserError("no " + SUMMARY + " in " + runDir + " (not a run directory, or the run has not started)");
        }
        if (Files.isDirectory(file)) throw new UserError(file + " is a directory, expected a file");
        return RunSummaryJson.read(file);
    }

    private static Path write(Path runDir, RunSummary s) {
        Path chartsDir = runDir.resolve(CHARTS_DIR);
        org.emergence.ie.Terms terms = RunTerms.of(s);
        List<Html.Chart> charts = new ArrayList<>();
        charts.add(render(chartsDir, CHART_FILES.get(0), "Emergence per layer E(l)",
                "E(l) for each layer with its interval as error bars",
                "Each point is E(l) = " + Pages.escape(terms.macro()) + " &minus; " + Pages.escape(terms.micro())
                        + " for one layer, with its interval; the dashed line is 0 bits. "
                        + "Points above it mean the block carries more information about tokens in context than about tokens alone.",
                Charts.WIDTH, Charts.HEIGHT, Charts::eLayer, s));
        charts.add(render(chartsDir, CHART_FILES.get(1), "E(l, t) heat map",
                "Heat map of E over layers (rows) and positions (columns), red positive, blue negative",
                "Rows are layers, columns positions (labelled with the token every sequence holds there, or &ldquo;entity&rdquo;); "
                        + "red is positive E, blue negative, white 0 (colour bar in bits, symmetric about 0, fitted to the largest |E|). "
                        + "Hatched grey cells were not estimated.",
                Charts.WIDTH, Charts.HEATMAP_HEIGHT, Charts::eHeatmap, s));
        charts.add(render(chartsDir, CHART_FILES.get(2), "Macro vs micro MI per layer",
                "The two terms of E(l) per layer, two lines with their intervals",
                "The two terms of E(l) per layer: " + Pages.escape(terms.macro()) + " and " + Pages.escape(terms.micro())
                        + " (--pairing " + Pages.escape(terms.pairing()) + "), each with its interval. The vertical gap between "
                        + "the lines is E(l).",
                Charts.WIDTH, Charts.HEIGHT, Charts::macroMicro, s));
        charts.add(render(chartsDir, CHART_FILES.get(3), "IE(t) per position",
                "IE(t) over token positions with its interval as a shaded band",
                "IE(t), E averaged over the measured layers, at each position, with its interval as a shaded band; "
                        + "the dashed line is 0 bits.",
                Charts.WIDTH, Charts.HEIGHT, Charts::iePosition, s));

        Map<String, Boolean> siblings = new LinkedHashMap<>();
        siblings.put(SUMMARY, true);
        siblings.put(RESULTS, Files.isRegularFile(runDir.resolve(RESULTS)));
        String html = Html.render(s, charts, siblings);
        Path out = runDir.resolve(HTML);
        try {
            AtomicFiles.writeString(out, html);
        } catch (IOException e) {
            throw new UserError("cannot write " + out + ": " + org.emergence.common.JsonFiles.oneLine(String.valueOf(e.getMessage())), e);
        }
        return out;
    }

    /**
     * Renders one chart and writes it. A rendering failure (e.g. a JDK without fonts) does not stop
     * the report: the chart's old PNG is removed and the page explains what went wrong.
     */
    private static Html.Chart render(Path dir, String file, String title, String alt, String caption, int w, int h,
                                     Function<RunSummary, byte[]> draw, RunSummary s) {
        Path target = dir.resolve(file);
        byte[] png;
        try {
            png = draw.apply(s);
        } catch (RuntimeException | LinkageError | AWTError | InternalError e) {
            String why = org.emergence.common.JsonFiles.oneLine(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            try {
                Files.deleteIfExists(target);
            } catch (IOException ignored) {
                // the page says the chart is unavailable either way
            }
            return new Html.Chart(file, title, alt, caption, null, w, h, why);
        }
        try {
            AtomicFiles.write(target, o -> o.write(png));
        } catch (IOException e) {
            throw new UserError("cannot write " + target + ": " + org.emergence.common.JsonFiles.oneLine(String.valueOf(e.getMessage())), e);
        }
        return new Html.Chart(file, title, alt, caption, png, w, h, null);
    }
}
