package org.emergence.validate;

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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.emergence.common.AtomicFiles;
import org.emergence.common.UserError;
import org.emergence.ie.Estimated;
import org.emergence.ie.RunRequest;
import org.emergence.ie.RunSummary;
import org.emergence.ie.RunSummaryJson;
import org.emergence.model.ModelSources;
import org.emergence.tokenize.Tokenizer;

/**
 * {@code emergence validate}: the controls any semantic-emergence measurement must pass, run on a
 * user's model with the measurement the user chose (the defaults of {@code run} unless overridden).
 * Every condition is an ordinary resumable run under {@code OUT/runs/<condition>}, so an interrupted
 * validation resumes, and a finished condition is never recomputed.
 *
 * <p>Controls (each with its rule; differences come with 95% intervals from the jackknife, paired
 * where both runs are on the same sequences):
 * <ol>
 *   <li>trained vs untrained — IE of the model above the same architecture with the Hugging Face
 *       initialisation, for every init seed;</li>
 *   <li>natural vs scrambled text — above the same windows with tokens shuffled within each window,
 *       and with each position shuffled across windows (special tokens kept in place);</li>
 *   <li>random-input baseline — IE ≈ 0 when every block's input is i.i.d. noise;</li>
 *   <li>shift — the same text windows one token later give about the same IE;</li>
 *   <li>N-convergence — IE at N/2 close to IE at N (the value is a property of the population, not of N);</li>
 *   <li>σ-robustness — every pair above keeps its ordering, significantly, across the σ range;</li>
 *   <li>interval calibration — the reported SE matches the spread of IE over fresh dataset draws.</li>
 * </ol>
 */
public final class Validation {
    /** The shift may move IE by at most this share of its value. */
    static final double SHIFT_TOLERANCE = 0.10;
    /** IE(N) − IE(N/2) may be at most this share of IE(N). */
    static final double CONVERGENCE_TOLERANCE = 0.05;
    /** An untrained twin's IE may reach at most this share of the trained model's. */
    static final double UNTRAINED_TOLERANCE = 0.10;
    /** At most this share of the micro MIs at positions whose token varies may sit at their entropy bound. */
    static final double MICRO_BOUND_SHARE = 0.10;
    /** The random baseline may reach at most this share of the ICL IE (or its interval must contain 0). */
    static final double BASELINE_TOLERANCE = 0.05;
    /** SE / replicate sd must lie within [1/this, this]. */
    static final double CALIBRATION_FACTOR = 1.5;

    public static final List<String> CONTROLS = List.of("trained_vs_untrained", "trained_vs_untrained_icl",
            "untrained_near_zero", "natural_vs_within_shuffle", "natural_vs_position_shuffle", "random_baseline", "shift",
            "n_convergence", "sigma_robustness", "micro_resolution", "interval_calibration");

    /**
     * @param base         model, measurement, N, seed, batch (dataset and output ignored)
     * @param icl          the in-context dataset (e.g. icl:animal)
     * @param text         the natural text source (e.g. text:builtin)
     * @param textTokens   tokens per text window, special tokens not counted
     * @param initSeeds    seeds of the untrained models
     * @param sigmaFactors σ multiples (besides 1) for σ-robustness
     * @param replicates   extra fresh dataset draws of the ICL condition for interval calibration
     * @param sharedTextScale scrambled and shifted text use the natural text run's layer RMS as their noise scale
     *                     (one resolution per layer of the model, {@code --noise-reference}); false: each its own
     */
    public record Plan(RunRequest base, String icl, String text, int textTokens, long[] initSeeds, double[] sigmaFactors,
                       int replicates, Path out, Set<String> skip, boolean sharedTextScale) {
        Plan withText(String t) {
            return new Plan(base, icl, t, textTokens, initSeeds, sigmaFactors, replicates, out, skip, sharedTextScale);
        }
    }

    /**
     * A run of the validation and what it gave.
     *
     * @param reference the condition whose layer RMS scales this one's σ, or null for its own
     */
    public record Condition(String name, String what, RunRequest request, Path dir, String reference) {
        /** The request as it runs: with the reference's scale once that run has finished. */
        RunRequest resolved(Path runs) {
            return reference == null ? request : request.withNoiseReference(runs.resolve(reference));
        }
    }

    private Plan plan;
    private final String version;
    private final Consumer<String> log;
    private final Map<String, RunSummary> summaries = new LinkedHashMap<>();
    private final List<Condition> conditions = new ArrayList<>();

    private Validation(Plan plan, String version, Consumer<String> log) {
        this.plan = plan;
        this.version = version;
        this.log = log;
    }

    /** Runs (or resumes) every condition, then evaluates the controls and writes validate.json. */
    public static JsonNode run(Plan plan, String version, Consumer<String> log) throws IOException {
        for (String s : plan.skip()) {
            if (!CONTROLS.contains(s)) throw new UserError("--skip " + s + ": unknown control (controls: " + String.join(", ", CONTROLS) + ")");
        }
        if (plan.replicates() < 0) throw new UserError("--replicates must be >= 0");
        if (!plan.skip().contains("interval_calibration") && plan.replicates() < 2) {
            throw new UserError("--replicates must be at least 2 for interval_calibration (or --skip interval_calibration)");
        }
        Validation v = new Validation(plan, version, log);
        if (plan.base().noiseReference() != null) {
            throw new UserError("--noise-reference: validate sets the noise scale of each condition itself (see --text-scale)");
        }
        v.plan = v.plan.withText(SampledText.materialize(plan.base(), plan.text(), plan.out(), plan.textTokens(), log));
        v.plan();
        // refuse what cannot run before any run starts: every condition is prepared (model, tokenizer, dataset) first;
        // a reference scale is read when its run has finished, so the check prepares each condition without it
        for (Condition c : v.conditions) c.request().prepare(version);
        long t0 = System.nanoTime();
        int k = 0;
        for (Condition c : v.conditions) {
            k++;
            log.accept(String.format(Locale.ROOT, "[%d/%d] %s: %s", k, v.conditions.size(), c.name(), c.what()));
            // the controls compare IEs: each condition estimates only the cells its IE needs
            c.resolved(plan.out().resolve("runs")).prepare(version).onlyIeCells().execute();
            v.summaries.put(c.name(), readSummary(c.dir()));
        }
        ObjectNode out = v.evaluate((System.nanoTime() - t0) / 1e9);
        Files.createDirectories(plan.out());
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        AtomicFiles.writeString(plan.out().resolve("validate.json"), om.writeValueAsString(out) + "\n");
        ValidationReport.write(plan.out(), out);
        return out;
    }

    private static RunSummary readSummary(Path dir) {
        return RunSummaryJson.read(dir.resolve("summary.json"));
    }

    private boolean wants(String control) {
        return !plan.skip().contains(control);
    }

    private void add(String name, String what, String dataset, long seed, String ablate, double sigmaFactor, int t) {
        add(name, what, dataset, seed, ablate, sigmaFactor, t, null);
    }

    /** @param textReference the natural text condition whose scale a scrambled or shifted one shares (with --text-scale shared) */
    private void add(String name, String what, String dataset, long seed, String ablate, double sigmaFactor, int t,
                     String textReference) {
        RunRequest b = plan.base();
        Path dir = plan.out().resolve("runs").resolve(name);
        // conditions with the same untrained twins (a model and its untrained:S on one dataset) share their runs
        RunRequest r = b.with(b.model(), dataset, seed, ablate, b.noise() * sigmaFactor, dir).withN(b.n(), t)
                .withTwinRoot(plan.out().resolve("runs").resolve("null"));
        boolean shared = plan.sharedTextScale() && textReference != null && b.scalesByLayer();
        conditions.add(new Condition(name, what, r, dir, shared ? textReference : null));
    }

    private int textT() {
        RunRequest b = plan.base();
        int extra = 0;
        if (!b.specialTokens().equals("no")) { // what the model's tokenizer adds around a text: [CLS] … [SEP], BOS
            try (Tokenizer tok = ModelSources.tokenizer(b.model())) {
                extra = tok.specials().count();
            }
        }
        return plan.textTokens() + extra;
    }

    private boolean textControls() {
        return wants("natural_vs_within_shuffle") || wants("natural_vs_position_shuffle") || wants("shift");
    }

    private void plan() {
        RunRequest b = plan.base();
        long seed = b.seed();
        String text = plan.text() + ":lookahead=1";
        int tt = textT();
        boolean icl = hasIcl();
        if (icl) add("icl", "the model on " + plan.icl(), plan.icl(), seed, b.ablate(), 1, b.t());
        if (icl && (wants("trained_vs_untrained_icl") || wants("untrained_near_zero") || wants("sigma_robustness"))) {
            for (long s : plan.initSeeds()) {
                add("untrained-" + s, "the same architecture, Hugging Face initialisation (seed " + s + ")", plan.icl(), seed,
                        "untrained:" + s, 1, b.t());
            }
        }
        if (textControls() || wants("sigma_robustness") || wants("trained_vs_untrained") || wants("untrained_near_zero")) {
            add("text", "natural text windows", text, seed, b.ablate(), 1, tt);
        }
        if (wants("trained_vs_untrained") || wants("untrained_near_zero") || wants("sigma_robustness")) {
            for (long s : plan.initSeeds()) {
                add("text-untrained-" + s, "text windows through the same architecture untrained (seed " + s + ")", text, seed,
                        "untrained:" + s, 1, tt);
            }
        }
        if (textControls() || wants("sigma_robustness")) {
            add("text-within", "the same windows, tokens shuffled within each window", text + ":scramble=within", seed, b.ablate(), 1, tt,
                    "text");
            add("text-position", "the same windows, each position shuffled across windows", text + ":scramble=position", seed,
                    b.ablate(), 1, tt, "text");
        }
        if (wants("shift")) {
            add("text-shift", "the same windows, starting one token later", plan.text() + ":shift=1", seed, b.ablate(), 1, tt, "text");
        }
        if (wants("random_baseline")) add("random", "i.i.d. Gaussian block inputs", "random", seed, b.ablate(), 1, 0);
        if (wants("sigma_robustness")) {
            for (double f : plan.sigmaFactors()) {
                String tag = "sigma-" + trim(f) + "-";
                if (icl) {
                    add(tag + "icl", "icl at σ × " + trim(f), plan.icl(), seed, b.ablate(), f, b.t());
                    add(tag + "untrained-" + plan.initSeeds()[0], "untrained at σ × " + trim(f), plan.icl(), seed,
                            "untrained:" + plan.initSeeds()[0], f, b.t());
                }
                add(tag + "text", "text at σ × " + trim(f), text, seed, b.ablate(), f, tt);
                add(tag + "text-untrained-" + plan.initSeeds()[0], "text through the untrained model at σ × " + trim(f), text, seed,
                        "untrained:" + plan.initSeeds()[0], f, tt);
                add(tag + "text-within", "within-shuffled text at σ × " + trim(f), text + ":scramble=within", seed, b.ablate(), f, tt,
                        tag + "text");
                add(tag + "text-position", "position-shuffled text at σ × " + trim(f), text + ":scramble=position", seed,
                        b.ablate(), f, tt, tag + "text");
            }
        }
        if (wants("interval_calibration")) {
            for (int k = 1; k <= plan.replicates(); k++) {
                if (icl) {
                    add("replicate-" + k, "icl with a fresh dataset draw and noise (seed " + (seed + k) + ")", plan.icl(), seed + k,
                            b.ablate(), 1, b.t());
                } else {
                    add("replicate-" + k, "text with a fresh draw of the windows and noise (seed " + (seed + k) + ")", text, seed + k,
                            b.ablate(), 1, tt);
                }
            }
        }
    }

    /** False with {@code --dataset none}: a model whose tokenizer splits the list entities, or text-only validation. */
    private boolean hasIcl() {
        return !plan.icl().equals("none");
    }

    /** The condition a control falls back to when it has no in-context data: the natural text. */
    private String main() {
        return hasIcl() ? "icl" : "text";
    }

    static String trim(double f) {
        String s = String.format(Locale.ROOT, "%.4g", f);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    private Estimated ie(String condition) {
        return summaries.get(condition).ie().estimated();
    }

    // ------------------------------------------------------------------ controls

    private ObjectNode evaluate(double seconds) {
        List<Control> cs = new ArrayList<>();
        if (wants("trained_vs_untrained")) cs.add(trainedVsUntrained("text", "the model's in-domain text"));
        if (wants("trained_vs_untrained_icl") && hasIcl()) cs.add(trainedVsUntrained("icl", plan.icl()));
        if (wants("untrained_near_zero")) cs.add(untrainedNearZero());
        if (wants("natural_vs_within_shuffle")) cs.add(naturalVsScrambled("", "within"));
        if (wants("natural_vs_position_shuffle")) cs.add(naturalVsScrambled("", "position"));
        if (wants("random_baseline")) cs.add(randomBaseline());
        if (wants("shift")) cs.add(shift());
        if (wants("n_convergence")) cs.add(nConvergence());
        if (wants("sigma_robustness")) cs.add(sigmaRobustness());
        if (wants("micro_resolution")) cs.add(microResolution());
        if (wants("interval_calibration")) cs.add(calibration());
        ObjectMapper om = new ObjectMapper();
        ObjectNode o = om.createObjectNode();
        o.put("tool", "emergence");
        o.put("version", version);
        RunRequest b = plan.base();
        o.put("model", b.model());
        RunSummary first = summaries.get(main());
        o.put("measurement", java.util.Objects.toString(first.method().measurement(), ""));
        o.put("interval_method", java.util.Objects.toString(first.method().intervalMethod(), ""));
        ObjectNode st = o.putObject("settings");
        st.put("icl", plan.icl());
        st.put("text", plan.text());
        st.put("text_tokens", plan.textTokens());
        st.put("text_scale", plan.sharedTextScale() ? "shared: scrambled and shifted text use the natural text run's layer RMS"
                : "own: every condition scales σ by its own layer RMS");
        st.put("n", b.n());
        st.put("seed", b.seed());
        ArrayNode is = st.putArray("init_seeds");
        for (long s : plan.initSeeds()) is.add(s);
        ArrayNode sf = st.putArray("sigma_factors");
        for (double f : plan.sigmaFactors()) sf.add(f);
        st.put("replicates", plan.replicates());
        st.set("run_settings", first.settings().all());
        ArrayNode conds = o.putArray("conditions");
        for (Condition c : conditions) {
            RunSummary s = summaries.get(c.name());
            ObjectNode x = conds.addObject();
            x.put("name", c.name());
            x.put("what", c.what());
            x.put("run_dir", c.dir().toString());
            x.put("dataset", c.request().dataset());
            x.put("ablation", c.request().ablate());
            x.put("noise", c.request().noise());
            x.put("seed", c.request().seed());
            x.set("IE", org.emergence.ie.RunSummaryWriter.json(s.ie()));
            x.put("status", s.status());
        }
        ArrayNode ctl = o.putArray("controls");
        int passed = 0;
        for (Control c : cs) {
            c.json(ctl.addObject());
            if (c.pass()) passed++;
        }
        ObjectNode sum = o.putObject("summary");
        sum.put("passed", passed);
        sum.put("failed", cs.size() - passed);
        sum.put("total", cs.size());
        o.putObject("timing").put("seconds", seconds);
        return o;
    }

    /** The untrained condition of a trained one: "icl" → "untrained-S", "text" → "text-untrained-S". */
    private static String untrained(String condition, long seed) {
        return condition.equals("icl") ? "untrained-" + seed : condition + "-untrained-" + seed;
    }

    private Control trainedVsUntrained(String condition, String on) {
        boolean icl = condition.equals("icl");
        Control.Builder b = new Control.Builder(icl ? "trained_vs_untrained_icl" : "trained_vs_untrained",
                "Does the trained model show more IE than the same architecture untrained, on " + on + "?",
                "PASS if IE(trained) − IE(untrained) > 0 with its 95% interval above 0, for every init seed"
                        + (icl ? " (meaningful where the model has the in-context skill: a model trained on stories has no reason to "
                        + "treat lists of animals as lists)" : ""));
        Estimated tr = ie(condition);
        boolean pass = true;
        List<Estimated> un = new ArrayList<>();
        for (long s : plan.initSeeds()) {
            Estimated u = ie(untrained(condition, s));
            un.add(u);
            Estimated.Difference d = Estimated.difference(tr, u, true);
            pass &= d.positive();
            b.detail("seed %d: IE %.3f vs %.3f bits, difference %s", s, tr.bits(), u.bits(), Control.bits(d.bits(), d.low(), d.high()));
        }
        Estimated.Difference d = Estimated.difference(tr, Estimated.mean(un), true);
        return b.done(String.format(Locale.ROOT, "IE %.3f vs %.3f bits (mean of %d untrained); difference %s", tr.bits(),
                Estimated.mean(un).bits(), un.size(), Control.bits(d.bits(), d.low(), d.high())), d.bits(), d.low(), d.high(), d.method(), pass);
    }

    /** Does the trained model show more IE than every untrained twin on this data (interval above 0)? */
    private boolean hasSkill(String condition) {
        if (plan.initSeeds().length == 0) return false;
        Estimated tr = ie(condition);
        for (long s : plan.initSeeds()) {
            if (!summaries.containsKey(untrained(condition, s))) return false;
            if (!Estimated.difference(tr, ie(untrained(condition, s)), true).positive()) return false;
        }
        return true;
    }

    private Control untrainedNearZero() {
        Control.Builder b = new Control.Builder("untrained_near_zero",
                "Is the IE of an untrained twin (no semantics to extract) about 0?",
                String.format(Locale.ROOT, "PASS if |IE(untrained)| <= %.0f%% of |IE(trained)| for every init seed, on the text and on "
                        + "the in-context data where the model shows the skill (trained > untrained there; otherwise reported, not "
                        + "judged)", 100 * UNTRAINED_TOLERANCE));
        boolean pass = true;
        double worst = 0;
        for (String c : new String[] {"icl", "text"}) {
            if (!summaries.containsKey(c)) continue;
            Estimated tr = ie(c);
            boolean judged = !c.equals("icl") || hasSkill(c);
            for (long s : plan.initSeeds()) {
                Estimated u = ie(untrained(c, s));
                double share = Math.abs(u.bits()) / Math.max(1e-12, Math.abs(tr.bits()));
                if (judged) {
                    worst = Math.max(worst, share);
                    pass &= share <= UNTRAINED_TOLERANCE;
                }
                b.detail("%s, seed %d: IE(untrained) %s vs IE(trained) %.3f bits (%.0f%%)%s", c, s, Control.bits(u.bits(), u.low(), u.high()),
                        tr.bits(), 100 * share, judged ? "" : " (not judged: the model shows no in-context skill)");
            }
        }
        return b.done(String.format(Locale.ROOT, "largest |IE(untrained)| / |IE(trained)|: %.0f%%", 100 * worst), worst, Double.NaN,
                Double.NaN, "each untrained run's own interval", pass);
    }

    /**
     * How many micro MIs at positions whose token varies sit within 5% of their entropy bound (the mixture's warning):
     * there the micro term is a number the dataset sets (the entropy of the tokens), not a property of the model.
     */
    private Control microResolution() {
        Control.Builder b = new Control.Builder("micro_resolution",
                "Does the micro term measure the model rather than the dataset (not at the entropy of the tokens)?",
                String.format(Locale.ROOT, "PASS if at most %.0f%% of the micro MIs at positions whose token varies are within 5%% of "
                        + "their entropy bound, in the in-context and the text run", 100 * MICRO_BOUND_SHARE));
        int at = 0, total = 0;
        for (String c : new String[] {"icl", "text"}) {
            Condition cond = conditions.stream().filter(x -> x.name().equals(c)).findFirst().orElse(null);
            if (cond == null) continue;
            int[] k = MicroBound.count(cond.dir(), summaries.get(c));
            at += k[0];
            total += k[1];
            b.detail("%s: %d of %d varying-position micro MIs at their entropy bound", c, k[0], k[1]);
        }
        double share = total == 0 ? 0 : at / (double) total;
        return b.done(String.format(Locale.ROOT, "%d of %d (%.0f%%) at the bound", at, total, 100 * share), share, Double.NaN, Double.NaN,
                "the mixture's entropy-bound check of each estimate", share <= MICRO_BOUND_SHARE);
    }

    private Control naturalVsScrambled(String prefix, String how) {
        Control.Builder b = new Control.Builder("natural_vs_" + how + "_shuffle",
                "Does natural text show more IE than the same windows with " + (how.equals("within")
                        ? "their tokens shuffled within each window?" : "each position shuffled across windows?"),
                "PASS if IE(natural) − IE(scrambled) > 0 with its 95% interval above 0");
        Estimated nat = ie(prefix + "text"), scr = ie(prefix + "text-" + how);
        Estimated.Difference d = Estimated.difference(nat, scr, true);
        b.detail("natural: %s; scrambled: %s", describe(summaries.get(prefix + "text")), describe(summaries.get(prefix + "text-" + how)));
        return b.done(String.format(Locale.ROOT, "IE %.3f vs %.3f bits; difference %s", nat.bits(), scr.bits(),
                Control.bits(d.bits(), d.low(), d.high())), d.bits(), d.low(), d.high(), d.method(), d.positive());
    }

    private static String describe(RunSummary s) {
        RunSummary.Val ie = s.ie();
        return String.format(Locale.ROOT, "IE %.3f bits, %.3f from constant-token positions", ie.bits(),
                ie.split() == null ? 0 : ie.split().constantBits());
    }

    private Control randomBaseline() {
        Control.Builder b = new Control.Builder("random_baseline", "Is IE about 0 when every block's input is random noise?",
                String.format(Locale.ROOT, "PASS if the 95%% interval of IE(random) contains 0 or |IE(random)| <= %.0f%% of the trained "
                        + "model's largest IE on data where it shows the skill (the text; the in-context data where trained > untrained)",
                        100 * BASELINE_TOLERANCE));
        Estimated r = ie("random");
        double scale = 0;
        String scaleFrom = "none";
        for (String c : new String[] {"icl", "text"}) {
            if (!summaries.containsKey(c) || (c.equals("icl") && !hasSkill(c))) continue;
            double v = Math.abs(ie(c).bits());
            if (v > scale) {
                scale = v;
                scaleFrom = c;
            }
        }
        boolean pass = (r.low() <= 0 && r.high() >= 0) || Math.abs(r.bits()) <= BASELINE_TOLERANCE * scale;
        b.detail("scale: IE(%s) = %.3f bits", scaleFrom, scale);
        return b.done(String.format(Locale.ROOT, "IE(random) %s bits", Control.bits(r.bits(), r.low(), r.high())), r.bits(), r.low(),
                r.high(), "the run's own interval", pass);
    }

    private Control shift() {
        Control.Builder b = new Control.Builder("shift", "Do the same text windows one token later give about the same IE?",
                String.format(Locale.ROOT, "PASS if |IE(shifted) − IE(natural)| <= %.0f%% of IE(natural) or its 95%% interval contains 0",
                        100 * SHIFT_TOLERANCE));
        Estimated nat = ie("text"), sh = ie("text-shift");
        Estimated.Difference d = Estimated.difference(sh, nat, true);
        boolean pass = Math.abs(d.bits()) <= SHIFT_TOLERANCE * Math.abs(nat.bits()) || d.containsZero();
        return b.done(String.format(Locale.ROOT, "IE %.3f (shifted) vs %.3f bits; difference %s", sh.bits(), nat.bits(),
                Control.bits(d.bits(), d.low(), d.high())), d.bits(), d.low(), d.high(), d.method(), pass);
    }

    private Control nConvergence() {
        Control.Builder b = new Control.Builder("n_convergence",
                "Is IE a property of the population rather than of the number of sequences N?",
                String.format(Locale.ROOT, "PASS if |IE(N) − IE(N/2)| <= %.0f%% of |IE(N)| for every dataset (IE at N/2 and N/4: the "
                        + "same estimates on halves and quarters of the sequences)", 100 * CONVERGENCE_TOLERANCE));
        boolean pass = true;
        double worst = 0;
        for (String c : new String[] {"icl", "text"}) {
            if (!summaries.containsKey(c)) continue;
            RunSummary.Spread sp = summaries.get(c).ie().spread();
            RunSummary.Convergence nc = sp == null ? null : sp.nConvergence();
            if (nc == null) {
                b.detail("%s: no replicates (run with --groups > 0)", c);
                pass = false;
                continue;
            }
            double q = nc.quarter(), h = nc.half(), f = nc.full();
            double rel = Math.abs(f - h) / Math.max(1e-12, Math.abs(f));
            worst = Math.max(worst, rel);
            pass &= rel <= CONVERGENCE_TOLERANCE;
            b.detail("%s: IE(N/4) %.3f, IE(N/2) %.3f, IE(N) %.3f bits: last doubling %+.3f bits (%.1f%%)", c, q, h, f, f - h, 100 * rel);
        }
        return b.done(String.format(Locale.ROOT, "largest last-doubling change %.1f%%", 100 * worst), worst, Double.NaN, Double.NaN,
                "halves and quarters of the sequences (same noise draws)", pass);
    }

    private Control sigmaRobustness() {
        Control.Builder b = new Control.Builder("sigma_robustness",
                "Does every control pair keep its ordering across the noise range?",
                "PASS if trained > untrained on the text and natural > both scrambles, each with its 95% interval above 0, at every σ "
                        + "(trained − untrained on the in-context data reported beside)");
        boolean pass = true;
        List<double[]> rows = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        prefixes.add("");
        for (double f : plan.sigmaFactors()) prefixes.add("sigma-" + trim(f) + "-");
        double worstLow = Double.POSITIVE_INFINITY;
        for (String p : prefixes) {
            double f = p.isEmpty() ? 1 : Double.parseDouble(p.substring(6, p.length() - 1));
            Estimated.Difference tu = hasIcl() ? Estimated.difference(ie(p + "icl"), ie(p + "untrained-" + plan.initSeeds()[0]), true)
                    : new Estimated.Difference(Double.NaN, Double.NaN, Double.NaN, Double.NaN, "no in-context data");
            Estimated.Difference tt = Estimated.difference(ie(p + "text"), ie(p + "text-untrained-" + plan.initSeeds()[0]), true);
            Estimated.Difference nw = Estimated.difference(ie(p + "text"), ie(p + "text-within"), true);
            Estimated.Difference np = Estimated.difference(ie(p + "text"), ie(p + "text-position"), true);
            pass &= tt.positive() && nw.positive() && np.positive();
            worstLow = Math.min(worstLow, Math.min(tt.low(), Math.min(nw.low(), np.low())));
            b.detail("σ × %s (σ = %s): trained − untrained on text %s (in-context data %s), natural − within %s, natural − position %s",
                    trim(f), trim(plan.base().noise() * f), Control.bits(tt.bits(), tt.low(), tt.high()),
                    Control.bits(tu.bits(), tu.low(), tu.high()), Control.bits(nw.bits(), nw.low(), nw.high()),
                    Control.bits(np.bits(), np.low(), np.high()));
            rows.add(new double[] {f, tu.bits(), nw.bits(), np.bits()});
        }
        return b.done(String.format(Locale.ROOT, "lowest interval bound of any pair at any σ: %+.3f bits", worstLow), worstLow,
                Double.NaN, Double.NaN, "paired jackknife at each σ", pass);
    }

    private Control calibration() {
        Control.Builder b = new Control.Builder("interval_calibration",
                "Does the reported standard error match the spread of IE over fresh dataset draws?",
                String.format(Locale.ROOT, "PASS if SE / (sd of IE over the draws) lies within [1/%.1f, %.1f]", CALIBRATION_FACTOR,
                        CALIBRATION_FACTOR));
        List<String> names = new ArrayList<>();
        names.add(main());
        for (int k = 1; k <= plan.replicates(); k++) names.add("replicate-" + k);
        double[] ies = new double[names.size()], ses = new double[names.size()];
        for (int i = 0; i < ies.length; i++) {
            Estimated e = ie(names.get(i));
            ies[i] = e.bits();
            ses[i] = e.se();
            b.detail("%s: IE %.4f bits, SE %.4f", names.get(i), e.bits(), e.se());
        }
        Calibration c = Calibration.of(ies, ses);
        int k = ies.length;
        b.detail("RMS SE %.4f, sd over %d draws %.4f; 90%% interval of the ratio from the χ² of the sd: [%.2f, %.2f]", c.se(), k, c.sd(),
                c.low(), c.high());
        boolean pass = c.ratio() >= 1 / CALIBRATION_FACTOR && c.ratio() <= CALIBRATION_FACTOR;
        return b.done(String.format(Locale.ROOT, "SE / sd = %.2f, 90%% interval [%.2f, %.2f] (RMS SE %.4f, sd %.4f over %d draws)", c.ratio(),
                c.low(), c.high(), c.se(), c.sd(), k),
                c.ratio(), c.low(), c.high(),
                "ratio of the root-mean-square SE to the sample sd of IE over independent draws", pass);
    }
}
