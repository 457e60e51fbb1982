package org.emergence.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.emergence.common.AtomicFiles;
import org.emergence.common.UserError;
import org.emergence.data.Npy;
import org.emergence.ie.Estimated;
import org.emergence.ie.RunSummary;
import org.emergence.ie.RunSummaryJson;
import org.emergence.ie.RunRequest;

/**
 * {@code emergence study KIND}: runs every condition of a study as an ordinary resumable run under
 * STUDY_DIR/runs (a finished condition is never recomputed; a causal model's shorter lists are read
 * from the longest list's run), then writes study.csv (one tidy row per condition × layer × position),
 * study.json (every condition's IE, the comparisons with their intervals and tests, the verdicts) and
 * a self-contained study.html.
 */
public final class Study implements StudyRuns {
    private final StudyOptions o;
    private final String version;
    private final Consumer<String> log;
    private final List<Condition> conditions;
    /** What the plan decided that a reader must know, then what the runs show (conditions at different N). */
    private final List<String> notes;
    final Map<String, RunSummary> summaries = new LinkedHashMap<>();
    final Map<String, Estimated> ie = new LinkedHashMap<>();

    private Study(StudyOptions o, String version, Consumer<String> log, List<Condition> conditions, List<String> notes) {
        this.notes = notes;
        this.o = o;
        this.version = version;
        this.log = log;
        this.conditions = conditions;
    }

    @Override
    public StudyOptions options() {
        return o;
    }

    @Override
    public List<Condition> conditions() {
        return conditions;
    }

    public static JsonNode run(StudyOptions o, String version, Consumer<String> log) throws IOException {
        Path generated = null;
        if (o.kind().equals("texts") && o.generator() != null) {
            generated = o.out().resolve("generated.jsonl");
            if (!java.nio.file.Files.isRegularFile(generated)) {
                try (org.emergence.tokenize.Tokenizer tok = org.emergence.model.ModelSources.tokenizer(o.generator())) {
                    org.emergence.generate.ModelText.ensureContinuations(org.emergence.model.ModelSources.load(o.generator()), tok,
                            o.generator(), generated, o.base().n() * 3 / 2 + 200, o.base().seed(), log);
                }
            }
        }
        List<String> notes = new ArrayList<>();
        List<Condition> cs = o.kind().equals("texts") ? StudyPlans.texts(o, generated) : StudyPlans.build(o, notes);
        for (String n : notes) log.accept("note: " + n);
        Study s = new Study(o, version, log, cs, notes);
        s.check();
        s.execute();
        ObjectNode out = s.assemble();
        Files.createDirectories(o.out());
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        AtomicFiles.writeString(o.out().resolve("study.json"), om.writeValueAsString(out) + "\n");
        AtomicFiles.writeString(o.out().resolve("study.csv"), s.csv());
        StudyReport.write(o.out(), out);
        return out;
    }

    /** Every runnable condition is prepared before the first run: incompatible studies are refused up front. */
    private void check() {
        Map<String, Integer> ts = new LinkedHashMap<>();
        for (Condition c : conditions) {
            if (c.derived()) continue;
            RunRequest.Prepared p;
            try {
                p = c.request().prepare(version);
            } catch (UserError e) {
                throw new UserError("study " + o.kind() + ", condition " + c.name() + ": " + e.getMessage(), e);
            }
            ts.put(c.name(), p.data().t());
        }
        if (o.kind().equals("models") && new LinkedHashSet<>(ts.values()).size() > 1) {
            throw new UserError("study models: the dataset has different lengths for different models (" + ts
                    + " tokens): IE is only comparable at equal T; use models with one tokenizer or a dataset of equal length");
        }
        if ("paper".equals(o.preset())) {
            long tokens = 0;
            for (Condition c : conditions) if (!c.derived()) tokens += (long) c.request().n() * ts.get(c.name());
            log.accept(String.format(Locale.ROOT, "preset paper: %d runs, %,d sequence tokens in all (N up to %,d): this takes hours on "
                    + "a laptop-class CPU; every run resumes if interrupted", ts.size(), tokens, conditions.stream()
                            .mapToInt(c -> c.request().n()).max().orElse(0)));
        }
    }

    private void execute() throws IOException {
        List<Condition> runs = conditions.stream().filter(c -> !c.derived()).toList();
        long t0 = System.nanoTime();
        int k = 0;
        for (Condition c : runs) {
            k++;
            double el = (System.nanoTime() - t0) / 1e9;
            String eta = k > 1 ? String.format(Locale.ROOT, ", about %.0f s left", el / (k - 1) * (runs.size() - k + 1)) : "";
            log.accept(String.format(Locale.ROOT, "[%d/%d] %s (%s%s)", k, runs.size(), c.name(), c.request().dataset(), eta));
            // texts: every later condition is measured at the first (natural) run's layer noise scale
            RunRequest r = o.sharedTextScale() && c != runs.get(0) ? c.request().withNoiseReference(runs.get(0).dir()) : c.request();
            r.prepare(version).execute();
            summaries.put(c.name(), RunSummaryJson.read(c.dir().resolve("summary.json")));
        }
        for (Condition c : conditions) ie.put(c.name(), c.derived() ? prefixIe(c) : summaries.get(c.name()).ie().estimated());
    }

    /** IE of a shorter list read from the longest list's run: IE(t) averaged over its aggregated positions up to t. */
    Estimated prefixIe(Condition c) {
        RunSummary s = summaries.get(c.prefixOf());
        List<Estimated> parts = new ArrayList<>();
        String positions = java.util.Objects.toString(s.settings().positions(), "");
        boolean[] constant = s.axes().constant();
        RunSummary.Val[] ieT = s.results().ieT();
        for (int t = 0; t <= c.position(); t++) {
            final int tt = t;
            boolean take = switch (positions) {
                case "last" -> t == c.position();
                case "varying" -> !(constant != null && tt < constant.length && constant[tt]);
                default -> true;
            };
            if (take) parts.add(at(ieT, t).estimated());
        }
        if (parts.isEmpty()) parts.add(at(ieT, c.position()).estimated());
        return Estimated.mean(parts);
    }

    private static RunSummary.Val at(RunSummary.Val[] row, int i) {
        return i >= 0 && i < row.length ? row[i] : RunSummary.Val.MISSING;
    }

    /** The run a condition's numbers come from. */
    @Override
    public RunSummary summaryOf(Condition c) {
        return summaries.get(c.derived() ? c.prefixOf() : c.name());
    }

    /**
     * Whether two conditions were measured on the same sequences with the same groups, so that their
     * difference is resampled group by group (paired): the same run (a causal model's prefixes), the same
     * token ids (ablations of one model, models sharing a tokenizer), or a row-by-row scramble of them.
     */
    boolean samePairs(Condition a, Condition b) {
        Condition ra = a.derived() ? find(a.prefixOf()) : a, rb = b.derived() ? find(b.prefixOf()) : b;
        if (ra == rb) return true;
        RunSummary sa = summaries.get(ra.name()), sb = summaries.get(rb.name());
        if (seed(sa) != seed(sb) || n(sa) != n(sb)) return false;
        String da = java.util.Objects.toString(sa.dataset().spec(), ""), db = java.util.Objects.toString(sb.dataset().spec(), "");
        if (da.replaceAll(":scramble=[a-z]+", "").equals(db.replaceAll(":scramble=[a-z]+", "")) && !da.equals(db)) return true;
        Path ta = ra.dir().resolve("tokens.npy"), tb = rb.dir().resolve("tokens.npy");
        if (!Files.isRegularFile(ta) || !Files.isRegularFile(tb)) return false;
        return java.util.Arrays.equals(Npy.readLongs(ta, Npy.header(ta)), Npy.readLongs(tb, Npy.header(tb)));
    }

    @Override
    public Condition find(String name) {
        for (Condition c : conditions) if (c.name().equals(name)) return c;
        throw new IllegalArgumentException(name);
    }

    /** a − b with the right pairing. */
    @Override
    public Estimated.Difference difference(Condition a, Condition b) {
        return Estimated.difference(ie.get(a.name()), ie.get(b.name()), samePairs(a, b));
    }

    private ObjectNode assemble() {
        ObjectMapper om = new ObjectMapper();
        ObjectNode out = om.createObjectNode();
        out.put("tool", "emergence");
        out.put("version", version);
        out.put("kind", o.kind());
        ObjectNode plan = out.putObject("plan");
        ArrayNode ms = plan.putArray("models");
        o.models().forEach(ms::add);
        plan.put("n", o.base().n());
        plan.put("seed", o.base().seed());
        plan.put("replicates", o.replicates());
        if (o.kind().equals("shots") || o.kind().equals("errors")) {
            ArrayNode cs = plan.putArray("categories");
            o.categories().forEach(cs::add);
            plan.put("kmin", o.kmin());
            plan.put("kmax", o.kmax());
            if (o.preset() != null) plan.put("preset", o.preset());
            if (o.longSep() != null) plan.put("long_sep", o.longSep());
        }
        if (o.kind().equals("texts")) {
            plan.put("text_scale", o.sharedTextScale() ? "shared: every condition at the layer noise scale of " + conditions.get(0).name()
                    : "own: every condition scales σ by its own layer RMS");
        }
        Map<String, Integer> ns = new LinkedHashMap<>();
        for (Condition c : conditions) ns.put(c.name(), n(c));
        String unequal = StudyNotes.unequalN(ns);
        if (unequal != null) notes.add(unequal);
        RunSummary first = summaryOf(conditions.get(conditions.size() - 1));
        out.put("measurement", java.util.Objects.toString(first.method().measurement(), ""));
        out.put("interval_method", java.util.Objects.toString(first.method().intervalMethod(), ""));
        ArrayNode conds = out.putArray("conditions");
        for (Condition c : conditions) {
            ObjectNode x = conds.addObject();
            x.put("name", c.name());
            x.set("labels", om.valueToTree(c.labels()));
            x.put("dataset", c.request().dataset());
            x.put("run_dir", c.dir().toString());
            x.put("n", n(c));
            if (c.derived()) {
                x.put("read_from", c.prefixOf());
                x.put("last_position", c.position());
            }
            Estimated e = ie.get(c.name());
            ObjectNode v = x.putObject("IE");
            put(v, "bits", e.bits());
            put(v, "ci_low", e.low());
            put(v, "ci_high", e.high());
            put(v, "se", e.se());
            if (!c.derived()) x.set("IE_summary", org.emergence.ie.RunSummaryWriter.json(summaries.get(c.name()).ie()));
        }
        StudyAnalysis.analyse(this, out);
        ArrayNode ns2 = out.putArray("notes");
        notes.forEach(ns2::add);
        return out;
    }

    /** The number of sequences a condition's numbers rest on. */
    @Override
    public Estimated ie(Condition c) {
        return ie.get(c.name());
    }

    @Override
    public int n(Condition c) {
        return n(summaryOf(c));
    }

    private static int n(RunSummary s) {
        return s.dataset().n() == null ? 0 : s.dataset().n().intValue();
    }

    private static long seed(RunSummary s) {
        return s.settings().seed() == null ? 0 : s.settings().seed();
    }

    static void put(ObjectNode o, String k, double v) {
        StudyRuns.put(o, k, v);
    }

    /** study.csv: condition, its labels, layer, position, E, MI_macro and MI_micro with intervals. */
    private String csv() {
        Set<String> keys = new LinkedHashSet<>();
        for (Condition c : conditions) keys.addAll(c.labels().keySet());
        StringBuilder sb = new StringBuilder("condition");
        for (String k : keys) sb.append(',').append(k);
        sb.append(",n,n_note,layer,position,E_bits,E_ci_low,E_ci_high,macro_bits,micro_bits,IE_bits,IE_ci_low,IE_ci_high\n");
        Map<String, Integer> ns = new LinkedHashMap<>();
        for (Condition c : conditions) ns.put(c.name(), n(c));
        for (Condition c : conditions) {
            String nNote = StudyNotes.nNote(ns, c.name());
            RunSummary s = summaryOf(c);
            int last = c.derived() ? c.position() : s.positions().length - 1;
            Estimated e = ie.get(c.name());
            int[] layers = s.layers();
            RunSummary.Results r = s.results();
            for (int li = 0; li < layers.length; li++) {
                for (int t = 0; t <= last; t++) {
                    RunSummary.Val cell = at(r.e()[li], t);
                    sb.append(csvCell(c.name()));
                    for (String k : keys) sb.append(',').append(csvCell(c.labels().getOrDefault(k, "")));
                    sb.append(',').append(ns.get(c.name())).append(',').append(csvCell(nNote));
                    sb.append(',').append(layers[li]).append(',').append(t);
                    for (double v : new double[] {cell.bits(), cell.ciLow(), cell.ciHigh(), at(r.macro()[li], t).bits(),
                        at(r.micro()[li], t).bits()}) {
                        sb.append(',').append(Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v));
                    }
                    for (double v : new double[] {e.bits(), e.low(), e.high()}) {
                        sb.append(',').append(Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "");
                    }
                    sb.append('\n');
                }
            }
        }
        return sb.toString();
    }

    private static String csvCell(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0) return v;
        return '"' + v.replace("\"", "\"\"") + '"';
    }
}
