package org.emergence.report;

import org.emergence.ie.RunSummary;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The validity verdicts of the default measurement ({@code emergence validate} on the built-in models,
 * as docs/validity.md reports them), shipped as {@code org/emergence/report/validity.json} so that every
 * report states them at the top.
 */
final class Validity {
    private Validity() {}

    /**
     * The entry for a built-in model (by any of its names, e.g. tinylm and tinylm-6l) measured as {@code measurement},
     * or null when that model was not validated with that measurement (a model directory never matches a built-in name).
     */
    static JsonNode entry(JsonNode validity, String model, String measurement) {
        if (validity == null || model == null || measurement == null) return null;
        for (JsonNode m : validity.path("models")) {
            if (!measurement.equals(m.path("measurement").asText())) continue;
            for (JsonNode n : m.path("names")) if (n.asText().equals(model)) return m;
        }
        return null;
    }

    static JsonNode load() {
        try (InputStream in = Validity.class.getResourceAsStream("validity.json")) {
            return in == null ? null : new ObjectMapper().readTree(in);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * What the validity controls say about this run (docs/validity.md): the verdicts of {@code emergence validate} for
     * this model under this measurement, shipped as a resource — only this model's, never another model's — or a
     * note that this model, or this measurement, has not been validated here.
     */
    static void box(StringBuilder h, RunSummary s) {
        JsonNode v = load();
        String meas = s.method().measurement();
        if (v == null || meas == null) return;
        JsonNode mine = entry(v, s.model().name(), meas);
        if (mine == null) {
            List<String> validated = new ArrayList<>();
            for (JsonNode m : v.path("models")) validated.add(m.path("model").asText() + ": " + m.path("measurement").asText());
            h.append("<div class=\"box warn\" id=\"validity\"><p><b>Validity not established for this model and measurement.</b> The "
                    + "controls of docs/validity.md were run for ").append(Pages.escape(String.join("; ", validated)))
                    .append("; this run measures ").append(Pages.escape(HtmlFormat.or(s.model().name(), "another model"))).append(" with ")
                    .append(Pages.escape(meas)).append(". Run <code>emergence validate --model ").append(Pages.escape(HtmlFormat.or(s.model().name(), "MODEL")))
                    .append("</code> with the same options before reading IE as semantic emergence.</p></div>\n");
            return;
        }
        h.append("<div class=\"box ").append(mine.path("failed").size() == 0 ? "warn" : "fail").append("\" id=\"validity\"><p><b>Validity of "
                + "this measurement on ").append(Pages.escape(mine.path("model").asText())).append("</b> (<code>emergence validate</code>, docs/validity.md): ").append(mine.path("passed").asInt()).append(" of ").append(mine.path("total").asInt())
                .append(" controls pass").append(mine.path("failed").size() > 0 ? "; fail:" : ".").append("</p>\n");
        if (mine.path("failed").size() > 0) {
            h.append("<ul>\n");
            for (JsonNode x : mine.path("failed")) h.append("<li>").append(Pages.escape(x.asText())).append("</li>\n");
            h.append("</ul>\n");
        }
        h.append("<p class=\"small\">").append(Pages.escape(v.path("note").asText())).append("</p></div>\n");
    }
}
