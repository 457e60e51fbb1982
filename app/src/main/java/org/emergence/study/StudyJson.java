package org.emergence.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.emergence.common.JsonFiles;
import org.emergence.ie.RunSummaryJson;
import org.emergence.ie.RunSummaryWriter;

/** The one writer and reader of study.json ({@link StudyResult}); nothing else reads it by key. */
public final class StudyJson {
    private StudyJson() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes DIR/study.json atomically. */
    public static void write(Path dir, StudyResult s) throws IOException {
        JsonFiles.writeIndented(dir.resolve("study.json"), tree(s));
    }

    /** Reads a study.json; a file that is not one is refused with one line naming it. */
    public static StudyResult read(Path file) {
        return of(JsonFiles.readObject(file));
    }

    static ObjectNode tree(StudyResult s) {
        ObjectNode out = JSON.createObjectNode();
        out.put("tool", s.tool());
        out.put("version", s.version());
        out.put("kind", s.kind());
        StudyResult.PlanInfo p = s.plan();
        ObjectNode plan = out.putObject("plan");
        ArrayNode ms = plan.putArray("models");
        p.models().forEach(ms::add);
        plan.put("n", p.n());
        plan.put("seed", p.seed());
        plan.put("replicates", p.replicates());
        if (p.categories() != null) {
            ArrayNode cs = plan.putArray("categories");
            p.categories().forEach(cs::add);
            plan.put("kmin", p.kmin());
            plan.put("kmax", p.kmax());
            if (p.preset() != null) plan.put("preset", p.preset());
            if (p.longSep() != null) plan.put("long_sep", p.longSep());
        }
        if (p.textScale() != null) plan.put("text_scale", p.textScale());
        out.put("measurement", s.measurement());
        out.put("interval_method", s.intervalMethod());
        ArrayNode conds = out.putArray("conditions");
        for (StudyResult.ConditionRow c : s.conditions()) {
            ObjectNode x = conds.addObject();
            x.put("name", c.name());
            ObjectNode labels = x.putObject("labels");
            c.labels().forEach(labels::put);
            x.put("dataset", c.dataset());
            x.put("run_dir", c.runDir());
            x.put("n", c.n());
            if (c.readFrom() != null) {
                x.put("read_from", c.readFrom());
                x.put("last_position", c.lastPosition());
            }
            ObjectNode v = x.putObject("IE");
            JsonFiles.putFinite(v, "bits", c.bits());
            JsonFiles.putFinite(v, "ci_low", c.ciLow());
            JsonFiles.putFinite(v, "ci_high", c.ciHigh());
            JsonFiles.putFinite(v, "se", c.se());
            if (c.summaryIe() != null) x.set("IE_summary", RunSummaryWriter.json(c.summaryIe()));
        }
        ArrayNode comps = out.putArray("comparisons");
        for (StudyResult.Comparison d : s.comparisons()) {
            ObjectNode c = comps.addObject();
            c.put("label", d.label());
            c.put("a", d.a());
            c.put("b", d.b());
            c.put("n_a", d.nA());
            c.put("n_b", d.nB());
            JsonFiles.putFinite(c, "difference_bits", d.bits());
            JsonFiles.putFinite(c, "ci_low", d.ciLow());
            JsonFiles.putFinite(c, "ci_high", d.ciHigh());
            JsonFiles.putFinite(c, "se", d.se());
            c.put("method", d.method());
            c.put("test", d.test());
            c.put("direction", d.direction());
        }
        ArrayNode verdicts = out.putArray("verdicts");
        s.verdicts().forEach(verdicts::add);
        if (s.byShots() != null) shots(out.putArray("by_shots"), s.byShots());
        if (s.byRelativeDepth() != null) {
            ArrayNode depth = out.putArray("by_relative_depth");
            for (StudyResult.DepthRow d : s.byRelativeDepth()) {
                ObjectNode r = depth.addObject();
                r.put("model", d.model());
                r.put("layer", d.layer());
                r.put("relative_depth", d.relativeDepth());
                present(r, "E", d.e());
                present(r, "ci_low", d.ciLow());
                present(r, "ci_high", d.ciHigh());
            }
        }
        StudyResult.Correlation cr = s.errorVsIeSpread();
        if (cr != null) {
            ObjectNode c = out.putObject("error_vs_ie_spread");
            c.put("points", cr.points());
            JsonFiles.putFinite(c, "pearson_r", cr.r());
            JsonFiles.putFinite(c, "ci_low", cr.ciLow());
            JsonFiles.putFinite(c, "ci_high", cr.ciHigh());
            c.put("method", cr.method());
        }
        ArrayNode notes = out.putArray("notes");
        s.notes().forEach(notes::add);
        return out;
    }

    private static void shots(ArrayNode table, List<StudyResult.ShotsRow> rows) {
        for (StudyResult.ShotsRow r : rows) {
            ObjectNode row = table.addObject();
            row.put("series", r.series());
            row.put("category", r.category());
            row.put("variant", r.variant());
            row.put("shots", r.shots());
            row.put("replicates", r.replicates());
            JsonFiles.putFinite(row, "IE_mean_bits", r.ieMean());
            JsonFiles.putFinite(row, "IE_se_bits", r.ieSe());
            JsonFiles.putFinite(row, "IE_sd_across_replicates", r.ieSd());
            ArrayNode vals = row.putArray("IE_replicates");
            for (double v : r.ieReplicates()) vals.add(v);
            StudyResult.NextTokens t = r.nextToken();
            if (t != null) {
                ObjectNode o = row.putObject("next_token");
                o.put("lists", t.lists());
                o.put("correct", t.correct());
                o.put("repetition", t.repetition());
                o.put("wrong_category", t.wrongCategory());
                o.put("other", t.other());
                o.put("error_rate", t.errorRate());
                o.put("error_rate_ci_low", t.errorRateCiLow());
                o.put("error_rate_ci_high", t.errorRateCiHigh());
                o.put("interval", t.interval());
            }
        }
    }

    /** A value of a run's summary as it stands there: null where it was not estimated. */
    private static void present(ObjectNode o, String k, double v) {
        if (Double.isNaN(v)) o.putNull(k);
        else o.put(k, v);
    }

    private static List<String> texts(JsonNode a) {
        List<String> out = new ArrayList<>();
        for (JsonNode x : a) out.add(x.asText());
        return out;
    }

    /** A study.json tree as the typed result (what {@link #read} does after parsing the file). */
    public static StudyResult of(JsonNode o) {
        JsonNode p = o.path("plan");
        boolean lists = p.has("categories");
        StudyResult.PlanInfo plan = new StudyResult.PlanInfo(texts(p.path("models")), p.path("n").asInt(), p.path("seed").asLong(),
                p.path("replicates").asInt(), lists ? texts(p.path("categories")) : null, lists ? p.path("kmin").asInt() : null,
                lists ? p.path("kmax").asInt() : null, p.has("preset") ? p.path("preset").asText() : null,
                p.has("long_sep") ? p.path("long_sep").asText() : null, p.has("text_scale") ? p.path("text_scale").asText() : null);
        List<StudyResult.ConditionRow> conds = new ArrayList<>();
        for (JsonNode c : o.path("conditions")) {
            Map<String, String> labels = new LinkedHashMap<>();
            c.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            JsonNode ie = c.path("IE");
            boolean derived = c.path("read_from").isTextual();
            conds.add(new StudyResult.ConditionRow(c.path("name").asText(), labels, c.path("dataset").asText(), c.path("run_dir").asText(),
                    c.path("n").asInt(), derived ? c.path("read_from").asText() : null, derived ? c.path("last_position").asInt() : -1,
                    JsonFiles.number(ie.get("bits")), JsonFiles.number(ie.get("ci_low")), JsonFiles.number(ie.get("ci_high")), JsonFiles.number(ie.get("se")),
                    c.has("IE_summary") ? RunSummaryJson.value(c.get("IE_summary"), "study.json: " + c.path("name").asText()) : null));
        }
        List<StudyResult.Comparison> comps = new ArrayList<>();
        for (JsonNode c : o.path("comparisons")) {
            comps.add(new StudyResult.Comparison(c.path("label").asText(), c.path("a").asText(), c.path("b").asText(),
                    c.path("n_a").asInt(), c.path("n_b").asInt(), JsonFiles.number(c.get("difference_bits")), JsonFiles.number(c.get("ci_low")),
                    JsonFiles.number(c.get("ci_high")), JsonFiles.number(c.get("se")), c.path("method").asText(), c.path("test").asText(),
                    c.path("direction").asText()));
        }
        List<StudyResult.ShotsRow> shots = o.has("by_shots") ? new ArrayList<>() : null;
        for (JsonNode r : o.path("by_shots")) {
            JsonNode t = r.get("next_token");
            StudyResult.NextTokens nt = t == null || !t.isObject() ? null : new StudyResult.NextTokens(t.path("lists").asInt(),
                    JsonFiles.number(t.get("correct")), JsonFiles.number(t.get("repetition")), JsonFiles.number(t.get("wrong_category")), JsonFiles.number(t.get("other")),
                    JsonFiles.number(t.get("error_rate")), JsonFiles.number(t.get("error_rate_ci_low")), JsonFiles.number(t.get("error_rate_ci_high")),
                    t.path("interval").asText());
            List<Double> vals = new ArrayList<>();
            for (JsonNode v : r.path("IE_replicates")) vals.add(JsonFiles.number(v));
            shots.add(new StudyResult.ShotsRow(r.path("series").asText(), r.path("category").asText(), r.path("variant").asText(),
                    r.path("shots").asInt(), r.path("replicates").asInt(), JsonFiles.number(r.get("IE_mean_bits")), JsonFiles.number(r.get("IE_se_bits")),
                    JsonFiles.number(r.get("IE_sd_across_replicates")), vals.stream().mapToDouble(Double::doubleValue).toArray(), nt));
        }
        List<StudyResult.DepthRow> depth = o.has("by_relative_depth") ? new ArrayList<>() : null;
        for (JsonNode r : o.path("by_relative_depth")) {
            depth.add(new StudyResult.DepthRow(r.path("model").asText(), r.path("layer").asInt(), JsonFiles.number(r.get("relative_depth")),
                    JsonFiles.number(r.get("E")), JsonFiles.number(r.get("ci_low")), JsonFiles.number(r.get("ci_high"))));
        }
        JsonNode c = o.get("error_vs_ie_spread");
        StudyResult.Correlation corr = c == null || !c.isObject() ? null : new StudyResult.Correlation(c.path("points").asInt(),
                JsonFiles.number(c.get("pearson_r")), JsonFiles.number(c.get("ci_low")), JsonFiles.number(c.get("ci_high")), c.path("method").asText());
        return new StudyResult(o.path("tool").asText(), o.path("version").asText(), o.path("kind").asText(), plan,
                o.path("measurement").asText(), o.path("interval_method").asText(), conds, comps, texts(o.path("verdicts")), shots,
                depth, corr, texts(o.path("notes")));
    }
}
