package org.emergence.mi.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.emergence.common.AtomicFiles;
import org.emergence.common.UserError;
import org.emergence.mi.Estimate;
import org.emergence.mi.Estimator;
import org.emergence.mi.Estimators;

/**
 * Runs estimators on tasks with known MI: one seeded sample of n rows per task, shared by all
 * estimators; each result is compared with the truth. Output: a text table, CSV and JSON.
 */
public final class BenchRunner {
    private BenchRunner() {}

    /** One (task, estimator) result; estimate is null when the estimator refused (error says why). */
    public record Row(Task task, String estimator, Estimate estimate, String error) {
        public double trueBits() {
            return task.trueMiNats() * Estimate.LOG2E;
        }

        public double absErrorBits() {
            return estimate == null ? Double.NaN : Math.abs(estimate.bits() - trueBits());
        }

        /** |error| / true MI (NaN when the truth is 0). */
        public double relError() {
            double t = trueBits();
            return estimate == null || t == 0 ? Double.NaN : absErrorBits() / t;
        }
    }

    public static List<Row> run(List<Task> tasks, List<String> specs, int n, long seed, Consumer<Row> each,
                                Consumer<String> status) {
        List<Estimator> estimators = new ArrayList<>();
        for (String s : specs) estimators.add(Estimators.get(s)); // unknown names fail before any work
        List<Row> rows = new ArrayList<>();
        for (Task t : tasks) {
            status.accept(String.format(Locale.ROOT, "task %s (dx %d, dy %d, true %.4f bits): sampling %d rows", t.name(),
                    t.dx(), t.dy(), t.trueMiNats() * Estimate.LOG2E, n));
            Task.Sample s = t.sample(n, seed);
            for (int i = 0; i < estimators.size(); i++) {
                Estimator e = estimators.get(i);
                Row r;
                try {
                    r = new Row(t, specs.get(i), e.estimate(s.x(), s.y(), seed), null);
                } catch (UserError err) {
                    r = new Row(t, specs.get(i), null, err.getMessage());
                }
                rows.add(r);
                each.accept(r);
            }
        }
        return rows;
    }

    public static String header() {
        return String.format(Locale.ROOT, "%-20s %4s %4s %9s  %-16s %9s %9s %8s %8s  %s", "task", "dx", "dy", "true_bits",
                "estimator", "est_bits", "abs_err", "rel_err", "seconds", "notes");
    }

    public static String format(Row r) {
        if (r.estimate == null) {
            return String.format(Locale.ROOT, "%-20s %4d %4d %9.4f  %-16s %9s %9s %8s %8s  refused: %s", r.task.name(),
                    r.task.dx(), r.task.dy(), r.trueBits(), r.estimator, "-", "-", "-", "-", r.error);
        }
        Estimate e = r.estimate;
        String notes = e.warnings().stream().map(w -> w.split("[:;(]")[0]).distinct().reduce((a, b) -> a + "; " + b).orElse("");
        return String.format(Locale.ROOT, "%-20s %4d %4d %9.4f  %-16s %9.4f %9.4f %8s %8.2f  %s", r.task.name(), r.task.dx(),
                r.task.dy(), r.trueBits(), r.estimator, e.bits(), r.absErrorBits(),
                Double.isNaN(r.relError()) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * r.relError()), e.seconds(), notes);
    }

    public static void writeCsv(Path file, List<Row> rows) throws IOException {
        StringBuilder sb = new StringBuilder(
                "task,dx,dy,true_bits,estimator,estimate_bits,ci_low_bits,ci_high_bits,abs_error_bits,rel_error,seconds,status,warnings\n");
        for (Row r : rows) {
            Estimate e = r.estimate;
            sb.append(csv(r.task.name())).append(',').append(r.task.dx()).append(',').append(r.task.dy()).append(',')
                    .append(num(r.trueBits())).append(',').append(csv(r.estimator)).append(',');
            if (e == null) {
                sb.append(",,,,,,").append(csv("refused: " + r.error)).append(",\n");
            } else {
                sb.append(num(e.bits())).append(',').append(num(e.ciLowBits())).append(',').append(num(e.ciHighBits()))
                        .append(',').append(num(r.absErrorBits())).append(',').append(num(r.relError())).append(',')
                        .append(num(e.seconds())).append(",ok,").append(csv(String.join(" | ", e.warnings()))).append('\n');
            }
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    public static void writeJson(Path file, List<Row> rows, Map<String, Object> meta) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>(meta);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("task", r.task.name());
            m.put("task_description", r.task.description());
            m.put("dx", r.task.dx());
            m.put("dy", r.task.dy());
            m.put("true_bits", r.trueBits());
            m.put("estimator", r.estimator);
            if (r.estimate == null) {
                m.put("status", "refused");
                m.put("error", r.error);
            } else {
                Estimate e = r.estimate;
                m.put("status", "ok");
                m.put("estimate_bits", e.bits());
                m.put("ci_low_bits", e.ciLowBits());
                m.put("ci_high_bits", e.ciHighBits());
                m.put("abs_error_bits", r.absErrorBits());
                m.put("rel_error", Double.isNaN(r.relError()) ? null : r.relError());
                m.put("seconds", e.seconds());
                m.put("interval_method", e.intervalMethod());
                m.put("warnings", e.warnings());
                m.put("diagnostics", e.diagnostics());
            }
            list.add(m);
        }
        root.put("rows", list);
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        AtomicFiles.writeString(file, om.writeValueAsString(root) + "\n");
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String csv(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) return "\"" + s.replace("\"", "\"\"") + "\"";
        return s;
    }
}
