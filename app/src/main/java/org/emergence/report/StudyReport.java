package org.emergence.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.emergence.common.AtomicFiles;
import org.emergence.study.StudyResult;

/** study.html and STUDY_DIR/charts/*.png of {@code emergence study}: the verdicts, the comparisons table, the kind's charts, every condition. */
public final class StudyReport {
    private StudyReport() {}

    /** Writes STUDY_DIR/study.html and STUDY_DIR/charts/*.png for a finished study. */
    public static void write(Path dir, StudyResult s) throws IOException {
        Map<String, byte[]> charts = charts(s);
        Files.createDirectories(dir.resolve("charts"));
        for (var e : charts.entrySet()) AtomicFiles.write(dir.resolve("charts").resolve(e.getKey()), out -> out.write(e.getValue()));
        StringBuilder h = new StringBuilder(Pages.head("Study " + s.kind()));
        h.append("<h1>Study: ").append(Pages.escape(s.kind())).append("</h1>\n<p class=\"sub\">")
                .append(Pages.escape(String.join(", ", s.plan().models()))).append(" — ")
                .append(Pages.escape(s.measurement())).append("</p>\n");
        if (!s.notes().isEmpty()) {
            h.append("<div class=\"box warn\" id=\"notes\"><p><b>Notes on the plan</b></p>\n<ul>\n");
            for (String v : s.notes()) h.append("<li>").append(Pages.escape(v)).append("</li>\n");
            h.append("</ul></div>\n");
        }
        h.append("<h2>Verdicts</h2>\n<ul>\n");
        for (String v : s.verdicts()) h.append("<li>").append(Pages.escape(v)).append("</li>\n");
        h.append("</ul>\n<p class=\"small\">A difference is called up or down only when its 95% interval excludes 0. ")
                .append(Pages.escape(s.intervalMethod())).append("</p>\n");
        h.append("<h2>Charts</h2>\n");
        for (var e : charts.entrySet()) h.append("<figure>").append(Pages.img(e.getValue(), e.getKey())).append("</figure>\n");
        h.append("<h2>Comparisons</h2>\n<table>\n<thead><tr><th>comparison</th><th class=\"num\">difference [95%]</th><th>direction</th>"
                + "<th>method</th></tr></thead>\n<tbody>\n");
        for (StudyResult.Comparison c : s.comparisons()) {
            h.append("<tr><td>").append(Pages.escape(c.label())).append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]", zero(c.bits()), zero(c.ciLow()),
                            zero(c.ciHigh())))
                    .append("</td><td>").append(Pages.escape(c.direction())).append("</td><td class=\"small\">")
                    .append(Pages.escape(c.method())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n<h2>Conditions</h2>\n<table>\n<thead><tr><th>condition</th><th>labels</th><th class=\"num\">N</th>"
                + "<th class=\"num\">IE bits [95%]</th><th>run</th></tr></thead>\n<tbody>\n");
        for (StudyResult.ConditionRow c : s.conditions()) {
            h.append("<tr><td><code>").append(Pages.escape(c.name())).append("</code></td><td class=\"small\">")
                    .append(Pages.escape(labels(c.labels()))).append("</td><td class=\"num\">")
                    .append(c.n()).append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", zero(c.bits()), zero(c.ciLow()),
                            zero(c.ciHigh())))
                    .append("</td><td><code>").append(Pages.escape(c.readFrom() != null ? "from " + c.readFrom()
                            : c.runDir())).append("</code></td></tr>\n");
        }
        h.append("</tbody>\n</table>\n<footer><p>emergence ").append(Pages.escape(s.version()))
                .append(" · study.json and study.csv hold every number of this page.</p></footer>\n</main>\n</body>\n</html>\n");
        AtomicFiles.writeString(dir.resolve("study.html"), h.toString());
    }

    /** A missing value as the page has always shown it (0). */
    private static double zero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    /** A condition's labels as a reader writes them: "category animal · shots 4" (not their JSON). */
    static String labels(Map<String, String> labels) {
        List<String> out = new ArrayList<>();
        for (var e : labels.entrySet()) {
            if (e.getKey().equals("replicate") && e.getValue().equals("0")) continue;
            out.add(e.getKey().replace('_', ' ') + " " + e.getValue());
        }
        return String.join(" · ", out);
    }

    /** The charts of the study's kind, by file name. */
    public static Map<String, byte[]> charts(StudyResult s) {
        return StudyCharts.charts(s);
    }
}
