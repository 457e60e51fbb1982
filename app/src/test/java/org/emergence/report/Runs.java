package org.emergence.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.emergence.TestFiles;

/** Synthetic run directories following the summary.json contract. */
final class Runs {
    static final ObjectMapper JSON = new ObjectMapper();

    private Runs() {}

    /** A complete run: L layers, T positions, deterministic pseudo-data with both signs of E. */
    static ObjectNode complete(int layers, int t, boolean causal) {
        ObjectNode r = JSON.createObjectNode();
        r.put("tool", "emergence").put("version", "0.1.0").put("status", "complete")
                .put("created", "2026-11-28T01:02:03Z").put("updated", "2026-11-28T01:09:03Z");
        r.putObject("model").put("name", "minilm").put("model_type", "bert").put("layers", layers).put("hidden", 384)
                .put("causal", causal);
        ObjectNode d = r.putObject("dataset").put("spec", "icl:animal").put("n", 2000).put("t", t)
                .put("description", "in-context list of 8 animals separated by \", \"");
        d.putObject("details").put("entities_kept", 40).put("separator", ", ");
        ObjectNode st = r.putObject("settings").put("estimator", "gaussian-copula").put("noise", 0.1)
                .put("noise_absolute", false).put("seed", 0).put("micro_position", "zero").put("discrete_threshold", 0.05);
        ArrayNode sl = st.putArray("layers");
        for (int l = 0; l < layers; l++) sl.add(l);
        r.putObject("modes").put("macro", "noise σ=0.1 (relative)").put("micro", "noise σ=0.1 (relative)").put("mixed", false)
                .put("note", "both levels add Gaussian noise of 0.1 × the per-dimension standard deviation");
        r.put("interval_method", "estimator intervals, combined in quadrature (independence assumed)");
        ArrayNode ls = r.putArray("layers"), ps = r.putArray("positions");
        for (int l = 0; l < layers; l++) ls.add(l);
        for (int i = 0; i < t; i++) ps.add(i);
        ArrayNode macro = r.putArray("macro"), micro = r.putArray("micro"), ctx = r.putArray("context"), e = r.putArray("E");
        ArrayNode el = r.putArray("E_layer"), iet = r.putArray("IE_t");
        double ieSum = 0;
        double[] ieT = new double[t];
        for (int l = 0; l < layers; l++) {
            ArrayNode ma = macro.addArray(), mi = micro.addArray(), cx = ctx.addArray(), ee = e.addArray();
            double maSum = 0, miSum = 0;
            for (int i = 0; i < t; i++) {
                double mav = 3 + 0.2 * l + 0.05 * i + 0.1 * Math.sin(l * 7 + i);
                double miv = 3.2 + 0.05 * l + 0.02 * Math.cos(i);
                cell(ma.addObject(), mav, 0.1);
                cell(mi.addObject(), miv, 0.1);
                cell(cx.addObject(), mav - 0.3, 0.1);
                double ev = mav - miv;
                ee.addObject().put("bits", ev).put("ci_low", ev - 0.14).put("ci_high", ev + 0.14);
                maSum += mav;
                miSum += miv;
                ieT[i] += ev / layers;
            }
            double m = maSum / t, mu = miSum / t, ev = m - mu;
            el.addObject().put("layer", l).put("bits", ev).put("ci_low", ev - 0.05).put("ci_high", ev + 0.05)
                    .put("macro_bits", m).put("micro_mean_bits", mu);
            ieSum += ev / layers;
        }
        for (int i = 0; i < t; i++) iet.addObject().put("position", i).put("bits", ieT[i]).put("ci_low", ieT[i] - 0.06).put("ci_high", ieT[i] + 0.06);
        r.putObject("IE").put("bits", ieSum).put("ci_low", ieSum - 0.02).put("ci_high", ieSum + 0.02);
        r.putArray("warnings").add("layer 5: macro estimate within 2% of the gaussian-copula ceiling (saturated)");
        r.putObject("timing").put("capture_seconds", 12.3).put("estimate_seconds", 45.6).put("total_seconds", 60.1);
        return r;
    }

    private static void cell(ObjectNode c, double bits, double half) {
        c.put("bits", bits).put("ci_low", bits - half).put("ci_high", bits + half).put("estimator", "gaussian-copula")
                .put("mode", "noise σ=0.1");
    }

    /** A fresh run directory holding {@code summary} as summary.json. */
    static Path dir(String name, ObjectNode summary) throws IOException {
        return dir(name, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
    }

    static Path dir(String name, String summaryText) throws IOException {
        Path d = TestFiles.tempDir(name);
        Files.writeString(d.resolve("summary.json"), summaryText);
        return d;
    }
}
