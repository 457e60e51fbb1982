package org.emergence.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.emergence.common.JsonFiles;
import org.emergence.ie.RunSummaryJson;
import org.emergence.ie.RunSummaryWriter;

/** The one writer and reader of validate.json ({@link ValidationResult}); nothing else reads it by key. */
public final class ValidationJson {
    private ValidationJson() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes DIR/validate.json atomically. */
    public static void write(Path dir, ValidationResult v) throws IOException {
        JsonFiles.writeIndented(dir.resolve("validate.json"), tree(v));
    }

    /** Reads a validate.json; a file that is not one is refused with one line naming it. */
    public static ValidationResult read(Path file) {
        return of(JsonFiles.readObject(file));
    }

    static ObjectNode tree(ValidationResult v) {
        ObjectNode o = JSON.createObjectNode();
        o.put("tool", v.tool());
        o.put("version", v.version());
        o.put("model", v.model());
        o.put("measurement", v.measurement());
        o.put("interval_method", v.intervalMethod());
        ValidationResult.Settings s = v.settings();
        ObjectNode st = o.putObject("settings");
        st.put("icl", s.icl());
        st.put("text", s.text());
        st.put("text_tokens", s.textTokens());
        st.put("text_scale", s.textScale());
        st.put("n", s.n());
        st.put("seed", s.seed());
        ArrayNode is = st.putArray("init_seeds");
        for (long x : s.initSeeds()) is.add(x);
        ArrayNode sf = st.putArray("sigma_factors");
        for (double f : s.sigmaFactors()) sf.add(f);
        st.put("replicates", s.replicates());
        st.set("run_settings", s.runSettings());
        ArrayNode conds = o.putArray("conditions");
        for (ValidationResult.ConditionRow c : v.conditions()) {
            ObjectNode x = conds.addObject();
            x.put("name", c.name());
            x.put("what", c.what());
            x.put("run_dir", c.runDir());
            x.put("dataset", c.dataset());
            x.put("ablation", c.ablation());
            x.put("noise", c.noise());
            x.put("seed", c.seed());
            x.set("IE", RunSummaryWriter.json(c.ie()));
            x.put("status", c.status());
        }
        ArrayNode ctl = o.putArray("controls");
        for (Verdict c : v.controls()) {
            ObjectNode x = ctl.addObject();
            x.put("name", c.name());
            x.put("question", c.question());
            x.put("rule", c.rule());
            x.put("measured", c.measured());
            JsonFiles.putFinite(x, "value", c.value());
            JsonFiles.putFinite(x, "ci_low", c.low());
            JsonFiles.putFinite(x, "ci_high", c.high());
            x.put("method", c.method());
            x.put("verdict", c.verdict());
            ArrayNode d = x.putArray("details");
            c.details().forEach(d::add);
        }
        ObjectNode sum = o.putObject("summary");
        sum.put("passed", v.summary().passed());
        sum.put("failed", v.summary().failed());
        sum.put("total", v.summary().total());
        o.putObject("timing").put("seconds", v.seconds());
        return o;
    }

    static ValidationResult of(JsonNode o) {
        JsonNode st = o.path("settings");
        List<Long> seeds = new ArrayList<>();
        for (JsonNode x : st.path("init_seeds")) seeds.add(x.asLong());
        List<Double> factors = new ArrayList<>();
        for (JsonNode x : st.path("sigma_factors")) factors.add(x.asDouble());
        ValidationResult.Settings s = new ValidationResult.Settings(st.path("icl").asText(), st.path("text").asText(),
                st.path("text_tokens").asInt(), st.path("text_scale").asText(), st.path("n").asInt(), st.path("seed").asLong(),
                seeds.stream().mapToLong(Long::longValue).toArray(), factors.stream().mapToDouble(Double::doubleValue).toArray(),
                st.path("replicates").asInt(), st.get("run_settings"));
        List<ValidationResult.ConditionRow> conds = new ArrayList<>();
        for (JsonNode c : o.path("conditions")) {
            conds.add(new ValidationResult.ConditionRow(c.path("name").asText(), c.path("what").asText(), c.path("run_dir").asText(),
                    c.path("dataset").asText(), c.path("ablation").asText(), c.path("noise").asDouble(), c.path("seed").asLong(),
                    RunSummaryJson.value(c.get("IE"), "validate.json: conditions." + c.path("name").asText() + ".IE"),
                    c.path("status").asText()));
        }
        List<Verdict> controls = new ArrayList<>();
        for (JsonNode c : o.path("controls")) {
            List<String> details = new ArrayList<>();
            for (JsonNode d : c.path("details")) details.add(d.asText());
            controls.add(new Verdict(c.path("name").asText(), c.path("question").asText(), c.path("rule").asText(),
                    c.path("measured").asText(), JsonFiles.number(c.get("value")), JsonFiles.number(c.get("ci_low")), JsonFiles.number(c.get("ci_high")),
                    c.path("method").asText(), c.path("verdict").asText().equals("PASS"), details));
        }
        JsonNode sum = o.path("summary");
        return new ValidationResult(o.path("tool").asText(), o.path("version").asText(), o.path("model").asText(),
                o.path("measurement").asText(), o.path("interval_method").asText(), s, conds, controls,
                new ValidationResult.Tally(sum.path("passed").asInt(), sum.path("failed").asInt(), sum.path("total").asInt()),
                o.path("timing").path("seconds").asDouble());
    }
}
