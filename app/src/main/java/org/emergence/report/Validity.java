package org.emergence.report;

import org.emergence.ie.RunSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * The validity verdicts of the default measurement ({@code emergence validate} on the built-in models,
 * as docs/validity.md reports them), shipped as {@code org/emergence/report/validity.json} ({@link ValidityJson}) so that every
 * report states them at the top.
 */
final class Validity {
    private Validity() {}

    /**
     * What the validity controls say about this run (docs/validity.md): the verdicts of {@code emergence validate} for
     * this model under this measurement, shipped as a resource — only this model's, never another model's — or a
     * note that this model, or this measurement, has not been validated here.
     */
    static void box(StringBuilder h, RunSummary s) {
        ValidityVerdicts v = ValidityJson.load();
        String meas = s.method().measurement();
        if (v == null || meas == null) return;
        ValidityVerdicts.Verdict mine = v.entry(s.model().name(), meas);
        if (mine == null) {
            List<String> validated = new ArrayList<>();
            for (ValidityVerdicts.Verdict m : v.models()) validated.add(m.model() + ": " + m.measurement());
            h.append("<div class=\"box warn\" id=\"validity\"><p><b>Validity not established for this model and measurement.</b> The "
                    + "controls of docs/validity.md were run for ").append(Pages.escape(String.join("; ", validated)))
                    .append("; this run measures ").append(Pages.escape(HtmlFormat.or(s.model().name(), "another model"))).append(" with ")
                    .append(Pages.escape(meas)).append(". Run <code>emergence validate --model ").append(Pages.escape(HtmlFormat.or(s.model().name(), "MODEL")))
                    .append("</code> with the same options before reading IE as semantic emergence.</p></div>\n");
            return;
        }
        h.append("<div class=\"box ").append(mine.failed().isEmpty() ? "warn" : "fail").append("\" id=\"validity\"><p><b>Validity of "
                + "this measurement on ").append(Pages.escape(mine.model())).append("</b> (<code>emergence validate</code>, docs/validity.md): ").append(mine.passed()).append(" of ").append(mine.total())
                .append(" controls pass").append(mine.failed().isEmpty() ? "." : "; fail:").append("</p>\n");
        if (!mine.failed().isEmpty()) {
            h.append("<ul>\n");
            for (String x : mine.failed()) h.append("<li>").append(Pages.escape(x)).append("</li>\n");
            h.append("</ul>\n");
        }
        h.append("<p class=\"small\">").append(Pages.escape(v.note())).append("</p></div>\n");
    }
}
