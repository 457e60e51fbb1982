package org.emergence.study;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.emergence.common.JsonFiles;
import org.emergence.common.UserError;
import org.emergence.ie.RunRequest;

/**
 * What a study is asked to do, from the command line or a plan file ({@code study --plan plan.json},
 * whose keys are the long option names without dashes, e.g. {@code {"kind": "shots", "categories":
 * ["animal", "color"], "kmax": 8}}; unknown keys are refused).
 *
 * @param kind       shots, errors, texts, models or ablations
 * @param models     the model(s); the first is the one measured, except in a models study
 * @param categories ICL categories (shots, errors)
 * @param kmin       fewest items per list; 0: for an encoder the smallest K with at least N distinct lists (so that every
 *                   K is measured at the same N), else 1
 * @param kmax       most items per list
 * @param replicates fresh dataset draws per condition (the spread of IE, and its link to errors)
 * @param dataset    the dataset of models and ablations studies
 * @param sources    texts study: name → text dataset spec
 * @param ablations  ablations study: --ablate specs (plus the random-input baseline)
 * @param preset     "paper": the paper's list sizes and N (country 25 entities × 4 shots, …)
 * @param longSep    shots variant with longer demonstrations: this separator after every item (null: none)
 * @param generator  texts study: the model whose samples are the "model-written" source (null: none)
 * @param textTokens tokens per text window, special tokens not counted
 * @param textScale  texts study: "shared" = every condition at the first source's natural run's layer noise scale (one
 *                   resolution per layer of the measuring model), "own" = each condition its own
 * @param base       measurement, N, seed, batch (model and dataset are set per condition)
 */
public record StudyOptions(String kind, List<String> models, List<String> categories, int kmin, int kmax, int replicates,
                           String dataset, Map<String, String> sources, List<String> ablations, String preset, String longSep,
                           String generator, int textTokens, String textScale, Path out, RunRequest base) {

    public StudyOptions {
        StudyKinds.check(kind);
        if (models.isEmpty()) throw new UserError("study " + kind + ": no --model");
        if (kmin < 0 || kmax < Math.max(1, kmin)) throw new UserError("study " + kind + ": need 1 <= --kmin <= --kmax, got " + kmin + ", " + kmax);
        if (replicates < 1) throw new UserError("study " + kind + ": --replicates must be >= 1");
        if (textTokens < 2) throw new UserError("study " + kind + ": --text-tokens must be >= 2");
        if (preset != null && !preset.equals("paper")) throw new UserError("study: unknown --preset '" + preset + "' (known: paper)");
        if (!textScale.equals("shared") && !textScale.equals("own")) {
            throw new UserError("study " + kind + ": --text-scale must be shared or own, got '" + textScale + "'");
        }
    }

    /** True when a texts study measures every condition at its first condition's noise scale. */
    public boolean sharedTextScale() {
        return kind.equals("texts") && textScale.equals("shared") && base.scalesByLayer();
    }

    /** The plan file's keys, which are also the command's option names. */
    static final Set<String> PLAN_KEYS = Set.of("kind", "models", "model", "categories", "kmin", "kmax", "replicates", "dataset",
            "sources", "ablations", "preset", "long_sep", "generator", "text_tokens", "text_scale", "n", "seed", "noise", "noise_scale",
            "estimator", "micro_position", "micro_specials", "null_twins", "noise_scales", "pairing", "positions", "groups", "batch", "out");

    /** Reads a plan file; every value not in it comes from {@code defaults} (the command line). */
    public static StudyOptions fromPlan(Path file, StudyOptions defaults) {
        return fromPlan(file, defaults, Set.of());
    }

    /**
     * Reads a plan file under a command line: the plan fills in what the command line left at its
     * default, and an option typed on the command line ({@code given}: plan key names, e.g. "out", "n")
     * wins over the plan's value — a plan never redirects --out or overrides --n.
     */
    public static StudyOptions fromPlan(Path file, StudyOptions defaults, Set<String> given) {
        JsonNode p0 = JsonFiles.readObject(file);
        var it = p0.fieldNames();
        while (it.hasNext()) {
            String k = it.next();
            if (!PLAN_KEYS.contains(k)) {
                throw new UserError(file + ": unknown key '" + k + "' (keys: " + String.join(", ", new java.util.TreeSet<>(PLAN_KEYS)) + ")");
            }
        }
        com.fasterxml.jackson.databind.node.ObjectNode p = ((com.fasterxml.jackson.databind.node.ObjectNode) p0).deepCopy();
        for (String k : given) p.remove(k);
        if (given.contains("models")) p.remove("model");
        RunRequest b = defaults.base();
        RunRequest base = b.toBuilder().n(integer(p, file, "n", b.n())).seed(integer(p, file, "seed", (int) b.seed()))
                .estimator(text(p, file, "estimator", b.estimator())).noise(number(p, file, "noise", b.noise()))
                .noiseScale(text(p, file, "noise_scale", b.noiseScale())).microPosition(text(p, file, "micro_position", b.microPosition()))
                .microSpecials(text(p, file, "micro_specials", b.microSpecials())).pairing(text(p, file, "pairing", b.pairing()))
                .positions(text(p, file, "positions", b.positions())).groups(integer(p, file, "groups", b.groups()))
                .batch(integer(p, file, "batch", b.batch())).keepActivations(false)
                .nullTwins(integer(p, file, "null_twins", b.nullTwins())).noiseScales(integer(p, file, "noise_scales", b.noiseScales()))
                .build();
        List<String> models = p.has("model") ? List.of(text(p, file, "model", null)) : list(p, file, "models", defaults.models());
        Map<String, String> sources = defaults.sources();
        if (p.has("sources")) {
            if (!p.get("sources").isObject()) throw new UserError(file + ": sources must be an object of name: dataset spec");
            sources = new LinkedHashMap<>();
            var f = p.get("sources").fields();
            while (f.hasNext()) {
                var e = f.next();
                if (!e.getValue().isTextual()) throw new UserError(file + ": sources." + e.getKey() + " must be a dataset spec string");
                sources.put(e.getKey(), e.getValue().asText());
            }
        }
        return new StudyOptions(text(p, file, "kind", defaults.kind()), models, list(p, file, "categories", defaults.categories()),
                integer(p, file, "kmin", defaults.kmin()), integer(p, file, "kmax", defaults.kmax()),
                integer(p, file, "replicates", defaults.replicates()), text(p, file, "dataset", defaults.dataset()), sources,
                list(p, file, "ablations", defaults.ablations()), text(p, file, "preset", defaults.preset()),
                text(p, file, "long_sep", defaults.longSep()), text(p, file, "generator", defaults.generator()),
                integer(p, file, "text_tokens", defaults.textTokens()), text(p, file, "text_scale", defaults.textScale()),
                p.has("out") ? Path.of(text(p, file, "out", null)) : defaults.out(), base);
    }

    private static String text(JsonNode p, Path f, String k, String d) {
        JsonNode v = p.get(k);
        if (v == null || v.isNull()) return d;
        if (!v.isTextual()) throw new UserError(f + ": " + k + " must be a string");
        return v.asText();
    }

    private static int integer(JsonNode p, Path f, String k, int d) {
        JsonNode v = p.get(k);
        if (v == null) return d;
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw new UserError(f + ": " + k + " must be an integer");
        return v.asInt();
    }

    private static double number(JsonNode p, Path f, String k, double d) {
        JsonNode v = p.get(k);
        if (v == null) return d;
        if (!v.isNumber()) throw new UserError(f + ": " + k + " must be a number");
        return v.asDouble();
    }

    private static List<String> list(JsonNode p, Path f, String k, List<String> d) {
        JsonNode v = p.get(k);
        if (v == null) return d;
        if (!v.isArray()) throw new UserError(f + ": " + k + " must be a list of strings");
        List<String> out = new ArrayList<>();
        for (JsonNode x : v) {
            if (!x.isTextual()) throw new UserError(f + ": " + k + " must be a list of strings");
            out.add(x.asText());
        }
        return out;
    }
}
