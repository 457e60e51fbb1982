package org.emergence.report;

import org.emergence.ie.RunSummary;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.emergence.ie.RunSummary.LayerE;
import org.emergence.ie.RunSummary.Val;

import static org.emergence.report.HtmlFormat.bits;
import static org.emergence.report.HtmlFormat.duration;
import static org.emergence.report.HtmlFormat.interval;
import static org.emergence.report.HtmlFormat.kvTable;
import static org.emergence.report.HtmlFormat.numCell;
import static org.emergence.report.HtmlFormat.or;
import static org.emergence.report.HtmlFormat.ranges;
import static org.emergence.report.HtmlFormat.row;
import static org.emergence.report.HtmlFormat.signClass;
import static org.emergence.report.HtmlFormat.textOf;
import static org.emergence.report.Pages.escape;

/**
 * The self-contained report page: inline CSS, charts as base64 data URIs, no scripts and no
 * external references (a Content-Security-Policy forbids loading anything). Every string taken
 * from summary.json is HTML-escaped.
 */
final class Html {
    private Html() {}

    /** A chart as the page shows it: the PNG bytes, or the reason it could not be drawn. */
    record Chart(String file, String title, String alt, String caption, byte[] png, int width, int height, String error) {}

    static String render(RunSummary s, List<Chart> charts, Map<String, Boolean> siblingFiles) {
        StringBuilder h = new StringBuilder(256 * 1024);
        String modelName = or(s.model().name(), "unknown model");
        String spec = or(s.dataset().spec(), "unknown dataset");
        h.append(Pages.head("Information emergence: " + modelName + " on " + spec + (s.partial() ? " (partial)" : "")));

        header(h, s, modelName, spec);
        Validity.box(h, s);
        status(h, s);
        headline(h, s);
        measured(h, s);
        h.append("<section id=\"charts\">\n<h2>Charts</h2>\n");
        for (Chart c : charts) chart(h, c);
        h.append("</section>\n");
        layerTable(h, s);
        positionTable(h, s);
        howToRead(h, s);
        settings(h, s);
        warnings(h, s);
        timing(h, s);
        footer(h, s, siblingFiles);
        h.append("</main>\n</body>\n</html>\n");
        return h.toString();
    }

    // ---------------------------------------------------------------------------------------- sections

    private static void header(StringBuilder h, RunSummary s, String modelName, String spec) {
        RunSummary.Model m = s.model();
        RunSummary.Dataset d = s.dataset();
        h.append("<header>\n<h1>Information emergence: ").append(escape(modelName)).append(" on <code>").append(escape(spec))
                .append("</code></h1>\n<p class=\"sub\">");
        List<String> model = new ArrayList<>();
        if (m.modelType() != null) model.add(escape(m.modelType()));
        if (m.layers() != null) model.add(m.layers() + " layers");
        if (m.hidden() != null) model.add("hidden size " + m.hidden());
        if (m.causal() != null) model.add(m.causal() ? "causal (decoder)" : "bidirectional (encoder)");
        h.append("<b>Model</b> ").append(escape(modelName));
        if (!model.isEmpty()) h.append(" (").append(String.join(", ", model)).append(")");
        h.append(" &middot; <b>Dataset</b> <code>").append(escape(spec)).append("</code>");
        if (d.description() != null) h.append(": ").append(escape(d.description()));
        h.append(" &middot; <b>n</b> = ").append(d.n() == null ? "?" : d.n().toString()).append(" sequences")
                .append(" &middot; <b>t</b> = ").append(d.t() == null ? "?" : d.t().toString()).append(" tokens")
                .append("</p>\n</header>\n");
    }

    private static void status(StringBuilder h, RunSummary s) {
        List<String> missing = missing(s);
        if (s.partial()) {
            h.append("<div class=\"box partial\" id=\"status\"><p><b>Partial run.</b> This report was built from a run that is "
                    + "still in progress or stopped early")
                    .append(s.header().updated() == null ? "" : " (summary updated " + escape(s.header().updated()) + ")")
                    .append(". Values not yet estimated appear as &ldquo;&mdash;&rdquo; in the tables, as gaps in the line charts "
                            + "and as hatched grey cells in the heat map; the headline and averages may change when the run completes.</p>\n");
            if (missing.isEmpty()) {
                h.append("<p>Every value in the summary is present.</p>\n");
            } else {
                h.append("<p>Missing:</p>\n<ul>\n");
                for (String x : missing) h.append("<li>").append(x).append("</li>\n");
                h.append("</ul>\n");
            }
            h.append("</div>\n");
        } else if (!missing.isEmpty()) {
            h.append("<div class=\"box warn\" id=\"status\"><p><b>Complete run with missing values.</b> The run is marked complete, "
                    + "but some values are missing or not finite:</p>\n<ul>\n");
            for (String x : missing) h.append("<li>").append(x).append("</li>\n");
            h.append("</ul>\n</div>\n");
        }
        if (s.modes().mixed()) {
            h.append("<div class=\"box mixed\" id=\"mixed\"><p><b>Mixed modes.</b> Not all estimates were made in the same "
                    + "mode (macro: ").append(escape(or(s.modes().macro(), "?"))).append("; micro: ")
                    .append(escape(or(s.modes().micro(), "?")))
                    .append("). Where macro and micro values come from different modes, E = MI_macro &minus; mean MI_micro "
                            + "subtracts two different kinds of quantity, so E, IE(t) and IE are indicative only, not a "
                            + "like-for-like difference. See <a href=\"#measured\">what was measured</a>.</p>\n");
            if (s.modes().note() != null) h.append("<p>").append(escape(s.modes().note())).append("</p>\n");
            h.append("</div>\n");
        } else if (mixedCells(s)) {
            h.append("<div class=\"box warn\" id=\"mixed\"><p><b>Check the modes.</b> The run does not report mixed modes, "
                    + "but the macro and micro estimates name different estimators or modes (see "
                    + "<a href=\"#measured\">what was measured</a>); make sure the two levels are comparable before "
                    + "reading E as a difference.</p></div>\n");
        }
    }

    /** True when the macro and micro cells name different sets of estimator and mode. */
    private static boolean mixedCells(RunSummary s) {
        java.util.Set<String> macro = new java.util.TreeSet<>(), micro = new java.util.TreeSet<>();
        for (Val[] r : s.results().macro()) for (Val v : r) if (v.present()) macro.add(v.estimator() + "\u0000" + v.mode());
        for (Val[] r : s.results().micro()) for (Val v : r) if (v.present()) micro.add(v.estimator() + "\u0000" + v.mode());
        return !macro.isEmpty() && !micro.isEmpty() && !macro.equals(micro);
    }

    private static void headline(StringBuilder h, RunSummary s) {
        Val ie = s.ie();
        h.append("<section id=\"headline\" class=\"headline\">\n");
        if (!ie.present()) {
            h.append("<p class=\"ie\">IE: <span class=\"missing\">not estimated yet</span></p>\n");
        } else {
            h.append("<p class=\"ie\">IE = <b>").append(bits(ie.bits())).append("</b> bits");
            if (ie.hasInterval()) h.append(" <span class=\"ci\">interval [").append(bits(ie.ciLow())).append(", ")
                    .append(bits(ie.ciHigh())).append("] bits</span>");
            h.append("</p>\n<p>").append(reading(ie)).append("</p>\n");
            nullModel(h, s);
        }
        provenance(h, s);
        if (s.method().intervalMethod() != null) h.append("<p class=\"small\">Intervals: ").append(escape(s.method().intervalMethod())).append("</p>\n");
        if (!s.warnings().isEmpty()) {
            h.append("<p class=\"small\"><a href=\"#warnings\">").append(s.warnings().size()).append(" warning")
                    .append(s.warnings().size() == 1 ? "" : "s").append("</a> recorded by the run.</p>\n");
        }
        h.append("</section>\n");
    }

    /**
     * What a relative IE is relative to: the model's own (raw) IE and each untrained twin's, so a reader sees the
     * zero the number is measured from (docs/measurement.md, "Relative to untrained twins").
     */
    private static void nullModel(StringBuilder h, RunSummary s) {
        RunSummary.Relative n = s.relative();
        if (n == null || !n.ieRaw().present()) return;
        Val raw = n.ieRaw();
        StringBuilder tw = new StringBuilder();
        for (RunSummary.Twin t : n.perTwin()) {
            if (!t.ie().present()) continue;
            tw.append(tw.length() == 0 ? "" : ", ").append(bits(t.ie().bits())).append(" (seed ").append(t.seed()).append(')');
        }
        h.append("<p id=\"null-model\">Relative to ").append(n.twins()).append(" untrained twins (the same architecture at "
                + "its initialisation, the same sequences and measurement): the model's own IE ").append(bits(raw.bits()));
        if (!Double.isNaN(raw.ciLow())) {
            h.append(" [").append(bits(raw.ciLow())).append(", ").append(bits(raw.ciHigh())).append(']');
        }
        h.append(" bits minus the twins&rsquo; mean ").append(bits(n.twinsMeanBits())).append(" bits");
        if (tw.length() > 0) h.append(" (").append(tw).append(')');
        h.append(".</p>\n");
    }

    /** Where IE comes from (constant-token vs varying positions) and how it moves with N. */
    private static void provenance(StringBuilder h, RunSummary s) {
        Val ie = s.ie();
        if (!ie.present()) return;
        RunSummary.Split split = ie.split();
        if (split != null && !Double.isNaN(split.constantBits())) {
            boolean dom = split.dominatedByConstant();
            h.append("<p").append(dom ? " class=\"bad\"" : "").append(">Where it comes from: ")
                    .append(bits(split.constantBits())).append(" bits from positions whose token is the same in "
                            + "every sequence (separators, special tokens: their micro MI is 0 by construction), ")
                    .append(bits(split.varyingBits())).append(" bits from positions whose token varies")
                    .append(dom ? " &mdash; <b>dominated by constant-token positions</b>" : "").append(".</p>\n");
        }
        RunSummary.Convergence nc = ie.spread() == null ? null : ie.spread().nConvergence();
        if (nc != null) {
            double full = nc.full(), half = nc.half();
            double rel = Math.abs(full - half) / Math.max(1e-12, Math.abs(full));
            h.append("<p").append(rel > 0.1 ? " class=\"bad\"" : "").append(">Finite-N diagnostic: IE at N/4, N/2, N = ")
                    .append(bits(nc.quarter())).append(", ").append(bits(half)).append(", ").append(bits(full))
                    .append(" bits (the same estimates on quarters and halves of the sequences); the last doubling moved IE by ")
                    .append(String.format(Locale.ROOT, "%+.3f bits (%.0f%%)", full - half, 100 * rel))
                    .append(rel > 0.1 ? ", more than the interval covers: IE depends on N here, compare runs only at equal N" : "")
                    .append(".</p>\n");
        }
        if (s.method().measurement() != null) {
            h.append("<p class=\"small\">Measurement: ").append(escape(s.method().measurement())).append(".</p>\n");
        }
    }

    /** One sentence on the sign of IE, honest about intervals that include zero. */
    private static String reading(Val v) {
        if (!v.finite()) return "The value is not finite; see the warnings.";
        if (v.hasInterval() && v.ciLow() <= 0 && v.ciHigh() >= 0) {
            return "The interval includes 0: at this precision the run shows no clear emergence in either direction.";
        }
        if (v.bits() > 0) {
            return "Positive: on average over layers, the blocks preserve more information about a token read in its context "
                    + "(macro) than about tokens read alone (micro).";
        }
        if (v.bits() < 0) {
            return "Negative: on average over layers, the blocks preserve less information about a token read in its context "
                    + "(macro) than about tokens read alone (micro).";
        }
        return "Zero: macro and micro mutual information balance on average.";
    }

    private static void measured(StringBuilder h, RunSummary s) {
        h.append("<section id=\"measured\">\n<h2>What was measured</h2>\n<table class=\"kv\">\n");
        String estimator = s.settings().all() == null ? null : or(s.settings().estimator(), "—");
        row(h, "Estimator", estimator == null ? "&mdash;" : "<code>" + escape(estimator) + "</code>");
        row(h, "Macro mode", escape(or(s.modes().macro(), "—")));
        row(h, "Micro mode", escape(or(s.modes().micro(), "—")) + (s.modes().mixed() ? " <b class=\"bad\">(differs from macro)</b>" : ""));
        if (s.settings().noise() != null) {
            Boolean abs = s.settings().noiseAbsolute();
            String kind = abs == null ? "" : abs ? " (absolute)" : " (relative)";
            row(h, "Noise &sigma;", escape(textOf(s.settings().noise())) + kind);
        }
        if (s.method().intervalMethod() != null) row(h, "Intervals", escape(s.method().intervalMethod()));
        if (s.modes().note() != null) row(h, "Note", escape(s.modes().note()));
        h.append("</table>\n");
        h.append("<p>All mutual informations here are <em>estimates</em> (approximations) computed from n sampled sequences with "
                + "the estimator named above, not exact values. Where a mode adds noise to the hidden states, the quantity measured "
                + "is the mutual information of those noisy states and depends on &sigma;. Compare runs only when estimator, "
                + "modes and settings match.</p>\n");
        int saturated = 0;
        for (String w : s.warnings()) if (w.toLowerCase(Locale.ROOT).contains("saturat")) saturated++;
        if (saturated > 0) {
            h.append("<div class=\"box warn\"><p><b>").append(saturated).append(" warning").append(saturated == 1 ? "" : "s")
                    .append(" about saturation.</b> An estimate near its estimator's ceiling understates the true mutual "
                            + "information, so the affected E values may be biased; see <a href=\"#warnings\">warnings</a>.</p></div>\n");
        }
        Map<String, int[]> used = estimatorsUsed(s);
        if (!used.isEmpty()) {
            h.append("<p>Estimators and modes recorded per estimate:</p>\n<table>\n<thead><tr><th>level</th><th>estimator</th>"
                    + "<th>mode</th><th class=\"num\">estimates</th></tr></thead>\n<tbody>\n");
            for (Map.Entry<String, int[]> e : used.entrySet()) {
                String[] k = e.getKey().split("\u0000", -1);
                h.append("<tr><td>").append(escape(k[0])).append("</td><td><code>").append(escape(k[1])).append("</code></td><td>")
                        .append(escape(k[2])).append("</td><td class=\"num\">").append(e.getValue()[0]).append("</td></tr>\n");
            }
            h.append("</tbody>\n</table>\n");
        }
        h.append("</section>\n");
    }

    private static void chart(StringBuilder h, Chart c) {
        h.append("<figure id=\"").append(escape(c.file().replace(".png", ""))).append("\">\n");
        if (c.png() != null) {
            h.append("<img width=\"").append(c.width()).append("\" height=\"").append(c.height()).append("\" alt=\"")
                    .append(escape(c.alt())).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(c.png())).append("\">\n");
        } else {
            h.append("<div class=\"box warn\"><p><b>").append(escape(c.title())).append(":</b> the chart could not be drawn (")
                    .append(escape(c.error())).append(").</p></div>\n");
        }
        h.append("<figcaption><b>").append(escape(c.title())).append(".</b> ").append(c.caption())
                .append(" <span class=\"small\">(charts/").append(escape(c.file())).append(")</span></figcaption>\n</figure>\n");
    }

    private static void layerTable(StringBuilder h, RunSummary s) {
        h.append("<section id=\"layers\">\n<h2>Per layer</h2>\n");
        if (s.layers().length == 0) {
            h.append("<p class=\"missing\">No layers measured yet.</p>\n</section>\n");
            return;
        }
        org.emergence.ie.Terms terms = RunTerms.of(s);
        h.append("<p>MI_macro: ").append(escape(terms.macro())).append("; MI_micro: ").append(escape(terms.micro()))
                .append(" (<code class=\"opt\">--pairing ").append(escape(terms.pairing())).append("</code>). E(l) = MI_macro &minus; MI_micro. All in bits.</p>\n");
        h.append("<table>\n<thead><tr><th class=\"num\">layer</th><th class=\"num\">").append(escape(terms.macroShort()))
                .append("</th><th class=\"num\">").append(escape(terms.microShort())).append("</th>"
                + "<th class=\"num\">E(l)</th><th>interval</th></tr></thead>\n<tbody>\n");
        for (LayerE le : s.results().eLayer()) {
            Val e = le.e();
            h.append("<tr><td class=\"num\">").append(le.layer()).append("</td>")
                    .append(numCell(le.macroBits())).append(numCell(le.microMeanBits()))
                    .append("<td class=\"num ").append(signClass(e)).append("\">").append(bits(e.bits())).append("</td>")
                    .append("<td>").append(interval(e)).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private static void positionTable(StringBuilder h, RunSummary s) {
        if (s.positions().length == 0) return;
        h.append("<section id=\"positions\">\n<details>\n<summary>Per position: IE(t) (").append(s.positions().length)
                .append(" positions)</summary>\n<table>\n<thead><tr><th class=\"num\">position</th><th class=\"num\">IE(t)</th>"
                        + "<th>interval</th></tr></thead>\n<tbody>\n");
        for (int j = 0; j < s.positions().length; j++) {
            Val v = s.results().ieT()[j];
            h.append("<tr><td class=\"num\">").append(s.positions()[j]).append("</td><td class=\"num ").append(signClass(v))
                    .append("\">").append(bits(v.bits())).append("</td><td>").append(interval(v)).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</details>\n</section>\n");
    }

    private static void howToRead(StringBuilder h, RunSummary s) {
        org.emergence.ie.Terms terms = RunTerms.of(s);
        boolean matched = terms.pairing().equals("matched");
        h.append("<section id=\"how-to-read\">\n<h2>How to read this report</h2>\n<dl>\n")
                .append("<dt>MI_macro(l, t)</dt><dd>The mutual information between the input and the output of transformer block l "
                        + "at position t while the model reads the whole sequence: the token in its context. It measures how much "
                        + "of the block's input state survives, as information, in its output state.</dd>\n")
                .append("<dt>MI_micro(l, i)</dt><dd>The same quantity when the token at position i is fed to the model on its own, "
                        + "without the rest of the sequence.</dd>\n")
                .append("<dt>E(l, t)</dt><dd>").append(escape(terms.eDefinition())).append(" (<code class=\"opt\">--pairing ")
                .append(escape(terms.pairing())).append("</code>")
                .append(matched ? "; <code class=\"opt\">--pairing prefix</code> subtracts the mean over the positions t can see instead, the "
                        + "paper's formula" : "; <code class=\"opt\">--pairing matched</code>, the default, subtracts the same token fed alone instead")
                .append("), in bits. Positive: the block carries more information about the token in context than about "
                        + "tokens on their own, which is information that exists only at the level of the sequence (emergence). "
                        + "Negative: reading the token in context lowers it. An interval that includes 0 means no detectable "
                        + "difference.</dd>\n")
                .append("<dt>E(l), IE(t), IE</dt><dd>E(l) is one value per layer: ").append(escape(terms.macro())).append(" minus ")
                .append(escape(terms.micro())).append(s.causal() ? " (for this causal model the last position sees the whole sequence)" : "")
                .append("; IE(t) is E(l, t) averaged over the measured layers at position t; IE, the headline, averages E(l) over "
                        + "the measured layers. Their intervals are stated under &ldquo;Intervals&rdquo;.</dd>\n")
                .append("</dl>\n<p><b>Heat map.</b> Rows are layers (first layer at the bottom), columns are positions, labelled with "
                        + "the token every sequence holds there (&ldquo;0 [CLS]&rdquo;), &ldquo;entity&rdquo; where a list's entity "
                        + "varies, or just the position. Red cells are positive E, blue cells negative, white 0; the colour bar gives the "
                        + "scale in bits, symmetric about 0 and fitted to the largest |E|. Hatched grey cells were not estimated. Colours show point estimates only: "
                        + "check the intervals before reading much into pale cells.</p>\n")
                .append("<p><b>Macro vs micro.</b> The two lines are the two terms of E(l), ").append(escape(terms.macro())).append(" and ")
                .append(escape(terms.micro())).append(", with their intervals; the vertical gap between them is E(l). Their absolute "
                        + "levels depend on the estimator and noise settings, so across runs compare gaps, not levels.</p>\n")
                .append("<p><b>IE(t).</b> How emergence varies along the sequence")
                .append(s.causal() ? " (in a causal model, position t sees tokens 0..t, so later positions have more context)" : "")
                .append("; the shaded band is the interval.</p>\n</section>\n");
    }

    private static void settings(StringBuilder h, RunSummary s) {
        h.append("<section id=\"settings\">\n<h2>Settings</h2>\n");
        if (s.settings().all() == null || s.settings().all().isEmpty()) {
            h.append("<p class=\"missing\">No settings recorded.</p>\n");
        } else {
            kvTable(h, s.settings().all());
        }
        h.append("<p>Layers measured: ").append(escape(ranges(s.layers()))).append(" &middot; positions: ")
                .append(escape(ranges(s.positions()))).append("</p>\n");
        if (s.dataset().details() != null && !s.dataset().details().isEmpty()) {
            h.append("<h3>Dataset details</h3>\n");
            kvTable(h, s.dataset().details());
        }
        h.append("</section>\n");
    }

    private static void warnings(StringBuilder h, RunSummary s) {
        h.append("<section id=\"warnings\">\n<h2>Warnings</h2>\n");
        if (s.warnings().isEmpty()) {
            h.append("<p>None recorded.</p>\n");
        } else {
            h.append("<ul class=\"warnings\">\n");
            for (String w : s.warnings()) h.append("<li>").append(escape(w)).append("</li>\n");
            h.append("</ul>\n");
        }
        h.append("</section>\n");
    }

    private static void timing(StringBuilder h, RunSummary s) {
        if (s.timing().all() == null || s.timing().all().isEmpty()) return;
        h.append("<section id=\"timing\">\n<h2>Timing</h2>\n<table class=\"kv\">\n");
        for (Map.Entry<String, JsonNode> e : s.timing().all().properties()) {
            String key = e.getKey();
            JsonNode v = e.getValue();
            String text;
            if (v.isNumber() && key.endsWith("_seconds")) {
                text = duration(v.doubleValue());
                key = key.substring(0, key.length() - "_seconds".length());
            } else {
                text = escape(textOf(v));
            }
            row(h, escape(key.replace('_', ' ')), text);
        }
        h.append("</table>\n</section>\n");
    }

    private static void footer(StringBuilder h, RunSummary s, Map<String, Boolean> siblingFiles) {
        h.append("<footer>\n<p>Run status: <b>").append(escape(s.status())).append("</b>");
        if (s.header().created() != null) h.append(" &middot; started ").append(escape(s.header().created()));
        if (s.header().updated() != null) h.append(" &middot; summary updated ").append(escape(s.header().updated()));
        h.append(" &middot; ").append(escape(or(s.header().tool(), "emergence")));
        if (s.header().version() != null) h.append(' ').append(escape(s.header().version()));
        h.append("</p>\n<p>Data files next to this report:");
        for (Map.Entry<String, Boolean> f : siblingFiles.entrySet()) {
            if (f.getValue()) h.append(" <a href=\"").append(escape(f.getKey())).append("\">").append(escape(f.getKey())).append("</a>");
        }
        h.append("</p>\n</footer>\n");
    }

    // ---------------------------------------------------------------------------------------- helpers

    /** Human-readable list of what is missing (HTML, already escaped). */
    static List<String> missing(RunSummary s) {
        List<String> out = new ArrayList<>();
        int nl = s.layers().length, np = s.positions().length;
        if (nl == 0) out.add("no layers measured yet");
        if (np == 0) out.add("no positions listed yet");
        cells(out, "MI_macro(l, t)", s.results().macro(), nl * np);
        cells(out, "MI_micro(l, i)", s.results().micro(), nl * np);
        cells(out, "E(l, t)", s.results().e(), nl * np);
        List<Integer> ml = new ArrayList<>();
        for (LayerE le : s.results().eLayer()) if (!le.e().finite()) ml.add(le.layer());
        if (!ml.isEmpty()) out.add("E(l) for layer" + (ml.size() == 1 ? " " : "s ") + ranges(ml.stream().mapToInt(Integer::intValue).toArray()));
        List<Integer> mp = new ArrayList<>();
        for (int j = 0; j < np; j++) if (!s.results().ieT()[j].finite()) mp.add(s.positions()[j]);
        if (!mp.isEmpty()) out.add("IE(t) for position" + (mp.size() == 1 ? " " : "s ") + ranges(mp.stream().mapToInt(Integer::intValue).toArray()));
        if (!s.ie().finite()) out.add(s.ie().present() ? "IE (not finite)" : "IE (the headline value)");
        return out;
    }

    private static void cells(List<String> out, String name, Val[][] m, int total) {
        if (total == 0) return;
        int bad = 0;
        for (Val[] r : m) for (Val v : r) if (!v.finite()) bad++;
        if (bad > 0) out.add(name + ": " + bad + " of " + total + " values");
    }

    private static Map<String, int[]> estimatorsUsed(RunSummary s) {
        Map<String, int[]> out = new LinkedHashMap<>();
        String[] names = {"macro", "micro", "context"};
        Val[][][] ms = {s.results().macro(), s.results().micro(), s.results().context()};
        for (int k = 0; k < 3; k++) {
            for (Val[] r : ms[k]) {
                for (Val v : r) {
                    if (!v.present() || (v.estimator() == null && v.mode() == null)) continue;
                    String key = names[k] + "\u0000" + or(v.estimator(), "—") + "\u0000" + or(v.mode(), "—");
                    out.computeIfAbsent(key, x -> new int[1])[0]++;
                }
            }
        }
        return out;
    }
}
